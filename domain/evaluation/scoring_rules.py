"""How one indicator row of a self-evaluation earns its points, as the policy names the rule.

A policy's `self_evaluation.scoring` names (each with its source):
- `reverse.rule`: `linear_to_double` — the national system's auto-score (FORMS.md): actual ≤
  target earns the full points, between target and 2 × target (1 − (actual − target) /
  target) of them, at or over 2 × target nothing; or `ratio` — jixiao's earlier default,
  target ÷ actual.
- `qualitative.rule`: `bands` — the national system's: the reported grade picks a band of
  the row's points ([0.8w, w], [0.6w, 0.8w), [0, 0.6w)) and the department's stated score
  must lie inside it; or `fixed_percentages` — the grade earns the percentage the section's
  `qualitative_grades` gives it, and no score is stated.
- `deviation_reason_at`: the share of the target at which an actual needs its deviation
  reason (one province: actual ≥ 130% of target), or null where no document sets one.
A policy without a `scoring` part (an administrator's file written before it existed) keeps
the earlier rules: `ratio`, `fixed_percentages`, no deviation-reason threshold.

Zero targets: a positive target of 0 (or less) is met by any actual; a reverse target of 0
(or less) is met only at or under it and otherwise earns nothing under either rule (the
linear rule's band between target and 2 × target is empty). Positive and "=" and range rows
score as before (actual ÷ target, capped). A row's score is fraction × points rounded to
0.01 points ROUND_HALF_UP; the attainment shown is the fraction to 0.0001.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from domain.comparators import direction
from domain.errors import InvalidInput
from domain.indicators import Indicator
from domain.policy import Policy, Threshold

ONE = Decimal(1)
ZERO = Decimal(0)
CENT = Decimal("0.01")
REVERSE_RULES = ("linear_to_double", "ratio")
QUALITATIVE_RULES = ("bands", "fixed_percentages")


def rule_of(indicator: Indicator) -> str:
    """positive / reverse / equal / range / qualitative: what an indicator's score rewards.

    Today the comparator decides. An indicator drafted from the library (`indicator.library`)
    may later take the library entry's scoring rule instead: extend here, nowhere else."""
    return direction(indicator.comparator)


@dataclass(frozen=True)
class Band:
    grade: str
    low: Threshold  # fraction of the row's points
    high: Threshold

    def bounds(self, row_points: Decimal) -> tuple[Decimal, Decimal]:
        return _cents(self.low.value * row_points), _cents(self.high.value * row_points)

    def holds(self, stated: Decimal, row_points: Decimal) -> bool:
        low, high = self.bounds(row_points)
        return Threshold(low, self.low.op).met_by(stated) and Threshold(high, self.high.op).met_by(
            stated
        )


