"""Properties of the monitoring judgement (domain/monitoring/deviation.py): the status never
improves as the deviation grows, under the national thresholds and stricter or looser variants."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.indicators import Indicator
from domain.monitoring.deviation import STATUSES, judge_entry, shortfall_pct
from domain.policy import Policy, PolicyBook

D = Decimal
BOOK = PolicyBook.shipped()
NATIONAL = BOOK.get(PolicyBook.DEFAULT_ID)


def _thresholds(base: Policy, policy_id: str, lag: tuple[str, str], miss: tuple[str, str]):
    def rule(value: str, op: str) -> dict:
        return {"value": value, "op": op, "wording": policy_id}

    deviation = {
        **base.rules["deviation"],
        "execution_lag_warning_points": rule(lag[0], ">="),
        "execution_lag_serious_points": rule(lag[1], ">"),
        "attainment_shortfall_warning_pct": rule(miss[0], ">"),
        "attainment_shortfall_serious_pct": rule(miss[1], ">="),
    }
    return replace(base, policy_id=policy_id, rules={**base.rules, "deviation": deviation})


POLICIES = {
    "national": NATIONAL,
    "nanchang": BOOK.for_jurisdiction("360100", 2023),
    "strict": _thresholds(NATIONAL, "strict", ("5", "15"), ("5", "20")),
    "lenient": _thresholds(NATIONAL, "lenient", ("20", "40"), ("25", "50")),
}
POLICY = st.sampled_from(sorted(POLICIES))
AS_OF = st.dates(min_value=date(2023, 1, 1), max_value=date(2023, 12, 31))
FEN = st.integers(min_value=0, max_value=10**10).map(lambda n: D(n) / 100)
COUNT = st.integers(min_value=0, max_value=100_000).map(D)
TARGET = st.builds(
    lambda comparator, value, width: Indicator(
        "产出",
        "数量",
        "完成量",
        comparator,
        value,
        value + width if comparator == "range" else None,
    ),
    st.sampled_from(["≥", "≤", "=", "range"]),
    st.integers(min_value=1, max_value=10_000).map(D),
    st.integers(min_value=0, max_value=1_000).map(D),
)
QUICK = settings(max_examples=100, deadline=None)


def rank(status: str) -> int:
    return STATUSES.index(status)


@QUICK
@given(POLICY, AS_OF, FEN, FEN, FEN)
def test_executing_less_of_the_budget_never_looks_better(name, as_of, budget, a, b) -> None:
    policy, budget = POLICIES[name], budget + D("0.01")
    less, more = sorted((a, b))

    def judged(executed: Decimal):
        return judge_entry(
            policy, as_of=as_of, budget=budget, executed=executed, targets=(), forecasts={}
        )

    behind, ahead = judged(less), judged(more)
    assert behind.lag_points >= ahead.lag_points
    assert rank(behind.status) >= rank(ahead.status)
    assert behind.policy == policy.ref


@QUICK
@given(POLICY, AS_OF, TARGET, COUNT, COUNT)
def test_a_forecast_further_from_its_target_never_looks_better(name, as_of, target, a, b):
    policy = POLICIES[name]
    near, far = sorted((a, b), key=lambda f: shortfall_pct(target, f) or D(0))

    def judged(forecast: Decimal):
        return judge_entry(
            policy,
            as_of=as_of,
            budget=D(0),  # only the indicator is judged
            executed=D(0),
            targets=(target,),
            forecasts={target.name: forecast},
        )

    assert rank(judged(near).status) <= rank(judged(far).status)


@QUICK
@given(st.integers(min_value=1, max_value=10_000).map(D), COUNT, COUNT)
def test_for_at_least_targets_the_shortfall_shrinks_as_the_forecast_grows(value, a, b):
    target = Indicator("产出", "数量", "完成量", "≥", value)
    low, high = sorted((a, b))
    assert shortfall_pct(target, low) >= shortfall_pct(target, high) >= D(0)
    if high >= value:
        assert shortfall_pct(target, high) == D(0)


@QUICK
@given(POLICY, AS_OF, FEN)
def test_the_worst_finding_decides_the_status(name, as_of, budget) -> None:
    """An entry with both a lagging budget and a missed target is at least as bad as each."""
    policy = POLICIES[name]
    target = Indicator("产出", "数量", "完成量", "≥", D(100))
    both = judge_entry(
        policy,
        as_of=as_of,
        budget=budget + D(1),
        executed=D(0),
        targets=(target,),
        forecasts={target.name: D(10)},
    )
    budget_only = judge_entry(
        policy, as_of=as_of, budget=budget + D(1), executed=D(0), targets=(), forecasts={}
    )
    assert rank(both.status) >= rank(budget_only.status)
    assert rank(both.status) >= rank("warning"), "a 90% shortfall is judged under every policy"
