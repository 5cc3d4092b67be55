"""Red flags on reported figures (统计预警): the statistics, without a database.

Each test reads a jurisdiction-year's reported figures (projections/reported_figures_view.py)
and the thresholds of the policy in force there (its `red_flags` section, each number naming
its source), and always answers a Verdict: fired or quiet, or skipped when the sample is
below the policy's minimum, with the statistic, the threshold, the sample size and the
figures behind it, so every flag is traced to the persons who signed those figures. A flag
is a reason to look, not a finding: the findings views decide what becomes a case.

This module holds the tests that count records (repeats, targets, top scores, deadlines, year
end) and runs every test (all_verdicts); the tests on digits are in red_flag_statistics.py,
and what all of them read and answer (Figure, Verdict) in red_flag_figures.py.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from domain.policy import Threshold
from projections.red_flag_figures import (
    ACTUALS,
    FOUR,
    TWO,
    Figure,
    Verdict,
    share_of,
    threshold_of,
    verdict_of,
)
from projections.red_flag_statistics import benford, round_numbers

CHINA = ZoneInfo("Asia/Shanghai")  # recorded times are judged on the calendar day in China
NUMERIC_COMPARATORS = frozenset({"≥", "≤", "="})
FIRST_SUBMISSIONS = frozenset({"EntrySubmitted", "SelfEvaluationSubmitted"})


def significant_digits(value: Decimal) -> int:
    """Digits left once trailing zeros are dropped: 523417.36 has 8, 3100 has 2, 0 has 0."""
    if value == 0:
        return 0
    return len(abs(value).normalize().as_tuple().digits)


# --- identical values across periods or projects -----------------------------------------


def identical_values(figures: Iterable[Figure], rule: dict[str, Any]) -> Verdict:
    """The same long value reported again: in two or more projects, or in `min_periods` or
    more periods of one project. Short or round values (12, 95, 3000) recur by chance and
    are left out by the significant-digit minimum."""
    digits, periods_needed = int(rule["min_significant_digits"]), int(rule["min_periods"])
    candidates = [
        f
        for f in figures
        if f.field in ACTUALS and f.value is not None and significant_digits(f.value) >= digits
    ]
    groups: dict[tuple[str, str, Decimal], list[Figure]] = defaultdict(list)
    for f in candidates:
        groups[(f.field, f.indicator, f.value.normalize())].append(f)
    repeated: list[Figure] = []
    shown = []
    for (fld, indicator, _value), members in groups.items():
        objects = {f.object_id for f in members}
        periods = {f.period_code for f in members}
        if len(objects) >= 2 or len(periods) >= periods_needed:
            repeated.extend(members)
            shown.append(
                {"field": fld, "indicator": indicator, "value": str(members[0].value),
                 "count": len(members), "objects": len(objects)}
            )  # fmt: skip
    shown.sort(key=lambda g: (-g["count"], g["field"], g["value"]))
    return verdict_of(
        "identical_values",
        "重复数值 Identical values across periods or projects",
        rule,
        "share",
        share_of(len(repeated), len(candidates)),
        len(candidates),
        sorted(repeated, key=lambda f: f.position),
        {"repeated_values": len(repeated), "groups": shown},
    )


# --- every indicator exactly at target -----------------------------------------------------


def all_at_target(figures: Iterable[Figure], rule: dict[str, Any]) -> Verdict:
    """Self-evaluations whose every numeric indicator is reported exactly at its target."""
    rows: dict[str, list[Figure]] = defaultdict(list)
    for f in figures:
        if (
            f.field == "row_actual"
            and f.comparator in NUMERIC_COMPARATORS
            and f.value is not None
            and f.target is not None
        ):
            rows[f.record_id].append(f)
    exact = [members for members in rows.values() if all(f.value == f.target for f in members)]
    return verdict_of(
        "all_at_target",
        "全部指标恰好达标 Every indicator exactly at its target",
        rule,
        "share",
        share_of(len(exact), len(rows)),
        len(rows),
        sorted((f for members in exact for f in members), key=lambda f: f.position),
        {"objects_at_target": len(exact)},
    )


# --- self-scores heaped at the top ------------------------------------------------------------


def _mean(values: list[Decimal]) -> Decimal | None:
    return (sum(values) / len(values)).quantize(TWO) if values else None


def scores_at_top(figures: Iterable[Figure], rule: dict[str, Any], top: Threshold) -> Verdict:
    """The share of self-scores in the top grade, against the re-checks of the same year."""
    figures = list(figures)
    own = [f for f in figures if f.field == "score" and f.value is not None]
    rechecks = [f for f in figures if f.field == "recheck_score" and f.value is not None]
    at_top = [f for f in own if top.met_by(f.value)]
    rechecks_at_top = [f for f in rechecks if top.met_by(f.value)]
    self_share = share_of(len(at_top), len(own))
    recheck_share = share_of(len(rechecks_at_top), len(rechecks)) if rechecks else None
    compared = len(rechecks) >= int(rule["min_rechecks"])
    margin, margin_shown = threshold_of(rule["recheck_margin"])
    gap = None if recheck_share is None else self_share - recheck_share
    self_mean, recheck_mean = _mean([f.value for f in own]), _mean([f.value for f in rechecks])
    details = {
        "top": {"value": str(top.value), "op": top.op},
        "self_mean": self_mean,
        "rechecks": len(rechecks),
        "recheck_share_at_top": recheck_share,
        "recheck_mean": recheck_mean,
        "mean_gap": None if None in (self_mean, recheck_mean) else self_mean - recheck_mean,
        "share_gap": gap,
        "recheck_margin": margin_shown,
        "compared_with_rechecks": compared,
    }
    return verdict_of(
        "scores_at_top",
        "自评分数扎堆高分 Self-scores heaped at the top",
        rule,
        "share",
        self_share,
        len(own),
        sorted(at_top, key=lambda f: f.position),
        details,
        extra_condition=not compared or (gap is not None and margin.met_by(gap)),
    )


# --- bursts of entries just before deadlines --------------------------------------------------


def deadline_of(f: Figure, rule: dict[str, Any], self_evaluation_due: str) -> date | None:
    """A monitoring figure is due the policy's days after its period's as-of date; a
    self-evaluation on the policy's due day (MM-DD) of the year after its fiscal year."""
    if f.record_kind == "monitoring" and f.as_of is not None:
        return f.as_of + timedelta(days=int(rule["monitoring_due_days_after_as_of"]))
    if f.record_kind == "self_evaluation":
        return date.fromisoformat(f"{f.fiscal_year + 1}-{self_evaluation_due}")
    return None