@dataclass(frozen=True)
class ScoringRules:
    reverse: str
    qualitative: str
    bands: tuple[Band, ...]
    fixed: dict[str, Decimal]  # grade → percentage, for fixed_percentages
    deviation_reason_at: Threshold | None  # share of the target, e.g. >= 1.30

    @classmethod
    def of(cls, policy: Policy) -> ScoringRules:
        section = policy.section("self_evaluation")
        raw: dict[str, Any] = section.get("scoring") or {}
        reverse = (raw.get("reverse") or {}).get("rule", "ratio")
        qualitative = raw.get("qualitative") or {"rule": "fixed_percentages"}
        if reverse not in REVERSE_RULES or qualitative["rule"] not in QUALITATIVE_RULES:
            raise ValueError(f"policy {policy.policy_id}: unknown scoring rule in {raw}")
        bands = tuple(
            Band(b["grade"], Threshold.parse(b["low"]), Threshold.parse(b["high"]))
            for b in qualitative.get("bands", ())
        )
        fixed = {k: Decimal(v) for k, v in section.get("qualitative_grades", {}).items()}
        at = raw.get("deviation_reason_at")
        return cls(
            reverse, qualitative["rule"], bands, fixed, None if at is None else Threshold.parse(at)
        )

    @property
    def grades(self) -> list[str]:
        return [b.grade for b in self.bands] if self.qualitative == "bands" else list(self.fixed)

    def met(self, indicator: Indicator, grade: str | None, attainment: Decimal) -> bool:
        """A numeric row is met at full attainment; a qualitative one by its grade: the first
        band's (达成年度指标), or a grade worth 100% under fixed percentages."""
        if rule_of(indicator) != "qualitative":
            return attainment >= ONE
        if self.qualitative == "bands":
            return grade == self.bands[0].grade
        return self.fixed.get(grade or "") == Decimal(100)

    def label(self, indicator: Indicator) -> str:
        """The rule a row was scored by, as shown beside it (e.g. reverse:linear_to_double)."""
        way = rule_of(indicator)
        if way == "reverse":
            return f"reverse:{self.reverse}"
        if way == "qualitative":
            return f"qualitative:{self.qualitative}"
        return way


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def numeric_fraction(rules: ScoringRules, indicator: Indicator, actual: Decimal) -> Decimal:
    """The exact share of its points a numeric row earns, 0..1."""
    target = indicator.value
    if actual < 0:
        raise InvalidInput(f"indicator {indicator.name!r}: actual cannot be negative", "actuals")
    way = rule_of(indicator)
    if way == "positive":
        ratio = ONE if target <= 0 else actual / target
    elif way == "reverse":
        if actual <= target:
            ratio = ONE
        elif target <= 0:
            ratio = ZERO
        elif rules.reverse == "linear_to_double":
            ratio = ONE - (actual - target) / target  # ≤ 0 from 2 × target on
        else:
            ratio = target / actual
    elif way == "equal":
        high = max(actual, target)
        ratio = ONE if high == 0 else min(actual, target) / high
    else:  # range [value, upper]
        if actual < target:
            ratio = actual / target
        elif actual > indicator.upper:
            ratio = indicator.upper / actual
        else:
            ratio = ONE
    return min(ONE, max(ZERO, ratio))


def stated_qualitative(
    rules: ScoringRules, indicator: Indicator, grade: str | None, stated: Decimal | None, row_points
) -> Decimal | None:
    """Under `bands` the stated score (checked inside the grade's band of the row's points,
    as shown to 0.01); under `fixed_percentages` None (the grade's percentage scores it)."""
    where = f"indicator {indicator.name!r}"
    if grade not in rules.grades:
        raise InvalidInput(f"{where}: grade is one of {rules.grades}", "actuals")
    if rules.qualitative == "fixed_percentages":
        if stated is not None:
            raise InvalidInput(
                f"{where}: this policy scores the grade {grade} at "
                f"{rules.fixed[grade]}% of the row's points; state no score",
                "actuals",
            )
        return None
    if stated is None:
        raise InvalidInput(f"{where}: state the score within the band of {grade}", "actuals")
    stated = Decimal(stated)
    if stated != _cents(stated):
        raise InvalidInput(f"{where}: scores are kept to 0.01 points", "actuals")
    band = next(b for b in rules.bands if b.grade == grade)
    shown = _cents(row_points)
    # A row worth no points (weight 0 beside weighted rows) has empty lower bands: 0 is its score.
    if not (band.holds(stated, shown) or stated == shown == 0):
        low, high = band.bounds(shown)
        close = "]" if band.high.op == "<=" else ")"
        raise InvalidInput(
            f"{where}: {grade} scores in [{low}, {high}{close} of its {shown} points, not {stated}",
            "actuals",
        )
    return stated


def needs_deviation_reason(rules: ScoringRules, indicator: Indicator, actual: Decimal) -> bool:
    """Whether the policy asks for a deviation reason for this actual (e.g. ≥ 130% of the
    target); never for a target of zero or less, which has no such share."""
    if rules.deviation_reason_at is None:
        return False
    base = indicator.upper if indicator.comparator == "range" else indicator.value
    if base is None or base <= 0:
        return False
    return rules.deviation_reason_at.met_by(actual / base)
