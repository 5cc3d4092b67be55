"""The red-flag tests on how reported numbers are distributed, against what measured figures
show by chance: round-number heaping in the units digit (a binomial z) and the first digits
of spending amounts against Benford's law (Nigrini's mean absolute deviation and bands).
Kept apart from the tests on repeats, targets and timing (red_flags.py), which count
records rather than digits."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from domain.policy import Threshold
from projections.red_flag_figures import (
    ACTUALS,
    TWO,
    Figure,
    Verdict,
    share_of,
    threshold_of,
    too_small,
    verdict_of,
)

SIX = Decimal("0.000001")
# Spending amounts: the only figures the first-digit test reads (never targets or percentages).
SPENDING = frozenset({"budget_executed", "executed_amount"})


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
    share = share_of(len(heaped), n)
    z = None
    if n:
        z = ((Decimal(len(heaped)) / n - p0) / (p0 * (1 - p0) / n).sqrt()).quantize(TWO)
    return verdict_of(
        "round_numbers",
        "尾数0和5堆积 Round-number heaping",
        rule,
        "z",
        z,
        n,
        sorted(heaped, key=lambda f: f.position),
        {"share_0_or_5": share, "expected_share": str(p0), "heaped": len(heaped)},
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
        _, shown = threshold_of(rule["nonconforming"])
        return Verdict(
            "benford", BENFORD_TITLE, False, None, shown, len(amounts), minimum,
            too_small(len(amounts), minimum),
        )  # fmt: skip
    mad, table = first_digit_mad([f.value for f in amounts])
    over = {row["digit"] for row in table if row["observed"] > row["expected"]}
    behind = [f for f in amounts if first_digit(f.value) in over]
    return verdict_of(
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
