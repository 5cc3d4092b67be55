"""The whole set checked before anything is recorded: the plan's organisations, objects,
goals, tasks and entries run through the domain's own rules on aggregates held in memory
(registration, submission, migrated approval, opening a task, validating an entry), and
against what the ledger already holds, so a re-run finds everything recorded and a changed
file is refused rather than silently skipped. Every problem names file, row and column."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from domain import ids
from domain.errors import DomainError, NotFound
from domain.ledger import Ledger
from domain.monitoring.entry import (
    LIKELIHOODS,
    NO_DEVIATION,
    Entry,
    IndicatorProgress,
    validated_entry,
)
from domain.monitoring.model import MonitoringTask, monitoring_task_id
from domain.objects.model import GoalStatus, PerformanceObject
from domain.registry.model import Organisation
from domain.roles import OrgKind, Role
from infrastructure.national.library_import import LibraryChecks
from infrastructure.national.plan import Cite, ObjectPlan, Plan, TaskPlan, level_name
from infrastructure.national.signer import Signer

GOAL_COLUMNS = {
    "name": "pro_name",
    "amount": "apply_amt",
    "last_year_amount": "last_year_amt",
    "kind": "pro_kind",
    "approved_amount": "approved_amt",
    "approval_ref": "approval_doc",
    "indicators": "lv3_perf_ind_name",
}
# Register fields compared with an object already in the ledger: (attribute, column).
SAME = (
    ("name", "pro_name"),
    ("kind", "pro_kind"),
    ("fund_type", "fund_type"),
    ("amount", "apply_amt"),
    ("is_new", "pro_attr"),
    ("last_year_amount", "last_year_amt"),
)


# Which column an entry rule's refusal is about, by the words of the domain's message.
_ENTRY_COLUMNS = (
    ("deviation cause", "ana_dev_reasons"),
    ("likelihood is one of", "complete_rate"),
    ("are required", "est_perf_annual"),
    ("in words", "perf_comp"),
    ("finite", "perf_comp"),
)


def likelihood_of(text: str) -> str | None:
    """确定能 / 有可能 / 完全不可能 (also 1-确定能, the digits alone, or with 完成)."""
    cleaned = text.strip().lstrip("0123456789-、. ").removesuffix("完成") or text.strip()
    if cleaned.isdigit() and 1 <= int(cleaned) <= len(LIKELIHOODS):
        return LIKELIHOODS[int(cleaned) - 1]
    return next((kept for kept in LIKELIHOODS if kept.removesuffix("完成") == cleaned), None)


class _Reported(Exception):
    """A problem already listed: the object is left out, so rows joining it add none."""


class Checker:
    def __init__(self, ledger: Ledger, plan: Plan, signer: Signer) -> None:
        self.ledger, self.plan, self.signer = ledger, plan, signer
        self.orgs: dict[str, Organisation] = {}
        self.objects: dict[str, PerformanceObject] = {}
        self.library = LibraryChecks(ledger, plan, signer, self.orgs)

    def check(self) -> None:
        plan = self.plan
        try:
            self.ledger.registry.jurisdiction(plan.mof_div_code)
        except DomainError as e:
            plan.problem(None, "mof_div_code", e.detail, file="(ledger)")
            return
        for org in sorted(plan.organisations.values(), key=lambda o: o.kind):
            self._organisation(org)
        self.library.check()  # before the goals drafted from the entries
        for op in plan.objects.values():
            self._object(op)
        periods = self.ledger.monitoring.monitoring_schedule(plan.mof_div_code, plan.fiscal_year)
        seen: set[tuple[str, str]] = set()
        for task in plan.tasks.values():
            self._task(task, periods, seen)

    def _organisation(self, org) -> None:
        mof = self.plan.mof_div_code
        parent = self.orgs.get(org.parent) if org.parent else None
        try:
            known = self.ledger.load(Organisation, ids.organisation_id(mof, org.code))
        except NotFound:
            if org.parent and parent is None:
                return  # its department's problem is reported
            act = self.signer.act(Role.ADMINISTRATOR, org.cite)
            self.orgs[org.code] = Organisation.register(
                act, mof, org.code, org.name, org.kind, parent
            )
            return
        expected_parent = parent.id if parent else None
        if known.kind != org.kind or known.parent_id != expected_parent:
            column = "agency_code" if org.kind == OrgKind.UNIT else "dept_code"
            self.plan.problem(org.cite, column, f"{org.code} is {known.name} ({known.kind}) here")
        self.orgs[org.code] = known

    def spending(self, op_or_task, cite: Cite, **kw):
        unit = op_or_task.unit and self.orgs.get(op_or_task.unit)
        if unit:
            return self.signer.act(Role.UNIT_STAFF, cite, unit, **kw)
        return self.signer.act(Role.DEPARTMENT_STAFF, cite, self.orgs[op_or_task.department], **kw)

    def _object(self, op: ObjectPlan) -> None:
        plan = self.plan
        department = self.orgs.get(op.department)
        if department is None or (op.unit and op.unit not in self.orgs):
            return  # the organisation's problem is reported
        oid = ids.performance_object_id(op.mof_div_code, op.fiscal_year, op.pro_code)
        try:
            obj = self.ledger.load(PerformanceObject, oid)
        except NotFound:
            obj = None
        try:
            if obj is None:
                obj = PerformanceObject.register(
                    self.spending(op, op.cite),
                    mof_div_code=op.mof_div_code,
                    fiscal_year=op.fiscal_year,
                    pro_code=op.pro_code,
                    name=op.name,
                    kind=op.kind,
                    department_id=department.id,
                    unit_id=self.orgs[op.unit].id if op.unit else None,
                    fund_type=op.fund_type,
                    amount=op.amount,
                    is_new=op.is_new,
                    last_year_amount=op.last_year_amount,
                )
            else:
                self._same_object(op, obj)
            self._goal(op, obj)
        except _Reported:
            return
        except DomainError as e:
            plan.problem(op.cite, GOAL_COLUMNS.get(e.field or "", e.field), e.detail)
            return
        self.objects[op.pro_code] = obj

    def _same_object(self, op: ObjectPlan, obj: PerformanceObject) -> None:
        for attribute, column in SAME:
            if getattr(op, attribute) != getattr(obj, attribute):
                self.plan.problem(
                    op.cite,
                    column,
                    f"{op.pro_code} is recorded with {attribute} {getattr(obj, attribute)!r}, "
                    f"the file says {getattr(op, attribute)!r} (correct it in jixiao)",
                )
        unit = self.orgs[op.unit].id if op.unit else None
        if (obj.department_id, obj.unit_id) != (self.orgs[op.department].id, unit):
            self.plan.problem(op.cite, "dept_code", f"{op.pro_code} is recorded elsewhere")

    def _goal(self, op: ObjectPlan, obj: PerformanceObject) -> None:
        if op.indicators:
            if obj.goal_status == GoalStatus.NONE:
                rows = self.library.drafted(op, obj)
                if rows is None:
                    raise _Reported  # at the indicator's row
                obj.submit_goal(self.spending(op, op.cite), rows)
            elif not self.library.same_goal(op, obj):
                self.plan.problem(
                    op.cite, "pro_code", f"{op.pro_code}'s goal is recorded with other indicators"
                )
        elif op.approved_amount is not None:
            self.plan.problem(op.cite, "approved_amt", "an approved goal needs its indicators")
            return
        if op.approved_amount is None:
            return
        if obj.goal_status == GoalStatus.APPROVED:
            if obj.approved_amount != op.approved_amount:
                self.plan.problem(
                    op.cite, "approved_amt", f"approved here at {obj.approved_amount}"
                )
            return
        obj.approve_goal(
            self.signer.act(Role.BUDGET_SECTION, op.cite), op.approved_amount, op.approval_ref
        )

    def _task(self, task: TaskPlan, periods, seen: set[tuple[str, str]]) -> None:
        plan, (policy, schedule) = self.plan, periods
        obj = self.objects.get(task.pro_code)
        if obj is None:
            oid = ids.performance_object_id(plan.mof_div_code, plan.fiscal_year, task.pro_code)
            try:
                obj = self.ledger.load(PerformanceObject, oid)
            except NotFound:
                if task.pro_code not in plan.objects and task.pro_code not in plan.unreadable:
                    plan.problem(task.cite, "pro_code", f"no object {task.pro_code}")
                return
        dept = ids.organisation_id(plan.mof_div_code, task.department)
        unit = ids.organisation_id(plan.mof_div_code, task.unit) if task.unit else None
        if (dept, unit) != (obj.department_id, obj.unit_id):
            plan.problem(task.cite, "agency_code", f"not the organisation of {task.pro_code}")
            return
        period = next((p for p in schedule if p.as_of == task.as_of), None)
        if period is None:
            dates = ", ".join(p.as_of.isoformat() for p in schedule)
            plan.problem(
                task.cite,
                "data_end_date",
                f"not a monitoring period of {policy.policy_id} v{policy.version} ({dates})",
            )
            return
        if (task.pro_code, period.code) in seen:
            plan.problem(task.cite, "data_end_date", f"{task.pro_code} has two tasks this period")
            return
        seen.add((task.pro_code, period.code))
        task.period_code, task.object_id = period.code, obj.id
        try:
            existing = self.ledger.load(MonitoringTask, monitoring_task_id(obj.id, period.code))
        except NotFound:
            existing = None
        if existing is not None and existing.mode != task.mode:
            plan.problem(task.cite, "perf_type_code", f"the task is recorded as {existing.mode}")
            return
        if existing is None:
            role = Role.PERFORMANCE_SECTION if task.mode == "finance_key" else Role.BUSINESS_SECTION
            try:
                MonitoringTask.open(
                    self.signer.act(role, task.cite), obj, period, task.mode, Decimal(0), policy.ref
                )
            except DomainError as e:
                plan.problem(task.cite, "pro_code", e.detail)
                return
        if task.info:
            task.entry = EntryReader(self, task, obj).entry()
            if task.entry and existing is not None and existing.entry not in (None, task.entry):
                cite, column = _first_difference(task, existing.entry)
                plan.problem(cite, column, "the entry is recorded with other figures (correct it)")


def _first_difference(task: TaskPlan, recorded: Entry) -> tuple[Cite, str]:
    """Where a task's rows first differ from the entry the ledger holds."""
    first, entry = task.info[0][0], task.entry
    if entry.budget_executed != recorded.budget_executed:
        return first, "pro_bgt_comp"
    if entry.budget_forecast != recorded.budget_forecast:
        return first, "est_pro_bgt_annual"
    held = {row.name: row for row in recorded.indicators}
    for (cite, _), row in zip(task.info, entry.indicators, strict=True):
        if held.get(row.name) != row:
            return cite, "perf_comp"
    return first, "lv3_perf_ind_name"


