"""The ledger: one Application for one jurisdiction's deployment, one total order of events.
Its methods are the use cases, grouped by capability in the *_cases modules; capabilities
extend shared checks (such as `_goal_approval_blockers`) cooperatively through the MRO."""

from __future__ import annotations

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
    pass


# Logs recorded before the explicit topics name classes by the modules that held them.
register_legacy_topics()

__all__ = ["Ledger", "Outcome"]
