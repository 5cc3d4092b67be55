"""The topics of events recorded before 2026-12-03, when each stored class took an explicit
topic (`jixiao:<Aggregate>.<Event>`): until then a record named its class by the module that
held it (`domain.performance_object:PerformanceObject.GoalSubmitted`). Those names are
registered here to the same classes, wherever they live now, so older logs still load."""

from __future__ import annotations

from eventsourcing.domain import Aggregate, CanMutateAggregate
from eventsourcing.utils import register_topic

from domain.accountability.findings import FindingCitation, FindingDismissal
from domain.accountability.model import AccountabilityCase
from domain.calendar.holiday_table import HolidayTable
from domain.evaluation.key_evaluation import KeyEvaluation
from domain.evaluation.model import SelfEvaluation
from domain.evaluation.spot_check import SpotCheck
from domain.ex_ante.model import ExAnteAssessment
from domain.monitoring.model import MonitoringTask
from domain.objects.model import PerformanceObject
from domain.rectification.model import DepartmentRectifications, RectificationNotice
from domain.registry.model import Jurisdiction, Organisation, Person
from domain.results.funding_block import FundingBlock
from domain.results.model import ResultApplication
from domain.supervision.disclosure import Disclosure
from domain.supervision.model import NpcSubmission
from domain.supervision.work_assessment import WorkAssessment

# The module each aggregate was defined in until then. Frozen: never edit a line.
BEFORE_EXPLICIT_TOPICS: dict[str, tuple[type[Aggregate], ...]] = {
    "domain.accountability": (AccountabilityCase,),
    "domain.disclosure": (Disclosure,),
    "domain.evaluation": (SelfEvaluation,),
    "domain.ex_ante": (ExAnteAssessment,),
    "domain.finding": (FindingDismissal, FindingCitation),
    "domain.funding_block": (FundingBlock,),
    "domain.holiday_table": (HolidayTable,),
    "domain.key_evaluation": (KeyEvaluation,),
    "domain.monitoring": (MonitoringTask,),
    "domain.performance_object": (PerformanceObject,),
    "domain.rectification": (RectificationNotice, DepartmentRectifications),
    "domain.registry": (Jurisdiction, Organisation, Person),
    "domain.result_application": (ResultApplication,),
    "domain.spot_check": (SpotCheck,),
    "domain.supervision": (NpcSubmission,),
    "domain.work_assessment": (WorkAssessment,),
}


def legacy_topics() -> dict[str, type]:
    """Each older topic and the class it names: the aggregate (a created event's
    `originator_topic`) and each of its event classes."""
    found: dict[str, type] = {}
    for module, aggregates in BEFORE_EXPLICIT_TOPICS.items():
        for aggregate in aggregates:
            found[f"{module}:{aggregate.__qualname__}"] = aggregate
            for value in vars(aggregate).values():
                if isinstance(value, type) and issubclass(value, CanMutateAggregate):
                    found[f"{module}:{value.__qualname__}"] = value
    return found


def register_legacy_topics() -> None:
    for topic, cls in legacy_topics().items():
        register_topic(topic, cls)
