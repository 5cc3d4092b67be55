"""The ledger: one Application for one jurisdiction's deployment, one total order of events.
Its methods are the use cases, grouped by capability in the *_cases modules; capabilities
extend shared checks (such as `_goal_approval_blockers`) cooperatively through the MRO."""

from __future__ import annotations

from domain.accountability_cases import AccountabilityCases
from domain.assessment_cases import AssessmentCases
from domain.evaluation_cases import EvaluationCases
from domain.finding_cases import FindingCases
from domain.goal_cases import GoalCases
from domain.ledger_core import Outcome
from domain.monitoring_cases import MonitoringCases
from domain.rectification_cases import RectificationCases
from domain.supervision_cases import SupervisionCases


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


__all__ = ["Ledger", "Outcome"]
