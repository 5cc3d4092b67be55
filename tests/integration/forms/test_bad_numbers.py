"""Numbers no amount or indicator can hold (1E+30, 1e999999999, typed as text or kept by Excel
as a number) in a money cell and in an indicator cell of each form are refused by cell,
never overflowed into a 500; nothing is recorded. Both stores."""

from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import load_workbook

from infrastructure.bootstrap import Services
from tests.fixtures_world import build_world
from tests.integration.forms.helpers import (
    Forms,
    monitored,
    position,
    run,
    self_evaluated,
    with_file,
)
from tests.unit.lifecycle_helpers import approved_object

HUGE = ("1E+30", "1e999999999", 1e30, "-1e999999999")


@pytest.fixture
def world(services: Services):
    return build_world(services)


def _with(content: bytes, **cells: object) -> bytes:
    wb = load_workbook(BytesIO(content))
    for at, value in cells.items():
        wb.active[at] = value
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def _refused(services, planner, act, target, content: bytes, cells: dict) -> dict:
    before = position(services.ledger)
    changed = _with(content, **cells)
    plan = planner(with_file(act, changed, "理由"), target, changed, None)
    assert run(plan) == "invalid" and position(services.ledger) == before
    found = {p.cell.split("!")[1]: p.message for p in plan.problems}
    assert set(cells) <= set(found), plan.problems
    return found


@pytest.mark.parametrize("huge", HUGE)
def test_the_goal_form_refuses_a_huge_number_by_its_cell(services, world, huge) -> None:
    ledger, forms = services.ledger, Forms(services.ledger)
    oid = approved_object(ledger, world, "60000000.00")
    content = forms.export_goal(oid).content
    cells = {"D7": huge, "E13": huge, "G14": huge}  # 年度资金总额, 年度指标值, 分值
    found = _refused(services, forms.plan_goal, world.act_as("wangfang"), oid, content, cells)
    assert "万元" in found["D7"] and "年度指标值" in found["E13"] and "分值" in found["G14"]


@pytest.mark.parametrize("huge", HUGE)
def test_the_monitoring_form_refuses_a_huge_number_by_its_cell(services, world, huge) -> None:
    ledger, forms = services.ledger, Forms(services.ledger)
    _, task_id = monitored(ledger, world)
    content = forms.export_monitoring(task_id).content
    cells = {"D7": huge, "G10": huge, "H11": huge}  # 截至当期执行数, 当前完成值, 全年预计
    found = _refused(
        services, forms.plan_monitoring, world.act_as("wangfang"), task_id, content, cells
    )
    assert "当前完成值" in found["G10"] and "全年预计完成值" in found["H11"]


@pytest.mark.parametrize("huge", HUGE)
def test_the_self_evaluation_form_refuses_a_huge_number_by_its_cell(services, world, huge):
    ledger, forms = services.ledger, Forms(services.ledger)
    oid = self_evaluated(ledger, world)
    content = forms.export_self_evaluation(oid).content
    cells = {"D6": huge, "E6": huge, "E14": huge}  # 全年预算数, 全年执行数, 实际完成值
    found = _refused(
        services, forms.plan_self_evaluation, world.act_as("wangfang"), oid, content, cells
    )
    assert "全年执行数" in found["E6"] and "实际完成值" in found["E14"]


def test_an_indicator_number_keeps_at_most_six_places(services, world) -> None:
    ledger, forms = services.ledger, Forms(services.ledger)
    oid = self_evaluated(ledger, world)
    content = forms.export_self_evaluation(oid).content
    staff = world.act_as("wangfang")
    found = _refused(
        services,
        forms.plan_self_evaluation,
        staff,
        oid,
        content,
        {"E13": "11.0000001", "E14": "1e-999999999", "E6": "1e-999999999"},
    )
    assert "6 decimal places" in found["E13"] and "6 decimal places" in found["E14"]
    assert "fen" in found["E6"]  # not taken as 0.00 yuan
    changed = _with(content, E14="96.000001")  # six places: read
    plan = forms.plan_self_evaluation(with_file(staff, changed, "理由"), oid, changed, None)
    assert plan.problems == [] and plan.action == "revise_self_evaluation"
