"""Self-evaluation scoring, grade bands and the recheck gap, as each policy says."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from domain.errors import InvalidInput
from domain.evaluation.scoring import (
    IndicatorActual,
    attainment,
    grade_for,
    score_self_evaluation,
    validated_weights,
)
from domain.evaluation.spot_check import gap_triggered
from domain.indicators import Indicator
from domain.policy import PolicyBook
from domain.results.model import propose

D = Decimal
BOOK = PolicyBook.shipped()
XINFENG = BOOK.for_jurisdiction("360734", 2025)
NANCHANG = BOOK.for_jurisdiction("360100", 2024)
# Another jurisdiction's (hypothetical) later version, to show the same act judged otherwise.
STRICTER = replace(
    XINFENG,
    policy_id="elsewhere-2026",
    rules={
        **XINFENG.rules,
        "self_evaluation": {
            **XINFENG.rules["self_evaluation"],
            "weights": {
                "budget_execution": "20",
                "output": "40",
                "effect": "30",
                "satisfaction": "10",
            },
            "qualitative_grades": {"达成预期": "100", "部分达成": "50", "未达成": "0"},
        },
        "recheck_gap": {**XINFENG.rules["recheck_gap"], "points": {"value": "10", "op": ">="}},
    },
)

GOAL = (
    Indicator("产出", "数量", "改造小区数量", "≥", D(12), unit="个", weight=D(30)),
    Indicator("产出", "时效", "工期（月）", "≤", D(10), unit="月", weight=D(10)),
    Indicator("效益", "社会", "受益户数", "range", D(3000), upper=D(4000), unit="户"),
    Indicator("效益", "可持续影响", "长效管护机制", "qualitative", qualitative_target="建立"),
    Indicator("满意度", "满意度", "居民满意度", "≥", D(90), unit="%"),
)


def actuals(**changes: object) -> list[IndicatorActual]:
    rows = {
        "改造小区数量": IndicatorActual("产出", "数量", "改造小区数量", actual=D(12)),
        "工期（月）": IndicatorActual("产出", "时效", "工期（月）", actual=D(10)),
        "受益户数": IndicatorActual("效益", "社会", "受益户数", actual=D(3500)),
        "长效管护机制": IndicatorActual("效益", "可持续影响", "长效管护机制", grade="达成预期"),
        "居民满意度": IndicatorActual("满意度", "满意度", "居民满意度", actual=D(95)),
    }
    for name, row in changes.items():
        rows[name] = row
    return list(rows.values())


def score(policy=XINFENG, rows=None, executed="100.00", goal=GOAL):
    return score_self_evaluation(
        policy, goal, rows or actuals(), budget_amount=D("100.00"), executed_amount=D(executed)
    )


@pytest.mark.parametrize(
    ("points", "grade"),
    [
        ("100", "优"),
        ("90", "优"),
        ("89.99", "良"),
        ("80", "良"),
        ("79.99", "中"),
        ("60", "中"),
        ("59.99", "差"),
        ("0", "差"),
    ],
)
def test_grade_bands_include_their_lower_bound(points: str, grade: str) -> None:
    for policy in (XINFENG, NANCHANG):
        assert grade_for(policy, D(points)) == grade


def test_a_score_outside_0_to_100_is_refused() -> None:
    with pytest.raises(InvalidInput):
        grade_for(XINFENG, D("100.01"))


def test_full_attainment_scores_100_and_the_levels_carry_the_policy_weights() -> None:
    result = score()
    assert result.total == D(100) and result.grade == "优"
    assert [(lv.level, lv.points, lv.score) for lv in result.levels] == [
        ("产出", D(50), D(50)),
        ("效益", D(30), D(30)),
        ("满意度", D(10), D(10)),
    ]
    assert result.execution_points == D(10)
    # Rows share their level's points by weight (30:10), equally without weights.
    assert [r.points for r in result.rows[:3]] == [D("37.50"), D("12.50"), D("15.00")]


def test_attainment_numeric_forms() -> None:
    more = Indicator("产出", "数量", "n", "≥", D(12))
    less = Indicator("产出", "成本", "c", "≤", D(10))
    equal = Indicator("产出", "质量", "q", "=", D(100))
    band = Indicator("效益", "社会", "r", "range", D(10), upper=D(20))
    assert attainment(more, D(9)) == D("0.7500")
    assert attainment(more, D(20)) == D(1)  # capped at full marks
    assert attainment(less, D(8)) == D(1)
    assert attainment(less, D(12.5)) == D("0.8000")  # over the ceiling: inverted ratio
    assert attainment(equal, D(90)) == D("0.9000")
    assert attainment(band, D(15)) == D(1)
    assert attainment(band, D(5)) == D("0.5000")
    assert attainment(band, D(25)) == D("0.8000")


def test_shortfalls_and_execution_lower_the_total_and_grade() -> None:
    rows = actuals(
        改造小区数量=IndicatorActual("产出", "数量", "改造小区数量", actual=D(6)),
        长效管护机制=IndicatorActual("效益", "可持续影响", "长效管护机制", grade="部分达成"),
    )
    result = score(rows=rows, executed="80.00")
    # execution 8 + 产出 (37.5×0.5 + 12.5) + 效益 (15 + 15×0.6) + 满意度 10
    assert result.execution_score == D("8.00")
    assert result.total == D("8.00") + D("31.25") + D("24.00") + D("10.00")
    assert result.grade == "中"


def test_the_same_table_is_judged_by_each_policy_weights_and_grades() -> None:
    rows = actuals(
        长效管护机制=IndicatorActual("效益", "可持续影响", "长效管护机制", grade="部分达成")
    )
    xinfeng, elsewhere = score(XINFENG, rows, "50.00"), score(STRICTER, rows, "50.00")
    assert xinfeng.total == D("5.00") + D(50) + D("24.00") + D(10) == D("89.00")
    assert elsewhere.total == D("10.00") + D(40) + D("22.50") + D(10) == D("82.50")
    assert (xinfeng.grade, elsewhere.grade) == ("良", "良")


def test_a_level_without_indicators_gives_its_points_to_the_others() -> None:
    goal = GOAL[:4]
    rows = [a for a in actuals() if a.level1 != "满意度"]
    result = score(goal=goal, rows=rows)
    assert [lv.points for lv in result.levels] == [D("56.25"), D("33.75")]
    assert result.total == D(100)


@pytest.mark.parametrize(
    ("rows", "field"),
    [
        (actuals()[:-1], "missing"),
        ([*actuals(), IndicatorActual("产出", "数量", "别的", actual=D(1))], "not indicators"),
        (
            actuals(长效管护机制=IndicatorActual("效益", "可持续影响", "长效管护机制", grade="好")),
            "grade",
        ),
        (actuals(居民满意度=IndicatorActual("满意度", "满意度", "居民满意度")), "actual value"),
    ],
)
def test_malformed_actuals_are_refused(rows, field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        score(rows=rows)
    assert field in refused.value.detail and refused.value.field == "actuals"


def test_key_evaluation_weights_total_100() -> None:
    assert validated_weights({"决策": D(20), "过程": D(20), "产出": D(30), "效益": D(30)})
    with pytest.raises(InvalidInput):
        validated_weights({"决策": D(20), "过程": D(20), "产出": D(30), "效益": D(29)})


@pytest.mark.parametrize(
    ("gap", "xinfeng", "stricter"),
    [
        ("15", True, True),
        ("14.99", False, True),
        ("-15", True, True),
        ("-14.99", False, True),
        ("9.99", False, False),
        ("10", False, True),
    ],
)
def test_recheck_gap_is_absolute_and_includes_the_number(gap, xinfeng, stricter) -> None:
    assert gap_triggered(XINFENG, D(gap)) is xinfeng
    assert gap_triggered(STRICTER, D(gap)) is stricter


def test_result_proposals_follow_the_policy_tables() -> None:
    def measure(kind: str, grade: str, obj: str = "project", gap: bool = False) -> str:
        proposal = propose(
            XINFENG, evaluation_kind=kind, object_kind=obj, grade=grade, gap_rule_met=gap
        )
        assert proposal.policy == XINFENG.ref
        return proposal.measure

    assert measure("spot_check", "良") == "priority"
    assert measure("self", "中") == "reduce"
    assert measure("self", "差") == "no_similar_project"
    assert measure("finance_key", "良") == "zero_growth"
    assert measure("finance_key", "差") == "no_funding_until_rectified"
    assert measure("finance_key", "中", obj="department_overall") == "cut_recurring"
    assert measure("spot_check", "优", gap=True) == "no_funding_until_rectified"
