"""Scoring a self-evaluation (自评表, 财预〔2020〕10号 practice) and grading any score.

The table: 预算执行率 plus the goal's indicators in three levels (产出, 效益, 满意度), each
level worth the points the policy gives it. Each row earns a share of its points by the rule
its policy names (domain/evaluation/scoring_rules.py: positive actual ÷ target capped; reverse
by the national linear-to-double rule or target ÷ actual; qualitative by the national bands
with a stated score, or a fixed percentage per grade). Within a level, rows share the level's
points by their weights (equally when no row has a weight). The total and the grade are
computed here, never typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from domain.errors import InvalidInput
from domain.evaluation.scoring_rules import (
    ScoringRules,
    needs_deviation_reason,
    numeric_fraction,
    stated_qualitative,
)
from domain.indicators import Indicator
from domain.policy import Policy, Threshold
from domain.transcodings import transcoded
from domain.values import measured

CENT = Decimal("0.01")
RATIO = Decimal("0.0001")
ONE = Decimal(1)
HUNDRED = Decimal(100)
# Level one of the goal's indicators → the key of its points in the policy's weights.
LEVEL_KEYS = {"产出": "output", "效益": "effect", "满意度": "satisfaction"}


def points(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def grade_for(policy: Policy, score: Decimal) -> str:
    """The grade the policy's bands give a score of 0–100 (bands are checked in order)."""
    if not Decimal(0) <= score <= HUNDRED:
        raise InvalidInput(f"a score is between 0 and 100, not {score}", "score")
    for band in policy.section("grades")["bands"]:
        if Threshold.parse(band["min"]).met_by(score):
            return band["grade"]
    raise InvalidInput(f"policy {policy.policy_id} grades no score of {score}", "score")


@transcoded("indicator_actual")
@dataclass(frozen=True)
class IndicatorActual:
    """What the department reports for one goal indicator (实际完成值, 偏差原因)."""

    level1: str
    level2: str
    name: str
    actual: Decimal | None = None
    grade: str | None = None  # for qualitative indicators, e.g. 达成年度指标
    deviation_cause: str | None = None
    score: Decimal | None = None  # qualitative under the band rule: the score stated in band

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.level1, self.level2, self.name)


@transcoded("scored_row")
@dataclass(frozen=True)
class ScoredRow:
    level1: str
    level2: str
    name: str
    comparator: str
    target: str
    unit: str
    actual: Decimal | None
    grade: str | None
    attainment: Decimal  # 0..1
    points: Decimal  # the row's share of its level's points
    score: Decimal
    deviation_cause: str | None
    rule: str | None = None  # e.g. reverse:linear_to_double; None in rows scored before rules
    # Whether the row met its target by its rule: a qualitative row graded as achieved is met
    # even when its stated score sits below the band's top. None in rows scored before.
    met: bool | None = None


@transcoded("level_score")
@dataclass(frozen=True)
class LevelScore:
    level: str
    points: Decimal
    score: Decimal


@transcoded("self_score")
@dataclass(frozen=True)
class SelfScore:
    """The computed self-evaluation table: execution, rows, level totals, total, grade."""

    budget_amount: Decimal
    executed_amount: Decimal
    execution_rate: Decimal
    execution_points: Decimal
    execution_score: Decimal
    rows: tuple[ScoredRow, ...]
    levels: tuple[LevelScore, ...]
    total: Decimal
    grade: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "rows", tuple(self.rows))
        object.__setattr__(self, "levels", tuple(self.levels))


def _target(i: Indicator) -> str:
    if i.comparator == "qualitative":
        return i.qualitative_target or ""
    if i.comparator == "range":
        return f"{i.value}–{i.upper}"
    return f"{i.comparator}{i.value}"


def attainment(indicator: Indicator, actual: Decimal, rules: ScoringRules | None = None) -> Decimal:
    """How far a numeric target was met, 0..1 to 0.0001 (the earlier rules when none given)."""
    rules = rules or ScoringRules("ratio", "fixed_percentages", (), {}, None)
    return numeric_fraction(rules, indicator, actual).quantize(RATIO, rounding=ROUND_HALF_UP)