def deadline_bursts(
    figures: Iterable[Figure], rule: dict[str, Any], self_evaluation_due: str
) -> Verdict:
    """First submissions (not corrections) recorded in the last days up to their deadline."""
    window = int(rule["window_days"])
    firsts: dict[str, Figure] = {}
    for f in figures:
        if f.event_type in FIRST_SUBMISSIONS and f.field in ("budget_executed", "score"):
            firsts.setdefault(f.record_id, f)
    late_burst, late = [], 0
    for f in firsts.values():
        due = deadline_of(f, rule, self_evaluation_due)
        day = f.recorded_at.astimezone(CHINA).date()
        if due is None:
            continue
        if day > due:
            late += 1
        elif (due - day).days < window:
            late_burst.append(f)
    return verdict_of(
        "deadline_bursts",
        "截止前集中填报 Entries bunched just before deadlines",
        rule,
        "share",
        share_of(len(late_burst), len(firsts)),
        len(firsts),
        sorted(late_burst, key=lambda f: f.position),
        {"in_window": len(late_burst), "window_days": window, "after_deadline": late},
    )


# --- December execution spike ---------------------------------------------------------------


def december_spike(figures: Iterable[Figure], rule: dict[str, Any]) -> Verdict:
    """Spending added at year end, per month, as a share of the year's executed amount.

    The data are cumulative executed amounts at each monitoring period's as-of date, so the
    year-end spending is the December (year-end) figure less the last figure before December,
    spread over the months between them (1 with a November period, 2 from 31 October): the
    statistic is the jurisdiction's Σ(added ÷ months) ÷ Σ year-end executed, compared with the
    share of the last month in the policy's source."""
    by_object: dict[str, list[Figure]] = defaultdict(list)
    for f in figures:
        if f.field == "budget_executed" and f.value is not None and f.as_of is not None:
            by_object[f.object_id].append(f)
    threshold, _ = threshold_of(rule["monthly_share"])
    per_month, year_total, behind, windows = Decimal(0), Decimal(0), [], set()
    n = 0
    for members in by_object.values():
        year_end = [f for f in members if f.as_of.month == 12]
        before = [f for f in members if f.as_of.month < 12]
        if not year_end or not before:
            continue
        end = max(year_end, key=lambda f: f.as_of)
        last = max(before, key=lambda f: f.as_of)
        if end.value <= 0:
            continue
        months = 12 - last.as_of.month
        windows.add(months)
        added = (end.value - last.value) / months
        per_month += added
        year_total += end.value
        n += 1
        if threshold.met_by(added / end.value):
            behind += [last, end]
    statistic = (per_month / year_total).quantize(FOUR) if year_total else None
    details = {"window_months": sorted(windows), "objects": n, "year_end_executed": str(year_total)}
    return verdict_of(
        "december_spike",
        "年末突击花钱 December execution spike",
        rule,
        "monthly_share",
        statistic,
        n,
        sorted(behind, key=lambda f: f.position),
        details,
    )


def all_verdicts(
    latest: list[Figure],
    every: list[Figure],
    rules: dict[str, Any],
    top: Threshold,
    self_evaluation_due: str,
) -> list[Verdict]:
    """Every test: values from the latest version of each record (`latest`); submission
    times from every figure, first submissions included (`every`)."""
    return [
        identical_values(latest, rules["identical_values"]),
        all_at_target(latest, rules["all_at_target"]),
        scores_at_top(latest, rules["scores_at_top"], top),
        round_numbers(latest, rules["round_numbers"]),
        deadline_bursts(every, rules["deadline_bursts"], self_evaluation_due),
        december_spike(latest, rules["december_spike"]),
        benford(latest, rules["benford"]),
    ]
