"""Each form exported from the ledger to a real .xlsx file and imported again records
nothing new (the log's head does not move), on both stores; a changed form goes through
the procedure its record asks (adjustment, correction, revision, each with a reason)."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook

from domain.evaluation.model import SelfEvaluation, evaluation_id
from domain.monitoring.model import MonitoringTask
from domain.objects.model import PerformanceObject
from infrastructure.bootstrap import Services
from tests.fixtures_world import build_world
from tests.integration.forms.helpers import (
    Forms,
    department_overall,
    monitored,
    position,
    run,
    self_evaluated,
    with_file,
)


@pytest.fixture
def world(services: Services):
    return build_world(services)


def _saved(tmp_path: Path, name: str, content: bytes) -> bytes:
    """Written to disk and read back, as a bureau's file would be."""
    path = tmp_path / name
    path.write_bytes(content)
    return path.read_bytes()


def _unchanged(services: Services, planner, act, target, content: bytes) -> None:
    before = position(services.ledger)
    plan = planner(with_file(act, content), target, content, None)
    assert plan.problems == []
    assert plan.action == "unchanged"
    assert run(plan) == "unchanged"
    assert position(services.ledger) == before


def test_goal_form_round_trip_then_an_adjustment(services, world, tmp_path) -> None:
    from tests.unit.lifecycle_helpers import approved_object

    ledger, forms = services.ledger, Forms(services.ledger)
    oid = approved_object(ledger, world, "60000000.00")
    exported = forms.export_goal(oid)
    assert exported.file_name == "老旧小区改造-项目支出绩效目标申报表.xlsx"
    content = _saved(tmp_path, exported.ascii_name, exported.content)
    ws = load_workbook(tmp_path / exported.ascii_name)["项目支出绩效目标申报表"]
    assert ws["A13"].value == "产出指标（50分）" and "A13:A14" in ws.merged_cells
    assert ws["D7"].value == 6000  # 万元
    assert (ws["A17"].value, ws["G17"].value) == ("合计", 100)
    staff = world.act_as("wangfang")
    _unchanged(services, forms.plan_goal, staff, oid, content)

    ws["E13"] = 14  # 改造老旧小区数量 ≥ 14 instead of 12, and 6100 万元
    ws["D7"] = 6100
    ws.parent.save(tmp_path / "changed.xlsx")
    changed = (tmp_path / "changed.xlsx").read_bytes()
    refused = forms.plan_goal(with_file(staff, changed), oid, changed, None)
    assert "reason" in refused.problems[0].message and run(refused) == "invalid"
    plan = forms.plan_goal(with_file(staff, changed, "新增两个小区"), oid, changed, None)
    assert run(plan) == "apply_goal_adjustment"
    obj = ledger.load(PerformanceObject, oid)
    assert obj.adjustment.indicators[0].value == Decimal(14)
    assert obj.adjustment.amount == Decimal("61000000.00")
    assert obj.indicators[0].value == Decimal(12)  # in force until approved


def test_department_overall_form_round_trip(services, world, tmp_path) -> None:
    ledger, forms = services.ledger, Forms(services.ledger)
    oid = department_overall(ledger, world)
    exported = forms.export_goal(oid)
    assert exported.template.id == "department_goal-national-2020-v1"
    content = _saved(tmp_path, "dept.xlsx", exported.content)
    ws = load_workbook(tmp_path / "dept.xlsx")["部门整体支出绩效目标表"]
    assert ws["B3"].value == "浔阳区住房和城乡建设局"
    assert Decimal(str(ws["B7"].value)) == Decimal("12345.678912")  # 万元, to the fen
    # Under review: the same form is unchanged; a changed one waits for a return.
    _unchanged(services, forms.plan_goal, world.act_as("wangfang"), oid, content)


def test_monitoring_form_round_trip_then_a_correction(services, world, tmp_path) -> None:
    ledger, forms = services.ledger, Forms(services.ledger)
    _, task_id = monitored(ledger, world)
    exported = forms.export_monitoring(task_id)
    content = _saved(tmp_path, "m.xlsx", exported.content)
    ws = load_workbook(tmp_path / "m.xlsx")["项目支出绩效运行监控表"]
    assert [ws[f"{c}10"].value for c in "IJK"] == [None, "√", None]  # 有可能
    assert [ws[f"{c}10"].value for c in "LMNOP"] == ["√", None, "√", None, None]
    assert ws["D7"].value == 2500 and ws["E7"].value == "41.67%"
    staff = world.act_as("wangfang")
    _unchanged(services, forms.plan_monitoring, staff, task_id, content)

    ws["D7"] = 2600.5  # 万元 executed
    ws.parent.save(tmp_path / "m2.xlsx")
    changed = (tmp_path / "m2.xlsx").read_bytes()
    plan = forms.plan_monitoring(with_file(staff, changed, "补录6月支付"), task_id, changed, None)
    assert run(plan) == "correct_monitoring_entry"
    task = ledger.load(MonitoringTask, task_id)
    assert task.entry.budget_executed == Decimal("26005000.00") and task.entry_revision == 2


