"""A goal form imported: submitted when there is no goal, resubmitted when it was returned,
an application to adjust (调整, with a reason; the file is its document) when approved and
changed. A goal under review, reviewed or rejected is not changed by a form (it is changed
once returned); a form equal to the goal in force is "unchanged". The amount is the
object's: before approval a form may not change it; after, a changed amount is part of the
application to adjust."""

from __future__ import annotations

from dataclasses import replace
from uuid import UUID

from domain.errors import InvalidInput
from domain.indicators import Indicator, validated_indicators
from domain.ledger import Ledger
from domain.objects.model import GoalStatus, PerformanceObject
from domain.values import Act
from infrastructure.forms.content.goal import amount_key, form_of, goal_amount, read_goal
from infrastructure.forms.importing.plan import UNCHANGED, Plan
from infrastructure.forms.importing.reading import read_upload
from infrastructure.forms.sheet.values import wan_of_yuan
from infrastructure.forms.templates.registry import TemplateRegistry


def _with_library_refs(rows: list[Indicator], held: tuple[Indicator, ...]) -> tuple[Indicator, ...]:
    """A form does not carry the library entry a row was drafted from: a row naming the
    same indicator as the goal keeps its reference."""
    refs = {(i.level1, i.level2, i.name): i.library for i in held}
    return tuple(replace(i, library=refs.get((i.level1, i.level2, i.name))) for i in rows)


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
    indicators = _with_library_refs(goal.indicators, obj.indicators)
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
    held = goal_amount(obj)
    amount_changed = goal.amount != held
    plan.row(amount_cell.row, {"amount": goal.amount})
    if indicators == obj.indicators and not amount_changed:
        plan.action = UNCHANGED
        return plan
    status = obj.goal_status
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
            act, object_id, list(indicators), expected_version
        )
    elif status == GoalStatus.APPROVED:
        if not (act.reason and act.reason.strip()):
            plan.refuse(
                "the goal is approved: a changed form is an application to adjust it (调整), "
                "which states its reason (?reason=)"
            )
            return plan
        plan.action = "apply_goal_adjustment"
        plan.command = lambda: ledger.goals.apply_goal_adjustment(
            act,
            object_id,
            list(indicators),
            goal.amount if amount_changed else None,
            expected_version,
        )
    else:
        plan.refuse(
            f"the goal is {status.value}: a form that changes it is imported once it is "
            "returned for revision (or, once approved, as an application to adjust)"
        )
    return plan
