"""A goal form imported: submitted when there is no goal, resubmitted when it was returned,
an application to adjust (调整, with a reason; the file is its document) when approved and
changed. A goal under review, reviewed or rejected is not changed by a form (it is changed
once returned); a form equal to the goal in force is "unchanged". The amount is the
object's: before approval a form may not change it; after, a changed amount is part of the
application to adjust.

A form does not carry the library entry a row was drafted from (LibraryRef). A row naming
an indicator of the goal on record (一级/二级/三级) that was drafted from an entry stays
drafted from it while it says what the entry says (计算符号, 计量单位): the entry is passed
to the command as `library_entries`, so the library's check runs again as over the API
(the entry still current, in force, available to the department; the version read now).
An entry that no longer passes refuses the form at the row's 三级指标 cell. A row whose
计算符号 or 计量单位 the form changed is no longer the entry's (a drafted row keeps them):
its reference is dropped and it becomes the department's own indicator, as an API row sent
without library_entry_id; the dry run shows it (library null)."""

from __future__ import annotations

from dataclasses import replace
from uuid import UUID

from domain.errors import InvalidInput
from domain.indicators import Indicator, validated_indicators
from domain.ledger import Ledger
from domain.library.cases import DRAFTED_FIELDS
from domain.objects.model import GoalStatus, PerformanceObject
from domain.values import Act
from infrastructure.forms.content.goal import amount_key, form_of, goal_amount, read_goal
from infrastructure.forms.importing.plan import UNCHANGED, Plan
from infrastructure.forms.importing.reading import read_upload
from infrastructure.forms.sheet.reader import ReadForm
from infrastructure.forms.sheet.values import Problem, wan_of_yuan
from infrastructure.forms.templates.registry import TemplateRegistry

# Goal statuses in which a changed form runs a command (submit, resubmit, adjust).
COMMANDED = (GoalStatus.NONE, GoalStatus.RETURNED, GoalStatus.APPROVED)


def _drafted_from(
    rows: list[Indicator], held: tuple[Indicator, ...]
) -> tuple[tuple[Indicator, ...], list[UUID | None]]:
    """Each row with the reference of the goal's row it names, while it still says what
    that row's entry says; and the entry ids for the library's check."""
    drafted = {(i.level1, i.level2, i.name): i for i in held if i.library is not None}
    kept: list[Indicator] = []
    entries: list[UUID | None] = []
    for row in rows:
        was = drafted.get((row.level1, row.level2, row.name))
        if was is not None and all(
            _said(getattr(row, f), f) == _said(getattr(was, f), f) for f in DRAFTED_FIELDS
        ):
            kept.append(replace(row, library=was.library))
            entries.append(was.library.entry_id)
        else:
            kept.append(replace(row, library=None))
            entries.append(None)
    return tuple(kept), entries


def _said(value: str, field: str) -> str:
    return value.strip() if field == "unit" else value


def _checked_by_library(
    ledger: Ledger, obj: PerformanceObject, form: ReadForm, indicators, entries
) -> tuple[tuple[Indicator, ...], Problem | None]:
    """The rows as the library drafts them now (the version read now), or its refusal at
    the row's 三级指标 cell; checked at planning so a dry run shows it (the command checks
    again when it runs)."""
    try:
        return tuple(ledger.library.drafted(obj, indicators, entries)), None
    except InvalidInput as e:
        parts = (e.field or "").split(".")  # indicators.<i>.library_entry_id
        name = indicators[int(parts[1])].name if len(parts) > 1 and parts[1].isdigit() else None
        row = next((r for r in form.rows if r.value("name") == name), None)
        if row is None:
            return indicators, Problem(form.sheet, None, None, e.detail)
        message = f"{name!r} was drafted from the library: {e.detail}"
        return indicators, row.cells["name"].problem(message)


def plan_goal(
    ledger: Ledger,
    registry: TemplateRegistry,
    act: Act,
    object_id: UUID,
    data: bytes,
    expected_version: int | None,
) -> Plan:
    obj = ledger.load(PerformanceObject, object_id, expected_version)
    form, plan = read_upload(registry, form_of(obj), obj.mof_div_code, obj.fiscal_year, data)
    if form is None:
        return plan
    goal = read_goal(ledger, obj, form)
    plan.problems.extend(form.problems)
    amount_cell = form.money[amount_key(plan.form)]
    indicators, entries = _drafted_from(goal.indicators, obj.indicators)
    status, held = obj.goal_status, goal_amount(obj)
    changed = indicators != obj.indicators or goal.amount != held
    if changed and not plan.problems and status in COMMANDED:
        indicators, problem = _checked_by_library(ledger, obj, form, indicators, entries)
        if problem is not None:
            plan.problems.append(problem)
    rows = {r.value("name"): r.row for r in form.rows}
    for indicator in indicators:
        plan.row(rows.get(indicator.name), indicator)
    if plan.problems:
        return plan
    try:
        validated_indicators(indicators)
    except InvalidInput as e:
        plan.refuse(e.detail)
        return plan
    amount_changed = goal.amount != held
    plan.row(amount_cell.row, {"amount": goal.amount})
    if not changed:
        plan.action = UNCHANGED
        return plan
    if status in (GoalStatus.NONE, GoalStatus.RETURNED):
        if amount_changed:
            plan.problems.append(
                amount_cell.problem(
                    f"年度资金总额 is the object's registered amount ({wan_of_yuan(held)} 万元); "
                    "a goal form does not change it"
                )
            )
            return plan
        plan.action = "submit_goal"
        plan.command = lambda: ledger.goals.submit_goal(
            act, object_id, list(indicators), expected_version, library_entries=entries
        )
    elif status == GoalStatus.APPROVED:
        if not plan.reason_given(
            act, "the goal is approved: a changed form is an application to adjust it (调整)"
        ):
            return plan
        plan.action = "apply_goal_adjustment"
        plan.command = lambda: ledger.goals.apply_goal_adjustment(
            act,
            object_id,
            list(indicators),
            goal.amount if amount_changed else None,
            expected_version,
            library_entries=entries,
        )
    else:
        plan.refuse(
            f"the goal is {status.value}: a form that changes it is imported once it is "
            "returned for revision (or, once approved, as an application to adjust)"
        )
    return plan
