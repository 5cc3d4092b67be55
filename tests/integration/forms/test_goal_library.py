"""A goal form's rows drafted from the indicator library (the form does not carry the entry):
a row still saying what its entry says is checked by the library again, as over the API (the
version read now; a retired entry refuses the form at the row's cell); a row whose 计算符号
or 计量单位 the form changed is no longer the entry's and loses its reference. Both stores."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO
from uuid import UUID

import pytest
from openpyxl import load_workbook

from domain.indicators import LibraryRef
from domain.ledger import Ledger
from domain.library.model import LibraryIndicator
from domain.objects.model import PerformanceObject
from infrastructure.bootstrap import Services
from tests.fixtures_world import World, build_world
from tests.integration.forms.helpers import Forms, position, run, with_file
from tests.scenarios.helpers import indicators
from tests.unit.lifecycle_helpers import pass_ex_ante, register

SHEET = "项目支出绩效目标申报表"


@pytest.fixture
def world(services: Services) -> World:
    return build_world(services)


def _entry(ledger: Ledger, world: World) -> UUID:
    return ledger.library.add(
        world.act_as("liuqiang"),
        mof_div_code=world.mof_div_code,
        code="CP001",
        department_id=None,
        level1="产出",
        level2="数量",
        name="改造老旧小区数量",
        comparator="≥",
        unit="个",
        explanation="年内完成改造的老旧小区个数",
        industry_major="城乡社区",
        keywords=("老旧小区",),
    ).aggregate_id


def _drafted_and_approved(ledger: Ledger, world: World, entry_id: UUID) -> UUID:
    oid = register(ledger, world, "60000000.00")
    pass_ex_ante(ledger, world, oid)
    staff = world.act_as("wangfang")
    ledger.goals.submit_goal(staff, oid, indicators(), library_entries=[entry_id, None, None, None])
    for login, stage in (("chenjing", "initial"), ("liuqiang", "second"), ("sunli", "final")):
        ledger.goals.review_goal(world.act_as(login), oid, stage, "良", "同意")
    ledger.goals.approve_goal(world.act_as("sunli"), oid, Decimal("60000000.00"), "批复")
    return oid


def _with(content: bytes, **cells: object) -> bytes:
    wb = load_workbook(BytesIO(content))
    for at, value in cells.items():
        wb.active[at] = value
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_drafted_row_is_checked_by_the_library_again(services, world) -> None:
    ledger, forms = services.ledger, Forms(services.ledger)
    entry_id = _entry(ledger, world)
    oid = _drafted_and_approved(ledger, world, entry_id)
    assert ledger.load(PerformanceObject, oid).indicators[0].library == LibraryRef(
        entry_id, "CP001", 1
    )
    exported = forms.export_goal(oid).content
    staff = world.act_as("wangfang")
    plan = forms.plan_goal(with_file(staff, exported), oid, exported, None)
    assert run(plan) == "unchanged"  # the reference is the goal's own

    keeper = world.act_as("liuqiang", reason="口径调整")
    ledger.library.revise(keeper, entry_id, {"explanation": "竣工验收个数"})
    changed = _with(exported, E13=14)  # the target only: still the entry's indicator
    plan = forms.plan_goal(with_file(staff, changed, "新增两个小区"), oid, changed, None)
    assert plan.rows[0]["record"]["library"]["version"] == 2
    assert run(plan) == "apply_goal_adjustment"
    adjusted = ledger.load(PerformanceObject, oid).adjustment.indicators[0]
    assert adjusted.library == LibraryRef(entry_id, "CP001", 2)  # the version read now


def test_a_retired_entry_refuses_the_form_at_its_row(services, world) -> None:
    ledger, forms = services.ledger, Forms(services.ledger)
    entry_id = _entry(ledger, world)
    oid = _drafted_and_approved(ledger, world, entry_id)
    ledger.library.retire(world.act_as("liuqiang", reason="不再适用"), entry_id)
    changed = _with(forms.export_goal(oid).content, E13=14)
    staff = world.act_as("wangfang")
    before = position(ledger)
    plan = forms.plan_goal(with_file(staff, changed, "新增两个小区"), oid, changed, None)
    assert run(plan) == "invalid" and position(ledger) == before
    assert [p.cell for p in plan.problems] == [f"{SHEET}!C13"]
    assert "retired" in plan.problems[0].message


@pytest.mark.parametrize(
    ("cell", "value", "field", "now"),
    [("F13", "处", "unit", "处"), ("D13", "＞", "comparator", ">")],  # 个 → 处; ≥ → >
)
def test_a_row_whose_unit_or_comparator_changed_is_no_longer_the_entrys(
    services, world, cell, value, field, now
):
    ledger, forms = services.ledger, Forms(services.ledger)
    entry_id = _entry(ledger, world)
    oid = _drafted_and_approved(ledger, world, entry_id)
    ledger.library.retire(world.act_as("liuqiang", reason="不再适用"), entry_id)
    changed = _with(forms.export_goal(oid).content, **{cell: value})
    staff = world.act_as("wangfang")
    plan = forms.plan_goal(with_file(staff, changed, "口径调整"), oid, changed, None)
    assert plan.problems == [] and plan.rows[0]["record"]["library"] is None
    assert run(plan) == "apply_goal_adjustment"
    adjusted = ledger.load(PerformanceObject, oid).adjustment.indicators
    assert (getattr(adjusted[0], field), adjusted[0].library) == (now, None)
    assert ledger.load(LibraryIndicator, entry_id).retired  # the form drafts nothing from it
