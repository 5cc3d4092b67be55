"""Red flags on reported figures (统计预警): the statistics, without a database.

Each test reads a jurisdiction-year's reported figures (projections/reported_figures_view.py)
and the thresholds of the policy in force there (its `red_flags` section, each number naming
its source), and always answers a Verdict: fired or quiet, or skipped when the sample is
below the policy's minimum, with the statistic, the threshold, the sample size and the
figures behind it, so every flag is traced to the persons who signed those figures. A flag
is a reason to look, not a finding: the findings views decide what becomes a case.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from domain.policy import Threshold

CHINA = ZoneInfo("Asia/Shanghai")  # recorded times are judged on the calendar day in China
SIX = Decimal("0.000001")
FOUR = Decimal("0.0001")
TWO = Decimal("0.01")
# Figures a person reports as having happened (not forecasts, targets or likelihoods): the
# ones repeats and round-number heaping are looked for in.
ACTUALS = frozenset({"budget_executed", "indicator_actual", "executed_amount", "row_actual"})
# Spending amounts: the only figures the first-digit test reads (never targets or percentages).
SPENDING = frozenset({"budget_executed", "executed_amount"})
NUMERIC_COMPARATORS = frozenset({"≥", "≤", "="})
FIRST_SUBMISSIONS = frozenset({"EntrySubmitted", "SelfEvaluationSubmitted"})


@dataclass(frozen=True)
class Signer:
    person_id: str
    name: str
    role: str
    organisation_id: str | None
    organisation_name: str | None


@dataclass(frozen=True)
class Figure:
    """One reported figure, as the reported_figures view keeps it."""

    position: int
    record_kind: str  # monitoring | self_evaluation | recheck
    record_id: str  # the monitoring task or the evaluation
    object_id: str
    pro_code: str | None
    fiscal_year: int
    period_code: str | None  # the monitoring period; None for evaluations
    as_of: date | None  # the monitoring period's as-of date
    field: str  # budget_executed, budget_forecast, indicator_actual, score, row_actual, ...
    indicator: str  # the indicator's name; "" for amounts and scores
    value: Decimal | None
    target: Decimal | None
    comparator: str | None
    recorded_at: datetime
    event_type: str
    signer: Signer

    def ref(self) -> dict[str, Any]:
        return {
            "position": self.position,
            "record_kind": self.record_kind,
            "record_id": self.record_id,
            "object_id": self.object_id,
            "pro_code": self.pro_code,
            "period_code": self.period_code,
            "field": self.field,
            "indicator": self.indicator,
            "value": None if self.value is None else str(self.value),
            "recorded_at": self.recorded_at.isoformat(),
            "signer_id": self.signer.person_id,
        }


@dataclass
class Verdict:
    kind: str
    title: str
    fired: bool
    statistic: Decimal | None
    threshold: dict[str, Any]
    sample_size: int
    minimum_sample: int
    skipped: str | None = None
    details: dict[str, Any] = field(default_factory=dict)
    records: list[Figure] = field(default_factory=list)

    def signers(self) -> list[dict[str, Any]]:
        """Each person who signed a figure behind the flag, with how many."""
        counts: dict[Signer, int] = defaultdict(int)
        for figure in self.records:
            counts[figure.signer] += 1
        return [
            vars(signer) | {"records": n}
            for signer, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].person_id))
        ]


def _threshold(raw: dict[str, Any]) -> tuple[Threshold, dict[str, Any]]:
    return Threshold.parse(raw), {k: raw[k] for k in ("value", "op", "wording") if k in raw}


def _too_small(n: int, minimum: int) -> str | None:
    return None if n >= minimum else f"sample too small: {n} of the {minimum} needed"


def _share(part: int, whole: int) -> Decimal:
    return (Decimal(part) / Decimal(whole)).quantize(FOUR) if whole else Decimal(0)


def _verdict(
    kind: str,
    title: str,
    rule: dict[str, Any],
    key: str,
    statistic: Decimal | None,
    n: int,
    records: list[Figure],
    details: dict[str, Any],
    extra_condition: bool = True,
) -> Verdict:
    threshold, shown = _threshold(rule[key])
    minimum = int(rule["min_sample"])
    skipped = _too_small(n, minimum)
    fired = (
        skipped is None
        and statistic is not None
        and threshold.met_by(statistic)
        and extra_condition
    )
    return Verdict(
        kind, title, fired, statistic, shown, n, minimum, skipped, details,
        records if fired else [],
    )  # fmt: skip


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
    return _verdict(
        "identical_values",
        "重复数值 Identical values across periods or projects",
        rule,
        "share",
        _share(len(repeated), len(candidates)),
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
    return _verdict(
        "all_at_target",
        "全部指标恰好达标 Every indicator exactly at its target",
        rule,
        "share",
        _share(len(exact), len(rows)),
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
    self_share = _share(len(at_top), len(own))
    recheck_share = _share(len(rechecks_at_top), len(rechecks)) if rechecks else None
    compared = len(rechecks) >= int(rule["min_rechecks"])
    margin, margin_shown = _threshold(rule["recheck_margin"])
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
    return _verdict(
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


# --- round-number heaping --------------------------------------------------------------------


def units_digit(value: Decimal) -> int:
    return int(abs(value)) % 10


def round_numbers(figures: Iterable[Figure], rule: dict[str, Any]) -> Verdict:
    """Reported actuals of 10 or more whose units digit is 0 or 5, against the one in five
    expected of measured figures: a one-sided binomial z."""
    values = [
        f for f in figures if f.field in ACTUALS and f.value is not None and abs(f.value) >= 10
    ]
    heaped = [f for f in values if units_digit(f.value) in (0, 5)]
    p0, n = Decimal(rule["expected_share"]), len(values)
    share = _share(len(heaped), n)
    z = None
    if n:
        z = ((Decimal(len(heaped)) / n - p0) / (p0 * (1 - p0) / n).sqrt()).quantize(TWO)
    return _verdict(
        "round_numbers",
        "尾数0和5堆积 Round-number heaping",
        rule,
        "z",
        z,
        n,
        sorted(heaped, key=lambda f: f.position),
        {"share_0_or_5": share, "expected_share": str(p0), "heaped": len(heaped)},
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
    return _verdict(
        "deadline_bursts",
        "截止前集中填报 Entries bunched just before deadlines",
        rule,
        "share",
        _share(len(late_burst), len(firsts)),
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
    threshold, _ = _threshold(rule["monthly_share"])
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
    return _verdict(
        "december_spike",
        "年末突击花钱 December execution spike",
        rule,
        "monthly_share",
        statistic,
        n,
        sorted(behind, key=lambda f: f.position),
        details,
    )


# --- first digits (Benford) ------------------------------------------------------------------


def benford_expected() -> dict[int, Decimal]:
    return {d: (1 + 1 / Decimal(d)).log10() for d in range(1, 10)}


def first_digit(value: Decimal) -> int:
    return abs(value).normalize().as_tuple().digits[0]


def mad_band(mad: Decimal, rule: dict[str, Any]) -> str:
    for band in rule["bands"]:
        if Threshold.parse(band["max"]).met_by(mad):
            return band["band"]
    return rule["above_bands"]


def first_digit_mad(values: list[Decimal]) -> tuple[Decimal, list[dict[str, Any]]]:
    """Nigrini's mean absolute deviation of the first-digit proportions from Benford's."""
    counts = defaultdict(int)
    for v in values:
        counts[first_digit(v)] += 1
    n, table, total = len(values), [], Decimal(0)
    for digit, expected in benford_expected().items():
        observed = Decimal(counts[digit]) / n
        total += abs(observed - expected)
        table.append(
            {"digit": digit, "count": counts[digit], "observed": observed.quantize(SIX),
             "expected": expected.quantize(SIX)}
        )  # fmt: skip
    return (total / 9).quantize(SIX), table


def benford(figures: Iterable[Figure], rule: dict[str, Any]) -> Verdict:
    floor = Decimal(rule["min_amount"])
    amounts = [
        f for f in figures if f.field in SPENDING and f.value is not None and f.value >= floor
    ]
    minimum = int(rule["min_sample"])
    if len(amounts) < minimum:
        _, shown = _threshold(rule["nonconforming"])
        return Verdict(
            "benford", BENFORD_TITLE, False, None, shown, len(amounts), minimum,
            _too_small(len(amounts), minimum),
        )  # fmt: skip
    mad, table = first_digit_mad([f.value for f in amounts])
    over = {row["digit"] for row in table if row["observed"] > row["expected"]}
    behind = [f for f in amounts if first_digit(f.value) in over]
    return _verdict(
        "benford",
        BENFORD_TITLE,
        rule,
        "nonconforming",
        mad,
        len(amounts),
        behind,
        {"band": mad_band(mad, rule), "digits": table, "over_represented": sorted(over)},
    )


BENFORD_TITLE = "首位数字检验 First-digit (Benford) test on spending amounts"


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