def _row(
    rules: ScoringRules, indicator: Indicator, reported: IndicatorActual, row_points: Decimal
) -> tuple[Decimal, Decimal, Decimal]:
    """The row's attainment (0..1, to 0.0001), its score as shown (0.01 points) and what it
    adds to its level (unrounded: a stated score is that share of the row's exact points, so
    the full points as shown count in full)."""
    where = f"indicator {indicator.name!r}"
    if indicator.comparator == "qualitative":
        stated = stated_qualitative(rules, indicator, reported.grade, reported.score, row_points)
        if stated is None:  # fixed percentage of the row's points
            fraction = (rules.fixed[reported.grade] / HUNDRED).quantize(RATIO)
            return fraction, points(fraction * row_points), fraction * row_points
        shown = points(row_points)
        fraction = stated / shown if shown else ONE
        return fraction.quantize(RATIO, rounding=ROUND_HALF_UP), stated, fraction * row_points
    if reported.score is not None:
        raise InvalidInput(
            f"{where}: a numeric indicator's score is computed, not stated", "actuals"
        )
    if reported.actual is None:
        raise InvalidInput(f"{where}: a numeric indicator needs its actual value", "actuals")
    actual = Decimal(reported.actual)
    if needs_deviation_reason(rules, indicator, actual) and not (
        reported.deviation_cause and reported.deviation_cause.strip()
    ):
        at = rules.deviation_reason_at
        raise InvalidInput(
            f"{where}: an actual of {actual} is {at.op} {at.value * HUNDRED:.0f}% of the target "
            "and needs its deviation reason (偏差原因)",
            "actuals",
        )
    fraction = numeric_fraction(rules, indicator, actual)
    exact = fraction * row_points
    return fraction.quantize(RATIO, rounding=ROUND_HALF_UP), points(exact), exact


def _matched(
    indicators: tuple[Indicator, ...], actuals: list[IndicatorActual]
) -> list[tuple[Indicator, IndicatorActual]]:
    by_key: dict[tuple[str, str, str], IndicatorActual] = {}
    for a in actuals:
        if a.key in by_key:
            raise InvalidInput(f"indicator {a.name!r} is reported twice", "actuals")
        for value in (a.actual, a.score):
            if value is not None:
                measured(value, field_name="actuals", where=f"indicator {a.name!r}: ")
        by_key[a.key] = a
    known = {(i.level1, i.level2, i.name) for i in indicators}
    unknown = [a.name for a in actuals if a.key not in known]
    if unknown:
        raise InvalidInput(f"not indicators of the approved goal: {unknown}", "actuals")
    missing = [i.name for i in indicators if (i.level1, i.level2, i.name) not in by_key]
    if missing:
        raise InvalidInput(f"every goal indicator needs its actual; missing {missing}", "actuals")
    return [(i, by_key[(i.level1, i.level2, i.name)]) for i in indicators]


def _weights(policy: Policy) -> dict[str, Decimal]:
    weights = {k: Decimal(v) for k, v in policy.section("self_evaluation")["weights"].items()}
    if sum(weights.values()) != HUNDRED:
        raise InvalidInput(f"policy {policy.policy_id}: self-evaluation weights must total 100")
    return weights


def row_points(
    policy: Policy, indicators: tuple[Indicator, ...]
) -> dict[tuple[str, str, str], Decimal]:
    """Each indicator row's points (its w, unrounded), in the goal's order: what a department
    states a qualitative score against under the band rule."""
    weights = _weights(policy)
    present = [lvl for lvl in LEVEL_KEYS if any(i.level1 == lvl for i in indicators)]
    # A level the goal has no indicators for (满意度 is optional) gives its points to the
    # levels present, in proportion, so a complete success still totals 100.
    indicator_points = sum(weights[LEVEL_KEYS[lvl]] for lvl in LEVEL_KEYS)
    present_points = sum(weights[LEVEL_KEYS[lvl]] for lvl in present)
    shares: dict[tuple[str, str, str], Decimal] = {}
    for level in present:
        level_points = weights[LEVEL_KEYS[level]] * indicator_points / present_points
        members = [i for i in indicators if i.level1 == level]
        total_weight = sum(i.weight for i in members)
        for i in members:
            share = i.weight / total_weight if total_weight else ONE / len(members)
            shares[(i.level1, i.level2, i.name)] = level_points * share
    return {(i.level1, i.level2, i.name): shares[(i.level1, i.level2, i.name)] for i in indicators}


