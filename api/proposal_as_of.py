"""The result application the policy proposed for an evaluation as it stood at an instant
of recorded time: the same rule as `ledger.results.result_proposal`, applied to the evaluation
rebuilt at that instant (and to whether a spot check existed by then)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from fastapi import Response

from api.time_travel import aggregate_as_of, last_at, recorded_events
from domain.errors import InvalidTransition
from domain.evaluation.key_evaluation import KeyEvaluation
from domain.evaluation.model import SelfEvaluation, evaluation_id
from domain.evaluation.spot_check import SpotCheck
from domain.ledger import Ledger
from domain.objects.model import PerformanceObject
from domain.results.model import Proposal, propose

EVALUATIONS = (SelfEvaluation, KeyEvaluation, SpotCheck)


def proposal_as_of(
    ledger: Ledger, eval_id: UUID, instant: datetime, response: Response
) -> Proposal:
    evaluation = aggregate_as_of(ledger, EVALUATIONS, eval_id, instant, response)
    if evaluation.grade is None:
        raise InvalidTransition("the evaluation had no score yet then")
    if isinstance(evaluation, SelfEvaluation):
        spot_check = evaluation_id(evaluation.object_id, "spot_check")
        if last_at(recorded_events(ledger, spot_check), instant) is not None:
            raise InvalidTransition(
                "this self-evaluation had been rechecked by then: the recheck's result "
                "(复核结果) is applied"
            )
    # An object's kind is set at registration and never changes: read it now.
    kind = ledger.read(PerformanceObject, evaluation.object_id).kind
    return propose(
        ledger.policies.for_jurisdiction(evaluation.mof_div_code, evaluation.fiscal_year),
        evaluation_kind=evaluation.kind,
        object_kind=kind,
        grade=evaluation.grade,
        gap_rule_met=getattr(evaluation, "gap_rule_met", False),
    )
