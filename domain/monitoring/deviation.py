"""Judging a monitoring entry against the policy's deviation thresholds (双监控 判定).

Budget execution: the time-proportional expectation at the period's as-of date (days
elapsed / days in the year) minus the actual execution ratio, in percentage points.
Goal attainment: for each numeric indicator, how far the full-year forecast misses its
target, as a percentage of the target. Each is compared with the policy's `deviation`
thresholds (serious first, then warning); the worst decides the entry's status.
Qualitative indicators are not judged by number; their likelihood and cause are recorded.
The entry's monitoring lights (红/黄/绿/蓝灯, domain/monitoring/lights.py) are recorded in
the same judgement.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from domain.comparators import direction
from domain.indicators import Indicator
from domain.monitoring.lights import Lights
from domain.policy import Policy, PolicyRef
from domain.transcodings import transcoded

STATUSES = ("on_track", "warning", "serious")
STATUS_NAMES = {"on_track": "正常", "warning": "预警", "serious": "严重偏离"}
CENT = Decimal("0.01")


@transcoded("deviation_judgement")
@dataclass(frozen=True)
class Judgement:
    status: str
    reasons: tuple[str, ...]
    expected_execution_pct: Decimal
    execution_pct: Decimal | None
    lag_points: Decimal | None
    policy: PolicyRef
    # The entry's lights under the same policy (domain/monitoring/lights.py); None in
    # judgements recorded before lights were computed, or under a policy that sets none.
    lights: Lights | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "reasons", tuple(self.reasons))


def _pct(value: Decimal) -> Decimal:
    return (value * 100).quantize(CENT, rounding=ROUND_HALF_UP)


def expected_execution(as_of: date) -> Decimal:
    """The share of the year elapsed at `as_of` (inclusive), as a ratio."""
    days = (date(as_of.year, 12, 31) - date(as_of.year, 1, 1)).days + 1
    return Decimal(as_of.timetuple().tm_yday) / Decimal(days)


def shortfall_pct(target: Indicator, forecast: Decimal) -> Decimal | None:
    """How far `forecast` misses the target, in % of the target (0 when met); None when it
    cannot be measured that way (qualitative, or a target of zero)."""
    if target.comparator == "qualitative" or target.value is None:
        return None
    if target.comparator == "range":
        upper = target.upper if target.upper is not None else target.value
        if forecast < target.value:
            gap, base = target.value - forecast, target.value
        elif forecast > upper:
            gap, base = forecast - upper, upper
        else:
            return Decimal(0)
    elif direction(target.comparator) == "positive":
        gap, base = max(target.value - forecast, Decimal(0)), target.value
    elif direction(target.comparator) == "reverse":
        gap, base = max(forecast - target.value, Decimal(0)), target.value
    else:  # "="
        gap, base = abs(forecast - target.value), target.value
    if gap == 0:
        return Decimal(0)
    if base == 0:
        return None
    return _pct(gap / abs(base))


def _level(policy: Policy, prefix: str, value: Decimal) -> tuple[str, str]:
    rules = policy.section("deviation")
    for status in ("serious", "warning"):
        key = f"{prefix}_{status}_{'points' if prefix == 'execution_lag' else 'pct'}"
        threshold = policy.threshold("deviation", key)
        if threshold is not None and threshold.met_by(value):
            op = threshold.op.replace(">=", "≥").replace("<=", "≤")
            return status, f"{op} {threshold.value} ({rules[key].get('wording', key)})"
    return "on_track", "below the warning threshold"


def judge_entry(
    policy: Policy,
    *,
    as_of: date,
    budget: Decimal,
    executed: Decimal,
    targets: tuple[Indicator, ...],
    forecasts: dict[str, Decimal | None],
) -> Judgement:
    levels: list[str] = []
    reasons: list[str] = []
    expected = expected_execution(as_of)
    execution_pct = lag = None
    if budget > 0:
        execution_pct = _pct(executed / budget)
        lag = _pct(expected) - execution_pct
        status, rule = _level(policy, "execution_lag", lag)
        levels.append(status)
        reasons.append(
            f"预算执行率 {execution_pct}% vs 时序进度 {_pct(expected)}% (截至 {as_of}): "
            f"落后 {lag} 个百分点, {rule} → {STATUS_NAMES[status]}"
        )
    else:
        reasons.append("预算为零, 不判定执行进度")
    for target in targets:
        forecast = forecasts.get(target.name)
        if forecast is None:
            continue
        miss = shortfall_pct(target, forecast)
        if not miss:
            continue
        status, rule = _level(policy, "attainment_shortfall", miss)
        levels.append(status)
        reasons.append(
            f"指标「{target.name}」全年预计 {forecast}{target.unit}, 目标 {target.comparator} "
            f"{target.value}{target.unit}: 差 {miss}%, {rule} → {STATUS_NAMES[status]}"
        )
    worst = max(levels, key=STATUSES.index, default="on_track")
    return Judgement(worst, tuple(reasons), _pct(expected), execution_pct, lag, policy.ref)
