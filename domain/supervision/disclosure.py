"""Publication (信息公开) of a performance object's goal or results.

洪财绩〔2022〕4号 二(三)9 / 附表 九 2: departments and the finance bureau publish performance
information. A publication cites the ledger record it published (pinned by its record hash),
so what the public saw can be compared with the ledger later. A goal is published once
approved (批复): the cited record is the GoalApproved or GoalAdjusted event of that object.
Results cite a record of another capability that names the object (an evaluation).
"""

from __future__ import annotations

from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.citation.cited_event import CitedEvent
from domain.errors import InvalidInput, InvalidTransition, NotPermitted
from domain.ids import NAMESPACE
from domain.objects.model import PerformanceObject
from domain.roles import SPENDING_ROLES, Role
from domain.values import Act

SUBJECTS = {"goal": "绩效目标", "result": "绩效评价结果"}
GOAL_RECORDS = ("PerformanceObject.GoalApproved", "PerformanceObject.GoalAdjusted")


def disclosure_id(object_id: UUID, position: int, channel: str) -> UUID:
    return uuid5(NAMESPACE, f"disclosure:{object_id}:{position}:{channel}")


class Disclosure(Aggregate):
    TOPIC = "jixiao:Disclosure"  # the stored name: fixed, whatever module holds it

    class Created(Aggregate.Created):  # explicit topics ask it of every class; never recorded
        TOPIC = "jixiao:Disclosure.Created"

    @staticmethod
    def create_id(object_id: UUID, cited: CitedEvent, channel: str) -> UUID:
        return disclosure_id(object_id, cited.position, channel)

    @event("Published", topic="jixiao:Disclosure.Published")
    def __init__(
        self,
        act: Act,
        object_id: UUID,
        mof_div_code: str,
        fiscal_year: int,
        department_id: UUID,
        subject: str,
        cited: CitedEvent,
        channel: str,
        url: str | None,
    ) -> None:
        self.object_id = object_id
        self.mof_div_code = mof_div_code
        self.fiscal_year = fiscal_year
        self.department_id = department_id
        self.subject = subject
        self.cited = cited
        self.channel = channel
        self.url = url

    @classmethod
    def publish(
        cls,
        act: Act,
        obj: PerformanceObject,
        subject: str,
        cited: CitedEvent,
        channel: str,
        url: str | None,
    ) -> Disclosure:
        actor = act.actor
        own = actor.role in SPENDING_ROLES and actor.organisation_id in {
            str(obj.department_id),
            str(obj.unit_id) if obj.unit_id else "",
        }
        if not own and actor.role != Role.PERFORMANCE_SECTION:
            raise NotPermitted(
                "the object's own department or unit, or the performance section, publishes"
            )
        if subject not in SUBJECTS:
            raise InvalidInput(f"subject is one of {list(SUBJECTS)}", "subject")
        if cited.object_id != obj.id:
            raise InvalidInput("the cited record is not about this object", "position")
        if subject == "goal" and cited.event not in GOAL_RECORDS:
            raise InvalidTransition(
                "a goal is published once approved: cite its GoalApproved or GoalAdjusted record",
                "position",
            )
        if subject == "result" and cited.event.startswith("PerformanceObject."):
            raise InvalidInput("a result cites an evaluation record, not the goal", "position")
        if not channel.strip():
            raise InvalidInput("say where it was published (channel)", "channel")
        if url is not None and not url.startswith(("http://", "https://")):
            raise InvalidInput("url is an http(s) address", "url")
        if act.business_date is None:
            raise InvalidInput("the publication date is required", "business_date")
        return cls(
            act=act,
            object_id=obj.id,
            mof_div_code=obj.mof_div_code,
            fiscal_year=obj.fiscal_year,
            department_id=obj.department_id,
            subject=subject,
            cited=cited,
            channel=channel.strip(),
            url=url,
        )
