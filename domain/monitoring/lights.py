"""Monitoring lights (红/黄/绿/蓝灯) of an entry, as the national system computes them.

Thresholds, their order of severity and the light of qualitative indicators come from the
policy's `monitoring.lights` (each with its source). Time progress is the as-of month ÷ 12,
the national formula's month: every shipped period ends on a month's last day, so an entry
as of 30 June is six months in (50%), as of 31 March three (25%). Percentages are kept to
0.01 ROUND_HALF_UP and the bands judge the percentage as shown, so a progress shown as
60.00% is never red.

- Positive indicators (≥ >, and "=" and a range's lower bound, which accumulate towards a
  figure): progress = actual ÷ (target × months ÷ 12).
- Reverse indicators (≤ <, less is better): the national text defines progress for positive
  ones only, so the policy names the rule (`reverse.rule`, with its source):
  `full_year_ceiling` — progress = target ÷ actual (a unit cost or a rate at its ceiling is
  on track whatever the month), or `time_proportional_ceiling` — (target × months ÷ 12) ÷
  actual (a cumulative ceiling, such as total spending, spread over the year). Under
  either, far under the ceiling lights blue (it may be set too loose); an actual of 0 is
  blue under a positive ceiling and green under a ceiling of 0.
- A positive target of 0 or less gives no expectation to measure against: no light.
- Qualitative indicators: the light the policy gives the reported likelihood (complete_rate),
  or none when the policy gives none.
- Budget: execution rate (executed ÷ budget) ÷ time progress; no light on a budget of 0.
- The object's light is the worst of its indicators' lights (the national text), in the
  policy's order of severity; the budget light is shown beside it, not folded in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from domain.evaluation.scoring_rules import rule_of
from domain.indicators import Indicator
from domain.policy import Policy, Threshold
from domain.transcodings import transcoded

LIGHTS = ("red", "yellow", "green", "blue")
LIGHT_NAMES = {"red": "红灯", "yellow": "黄灯", "green": "绿灯", "blue": "蓝灯"}
CENT = Decimal("0.01")
HUNDRED = Decimal(100)
INFINITY = Decimal("Infinity")


@transcoded("indicator_light")
@dataclass(frozen=True)
class IndicatorLight:
    name: str
    rule: str  # positive / reverse / equal / range / qualitative (scoring_rules.rule_of)
    light: str | None
    progress_pct: Decimal | None
    basis: str  # the arithmetic, or why there is no light


@transcoded("monitoring_lights")
@dataclass(frozen=True)
class Lights:
    months_elapsed: int
    time_progress_pct: Decimal
    budget_progress_pct: Decimal | None
    budget_light: str | None
    indicators: tuple[IndicatorLight, ...]
    light: str | None  # the object's: the worst of its indicators'

    def __post_init__(self) -> None:
        object.__setattr__(self, "indicators", tuple(self.indicators))


def _pct(value: Decimal) -> Decimal:
    return (value * HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)


def _light(bands: list[dict[str, Any]], pct: Decimal) -> str:
    """The first band whose minimum the percentage meets; the last band catches the rest."""
    for band in bands:
        if Threshold.parse(band["min"]).met_by(pct):
            return band["light"]
    return bands[-1]["light"]


def months_elapsed(as_of: date) -> int:
    return as_of.month


def _indicator(
    rules: dict[str, Any], target: Indicator, row, months: int
) -> tuple[str | None, Decimal | None, str]:
    way = rule_of(target)
    if way == "qualitative":
        light = (rules.get("qualitative_by_likelihood") or {}).get(row.likelihood)
        return light, None, f"定性: {row.likelihood}" + ("" if light else ", 不亮灯")
    expected = target.value * months / 12
    actual = Decimal(row.actual)
    shown = f"{target.value} × {months}/12"
    if way == "reverse":
        if _reverse_rule(rules) == "full_year_ceiling":
            expected, shown = target.value, f"{target.value}"
        if actual == 0:  # as far under a positive ceiling as can be; exactly at a zero one
            at = INFINITY if expected > 0 else HUNDRED if expected == 0 else Decimal(0)
            return _light(rules["indicator"], at), None, f"反向: 实际 0, 上限 {shown}"
        pct = _pct(expected / actual)
        return _light(rules["indicator"], pct), pct, f"反向: ({shown}) ÷ 实际 {actual} = {pct}%"
    if expected <= 0:
        return None, None, f"目标 {target.value}: 无时序目标, 不亮灯"
    pct = _pct(actual / expected)
    return _light(rules["indicator"], pct), pct, f"实际 {actual} ÷ ({shown}) = {pct}%"


REVERSE_RULES = ("full_year_ceiling", "time_proportional_ceiling")


def _reverse_rule(rules: dict[str, Any]) -> str:
    rule = (rules.get("reverse") or {}).get("rule", "full_year_ceiling")
    if rule not in REVERSE_RULES:
        raise ValueError(f"monitoring.lights.reverse.rule is one of {REVERSE_RULES}, not {rule}")
    return rule


def entry_lights(
    policy: Policy,
    *,
    as_of: date,
    budget: Decimal,
    executed: Decimal,
    targets: tuple[Indicator, ...],
    entry,  # domain.monitoring.entry.Entry (not imported: it imports the judgement)
) -> Lights | None:
    """The entry's lights under the policy, or None where the policy sets none."""
    rules = policy.section("monitoring").get("lights")
    if rules is None:
        return None
    months = months_elapsed(as_of)
    time_progress = Decimal(months) / 12
    budget_pct = budget_light = None
    if budget > 0:
        budget_pct = _pct(executed / budget / time_progress)
        budget_light = _light(rules["budget"], budget_pct)
    by_name = {t.name: t for t in targets}
    rows = []
    for row in entry.indicators:
        target = by_name[row.name]
        light, pct, basis = _indicator(rules, target, row, months)
        rows.append(IndicatorLight(row.name, rule_of(target), light, pct, basis))
    severity = rules["worst_first"]
    lit = [r.light for r in rows if r.light is not None]
    worst = min(lit, key=severity.index, default=None)
    return Lights(months, _pct(time_progress), budget_pct, budget_light, tuple(rows), worst)
