"""Self-evaluation rows scored by the rule each jurisdiction's policy names, computed by
hand: 南昌 inherits the national default (the national system's auto-score: reverse linear
to 2 × target, qualitative bands with a stated score); 信丰 keeps the earlier rules (reverse
target ÷ actual, a fixed percentage per grade). Weights 10/50/30/10 under both."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from domain.errors import InvalidInput
from domain.evaluation.scoring import IndicatorActual, row_points, score_self_evaluation
from domain.evaluation.scoring_rules import rule_of
from domain.indicators import Indicator
from domain.policy import PolicyBook

D = Decimal
BOOK = PolicyBook.shipped()
NANCHANG = BOOK.for_jurisdiction("360100", 2024)
XINFENG = BOOK.for_jurisdiction("360734", 2025)
MET, PART, MISSED = "达成年度指标", "部分达成年度指标并具有一定效果", "未达成年度指标且效果较差"

# One indicator per level, so each row has its level's points: 产出 50, 效益 30, 满意度 10.
GOAL = (
    Indicator("产出", "成本", "户均改造成本", "≤", D("2.00"), unit="万元"),
    Indicator("效益", "可持续影响", "长效管护机制", "qualitative", qualitative_target="建立"),
    Indicator("满意度", "满意度", "居民满意度", "≥", D(90), unit="%"),
)


def rows(cost="2.00", grade=MET, stated="30.00", satisfaction="90", cause=None):
    return [
        IndicatorActual("产出", "成本", "户均改造成本", actual=D(cost)),
        IndicatorActual(
            "效益",
            "可持续影响",
            "长效管护机制",
            grade=grade,
            score=None if stated is None else D(stated),
        ),
        IndicatorActual(
            "满意度", "满意度", "居民满意度", actual=D(satisfaction), deviation_cause=cause
        ),
    ]


def scored(policy, actuals, goal=GOAL, executed="100.00"):
    return score_self_evaluation(
        policy, goal, actuals, budget_amount=D("100.00"), executed_amount=D(executed)
    )


def row(policy, actuals, name, goal=GOAL):
    return next(r for r in scored(policy, actuals, goal).rows if r.name == name)


@pytest.mark.parametrize(
    ("cost", "national", "earlier"),
    [
        ("1.80", "50.00", "50.00"),  # under the ceiling: full 50 under both
        ("2.00", "50.00", "50.00"),  # at it
        # (1 − 0.03/2) × 50 = 49.25; 2/2.03 × 50 = 49.2610… → 49.26
        ("2.03", "49.25", "49.26"),
        # (1 − 0.0006/2) × 50 = 49.985 → 49.99 (ROUND_HALF_UP; half-even would give 49.98);
        # 2/2.0006 × 50 = 49.98500… → 49.99
        ("2.0006", "49.99", "49.99"),
        ("2.50", "37.50", "40.00"),  # (1 − 0.5/2) × 50; 2/2.5 × 50
        ("3.99", "0.25", "25.06"),  # (1 − 1.99/2) × 50 = 0.25; 2/3.99 × 50 = 25.0626…
        ("4.00", "0.00", "25.00"),  # at 2 × target: nothing under the national rule
        ("5.00", "0.00", "20.00"),  # over it: still nothing; 2/5 × 50
    ],
)
def test_reverse_rows_under_each_policy(cost: str, national: str, earlier: str) -> None:
    assert row(NANCHANG, rows(cost), "户均改造成本").score == D(national)
    assert row(NANCHANG, rows(cost), "户均改造成本").rule == "reverse:linear_to_double"
    earlier_rows = rows(cost, grade="达成预期", stated=None)
    assert row(XINFENG, earlier_rows, "户均改造成本").score == D(earlier)
    assert row(XINFENG, earlier_rows, "户均改造成本").rule == "reverse:ratio"


@pytest.mark.parametrize(
    ("satisfaction", "points"),
    [("95", "10.00"), ("90", "10.00"), ("85.5", "9.50"), ("80.01", "8.89"), ("0", "0.00")],
)
def test_positive_rows_alike_under_both(satisfaction: str, points: str) -> None:
    # 85.5/90 × 10 = 9.5; 80.01/90 × 10 = 8.89; at or over 90 the full 10.
    national = row(NANCHANG, rows(satisfaction=satisfaction), "居民满意度")
    earlier = row(
        XINFENG, rows(satisfaction=satisfaction, grade="达成预期", stated=None), "居民满意度"
    )
    assert national.score == earlier.score == D(points)
    assert national.rule == earlier.rule == "positive"


def test_zero_targets_under_both() -> None:
    goal = (
        Indicator("产出", "质量", "安全事故", "≤", D(0), unit="起"),
        Indicator("效益", "社会", "新增就业", "≥", D(0), unit="人"),
    )

    def actual(accidents: str) -> list[IndicatorActual]:
        return [
            IndicatorActual("产出", "质量", "安全事故", actual=D(accidents)),
            IndicatorActual("效益", "社会", "新增就业", actual=D(0)),
        ]

    # Without 满意度 the 产出 and 效益 levels share its 10: 50 × 90/80 = 56.25, 30 × 90/80 = 33.75.
    for policy in (NANCHANG, XINFENG):
        none, one = scored(policy, actual("0"), goal), scored(policy, actual("1"), goal)
        assert [r.score for r in none.rows] == [D("56.25"), D("33.75")]  # met: full
        assert [r.score for r in one.rows] == [D("0.00"), D("33.75")]  # over a 0 ceiling: 0
        assert one.total == D("10.00") + D("0.00") + D("33.75")


@pytest.mark.parametrize(
    ("grade", "stated", "ok"),
    [
        # w = 30: 达成 [24, 30], 部分 [18, 24), 未达成 [0, 18)
        (MET, "30.00", True),
        (MET, "24.00", True),
        (MET, "23.99", False),
        (PART, "23.99", True),
        (PART, "24.00", False),
        (PART, "18.00", True),
        (PART, "17.99", False),
        (MISSED, "17.99", True),
        (MISSED, "0", True),
        (MISSED, "18.00", False),
        (MET, "30.01", False),
    ],
)
def test_qualitative_bands_take_a_stated_score_inside_the_grade_band(grade, stated, ok) -> None:
    actuals = rows(grade=grade, stated=stated)
    if not ok:
        with pytest.raises(InvalidInput) as refused:
            scored(NANCHANG, actuals)
        assert grade in str(refused.value) and refused.value.field == "actuals"
        return
    qualitative = row(NANCHANG, actuals, "长效管护机制")
    assert qualitative.score == D(stated) and qualitative.rule == "qualitative:bands"
    # execution 10 + 产出 50 + the stated score + 满意度 10
    assert scored(NANCHANG, actuals).total == D(70) + D(stated)


def test_qualitative_bands_on_points_that_do_not_divide_evenly() -> None:
    # Three equal qualitative rows share 效益's 30 → 10 each; three share 产出's 50 → 16.666…,
    # shown 16.67: 达成 [0.8 × 16.67 = 13.336 → 13.34, 16.67], 部分 [10.00, 13.34).
    goal = (
        *(
            Indicator("产出", "质量", f"质量{n}", "qualitative", qualitative_target="好")
            for n in range(3)
        ),
        Indicator("效益", "社会", "效益", "≥", D(1)),
        Indicator("满意度", "满意度", "满意度", "≥", D(1)),
    )
    worth = row_points(NANCHANG, goal)
    assert [w.quantize(D("0.01")) for w in worth.values()] == [D("16.67")] * 3 + [D(30), D(10)]

    def actual(grade: str, stated: str) -> list[IndicatorActual]:
        return [
            IndicatorActual("产出", "质量", "质量0", grade=grade, score=D(stated)),
            *(
                IndicatorActual("产出", "质量", f"质量{n}", grade=MET, score=D("16.67"))
                for n in (1, 2)
            ),
            IndicatorActual("效益", "社会", "效益", actual=D(1)),
            IndicatorActual("满意度", "满意度", "满意度", actual=D(1)),
        ]

    assert row(NANCHANG, actual(PART, "13.33"), "质量0", goal).score == D("13.33")
    assert row(NANCHANG, actual(MET, "13.34"), "质量0", goal).score == D("13.34")
    with pytest.raises(InvalidInput, match=r"\[10.00, 13.34\) of its 16.67 points"):
        scored(NANCHANG, actual(PART, "13.34"), goal)
    # Full marks stated as shown count in full: the level keeps its 50 and the total is 100
    # (10 + 50 + 30 + 10), though 3 × 16.67 = 50.01 and 3 × 16.66 would be 49.98.
    assert scored(NANCHANG, actual(MET, "16.67"), goal).total == D(100)


def test_fixed_percentages_under_the_earlier_rule() -> None:
    # 信丰: 达成预期 100% of 30, 部分达成 60% → 18, 未达成 0.
    for grade, points in (("达成预期", "30.00"), ("部分达成", "18.00"), ("未达成", "0.00")):
        actuals = rows(grade=grade, stated=None)
        assert row(XINFENG, actuals, "长效管护机制").score == D(points)
        assert row(XINFENG, actuals, "长效管护机制").rule == "qualitative:fixed_percentages"
    with pytest.raises(InvalidInput, match="state no score"):
        scored(XINFENG, rows(grade="部分达成", stated="20.00"))
    with pytest.raises(InvalidInput, match="grade is one of"):
        scored(XINFENG, rows(grade=PART, stated=None))  # the national names are not its grades
    with pytest.raises(InvalidInput, match="grade is one of"):
        scored(NANCHANG, rows(grade="部分达成", stated="20.00"))
    with pytest.raises(InvalidInput, match="state the score"):
        scored(NANCHANG, rows(grade=PART, stated=None))


def test_the_same_table_totals_differently_under_the_two_jurisdictions() -> None:
    # 南昌: 10 + (1 − 0.5/2) × 50 = 37.50 + stated 20.00 + 10 = 77.50 → 中
    national = scored(NANCHANG, rows("2.50", PART, "20.00"))
    # 信丰: 10 + 2/2.5 × 50 = 40.00 + 60% × 30 = 18.00 + 10 = 78.00 → 中
    earlier = scored(XINFENG, rows("2.50", "部分达成", None))
    assert (national.total, national.grade) == (D("77.50"), "中")
    assert (earlier.total, earlier.grade) == (D("78.00"), "中")


def test_a_deviation_reason_where_a_policy_version_asks_it_at_130_percent() -> None:
    """No shipped jurisdiction's document sets one (null); an administrator's later version
    (hypothetical) asking a reason at actual ≥ 130% of the target: 90 × 1.3 = 117."""
    section = NANCHANG.rules["self_evaluation"]
    asking = replace(
        NANCHANG,
        version=2,
        rules={
            **NANCHANG.rules,
            "self_evaluation": {
                **section,
                "scoring": {
                    **section["scoring"],
                    "deviation_reason_at": {"value": "1.30", "op": ">="},
                },
            },
        },
    )
    assert scored(NANCHANG, rows(satisfaction="117")).total == D(100)  # null: no reason asked
    with pytest.raises(InvalidInput, match="130% of the target") as refused:
        scored(asking, rows(satisfaction="117"))
    assert refused.value.field == "actuals"
    assert scored(asking, rows(satisfaction="116.99")).total == D(100)
    assert scored(asking, rows(satisfaction="117", cause="新增社区参与测评")).total == D(100)


def test_a_numeric_row_takes_no_stated_score() -> None:
    actuals = rows()
    actuals[2] = replace(actuals[2], score=D(10))
    with pytest.raises(InvalidInput, match="computed, not stated"):
        scored(NANCHANG, actuals)


def test_rule_of_follows_the_comparator() -> None:
    assert [rule_of(i) for i in GOAL] == ["reverse", "qualitative", "positive"]
    assert rule_of(Indicator("产出", "数量", "n", "＞", D(1))) == "positive"
    assert rule_of(Indicator("产出", "成本", "c", "＜", D(1))) == "reverse"


def test_a_row_is_met_by_its_rule_not_by_its_share_of_points() -> None:
    # 南昌: 达成年度指标 stated at 24 of 30 is met (the grade says so), 部分达成 at 23.99 is not;
    # 信丰: 达成预期 (100%) is met, 部分达成 (60%) is not; numeric rows at full attainment only.
    assert row(NANCHANG, rows(grade=MET, stated="24.00"), "长效管护机制").met is True
    assert row(NANCHANG, rows(grade=PART, stated="23.99"), "长效管护机制").met is False
    assert row(XINFENG, rows(grade="达成预期", stated=None), "长效管护机制").met is True
    assert row(XINFENG, rows(grade="部分达成", stated=None), "长效管护机制").met is False
    assert row(NANCHANG, rows(cost="2.00"), "户均改造成本").met is True
    assert row(NANCHANG, rows(cost="2.03"), "户均改造成本").met is False