def score_self_evaluation(
    policy: Policy,
    indicators: tuple[Indicator, ...],
    actuals: list[IndicatorActual],
    *,
    budget_amount: Decimal,
    executed_amount: Decimal,
) -> SelfScore:
    weights = _weights(policy)
    rules = ScoringRules.of(policy)
    if budget_amount <= 0:
        raise InvalidInput("the full-year budget (全年预算数) must be positive", "budget_amount")
    rate = min(ONE, executed_amount / budget_amount).quantize(RATIO, rounding=ROUND_HALF_UP)
    execution_score = points(rate * weights["budget_execution"])

    pairs = _matched(indicators, actuals)
    worth = row_points(policy, indicators)
    rows: list[ScoredRow] = []
    levels: list[LevelScore] = []
    for level in LEVEL_KEYS:
        members = [(i, a) for i, a in pairs if i.level1 == level]
        if not members:
            continue
        level_points = level_score = Decimal(0)
        for indicator, reported in members:
            w = worth[(indicator.level1, indicator.level2, indicator.name)]
            ratio, row_score, adds = _row(rules, indicator, reported, w)
            level_points += w
            level_score += adds
            rows.append(
                ScoredRow(
                    level1=indicator.level1,
                    level2=indicator.level2,
                    name=indicator.name,
                    comparator=indicator.comparator,
                    target=_target(indicator),
                    unit=indicator.unit,
                    actual=None if reported.actual is None else Decimal(reported.actual),
                    grade=reported.grade,
                    attainment=ratio,
                    points=points(w),
                    score=row_score,
                    deviation_cause=reported.deviation_cause,
                    rule=rules.label(indicator),
                    met=rules.met(indicator, reported.grade, ratio),
                )
            )
        levels.append(LevelScore(level, points(level_points), points(level_score)))
    total = points(min(HUNDRED, execution_score + sum(lv.score for lv in levels)))
    return SelfScore(
        budget_amount=budget_amount,
        executed_amount=executed_amount,
        execution_rate=rate,
        execution_points=points(weights["budget_execution"]),
        execution_score=execution_score,
        rows=tuple(rows),
        levels=tuple(levels),
        total=total,
        grade=grade_for(policy, total),
    )


# First-level indicators of department and finance evaluations (财预〔2020〕10号 附件).
KEY_LEVELS = ("决策", "过程", "产出", "效益")


def validated_level_scores(
    weights: dict[str, Decimal], scores: dict[str, Decimal]
) -> dict[str, Decimal]:
    """Scores per first-level indicator, each within its weight."""
    if set(scores) != set(weights):
        raise InvalidInput(f"score each of {list(weights)} exactly once", "scores")
    checked = {}
    for level, score in scores.items():
        score = Decimal(score)
        if not Decimal(0) <= score <= weights[level]:
            raise InvalidInput(
                f"{level}: a score is between 0 and its weight {weights[level]}", "scores"
            )
        if score != points(score):
            raise InvalidInput(f"{level}: scores are kept to 0.01 points", "scores")
        checked[level] = points(score)
    return checked


def validated_weights(weights: dict[str, Decimal]) -> dict[str, Decimal]:
    if set(weights) != set(KEY_LEVELS):
        raise InvalidInput(f"weights are given for {list(KEY_LEVELS)}", "weights")
    checked = {k: Decimal(v) for k, v in weights.items()}
    if any(v < 0 or v != points(v) for v in checked.values()):
        raise InvalidInput("weights are non-negative, to 0.01 points", "weights")
    if sum(checked.values()) != HUNDRED:
        raise InvalidInput("the weights of 决策/过程/产出/效益 must total 100", "weights")
    return {k: points(checked[k]) for k in KEY_LEVELS}


@transcoded("level_points")
@dataclass(frozen=True)
class LevelPoints:
    """A first-level indicator's weight or score, as stored in events (in level order)."""

    level: str
    points: Decimal


def level_rows(values: dict[str, Decimal]) -> tuple[LevelPoints, ...]:
    return tuple(LevelPoints(level, values[level]) for level in KEY_LEVELS if level in values)


def level_dict(rows) -> dict[str, Decimal]:
    return {row.level: Decimal(row.points) for row in rows}