class EntryReader:
    """A task's PAY_PERF_MONITOR_INFO rows as one entry, each row checked by the domain's
    entry rules against its own indicator, then the whole against the goal."""

    def __init__(self, checker: Checker, task: TaskPlan, obj: PerformanceObject) -> None:
        self.plan, self.task, self.obj = checker.plan, task, obj
        self.probe = checker.signer.act(
            Role.PERFORMANCE_SECTION, task.cite, business_date=task.as_of
        )

    def entry(self) -> Entry | None:
        first, v0 = self.task.info[0]
        executed, forecast = v0["pro_bgt_comp"], v0["est_pro_bgt_annual"]
        ok = executed is not None and forecast is not None
        for cite, v in self.task.info[1:]:
            if (v["pro_bgt_comp"], v["est_pro_bgt_annual"]) != (executed, forecast):
                self.plan.problem(cite, "pro_bgt_comp", "differs from the task's first row")
                ok = False
        rows = [self._row(cite, v) for cite, v in self.task.info]
        if not ok or None in rows:
            return None
        names = [r.name for r in rows]
        missing = [t.name for t in self.obj.indicators if t.name not in names]
        twice = {n for n in names if names.count(n) > 1}
        if missing or twice:
            what = f"missing {missing}" if missing else f"twice: {sorted(twice)}"
            self.plan.problem(first, "lv3_perf_ind_name", f"each indicator once; {what}")
            return None
        try:
            return validated_entry(
                self.probe,
                Entry(executed, forecast, tuple(rows)),
                self.obj.indicators,
                self.obj.fiscal_year,
            )
        except DomainError as e:
            self.plan.problem(first, "est_pro_bgt_annual", e.detail)
            return None

    def _row(self, cite: Cite, v: dict) -> IndicatorProgress | None:
        target = next((t for t in self.obj.indicators if t.name == v["lv3_perf_ind_name"]), None)
        if target is None:
            self.plan.problem(cite, "lv3_perf_ind_name", "not an indicator of the goal")
            return None
        if (level_name(v["lv1_perf_ind_name"]), level_name(v["lv2_perf_ind_name"])) != (
            target.level1,
            target.level2,
        ):
            self.plan.problem(
                cite, "lv2_perf_ind_name", f"the goal has it under {target.level1}/{target.level2}"
            )
            return None
        likelihood = likelihood_of(v["complete_rate"])
        if likelihood is None:
            self.plan.problem(cite, "complete_rate", "确定能, 有可能 or 完全不可能")
            return None
        common = dict(
            name=target.name,
            likelihood=likelihood,
            deviation_cause=v.get("ana_dev_reasons") or NO_DEVIATION,
            corrective_measures=v.get("correct_measures") or "",
        )
        if target.comparator == "qualitative":
            row = IndicatorProgress(qualitative_actual=v["perf_comp"], **common)
        else:
            try:
                actual = Decimal(v["perf_comp"].replace(",", ""))
            except InvalidOperation:
                self.plan.problem(cite, "perf_comp", f"{v['perf_comp']!r} is not a number")
                return None
            row = IndicatorProgress(actual=actual, forecast=v["est_perf_annual"], **common)
        try:
            checked = validated_entry(
                self.probe, Entry(Decimal(0), Decimal(0), (row,)), (target,), self.obj.fiscal_year
            )
        except DomainError as e:
            column = next(
                (c for words, c in _ENTRY_COLUMNS if words in e.detail), "ana_dev_reasons"
            )
            self.plan.problem(cite, column, e.detail)
            return None
        return checked.indicators[0]
