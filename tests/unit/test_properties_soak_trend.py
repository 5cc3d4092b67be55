"""Properties of the soak's trend arithmetic (bench/soak.py): a steady series is flat, a
linear one has its own slope, and a growth beyond the trend share is called rising."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from bench.soak import TREND_SHARE, slope_per_minute, thirds, verdict

LEVEL = st.floats(min_value=1, max_value=10_000)
RATE = st.floats(min_value=-50, max_value=50)
SAMPLES = st.integers(min_value=3, max_value=60)
QUICK = settings(max_examples=100, deadline=None)


@QUICK
@given(LEVEL, RATE, SAMPLES)
def test_a_linear_series_has_its_own_slope(level: float, rate: float, n: int) -> None:
    minutes = [k / 6 for k in range(n)]  # a sample every 10 s
    values = [level + rate * m for m in minutes]
    assert math.isclose(slope_per_minute(minutes, values), rate, abs_tol=1e-6)


@QUICK
@given(LEVEL, SAMPLES)
def test_a_steady_series_is_flat(level: float, n: int) -> None:
    values = [level] * n
    first, last = thirds(values)
    assert math.isclose(first, last) and verdict(first, last) == "flat"
    assert math.isclose(slope_per_minute([k / 6 for k in range(n)], values), 0, abs_tol=1e-6)


@QUICK
@given(LEVEL, st.floats(min_value=0, max_value=3))
def test_the_verdict_follows_the_change_against_the_trend_share(first: float, change: float):
    last = first * (1 + change)
    expected = "rising" if change > TREND_SHARE * 1.001 else "flat"
    if abs(change - TREND_SHARE) > 1e-3:
        assert verdict(first, last) == expected
    assert verdict(last, first) in ("falling", "flat")
