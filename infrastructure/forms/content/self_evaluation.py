"""The self-evaluation form (项目支出绩效自评表) of a submitted self-evaluation: money and
budget execution in 万元 with its 分值/得分, each indicator's target, actual, points and
score as recorded, the 一级 rows with their points, and 总分. Read back, only what the
department enters is taken (全年预算数, 全年执行数, 实际完成值, 偏差原因, and under the
national `bands` rule a 定性 row's 得分: the score it states inside its grade's band);
every other point and score is the policy's to compute, never typed (a 得分 cell of a
numeric row, or of a 定性 row under `fixed_percentages`, is not read)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from domain.comparators import PRINTED
from domain.evaluation.model import SelfEvaluation
from domain.evaluation.scoring import IndicatorActual, ScoredRow
from domain.evaluation.scoring_rules import ScoringRules
from domain.ledger import Ledger
from domain.objects.model import PerformanceObject
from infrastructure.forms.content.header import organisation_name, year_line
from infrastructure.forms.content.levels import level1_label, level2_label
from infrastructure.forms.content.targets import levels_of, printed_target
from infrastructure.forms.sheet.data import FormData
from infrastructure.forms.sheet.reader import ReadForm, ReadRow
from infrastructure.forms.sheet.values import (
    CellError,
    Problem,
    indicator_number,
    text_of,
    wan_of_yuan,
)


def _printed(row: ScoredRow) -> str:
    if row.comparator == "qualitative":
        return row.target
    if row.comparator == "range":
        return f"{PRINTED['range']}{row.target}{row.unit}"
    return f"{PRINTED[row.comparator]}{row.target[len(row.comparator) :]}{row.unit}"


def self_evaluation_data(
    ledger: Ledger, evaluation: SelfEvaluation, obj: PerformanceObject
) -> FormData:
    s = evaluation.scoring
    points = {lv.level: lv.points for lv in s.levels}
    rows = [
        {
            "level1": level1_label(r.level1, points.get(r.level1)),
            "level2": level2_label(r.level2),
            "name": r.name,
            "target": _printed(r),
            "actual": r.grade if r.actual is None else r.actual,
            "points": r.points,
            "score": r.score,
            "deviation_cause": r.deviation_cause or None,
        }
        for r in s.rows
    ]
    initial = obj.approved_amount if obj.approved_amount is not None else obj.amount
    return FormData(
        cells={
            "year_line": year_line(evaluation.fiscal_year),
            "project_name": obj.name,
            "department": organisation_name(ledger, obj.department_id),
            "unit": organisation_name(ledger, obj.unit_id),
        },
        money={
            ("total", "initial"): wan_of_yuan(initial),
            ("total", "budget"): wan_of_yuan(s.budget_amount),
            ("total", "executed"): wan_of_yuan(s.executed_amount),
            ("total", "points"): s.execution_points,
            ("total", "rate"): f"{(s.execution_rate * 100).normalize():f}%",
            ("total", "score"): s.execution_score,
        },
        rows=rows,
        total={"points": s.execution_points + sum(lv.points for lv in s.levels), "score": s.total},
    )


def blank_self_evaluation_data(ledger: Ledger, obj: PerformanceObject) -> FormData:
    """The form to fill before a self-evaluation exists: the goal's indicators and targets,
    the approved budget; actuals, points and scores left for the department and the policy."""
    budget = obj.approved_amount if obj.approved_amount is not None else obj.amount
    return FormData(
        cells={
            "year_line": year_line(obj.fiscal_year),
            "project_name": obj.name,
            "department": organisation_name(ledger, obj.department_id),
            "unit": organisation_name(ledger, obj.unit_id),
        },
        money={("total", "initial"): wan_of_yuan(budget), ("total", "budget"): wan_of_yuan(budget)},
        rows=[
            {
                "level1": level1_label(i.level1, None),
                "level2": level2_label(i.level2),
                "name": i.name,
                "target": printed_target(i),
            }
            for i in obj.indicators
        ],
    )


@dataclass
class SelfEvaluationForm:
    actuals: list[IndicatorActual]
    budget_amount: Decimal | None
    executed_amount: Decimal | None


def read_self_evaluation(
    obj: PerformanceObject, rules: ScoringRules, form: ReadForm
) -> SelfEvaluationForm:
    """`rules`: the policy's scoring, whose grades are the words for a qualitative
    indicator's result (达成年度指标 … under `bands`, 达成预期 … under fixed percentages)."""
    grades = rules.grades
    problems = form.problems
    name = form.cells["project_name"]
    if text_of(name.value) != obj.name:
        problems.append(name.problem(f"项目名称 {text_of(name.value)!r} is not {obj.name!r}"))
    budget = form.amount(("total", "budget"), "全年预算数")
    executed = form.amount(("total", "executed"), "全年执行数")
    goal = {(i.level1, i.level2, i.name): i for i in obj.indicators}
    actuals: list[IndicatorActual] = []
    seen = set()
    for row in form.rows:
        levels = levels_of(row, problems)
        if levels is None:
            continue
        key = (*levels, row.value("name"))
        if key not in goal:
            problems.append(row.cells["name"].problem(f"{'/'.join(key)} is not a goal indicator"))
            continue
        if key in seen:
            problems.append(row.cells["name"].problem(f"{key[2]!r} is listed twice"))
            continue
        seen.add(key)
        cell, cause = row.cells["actual"], row.value("deviation_cause")
        fields: dict = {"deviation_cause": None if cause is None else text_of(cause)}
        if cell.value is None:
            problems.append(cell.problem("实际完成值 is required"))
            continue
        if goal[key].comparator == "qualitative":
            if text_of(cell.value) not in grades:
                problems.append(cell.problem(f"实际完成值 of a 定性 indicator is one of {grades}"))
                continue
            fields["grade"] = text_of(cell.value)
            if rules.qualitative == "bands":
                score = _stated_score(row, fields["grade"], problems)
                if score is None:
                    continue
                fields["score"] = score
        else:
            try:
                fields["actual"] = indicator_number(cell.value)
            except CellError as e:
                problems.append(cell.problem(f"实际完成值: {e}"))
                continue
        actuals.append(IndicatorActual(*key, **fields))
    missing = [k[2] for k in goal if k not in seen]
    if missing:
        problems.append(Problem(form.sheet, None, None, f"goal indicators missing: {missing}"))
    return SelfEvaluationForm(actuals, budget, executed)


def _stated_score(row: ReadRow, grade: str, problems: list[Problem]) -> Decimal | None:
    """The 得分 a department states for a 定性 row under the band rule (the policy checks
    it lies inside the grade's band)."""
    cell = row.cells["score"]
    if cell.value is None:
        problems.append(cell.problem(f"得分: state the score within the band of {grade}"))
        return None
    try:
        return indicator_number(cell.value)
    except CellError as e:
        problems.append(cell.problem(f"得分: {e}"))
        return None
