"""A monitoring form imported: the task's entry when it has none, a correction (更正, with a
reason) when the form differs from the entry, "unchanged" when equal. The business date
is the form's 数据截至日期, else the period's as-of date."""

from __future__ import annotations

from dataclasses import replace
from uuid import UUID

from domain.errors import InvalidInput
from domain.ledger import Ledger
from domain.monitoring.entry import validated_entry
from domain.monitoring.model import MonitoringTask
from domain.objects.model import PerformanceObject
from domain.values import Act
from infrastructure.forms.content.monitoring import read_monitoring
from infrastructure.forms.importing.plan import UNCHANGED, Plan
from infrastructure.forms.importing.reading import read_upload
from infrastructure.forms.sheet.values import Problem
from infrastructure.forms.templates.registry import TemplateRegistry


def plan_monitoring(
    ledger: Ledger,
    registry: TemplateRegistry,
    act: Act,
    task_id: UUID,
    data: bytes,
    expected_version: int | None,
) -> Plan:
    task = ledger.load(MonitoringTask, task_id, expected_version)
    obj = ledger.load(PerformanceObject, task.object_id)
    form, plan = read_upload(registry, "monitoring", task.mof_div_code, task.fiscal_year, data)
    if form is None:
        return plan
    found = read_monitoring(task, obj, form)
    plan.problems.extend(form.problems)
    if plan.problems or found.entry is None:
        return plan
    act = replace(act, business_date=found.business_date)
    try:
        entry = validated_entry(act, found.entry, obj.indicators, task.as_of.year)
    except InvalidInput as e:
        plan.problems.append(_located(plan, found.rows, e.detail))
        return plan
    money = form.money[("total", "executed")]
    plan.row(
        money.row,
        {
            "budget_executed": entry.budget_executed,
            "budget_forecast": entry.budget_forecast,
            "business_date": found.business_date,
        },
    )
    for progress in entry.indicators:
        plan.row(found.rows[progress.name], progress)
    if task.entry is None:
        plan.action = "submit_monitoring_entry"
        plan.command = lambda: ledger.monitoring.submit_monitoring_entry(
            act, task_id, entry, expected_version
        )
    elif entry == task.entry:
        plan.action = UNCHANGED
    elif plan.reason_given(act, "the task has an entry: a changed form corrects it (更正)"):
        plan.action = "correct_monitoring_entry"
        plan.command = lambda: ledger.monitoring.correct_monitoring_entry(
            act, task_id, entry, expected_version
        )
    return plan


def _located(plan: Plan, rows: dict[str, int], detail: str) -> Problem:
    """A refusal naming an indicator points at that indicator's row."""
    row = next((r for name, r in rows.items() if repr(name) in detail), None)
    return Problem(plan.sheet, row, "C" if row else None, detail)
