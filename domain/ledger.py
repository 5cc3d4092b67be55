"""The ledger: one Application for one jurisdiction's deployment, one total order of events
(the integrity chain needs both), and the services that hold its use cases, one per
capability (`domain/<capability>/cases.py`), each given the store and, in plain sight, the
other services it asks things of. What one capability asks of the others on its own acts
(the gates of a goal's approval, what opens when an object is registered) is wired here too,
in order, not through base classes."""

from __future__ import annotations

from typing import Any

from domain.accountability.cases import AccountabilityCases
from domain.accountability.finding_cases import FindingCases
from domain.evaluation.cases import EvaluationCases
from domain.ex_ante.cases import AssessmentCases
from domain.ledger_core import LedgerCore, Outcome
from domain.legacy_topics import register_legacy_topics
from domain.library.cases import LibraryCases
from domain.monitoring.cases import MonitoringCases
from domain.objects.cases import GoalCases
from domain.rectification.cases import RectificationCases
from domain.registry.cases import RegistryCases
from domain.results.cases import ResultApplicationCases
from domain.supervision.cases import SupervisionCases


class Ledger(LedgerCore):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.registry = RegistryCases(self)
        self.library = LibraryCases(self, self.registry)
        self.goals = GoalCases(self, self.registry, self.library)
        self.ex_ante = AssessmentCases(self)
        self.monitoring = MonitoringCases(self)
        self.results = ResultApplicationCases(self)
        self.evaluation = EvaluationCases(self, self.results)
        self.rectification = RectificationCases(self)
        self.accountability = AccountabilityCases(self)
        self.findings = FindingCases(self, self.accountability)
        self.supervision = SupervisionCases(self)
        # In the order a refused approval lists their reasons.
        self.approval_gates = (
            self.ex_ante.ex_ante_gate,
            self.evaluation.funding_block_gate,
            self.rectification.unrectified_departments_gate,
        )
        self.registration_companions = (self.ex_ante.ex_ante_companion,)


# Logs recorded before the explicit topics name classes by the modules that held them.
register_legacy_topics()

__all__ = ["Ledger", "Outcome"]
