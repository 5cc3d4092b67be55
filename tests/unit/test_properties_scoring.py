"""Properties of scoring and grading (domain/evaluation/scoring.py) under every shipped
jurisdiction's policy and two stricter variants: totals stay within 0–100, a complete
success totals 100, and grades never fall as the score rises."""

from __future__ import annotations

from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.evaluation.scoring import (
    IndicatorActual,
    attainment,
    grade_for,
    row_points,
    score_self_evaluation,
)
from domain.evaluation.scoring_rules import ScoringRules
from domain.indicators import LEVELS, Indicator
from domain.policy import Policy, PolicyBook

D = Decimal
CENT = D("0.01")
BOOK = PolicyBook.shipped()
SHIPPED = {
    "national": BOOK.get(PolicyBook.DEFAULT_ID),
    "nanchang": BOOK.for_jurisdiction("360100", 2024),
    "xinfeng": BOOK.for_jurisdiction("360734", 2025),
    "xunyang": BOOK.for_jurisdiction("360403", 2023),
}


def _variant(
    base: Policy, policy_id: str, weights: dict, grades: dict, bands: list, scoring: dict
) -> Policy:
    rules = {
        **base.rules,
        "self_evaluation": {
            **base.rules["self_evaluation"],
            "weights": weights,
            "qualitative_grades": grades,
            "scoring": scoring,
        },
        "grades": {**base.rules["grades"], "bands": bands},
    }
    return replace(base, policy_id=policy_id, rules=rules)


def _band(grade: str, value: str, op: str) -> dict:
    return {"grade": grade, "min": {"value": value, "op": op}}


NATIONAL_SCORING = SHIPPED["national"].rules["self_evaluation"]["scoring"]
EARLIER_SCORING = SHIPPED["xinfeng"].rules["self_evaluation"]["scoring"]
# Hypothetical later versions elsewhere: other weights, qualitative grades and band edges,
# one under the national scoring rules and one under the earlier ones.
POLICIES = {
    **SHIPPED,
    "execution-heavy": _variant(
        SHIPPED["national"],
        "variant-a",
        {"budget_execution": "20", "output": "40", "effect": "30", "satisfaction": "10"},
        {"达成预期": "100", "部分达成": "50", "未达成": "0"},
        [
            _band("优", "85", ">"),
            _band("良", "75", ">"),
            _band("中", "60", ">="),
            _band("差", "0", ">="),
        ],
        NATIONAL_SCORING,
    ),
    "thirds": _variant(
        SHIPPED["national"],
        "variant-b",
        {"budget_execution": "1", "output": "33", "effect": "33", "satisfaction": "33"},
        {"达成预期": "100", "部分达成": "70", "未达成": "10"},
        [_band("优", "95", ">="), _band("良", "70", ">="), _band("差", "0", ">=")],
        EARLIER_SCORING,
    ),
}
POLICY = st.sampled_from(sorted(POLICIES))
QUICK = settings(max_examples=80, deadline=None)
AMOUNT = st.integers(min_value=0, max_value=10**10).map(lambda fen: D(fen) / 100)
TARGET = st.integers(min_value=1, max_value=100_000).map(D)
ACTUAL = st.integers(min_value=0, max_value=200_000).map(D)
WEIGHT = st.sampled_from([D(0), D(5), D(10), D(20), D(30)])
SCORE = st.integers(min_value=0, max_value=10_000).map(lambda n: D(n) / 100)


@st.composite
def indicator(draw, level1: str, n: int) -> Indicator:
    level2 = draw(st.sampled_from(LEVELS[level1]))
    comparator = draw(st.sampled_from(["≥", "≤", "=", "range", "qualitative"]))
    name = f"{level1}{n}"
    weight = draw(WEIGHT)
    if comparator == "qualitative":
        return Indicator(level1, level2, name, comparator, qualitative_target="达成", weight=weight)
    value = draw(TARGET)
    upper = value + draw(TARGET) if comparator == "range" else None
    return Indicator(level1, level2, name, comparator, value, upper, weight=weight)


@st.composite
def goal(draw) -> tuple[Indicator, ...]:
    """Output and effect indicators (the core levels), satisfaction sometimes."""
    levels = ["产出", "效益"] + (["满意度"] if draw(st.booleans()) else [])
    rows = []
    for level in levels:
        for n in range(draw(st.integers(min_value=1, max_value=3))):
            rows.append(draw(indicator(level, n)))
    return tuple(rows)


def _in_band(draw, policy: Policy, rows, i: Indicator, grade: str) -> Decimal | None:
    """A score the department may state for `grade` (None under fixed percentages)."""
    rules = ScoringRules.of(policy)
    if rules.qualitative == "fixed_percentages":
        return None
    band = next(b for b in rules.bands if b.grade == grade)
    shown = row_points(policy, rows)[(i.level1, i.level2, i.name)].quantize(CENT, ROUND_HALF_UP)
    low, high = (int(x * 100) for x in band.bounds(shown))
    top = high if band.high.op == "<=" else high - 1
    return D(draw(st.integers(min_value=low, max_value=max(low, top)))) / 100


