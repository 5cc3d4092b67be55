"""Scoring a self-evaluation (自评表, 财预〔2020〕10号 practice) and grading any score.

The table: 预算执行率 plus the goal's indicators in three levels (产出, 效益, 满意度), each
level worth the points the policy gives it. A numeric indicator scores by attainment (actual
against target, capped at full marks; for "≤" targets less is better); a qualitative one by
the grade the department reports, worth the percentage the policy sets. Within a level, rows
share the level's points by their weights (equally when no row has a weight). The total and
the grade are computed here, never typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from domain.comparators import direction
from domain.errors import InvalidInput
from domain.indicators import Indicator
from domain.policy import Policy, Threshold
from domain.transcodings import transcoded

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
    grade: str | None = None  # for qualitative indicators, e.g. 达成预期
    deviation_cause: str | None = None

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


def attainment(indicator: Indicator, actual: Decimal) -> Decimal:
    """How far a numeric target was met, 0..1."""
    target = indicator.value
    if actual < 0:
        raise InvalidInput(f"indicator {indicator.name!r}: actual cannot be negative", "actuals")
    way = direction(indicator.comparator)
    if way == "positive":
        ratio = ONE if target <= 0 else actual / target
    elif way == "reverse":  # less is better: exceeding the ceiling loses marks
        ratio = ONE if actual <= target else target / actual
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
    return min(ONE, max(Decimal(0), ratio)).quantize(RATIO, rounding=ROUND_HALF_UP)


def _row_attainment(policy: Policy, indicator: Indicator, reported: IndicatorActual) -> Decimal:
    where = f"indicator {indicator.name!r}"
    if indicator.comparator == "qualitative":
        grades = policy.section("self_evaluation")["qualitative_grades"]
        if reported.grade not in grades:
            raise InvalidInput(f"{where}: grade is one of {list(grades)}", "actuals")
        return (Decimal(grades[reported.grade]) / HUNDRED).quantize(RATIO)
    if reported.actual is None:
        raise InvalidInput(f"{where}: a numeric indicator needs its actual value", "actuals")
    return attainment(indicator, Decimal(reported.actual))


def _matched(
    indicators: tuple[Indicator, ...], actuals: list[IndicatorActual]
) -> list[tuple[Indicator, IndicatorActual]]:
    by_key: dict[tuple[str, str, str], IndicatorActual] = {}
    for a in actuals:
        if a.key in by_key:
            raise InvalidInput(f"indicator {a.name!r} is reported twice", "actuals")
        by_key[a.key] = a
    known = {(i.level1, i.level2, i.name) for i in indicators}
    unknown = [a.name for a in actuals if a.key not in known]
    if unknown:
        raise InvalidInput(f"not indicators of the approved goal: {unknown}", "actuals")
    missing = [i.name for i in indicators if (i.level1, i.level2, i.name) not in by_key]
    if missing:
        raise InvalidInput(f"every goal indicator needs its actual; missing {missing}", "actuals")
    return [(i, by_key[(i.level1, i.level2, i.name)]) for i in indicators]


def score_self_evaluation(
    policy: Policy,
    indicators: tuple[Indicator, ...],
    actuals: list[IndicatorActual],
    *,
    budget_amount: Decimal,
    executed_amount: Decimal,
) -> SelfScore:
    weights = {k: Decimal(v) for k, v in policy.section("self_evaluation")["weights"].items()}
    if sum(weights.values()) != HUNDRED:
        raise InvalidInput(f"policy {policy.policy_id}: self-evaluation weights must total 100")
    if budget_amount <= 0:
        raise InvalidInput("the full-year budget (全年预算数) must be positive", "budget_amount")
    rate = min(ONE, executed_amount / budget_amount).quantize(RATIO, rounding=ROUND_HALF_UP)
    execution_score = points(rate * weights["budget_execution"])

    pairs = _matched(indicators, actuals)
    present = [lvl for lvl in LEVEL_KEYS if any(i.level1 == lvl for i, _ in pairs)]
    # A level the goal has no indicators for (满意度 is optional) gives its points to the
    # levels present, in proportion, so a complete success still totals 100.
    indicator_points = sum(weights[LEVEL_KEYS[lvl]] for lvl in LEVEL_KEYS)
    present_points = sum(weights[LEVEL_KEYS[lvl]] for lvl in present)
    rows: list[ScoredRow] = []
    levels: list[LevelScore] = []
    for level in present:
        level_points = weights[LEVEL_KEYS[level]] * indicator_points / present_points
        members = [(i, a) for i, a in pairs if i.level1 == level]
        total_weight = sum(i.weight for i, _ in members)
        level_score = Decimal(0)
        for indicator, reported in members:
            share = indicator.weight / total_weight if total_weight else ONE / len(members)
            row_points = level_points * share
            ratio = _row_attainment(policy, indicator, reported)
            level_score += ratio * row_points
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
                    points=points(row_points),
                    score=points(ratio * row_points),
                    deviation_cause=reported.deviation_cause,
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
