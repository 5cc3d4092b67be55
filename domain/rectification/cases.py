"""Use cases of rectification (整改) and of the holiday tables its deadlines count with.

Where the jurisdiction's policy says so (Nanchang, 洪财绩〔2022〕4号 二(二)7: 没有整改……
不得批复或下达预算), a department with a notice not yet verified cannot have goals approved.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from domain.business_dates import today_in_china
from domain.calendar.holiday_table import HolidayDays, HolidayTable, holiday_table_id
from domain.calendar.working_days import Deadline
from domain.errors import AlreadyExists, InvalidInput, NotFound
from domain.ledger_core import LedgerCore, Outcome
from domain.objects.model import PerformanceObject
from domain.rectification.model import DepartmentRectifications, RectificationNotice
from domain.registry.model import Organisation
from domain.results.cases import save_together
from domain.results.funding_block import FundingBlock, funding_block_id
from domain.values import Act


class RectificationCases:
    def __init__(self, store: LedgerCore) -> None:
        self.store = store

    # --- working days -------------------------------------------------------------------

    def holiday_days(self, year: int) -> HolidayDays | None:
        try:
            return self.store.load(HolidayTable, holiday_table_id(year)).days()
        except NotFound:
            return None

    def working_day_deadline(self, start: date, days: int) -> Deadline:
        """start + days official working days, by the ledger's calendar; a calendar that
        can use loaded holiday tables (`with_tables`) is given them."""
        bind = getattr(self.store.calendar, "with_tables", None)
        calendar = bind(self.holiday_days) if bind else self.store.calendar
        return calendar.add_working_days(start, days)

    def load_holiday_table(
        self,
        act: Act,
        year: int,
        holidays: list[date],
        workdays: list[date],
        document: str,
        expected_version: int | None = None,
    ) -> Outcome:
        try:
            table = self.store.load(HolidayTable, holiday_table_id(year), expected_version)
        except NotFound:
            return self.store._save(
                HolidayTable.load(act, year, holidays, workdays, document), conflict=AlreadyExists
            )
        table.replace(act, holidays, workdays, document)
        return self.store._save(table)

    # --- notices ------------------------------------------------------------------------

    def _register(self, act: Act, department_id: UUID) -> DepartmentRectifications:
        try:
            return self.store.load(
                DepartmentRectifications, DepartmentRectifications.create_id(department_id)
            )
        except NotFound:
            return DepartmentRectifications(act=act, department_id=department_id)

    def issue_rectification(
        self,
        act: Act,
        object_id: UUID,
        notice_ref: str,
        problems: list[str],
        evaluation_id: UUID | None = None,
    ) -> Outcome:
        obj = self.store.load(PerformanceObject, object_id)
        if evaluation_id is not None:
            try:
                evaluation = self.store.repository.get(evaluation_id)
            except AggregateNotFoundError:
                evaluation = None
            if getattr(evaluation, "object_id", None) != obj.id:
                raise InvalidInput("evaluation_id is an evaluation of this object", "evaluation_id")
        policy = self.store.policies.for_jurisdiction(obj.mof_div_code, obj.fiscal_year)
        days = int(policy.section("rectification")["deadline_working_days"])
        issued_on = act.business_date or today_in_china()
        deadline = self.working_day_deadline(issued_on, days)
        try:
            block = self.store.load(FundingBlock, funding_block_id(obj.mof_div_code, obj.pro_code))
            blocks = (block.id,) if block.active else ()
        except NotFound:
            blocks = ()
        notice = RectificationNotice.issue(
            act,
            object_id=obj.id,
            mof_div_code=obj.mof_div_code,
            fiscal_year=obj.fiscal_year,
            pro_code=obj.pro_code,
            department_id=obj.department_id,
            unit_id=obj.unit_id,
            supervisor_id=self.store.load(Organisation, obj.department_id).supervisor_id,
            notice_ref=notice_ref,
            problems=list(problems),
            evaluation_id=evaluation_id,
            funding_block_ids=blocks,
            issued_on=issued_on,
            working_days=days,
            due=deadline.due,
            calendar=deadline.calendar,
            policy=policy.ref,
        )
        if self._exists(notice.id):
            raise AlreadyExists("a notice with this number was already issued", "notice_ref")
        register = self._register(act, obj.department_id)
        register.list_notice(act, notice)
        return save_together(self.store, notice, register, conflict=AlreadyExists)

    def _exists(self, aggregate_id: UUID) -> bool:
        try:
            self.store.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return False
        return True

    def respond_rectification(
        self, act: Act, notice: UUID, response: str, expected_version: int | None = None
    ) -> Outcome:
        rectification = self.store.load(RectificationNotice, notice, expected_version)
        rectification.respond(act, response, act.business_date or today_in_china())
        return self.store._save(rectification)

    def verify_rectification(
        self, act: Act, notice: UUID, comments: str | None, expected_version: int | None = None
    ) -> Outcome:
        rectification = self.store.load(RectificationNotice, notice, expected_version)
        blocks = [self.store.load(FundingBlock, b) for b in rectification.funding_block_ids]
        lifting = [b for b in blocks if b.active]
        rectification.verify(act, comments, tuple(b.id for b in lifting))
        for block in lifting:
            block.lift(act, rectification.id)
        register = self._register(act, rectification.department_id)
        register.settle(act, rectification)
        return save_together(self.store, rectification, register, *lifting)

    def reject_rectification(
        self, act: Act, notice: UUID, comments: str | None, expected_version: int | None = None
    ) -> Outcome:
        rectification = self.store.load(RectificationNotice, notice, expected_version)
        rectification.reject(act, comments)
        return self.store._save(rectification)

    # --- Nanchang's rule ----------------------------------------------------------------

    def unrectified_departments_gate(self, obj) -> list[str]:
        """An approval gate where the policy says so: the department has notices unsettled."""
        policy = self.store.policies.for_jurisdiction(obj.mof_div_code, obj.fiscal_year)
        rule = policy.section("rectification")
        if not rule.get("blocks_budget_approval"):
            return []
        try:
            register = self.store.load(
                DepartmentRectifications, DepartmentRectifications.create_id(obj.department_id)
            )
        except NotFound:
            return []
        if not register.unsettled:
            return []
        refs = "、".join(sorted(register.unsettled.values()))
        p = policy.ref
        return [
            f"部门有未整改到位或未书面反馈的整改通知 {refs}，不予批复预算 (department has "
            f"unrectified notices; policy {p.policy_id} v{p.version} {p.document})"
        ]