def reported(draw, rows: tuple[Indicator, ...], policy: Policy) -> list[IndicatorActual]:
    grades = sorted(ScoringRules.of(policy).grades)
    out = []
    for i in rows:
        if i.comparator == "qualitative":
            grade = draw(st.sampled_from(grades))
            out.append(
                IndicatorActual(
                    i.level1,
                    i.level2,
                    i.name,
                    grade=grade,
                    score=_in_band(draw, policy, rows, i, grade),
                )
            )
        else:
            out.append(IndicatorActual(i.level1, i.level2, i.name, actual=draw(ACTUAL)))
    return out


def full_marks(rows: tuple[Indicator, ...], policy: Policy) -> list[IndicatorActual]:
    rules = ScoringRules.of(policy)
    if rules.qualitative == "bands":
        best = rules.bands[0].grade
        worth = row_points(policy, rows)
    else:
        best = max(rules.fixed, key=lambda g: rules.fixed[g])
    return [
        IndicatorActual(
            i.level1,
            i.level2,
            i.name,
            grade=best if i.comparator == "qualitative" else None,
            actual=None if i.comparator == "qualitative" else i.value,
            score=worth[(i.level1, i.level2, i.name)].quantize(CENT, ROUND_HALF_UP)
            if i.comparator == "qualitative" and rules.qualitative == "bands"
            else None,
        )
        for i in rows
    ]


def band_rank(policy: Policy, grade: str) -> int:
    """0 for the best band (bands are listed best first)."""
    return [b["grade"] for b in policy.section("grades")["bands"]].index(grade)


@QUICK
@given(POLICY, goal(), AMOUNT, AMOUNT, st.data())
def test_a_total_is_between_0_and_100_and_graded_by_its_policy(
    name: str, rows, budget: Decimal, executed: Decimal, data
) -> None:
    policy = POLICIES[name]
    actuals = reported(data.draw, rows, policy)
    score = score_self_evaluation(
        policy, rows, actuals, budget_amount=budget + D(1), executed_amount=executed
    )
    assert D(0) <= score.total <= D(100)
    assert score.total == score.total.quantize(CENT)
    assert score.grade == grade_for(policy, score.total)
    assert all(D(0) <= row.attainment <= D(1) for row in score.rows)
    assert all(row.score <= row.points for row in score.rows)


@QUICK
@given(POLICY, goal())
def test_a_complete_success_totals_100(name: str, rows) -> None:
    """Every target met and the budget fully spent: full marks, whatever the weights and
    however the level's points divide among its rows (the policy's own promise)."""
    policy = POLICIES[name]
    score = score_self_evaluation(
        policy,
        rows,
        full_marks(rows, policy),
        budget_amount=D("1000.00"),
        executed_amount=D("1000.00"),
    )
    assert score.total == D(100), [(lv.level, lv.points, lv.score) for lv in score.levels]
    assert score.grade == policy.section("grades")["bands"][0]["grade"]


@QUICK
@given(POLICY, goal(), st.data(), AMOUNT, AMOUNT)
def test_spending_more_of_the_budget_never_lowers_the_total(
    name: str, rows, data, less: Decimal, more: Decimal
) -> None:
    policy = POLICIES[name]
    actuals = reported(data.draw, rows, policy)
    less, more = sorted((less, more))
    budget = D("100000000.00")

    def total(executed: Decimal) -> Decimal:
        scored = score_self_evaluation(
            policy, rows, actuals, budget_amount=budget, executed_amount=executed
        )
        return scored.total

    assert total(less) <= total(more)


@settings(max_examples=150, deadline=None)
@given(POLICY, SCORE, SCORE)
def test_grades_never_fall_as_the_score_rises(name: str, low: Decimal, high: Decimal) -> None:
    policy = POLICIES[name]
    low, high = sorted((low, high))
    assert band_rank(policy, grade_for(policy, high)) <= band_rank(policy, grade_for(policy, low))


@pytest.mark.parametrize("name", sorted(POLICIES))
def test_the_bands_cover_0_to_100_with_the_best_at_100(name: str) -> None:
    policy = POLICIES[name]
    bands = policy.section("grades")["bands"]
    assert grade_for(policy, D(100)) == bands[0]["grade"]
    assert grade_for(policy, D(0)) == bands[-1]["grade"]


@QUICK
@given(indicator("产出", 0).filter(lambda i: i.comparator == "≥"), ACTUAL, ACTUAL)
def test_for_at_least_targets_more_is_never_worse(target: Indicator, a: Decimal, b: Decimal):
    a, b = sorted((a, b))
    assert D(0) <= attainment(target, a) <= attainment(target, b) <= D(1)


@QUICK
@given(POLICY, indicator("产出", 0).filter(lambda i: i.comparator == "≤"), ACTUAL, ACTUAL)
def test_for_at_most_targets_less_is_never_worse(name, target: Indicator, a: Decimal, b: Decimal):
    rules = ScoringRules.of(POLICIES[name])
    a, b = sorted((a, b))
    assert D(1) >= attainment(target, a, rules) >= attainment(target, b, rules) >= D(0)
