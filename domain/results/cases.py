"""Use cases of result application (结果应用), and what every evaluation use case shares:
finding an evaluation of any kind, the policy that judges it, and atomic multi-aggregate
writes (a recheck with the block it causes, a verification with the blocks it lifts)."""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from domain.errors import AlreadyExists, DomainError, InvalidTransition, NotFound, VersionConflict
from domain.evaluation.key_evaluation import KeyEvaluation
from domain.evaluation.model import SelfEvaluation, evaluation_id
from domain.evaluation.spot_check import SpotCheck
from domain.ledger_core import LedgerCore, Outcome
from domain.objects.model import PerformanceObject
from domain.policy import Policy
from domain.results.model import Proposal, ResultApplication, propose, result_id
from domain.values import Act

Evaluation = SelfEvaluation | KeyEvaluation | SpotCheck


def save_together(
    ledger: LedgerCore, primary, *others, conflict: type[DomainError] = VersionConflict
) -> Outcome:
    """One atomic write of several aggregates (a recheck and the block it causes)."""
    return ledger._save(primary, *others, conflict=conflict)


class ResultApplicationCases:
    def __init__(self, store: LedgerCore) -> None:
        self.store = store

    def policy_of(self, evaluation_or_object) -> Policy:
        e = evaluation_or_object
        return self.store.policies.for_jurisdiction(e.mof_div_code, e.fiscal_year)

    def exists(self, aggregate_id: UUID) -> bool:
        try:
            self.store.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return False
        return True

    def load_evaluation(self, eval_id: UUID, expected_version: int | None = None) -> Evaluation:
        for kind in (SelfEvaluation, KeyEvaluation, SpotCheck):
            try:
                return self.store.load(kind, eval_id, expected_version)
            except NotFound:
                continue
        raise NotFound(f"no evaluation with id {eval_id}")

    # --- result application ----------------------------------------------------------------

    def result_proposal(self, eval_id: UUID) -> Proposal:
        evaluation = self.load_evaluation(eval_id)
        if evaluation.grade is None:
            raise InvalidTransition("the evaluation has no score yet")
        if isinstance(evaluation, SelfEvaluation) and self.exists(
            evaluation_id(evaluation.object_id, "spot_check")
        ):
            raise InvalidTransition(
                "this self-evaluation was rechecked: the recheck's result (复核结果) is applied"
            )
        obj = self.store.load(PerformanceObject, evaluation.object_id)
        return propose(
            self.policy_of(evaluation),
            evaluation_kind=evaluation.kind,
            object_kind=obj.kind,
            grade=evaluation.grade,
            gap_rule_met=getattr(evaluation, "gap_rule_met", False),
        )

    def apply_result(
        self,
        act: Act,
        eval_id: UUID,
        measure: str,
        percentage: Decimal | None = None,
        amount: Decimal | None = None,
    ) -> Outcome:
        proposal = self.result_proposal(eval_id)
        evaluation = self.load_evaluation(eval_id)
        if self.exists(result_id(eval_id)):
            raise AlreadyExists("this evaluation's result was already applied")
        application = ResultApplication.apply(
            act,
            object_id=evaluation.object_id,
            evaluation_id=evaluation.id,
            evaluation_kind=evaluation.kind,
            department_id=evaluation.department_id,
            score=evaluation.score,
            proposal=proposal,
            measure=measure,
            percentage=percentage,
            amount=amount,
        )
        return self.store._save(application, conflict=AlreadyExists)

    def correct_result(
        self,
        act: Act,
        eval_id: UUID,
        measure: str,
        percentage: Decimal | None = None,
        amount: Decimal | None = None,
        expected_version: int | None = None,
    ) -> Outcome:
        application = self.store.load(ResultApplication, result_id(eval_id), expected_version)
        application.correct(act, measure, percentage, amount)
        return self.store._save(application)
