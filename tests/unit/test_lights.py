"""Monitoring lights at every colour boundary, computed by hand, under two policies: the
national default (periods H1 as of 30 June: 6 months, time progress 50%) and 南昌
(洪财绩〔2022〕4号: its own monitoring section stating the lights; Q3 as of 30 September:
9 months, 75%)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from domain.indicators import Indicator
from domain.monitoring.entry import Entry, IndicatorProgress
from domain.monitoring.lights import entry_lights
from domain.policy import PolicyBook

D = Decimal
BOOK = PolicyBook.shipped()
NATIONAL = BOOK.get(PolicyBook.DEFAULT_ID)
NANCHANG = BOOK.for_jurisdiction("360100", 2024)
H1, Q3 = date(2024, 6, 30), date(2024, 9, 30)
SURE = "确定能完成"


def lit(policy, as_of, targets, rows, budget="1000000.00", executed="0.00"):
    entry = Entry(D(executed), D(budget), tuple(rows))
    return entry_lights(
        policy, as_of=as_of, budget=D(budget), executed=D(executed), targets=targets, entry=entry
    )


def progress(name: str, actual: str, likelihood: str = SURE) -> IndicatorProgress:
    return IndicatorProgress(name, likelihood, actual=D(actual), forecast=D(actual))


# National H1: target 200 → expected to date 200 × 6/12 = 100, so the actual is the percent.
# 南昌 Q3: target 400 → expected 400 × 9/12 = 300, so the actual is 3 × the percent
# (59.99% × 3 = 179.97, 79.99% × 3 = 239.97, 119.99% × 3 = 359.97).
INDICATOR_BOUNDARIES = [
    ("59.99", "red"),
    ("60", "yellow"),
    ("79.99", "yellow"),
    ("80", "green"),
    ("119.99", "green"),
    ("120", "blue"),
]
CASES = [(NATIONAL, H1, D(200), D(1)), (NANCHANG, Q3, D(400), D(3))]


@pytest.mark.parametrize(("pct", "light"), INDICATOR_BOUNDARIES)
@pytest.mark.parametrize(("policy", "as_of", "target", "per_pct"), CASES)
def test_indicator_light_at_each_boundary(policy, as_of, target, per_pct, pct, light) -> None:
    goal = (Indicator("产出", "数量", "改造户数", "≥", target, unit="户"),)
    lights = lit(policy, as_of, goal, [progress("改造户数", str(D(pct) * per_pct))])
    (row,) = lights.indicators
    assert (row.progress_pct, row.light, row.rule) == (
        D(pct).quantize(D("0.01")),
        light,
        "positive",
    )
    assert lights.light == light  # one indicator: the object's light is its own


# Budget: executed ÷ budget ÷ (months/12). National H1: 1,000,000 × 50% × pct;
# 南昌 Q3: 1,000,000 × 75% × pct (59.99% × 0.75 = 0.449925 → 449,925.00).
BUDGET_BOUNDARIES = [
    ("59.99", "299950.00", "449925.00", "red"),
    ("60", "300000.00", "450000.00", "yellow"),
    ("79.99", "399950.00", "599925.00", "yellow"),
    ("80", "400000.00", "600000.00", "green"),
    ("119.99", "599950.00", "899925.00", "green"),
    ("120", "600000.00", "900000.00", "green"),  # no blue for money
]


@pytest.mark.parametrize(("pct", "national", "nanchang", "light"), BUDGET_BOUNDARIES)
def test_budget_light_at_each_boundary(pct, national, nanchang, light) -> None:
    goal = (Indicator("产出", "数量", "改造户数", "≥", D(200)),)
    for policy, as_of, executed, time_pct in (
        (NATIONAL, H1, national, "50.00"),
        (NANCHANG, Q3, nanchang, "75.00"),
    ):
        lights = lit(policy, as_of, goal, [progress("改造户数", "100")], executed=executed)
        assert lights.time_progress_pct == D(time_pct)
        assert (lights.budget_progress_pct, lights.budget_light) == (
            D(pct).quantize(D("0.01")),
            light,
        )


def test_a_progress_rounding_to_60_is_yellow_and_the_basis_shows_the_arithmetic() -> None:
    goal = (Indicator("产出", "数量", "改造户数", "≥", D(200)),)
    # 59.995 ÷ 100 = 59.995% → 60.00% (ROUND_HALF_UP) as shown: yellow, never a red 60.00%.
    (row,) = lit(NATIONAL, H1, goal, [progress("改造户数", "59.995")]).indicators
    assert (row.progress_pct, row.light) == (D("60.00"), "yellow")
    assert row.basis == "实际 59.995 ÷ (200 × 6/12) = 60.00%"


@pytest.mark.parametrize(
    ("actual", "pct", "light"),
    [
        # ceiling 10 for the whole year (national default v2): progress = 10 ÷ actual
        ("12.5", "80.00", "green"),  # 10 ÷ 12.5
        ("12.51", "79.94", "yellow"),  # 10 ÷ 12.51 = 0.79936…
        ("16.67", "59.99", "red"),  # 10 ÷ 16.67 = 0.59988…
        ("10", "100.00", "green"),  # at its ceiling in June: on track
        ("8.34", "119.90", "green"),  # 10 ÷ 8.34 = 1.19904…
        ("8", "125.00", "blue"),  # far under the ceiling: it may be set too loose
        ("0", None, "blue"),
    ],
)
def test_reverse_indicators_light_against_the_full_year_ceiling(actual, pct, light):
    goal = (Indicator("产出", "成本", "户均成本", "≤", D(10), unit="万元"),)
    (row,) = lit(NATIONAL, H1, goal, [progress("户均成本", actual)]).indicators
    assert (row.progress_pct, row.light, row.rule) == (
        None if pct is None else D(pct),
        light,
        "reverse",
    )


def _with_reverse_rule(policy, rule: str):
    monitoring = policy.rules["monitoring"]
    lights = {**monitoring["lights"], "reverse": {"rule": rule, "source": "test"}}
    rules = {**policy.rules, "monitoring": {**monitoring, "lights": lights}}
    return replace(policy, version=3, rules=rules)


@pytest.mark.parametrize(
    ("actual", "pct", "light"),
    [
        # a cumulative ceiling of 10 → 10 × 6/12 = 5 to date; progress = 5 ÷ actual
        ("10", "50.00", "red"),  # 5 ÷ 10
        ("8", "62.50", "yellow"),  # 5 ÷ 8
        ("6.25", "80.00", "green"),  # 5 ÷ 6.25
        ("5", "100.00", "green"),
        ("4.17", "119.90", "green"),  # 5 ÷ 4.17 = 1.19904…
        ("4", "125.00", "blue"),  # far under the ceiling: it may be set too loose
        ("0", None, "blue"),
    ],
)
def test_reverse_indicators_light_against_the_time_proportional_ceiling(actual, pct, light):
    goal = (Indicator("产出", "成本", "累计支出", "≤", D(10), unit="万元"),)
    spread = _with_reverse_rule(NATIONAL, "time_proportional_ceiling")
    (row,) = lit(spread, H1, goal, [progress("累计支出", actual)]).indicators
    assert (row.progress_pct, row.light, row.rule) == (
        None if pct is None else D(pct),
        light,
        "reverse",
    )


def test_zero_targets_and_qualitative_indicators() -> None:
    goal = (
        Indicator("产出", "质量", "安全事故", "≤", D(0), unit="起"),
        Indicator("产出", "数量", "新增", "≥", D(0)),
        Indicator("效益", "可持续影响", "管护机制", "qualitative", qualitative_target="建立"),
    )
    lights = lit(
        NANCHANG,
        Q3,
        goal,
        [progress("安全事故", "0"), progress("新增", "3"), progress_words("有可能完成")],
    )
    accident, new, words = lights.indicators
    assert accident.light == "green"  # 0 under a ceiling of 0: exactly met
    assert new.light is None and "不亮灯" in new.basis  # nothing expected to date
    assert (words.light, words.rule) == ("yellow", "qualitative")  # the likelihood's light
    assert lights.light == "yellow"
    over = lit(NANCHANG, Q3, goal[:1], [progress("安全事故", "1")])
    assert over.indicators[0].light == "red"  # any accident over a ceiling of 0


def progress_words(likelihood: str) -> IndicatorProgress:
    return IndicatorProgress("管护机制", likelihood, qualitative_actual="制度起草中")


@pytest.mark.parametrize(
    ("actuals", "worst"),
    [
        # National H1, targets 200 → expected 100 each: the actual is the percent.
        (("130", "100"), "blue"),  # blue and green: blue
        (("130", "70"), "yellow"),  # blue and yellow: yellow ranks worse than blue
        (("30", "130"), "red"),
        (("90", "100"), "green"),
    ],
)
def test_the_object_light_is_the_worst_of_its_indicators(actuals, worst) -> None:
    goal = (
        Indicator("产出", "数量", "a", "≥", D(200)),
        Indicator("效益", "社会", "b", "≥", D(200)),
    )
    rows = [progress("a", actuals[0]), progress("b", actuals[1])]
    # The budget (0 executed: red) is shown beside the object's light, not folded into it.
    lights = lit(NATIONAL, H1, goal, rows)
    assert (lights.light, lights.budget_light) == (worst, "red")


def test_a_policy_version_with_other_thresholds_lights_otherwise() -> None:
    """An administrator's later version (hypothetical v3) raising yellow to 70%: 65% is red."""
    rules = NATIONAL.rules["monitoring"]["lights"]
    stricter = replace(
        NATIONAL,
        version=3,
        rules={
            **NATIONAL.rules,
            "monitoring": {
                **NATIONAL.rules["monitoring"],
                "lights": {
                    **rules,
                    "indicator": [
                        {**band, "min": {"value": "70", "op": ">="}}
                        if band["light"] == "yellow"
                        else band
                        for band in rules["indicator"]
                    ],
                },
            },
        },
    )
    goal = (Indicator("产出", "数量", "a", "≥", D(200)),)
    assert lit(NATIONAL, H1, goal, [progress("a", "65")]).light == "yellow"
    assert lit(stricter, H1, goal, [progress("a", "65")]).light == "red"


def test_no_lights_where_the_policy_sets_none() -> None:
    monitoring = {k: v for k, v in NATIONAL.rules["monitoring"].items() if k != "lights"}
    older = replace(NATIONAL, rules={**NATIONAL.rules, "monitoring": monitoring})
    goal = (Indicator("产出", "数量", "a", "≥", D(200)),)
    assert lit(older, H1, goal, [progress("a", "65")]) is None