def test_the_monitoring_form_prints_the_execution_rate_its_judgement_used(services, world):
    from dataclasses import replace
    from datetime import date

    from tests.integration.forms.helpers import entry

    ledger, forms = services.ledger, Forms(services.ledger)
    _, task_id = monitored(ledger, world, entered=False)
    act = world.act_as("wangfang", business_date=date(2023, 6, 30))
    # 2467.5 of 6000 万元 is 41.125%: ROUND_HALF_UP 41.13 (ROUND_HALF_EVEN would print 41.12).
    executed = replace(entry("10"), budget_executed=Decimal("24675000.00"))
    ledger.monitoring.submit_monitoring_entry(act, task_id, executed)
    assert ledger.load(MonitoringTask, task_id).judgement.execution_pct == Decimal("41.13")
    ws = load_workbook(BytesIO(forms.export_monitoring(task_id).content)).active
    assert ws["E7"].value == "41.13%"


def test_self_evaluation_form_round_trip_then_a_revision(services, world, tmp_path) -> None:
    ledger, forms = services.ledger, Forms(services.ledger)
    oid = self_evaluated(ledger, world)
    held = ledger.load(SelfEvaluation, evaluation_id(oid, "self"))
    exported = forms.export_self_evaluation(oid)
    content = _saved(tmp_path, "s.xlsx", exported.content)
    ws = load_workbook(tmp_path / "s.xlsx")["项目支出绩效自评表"]
    assert ws["E6"].value == 5876.54321  # 全年执行数, 万元
    assert ws["G6"].value == f"{(held.scoring.execution_rate * 100).normalize():f}%"
    total = ws.max_row
    assert ws[f"A{total}"].value == "总分" and ws[f"F{total}"].value == 100
    assert Decimal(str(ws[f"G{total}"].value)) == held.scoring.total
    assert ws["A13"].value == f"产出指标（{held.scoring.levels[0].points.normalize():f}分）"
    staff = world.act_as("wangfang")
    _unchanged(services, forms.plan_self_evaluation, staff, oid, content)

    ws["E13"] = 12  # 改造老旧小区数量 reached after all
    ws.parent.save(tmp_path / "s2.xlsx")
    changed = (tmp_path / "s2.xlsx").read_bytes()
    act = with_file(staff, changed, "补充竣工验收资料")
    plan = forms.plan_self_evaluation(act, oid, changed, None)
    assert run(plan) == "revise_self_evaluation"
    revised = ledger.load(SelfEvaluation, evaluation_id(oid, "self"))
    assert revised.scoring.rows[0].actual == Decimal(12)
    assert revised.score > held.score


def test_blank_forms_to_fill_are_printed_and_record_nothing_as_they_are(services, world, tmp_path):
    ledger, forms = services.ledger, Forms(services.ledger)
    oid, task_id = monitored(ledger, world, entered=False)
    staff = world.act_as("wangfang")
    before = position(ledger)
    for export, planner, target in (
        (forms.export_monitoring, forms.plan_monitoring, task_id),
        (forms.export_self_evaluation, forms.plan_self_evaluation, oid),
    ):
        blank = export(target).content
        plan = planner(with_file(staff, blank), target, blank, None)
        assert run(plan) == "invalid" and plan.problems  # the actuals are not filled yet
    assert position(ledger) == before

    (tmp_path / "blank.xlsx").write_bytes(forms.export_monitoring(task_id).content)
    wb = load_workbook(tmp_path / "blank.xlsx")
    ws = wb.active
    assert [ws[f"C{r}"].value for r in range(10, 14)] == [
        "改造老旧小区数量",
        "年底完工率",
        "受益居民户数",
        "居民满意度",
    ]
    assert ws["G10"].value == "—" and ws["C7"].value == 6000
    ws["D7"], ws["F7"] = 3000, 6000
    for r, (actual, forecast) in enumerate(((6, 12), (50, 95), (1600, 3000), (91, 92)), 10):
        ws[f"G{r}"], ws[f"H{r}"], ws[f"I{r}"] = actual, forecast, "√"
    wb.save(tmp_path / "filled.xlsx")
    filled = (tmp_path / "filled.xlsx").read_bytes()
    plan = forms.plan_monitoring(with_file(staff, filled), task_id, filled, None)
    assert run(plan) == "submit_monitoring_entry"
    entry = ledger.load(MonitoringTask, task_id).entry
    assert entry.budget_executed == Decimal("30000000.00")
    assert [p.likelihood for p in entry.indicators] == ["确定能完成"] * 4
    assert position(ledger) == before + 2
