"""The ledger: one Application for one jurisdiction's deployment, one total order of events.
Its methods are the use cases, grouped by capability (`domain/<capability>/cases.py`). What
one capability asks of the others (the gates of a goal's approval, what opens when an object
is registered) is wired here, in plain sight and in order, not through the base classes."""

from __future__ import annotations

from typing import Any

from domain.accountability.cases import AccountabilityCases
from domain.accountability.finding_cases import FindingCases
from domain.evaluation.cases import EvaluationCases
from domain.ex_ante.cases import AssessmentCases
from domain.ledger_core import Outcome
from domain.legacy_topics import register_legacy_topics
from domain.monitoring.cases import MonitoringCases
from domain.objects.cases import GoalCases
from domain.rectification.cases import RectificationCases
from domain.supervision.cases import SupervisionCases


class Ledger(
    FindingCases,
    AccountabilityCases,
    SupervisionCases,
    RectificationCases,
    EvaluationCases,
    MonitoringCases,
    AssessmentCases,
    GoalCases,
):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # In the order a refused approval lists their reasons.
        self.approval_gates = (
            self.ex_ante_gate,
            self.funding_block_gate,
            self.unrectified_departments_gate,
        )
        self.registration_companions = (self.ex_ante_companion,)


# Logs recorded before the explicit topics name classes by the modules that held them.
register_legacy_topics()

__all__ = ["Ledger", "Outcome"]
