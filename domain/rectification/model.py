"""Rectification (整改): a notice, the department's written answer, verification.

A notice lists the problems and a deadline in official working days from its issue date
(信财绩字〔2025〕3号 第二十九条: 15个工作日内通过书面形式反馈), computed by the ledger's
working-day calendar and recorded with the calendar that computed it. The department
answers in writing with evidence; the supervising business section verifies (lifting the
funding blocks tied to the notice) or rejects with comments (back to open; the deadline
stands). A notice still open after its due date is overdue.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.errors import InvalidInput, InvalidTransition, NotPermitted, SegregationOfDuties
from domain.ids import NAMESPACE
from domain.policy import PolicyRef
from domain.roles import SPENDING_ROLES, Role
from domain.values import Act

ISSUING_ROLES = (Role.BUSINESS_SECTION, Role.PERFORMANCE_SECTION)


class NoticeStatus(StrEnum):
    OPEN = "open"  # awaiting the department's written answer
    RESPONDED = "responded"  # answered, awaiting verification
    VERIFIED = "verified"  # 整改到位


def notice_id(object_id: UUID, notice_ref: str) -> UUID:
    return uuid5(NAMESPACE, f"rectification:{object_id}:{notice_ref.strip()}")


def _text(value: str | None, what: str, field: str) -> str:
    if not (value and value.strip()):
        raise InvalidInput(f"{what} is required", field)
    return value.strip()


class RectificationNotice(Aggregate):
    TOPIC = "jixiao:RectificationNotice"  # the stored name: fixed, whatever module holds it

    class Created(Aggregate.Created):  # explicit topics ask it of every class; never recorded
        TOPIC = "jixiao:RectificationNotice.Created"

    @staticmethod
    def create_id(object_id: UUID, notice_ref: str) -> UUID:
        return notice_id(object_id, notice_ref)

    @event(
        "RectificationNoticeIssued", topic="jixiao:RectificationNotice.RectificationNoticeIssued"
    )
    def __init__(
        self,
        act: Act,
        object_id: UUID,
        mof_div_code: str,
        fiscal_year: int,
        pro_code: str,
        department_id: UUID,
        unit_id: UUID | None,
        supervisor_id: UUID | None,
        notice_ref: str,
        problems: tuple[str, ...],
        evaluation_id: UUID | None,
        funding_block_ids: tuple[UUID, ...],
        issued_on: date,
        working_days: int,
        due: date,
        calendar: str,
        policy: PolicyRef,
    ) -> None:
        self.object_id = object_id
        self.mof_div_code = mof_div_code
        self.fiscal_year = fiscal_year
        self.pro_code = pro_code
        self.department_id = department_id
        self.unit_id = unit_id
        self.supervisor_id = supervisor_id
        self.notice_ref = notice_ref
        self.problems = tuple(problems)
        self.evaluation_id = evaluation_id
        self.funding_block_ids = tuple(funding_block_ids)
        self.issued_on = issued_on
        self.due = due
        self.calendar = calendar
        self.policy = policy
        self.status = NoticeStatus.OPEN
        self.issued_by = act.actor.person_id
        self.responded_by: str | None = None

    @classmethod
    def issue(cls, act: Act, **facts) -> RectificationNotice:
        if act.actor.role not in ISSUING_ROLES:
            raise NotPermitted(
                "rectification notices are issued by the business or performance section"
            )
        problems = [p.strip() for p in facts.pop("problems") if p and p.strip()]
        if not problems:
            raise InvalidInput("a notice lists the problems to rectify", "problems")
        notice_ref = _text(
            facts.pop("notice_ref"), "the notice's number (整改通知文号)", "notice_ref"
        )
        return cls(act=act, problems=tuple(problems), notice_ref=notice_ref, **facts)

    def overdue(self, today: date) -> bool:
        """届满 includes the due date: overdue from the day after, while unanswered."""
        return self.status == NoticeStatus.OPEN and today > self.due

    # --- the department answers ----------------------------------------------------------

    def respond(self, act: Act, response: str, on: date) -> None:
        actor = act.actor
        if actor.role not in SPENDING_ROLES:
            raise NotPermitted("the department (or its unit) answers a rectification notice")
        own = {str(self.department_id)} | ({str(self.unit_id)} if self.unit_id else set())
        if actor.organisation_id not in own:
            raise NotPermitted("you may answer only your own department's notices")
        if self.status != NoticeStatus.OPEN:
            raise InvalidTransition(f"the notice is {self.status.value}, not awaiting an answer")
        text = _text(response, "the written answer (书面反馈)", "response")
        if not act.evidence:
            raise InvalidInput("a written answer attaches its evidence", "evidence")
        self._reported(act=act, object_id=self.object_id, response=text, on=on, late=on > self.due)

    @event("RectificationReported", topic="jixiao:RectificationNotice.RectificationReported")
    def _reported(self, act: Act, object_id: UUID, response: str, on: date, late: bool) -> None:
        self.status = NoticeStatus.RESPONDED
        self.responded_by = act.actor.person_id

    # --- the business section follows up ------------------------------------------------

    def _require_follow_up(self, act: Act) -> None:
        actor = act.actor
        if actor.role != Role.BUSINESS_SECTION:
            raise NotPermitted("the business section (业务股室) verifies rectification")
        if self.supervisor_id is not None and actor.organisation_id != str(self.supervisor_id):
            raise NotPermitted(
                "only the department's supervising business section (归口) follows up"
            )
        if actor.person_id == self.responded_by:
            raise SegregationOfDuties("segregation of duties: you wrote the answer being verified")
        if self.status != NoticeStatus.RESPONDED:
            raise InvalidTransition(
                f"only an answered notice is verified or rejected (now {self.status.value})"
            )

    def verify(self, act: Act, comments: str | None, lifted: tuple[UUID, ...]) -> None:
        self._require_follow_up(act)
        self._verified(act=act, object_id=self.object_id, comments=comments, lifted=lifted)

    @event("RectificationVerified", topic="jixiao:RectificationNotice.RectificationVerified")
    def _verified(
        self, act: Act, object_id: UUID, comments: str | None, lifted: tuple[UUID, ...]
    ) -> None:
        self.status = NoticeStatus.VERIFIED

    def reject(self, act: Act, comments: str | None) -> None:
        self._require_follow_up(act)
        text = _text(comments, "a rejection's comments (what is still missing)", "comments")
        self._rejected(act=act, object_id=self.object_id, comments=text)

    @event("RectificationRejected", topic="jixiao:RectificationNotice.RectificationRejected")
    def _rejected(self, act: Act, object_id: UUID, comments: str) -> None:
        self.status = NoticeStatus.OPEN
        self.responded_by = None


class DepartmentRectifications(Aggregate):
    """Which of a department's notices are not yet verified: what Nanchang's rule asks."""

    TOPIC = "jixiao:DepartmentRectifications"  # the stored name: fixed, whatever module holds it

    class Created(Aggregate.Created):  # explicit topics ask it of every class; never recorded
        TOPIC = "jixiao:DepartmentRectifications.Created"

    @staticmethod
    def create_id(department_id: UUID) -> UUID:
        return uuid5(NAMESPACE, f"rectifications:{department_id}")

    @event(
        "RectificationRegisterOpened",
        topic="jixiao:DepartmentRectifications.RectificationRegisterOpened",
    )
    def __init__(self, act: Act, department_id: UUID) -> None:
        self.department_id = department_id
        self.unsettled: dict[str, str] = {}  # notice id → notice ref

    def list_notice(self, act: Act, notice: RectificationNotice) -> None:
        self._listed(act=act, notice_id=notice.id, notice_ref=notice.notice_ref)

    @event("NoticeListed", topic="jixiao:DepartmentRectifications.NoticeListed")
    def _listed(self, act: Act, notice_id: UUID, notice_ref: str) -> None:
        self.unsettled[str(notice_id)] = notice_ref

    def settle(self, act: Act, notice: RectificationNotice) -> None:
        self._settled(act=act, notice_id=notice.id)

    @event("NoticeSettled", topic="jixiao:DepartmentRectifications.NoticeSettled")
    def _settled(self, act: Act, notice_id: UUID) -> None:
        self.unsettled.pop(str(notice_id), None)
