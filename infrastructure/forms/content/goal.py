"""The goal forms: 项目支出绩效目标申报表 for a project (and the kinds declared like one)
and 部门整体支出绩效目标表 for a department's overall spending (kind department_overall).
Both print the goal's indicators in force with their weights, totalled, and the object's
amount in 万元 (the approved amount once approved); what jixiao does not hold (项目期,
中期资金, 总体目标 wording, 年度主要任务) prints "—" and is not read back."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from domain.indicators import Indicator
from domain.ledger import Ledger
from domain.objects.model import PerformanceObject
from infrastructure.forms.content.header import organisation_name, organisation_of, year_line
from infrastructure.forms.content.levels import level1_label, level2_label
from infrastructure.forms.content.targets import indicator_cells, indicator_of
from infrastructure.forms.sheet.data import FormData
from infrastructure.forms.sheet.reader import ReadForm
from infrastructure.forms.sheet.values import Problem, wan_of_yuan


def form_of(obj: PerformanceObject) -> str:
    return "department_goal" if obj.kind == "department_overall" else "goal"


def amount_key(form: str) -> tuple[str, str]:
    """Where the annual amount is in the money block: (row field, column field)."""
    return ("annual", "total") if form == "department_goal" else ("total", "annual")


def goal_amount(obj: PerformanceObject) -> Decimal:
    return obj.approved_amount if obj.approved_amount is not None else obj.amount


def indicator_rows(indicators: tuple[Indicator, ...]) -> list[dict]:
    weights: dict[str, Decimal] = defaultdict(Decimal)
    for i in indicators:
        weights[i.level1] += i.weight
    return [
        {
            "level1": level1_label(i.level1, weights[i.level1]),
            "level2": level2_label(i.level2),
            "name": i.name,
            **indicator_cells(i),
        }
        for i in indicators
    ]


def goal_data(ledger: Ledger, obj: PerformanceObject) -> FormData:
    department = organisation_of(ledger, obj.department_id)
    amount = wan_of_yuan(goal_amount(obj))
    data = FormData(rows=indicator_rows(obj.indicators))
    data.total = {"weight": sum((i.weight for i in obj.indicators), Decimal(0)) or None}
    if form_of(obj) == "department_goal":
        data.cells = {"year_line": year_line(obj.fiscal_year), "department": department.name}
        data.money = {amount_key("department_goal"): amount}
    else:
        data.cells = {
            "year_line": year_line(obj.fiscal_year),
            "project_name": obj.name,
            "attribute": "新增" if obj.is_new else "延续",
            "department": f"{department.name}（{department.code}）",
            "unit": organisation_name(ledger, obj.unit_id),
        }
        data.money = {amount_key("goal"): amount}
    return data


@dataclass
class GoalForm:
    """What a filled goal form says: the indicators and the annual amount in yuan."""

    indicators: list[Indicator]
    amount: Decimal | None


def read_goal(ledger: Ledger, obj: PerformanceObject, form: ReadForm) -> GoalForm:
    """The goal a filled form states; problems go to form.problems."""
    problems = form.problems
    _check_identity(ledger, obj, form, problems)
    amount = form.amount(amount_key(form.template.form), "年度资金总额")
    indicators = [i for i in (indicator_of(row, problems) for row in form.rows) if i is not None]
    if not form.rows:
        problems.append(Problem(form.sheet, None, None, "the form lists no indicator"))
    return GoalForm(indicators, amount)


def _check_identity(ledger: Ledger, obj: PerformanceObject, form: ReadForm, problems) -> None:
    """The form must be this object's: the project name (or, on the department form, the
    department's name) as the ledger holds it."""
    if form.template.form == "department_goal":
        cell, expected = form.cells["department"], organisation_of(ledger, obj.department_id).name
        what = "部门（单位）名称"
    else:
        cell, expected, what = form.cells["project_name"], obj.name, "项目名称"
    found = "" if cell.value is None else str(cell.value).strip()
    if found != expected:
        problems.append(
            cell.problem(f"{what} {found!r} is not the object imported into ({expected!r})")
        )
