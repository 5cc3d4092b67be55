"""The self-evaluation form under each jurisdiction's scoring rules: 南昌 (360100, the national
`bands` rule: a 定性 row reports 达成年度指标 … and states its 得分 inside the grade's band,
which the form carries both ways) and 浔阳 (360403, `fixed_percentages`: 达成预期 … and the
得分 cell is not read). Both stores."""

from __future__ import annotations

from decimal import Decimal as D
from uuid import UUID

import pytest
from openpyxl import load_workbook

from domain.evaluation.model import SelfEvaluation, evaluation_id
from domain.evaluation.scoring import IndicatorActual
from domain.indicators import Indicator
from domain.ledger import Ledger
from infrastructure.bootstrap import Services
from tests.fixtures_world import World, build_world
from tests.integration.forms import hand_filled
from tests.integration.forms.helpers import Forms, position, run, with_file
from tests.unit.lifecycle_helpers import pass_ex_ante, register

SHEET = "项目支出绩效自评表"
AMOUNT = "60000000.00"
# One indicator per level; under 南昌's policy 效益 is worth 30 points, so the band of
# 部分达成年度指标并具有一定效果 is [18.00, 24.00).
GOAL = [
    Indicator("产出", "成本", "户均改造成本", "≤", D("2.00"), unit="万元"),
    Indicator("效益", "可持续影响", "长效管护机制", "qualitative", qualitative_target="建立"),
    Indicator("满意度", "满意度", "居民满意度", "≥", D(90), unit="%"),
]
PART = "部分达成年度指标并具有一定效果"


@pytest.fixture
def worlds(services: Services) -> tuple[World, World]:
    return build_world(services), build_world(services, "360100", "南昌市", prefix="nc.")


def approved(ledger: Ledger, world: World) -> UUID:
    object_id = register(ledger, world, AMOUNT)
    pass_ex_ante(ledger, world, object_id)
    ledger.goals.submit_goal(world.act_as("wangfang"), object_id, GOAL)
    for login, stage in (("chenjing", "initial"), ("liuqiang", "second"), ("sunli", "final")):
        ledger.goals.review_goal(world.act_as(login), object_id, stage, "良", "同意")
    ledger.goals.approve_goal(world.act_as("sunli"), object_id, D(AMOUNT), "批复")
    return object_id


def rows(grade: str, score: object) -> list[tuple]:
    """The hand-filled rows of GOAL: 实际完成值 in E, 得分 in G."""
    cost = ("户均改造成本", "≤2万元", "2.5", "—", "—", "超")
    care = ("长效管护机制", "建立", grade, None, score, None)
    liked = ("居民满意度", "≥90%", 95, None, None, None)
    return [
        ("A13", "产出指标（50分）", "成本指标", *cost),
        ("A14", "效益指标（30分）", "可持续影响指标", *care),
        ("A15", "满意度指标（10分）", "服务对象满意度指标", *liked),
    ]


def test_a_nanchang_self_evaluation_round_trips_with_its_stated_score(services, worlds, tmp_path):
    ledger, forms = services.ledger, Forms(services.ledger)
    _, nanchang = worlds
    oid = approved(ledger, nanchang)
    staff = nanchang.act_as("wangfang")
    actuals = [
        IndicatorActual("产出", "成本", "户均改造成本", actual=D("2.5"), deviation_cause="超"),
        IndicatorActual("效益", "可持续影响", "长效管护机制", grade=PART, score=D("20.50")),
        IndicatorActual("满意度", "满意度", "居民满意度", actual=D(95)),
    ]
    ledger.evaluation.submit_self_evaluation(staff, oid, actuals, D("58000000.00"))
    exported = forms.export_self_evaluation(oid)
    (tmp_path / "s.xlsx").write_bytes(exported.content)
    ws = load_workbook(tmp_path / "s.xlsx")[SHEET]
    assert (ws["C14"].value, ws["E14"].value) == ("长效管护机制", PART)
    assert D(str(ws["G14"].value)) == D("20.50")  # the score the department stated
    content = (tmp_path / "s.xlsx").read_bytes()
    before = position(ledger)
    plan = forms.plan_self_evaluation(with_file(staff, content), oid, content, None)
    assert plan.problems == [] and run(plan) == "unchanged"
    assert position(ledger) == before

    ws["G14"] = 23  # still inside the band: a revision with its reason
    ws.parent.save(tmp_path / "s2.xlsx")
    changed = (tmp_path / "s2.xlsx").read_bytes()
    plan = forms.plan_self_evaluation(with_file(staff, changed, "补充管护台账"), oid, changed, None)
    assert run(plan) == "revise_self_evaluation"
    revised = ledger.load(SelfEvaluation, evaluation_id(oid, "self")).scoring.rows[1]
    assert (revised.grade, revised.score, revised.rule) == (PART, D(23), "qualitative:bands")


def test_a_hand_filled_nanchang_form_states_its_score_inside_the_band(services, worlds, tmp_path):
    ledger, forms = services.ledger, Forms(services.ledger)
    _, nanchang = worlds
    oid = approved(ledger, nanchang)
    staff = nanchang.act_as("wangfang")
    before = position(ledger)
    for score, cell, says in (
        ("—", "G14", "state the score"),  # no score stated
        ("24", "G14", "[18.00, 24.00)"),  # outside its grade's band
        ("二十", "G14", "not a number"),
    ):
        content = hand_filled.self_evaluation(tmp_path / "bad.xlsx", rows=rows(PART, score))
        plan = forms.plan_self_evaluation(with_file(staff, content), oid, content, None)
        assert run(plan) == "invalid", score
        assert [p.cell for p in plan.problems] == [f"{SHEET}!{cell}"], score
        assert says in plan.problems[0].message
    content = hand_filled.self_evaluation(tmp_path / "old.xlsx", rows=rows("部分达成", 20))
    plan = forms.plan_self_evaluation(with_file(staff, content), oid, content, None)
    assert run(plan) == "invalid" and PART in plan.problems[0].message  # 浔阳's word
    assert position(ledger) == before

    content = hand_filled.self_evaluation(tmp_path / "自评表.xlsx", rows=rows(PART, "19.5"))
    plan = forms.plan_self_evaluation(with_file(staff, content), oid, content, None)
    assert run(plan) == "submit_self_evaluation"
    row = ledger.load(SelfEvaluation, evaluation_id(oid, "self")).scoring.rows[1]
    assert (row.grade, row.score, row.met) == (PART, D("19.5"), False)


def test_a_xunyang_form_is_graded_by_fixed_percentages_and_its_score_cell_not_read(
    services, worlds, tmp_path
):
    ledger, forms = services.ledger, Forms(services.ledger)
    xunyang, _ = worlds
    oid = approved(ledger, xunyang)
    staff = xunyang.act_as("wangfang")
    content = hand_filled.self_evaluation(tmp_path / "自评表.xlsx", rows=rows("部分达成", 29))
    plan = forms.plan_self_evaluation(with_file(staff, content), oid, content, None)
    assert plan.problems == [] and run(plan) == "submit_self_evaluation"
    row = ledger.load(SelfEvaluation, evaluation_id(oid, "self")).scoring.rows[1]
    assert row.rule == "qualitative:fixed_percentages"
    assert row.score != 29 and row.score < row.points  # the policy's percentage, not the 29
