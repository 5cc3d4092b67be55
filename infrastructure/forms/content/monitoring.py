"""The monitoring form (绩效运行监控表) of one task: money to date and the full-year
forecast in 万元, and per goal indicator the actual to date, the forecast, the likelihood
(√ columns, or a coded cell in Hefei's layout) and the deviation's cause and measures.

A cause is ticked in the layout's 偏差原因 √ columns when it is made of those categories
in their printed order ("经费保障、人员保障"); any other wording ticks 其他 and is written
in 偏差原因说明. Read back, 说明 wins, else the ticked categories joined by "、"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from domain.ledger import Ledger
from domain.monitoring.entry import NO_DEVIATION, Entry, IndicatorProgress
from domain.monitoring.model import MODES, MonitoringTask
from domain.objects.model import PerformanceObject
from infrastructure.forms.content.goal import indicator_rows
from infrastructure.forms.content.header import organisation_name
from infrastructure.forms.sheet.data import FormData
from infrastructure.forms.sheet.reader import ReadForm, ReadRow
from infrastructure.forms.sheet.values import (
    CellError,
    Problem,
    date_of,
    indicator_number,
    text_of,
    wan_of_yuan,
)
from infrastructure.forms.templates.layout import Template

OTHER = "其他"
_SEP = "、"


def _categories(template: Template) -> list[str]:
    group = next((g for g in template.indicators.checks if g.field == "cause_ticks"), None)
    return [] if group is None else [t.value for t in group.ticks]


def _cause_cells(template: Template, cause: str) -> dict[str, Any]:
    if cause == NO_DEVIATION:
        return {"cause_ticks": [], "cause_text": None}
    categories = _categories(template)
    parts = cause.split(_SEP)
    in_order = [c for c in categories if c in parts]
    if categories and OTHER not in parts and in_order == parts:
        return {"cause_ticks": parts, "cause_text": None}
    return {"cause_ticks": [OTHER] if categories else [], "cause_text": cause}


def _rate(executed: Decimal | None, budget: Decimal) -> str | None:
    """执行率 to 0.01% ROUND_HALF_UP, as the entry's judgement computes its execution_pct
    (domain/monitoring/deviation.py), of the budget and execution the form prints."""
    if executed is None or budget <= 0:
        return None
    return f"{(executed * 100 / budget).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}%"


def monitoring_data(
    ledger: Ledger, template: Template, task: MonitoringTask, obj: PerformanceObject
) -> FormData:
    entry = task.entry
    progress = {row.name: row for row in entry.indicators} if entry else {}
    rows = indicator_rows(obj.indicators)
    for indicator, row in zip(obj.indicators, rows, strict=True):
        done = progress.get(indicator.name)
        if done is None:
            continue
        row.update(
            actual=done.qualitative_actual if done.actual is None else done.actual,
            forecast=done.forecast,
            likelihood=done.likelihood,
            corrective_measures=done.corrective_measures or None,
            **_cause_cells(template, done.deviation_cause),
        )
    executed = entry.budget_executed if entry else None
    return FormData(
        cells={
            "period_line": f"（{task.fiscal_year}年 {task.period_label}）",
            "project_name": obj.name,
            "period": task.period_label,
            "department": organisation_name(ledger, obj.department_id),
            "unit": organisation_name(ledger, obj.unit_id),
            "as_of": task.as_of.isoformat(),
            "mode": MODES[task.mode],
        },
        money={
            ("total", "budget"): wan_of_yuan(task.budget_now),
            ("total", "executed"): None if executed is None else wan_of_yuan(executed),
            ("total", "rate"): _rate(executed, task.budget_now),
            ("total", "forecast"): None if entry is None else wan_of_yuan(entry.budget_forecast),
        },
        rows=rows,
    )


@dataclass
class MonitoringForm:
    entry: Entry | None
    business_date: date
    rows: dict[str, int]  # indicator name → the row it was read from


def read_monitoring(task: MonitoringTask, obj: PerformanceObject, form: ReadForm) -> MonitoringForm:
    problems = form.problems
    _check_identity(task, obj, form, problems)
    business_date = task.as_of
    as_of = form.cells.get("as_of")
    if as_of is not None and as_of.value is not None:
        try:
            business_date = date_of(as_of.value)
        except CellError as e:
            problems.append(as_of.problem(f"数据截至日期: {e}"))
    executed = form.amount(("total", "executed"), "截至当期执行数")
    forecast = form.amount(("total", "forecast"), "全年预计执行数")
    targets = {i.name: i for i in obj.indicators}
    seen: dict[str, int] = {}
    progress = []
    for row in form.rows:
        name = row.value("name")
        if name not in targets:
            problems.append(row.cells["name"].problem(f"{name!r} is not an indicator of the goal"))
            continue
        if name in seen:
            problems.append(row.cells["name"].problem(f"{name!r} is listed twice"))
            continue
        seen[name] = row.row
        found = _progress(row, targets[name].comparator == "qualitative", problems)
        if found is not None:
            progress.append(found)
    missing = [n for n in targets if n not in seen]
    if missing:
        problems.append(
            Problem(form.sheet, None, None, f"indicators of the goal missing: {missing}")
        )
    entry = None
    if executed is not None and forecast is not None and len(progress) == len(seen):
        entry = Entry(executed, forecast, tuple(progress))
    return MonitoringForm(entry, business_date, seen)


def _check_identity(task: MonitoringTask, obj: PerformanceObject, form: ReadForm, problems) -> None:
    name = form.cells["project_name"]
    if text_of(name.value) != obj.name:
        problems.append(name.problem(f"项目名称 {text_of(name.value)!r} is not {obj.name!r}"))
    period = form.cells.get("period")
    if (
        period is not None
        and period.value is not None
        and text_of(period.value) != task.period_label
    ):
        problems.append(
            period.problem(
                f"监控期间 {text_of(period.value)!r} is not this task's ({task.period_label})"
            )
        )


def _number(row: ReadRow, name: str, label: str, problems: list[Problem]) -> Decimal | None:
    cell = row.cells[name]
    if cell.value is None:
        problems.append(cell.problem(f"{label} is required for a numeric indicator"))
        return None
    try:
        return indicator_number(cell.value)
    except CellError as e:
        problems.append(cell.problem(f"{label}: {e}"))
        return None


def _progress(row: ReadRow, qualitative: bool, problems: list[Problem]) -> IndicatorProgress | None:
    before = len(problems)
    likelihood, where = row.value("likelihood"), row.cells["likelihood"]
    said = any((p.row, p.column) == (where.row, where.column) for p in problems)
    if likelihood is None and not said:  # an unreadable code was named already
        problems.append(where.problem("完成目标可能性 is required"))
    if qualitative:
        actual = forecast = None
        text = row.value("actual")
        if text is None:
            problems.append(row.cells["actual"].problem("当前完成值: state the progress in words"))
    else:
        text = None
        actual = _number(row, "actual", "当前完成值", problems)
        forecast = _number(row, "forecast", "全年预计完成值", problems)
    cause = _cause(row, problems)
    if len(problems) > before:
        return None
    measures = row.value("corrective_measures")
    return IndicatorProgress(
        name=row.value("name"),
        likelihood=likelihood,
        actual=actual,
        forecast=forecast,
        qualitative_actual=None if text is None else text_of(text),
        deviation_cause=cause,
        corrective_measures="" if measures is None else text_of(measures),
    )


def _cause(row: ReadRow, problems: list[Problem]) -> str:
    written = row.value("cause_text")
    if written is not None:
        return text_of(written)
    ticked = row.value("cause_ticks") or []
    if OTHER in ticked:
        problems.append(row.cells["cause_text"].problem("偏差原因 其他: say what in 偏差原因说明"))
    return _SEP.join(ticked) or NO_DEVIATION
