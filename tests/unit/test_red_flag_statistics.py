"""The red-flag statistics (projections/red_flags.py, red_flag_statistics.py) against numbers
worked by hand, judged by the shipped policies' red_flags sections."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.policy import PolicyBook, Threshold
from projections.red_flag_figures import Figure, Signer
from projections.red_flag_statistics import (
    benford,
    benford_expected,
    first_digit,
    first_digit_mad,
    mad_band,
    round_numbers,
    units_digit,
)
from projections.red_flags import (
    all_at_target,
    deadline_bursts,
    december_spike,
    identical_values,
    scores_at_top,
    significant_digits,
)

RULES = PolicyBook.shipped().get("national-default").section("red_flags")
XINFENG = PolicyBook.shipped().for_jurisdiction("360734", 2025).section("red_flags")
TOP = Threshold(Decimal(90), ">=")
WANG = Signer("p-wang", "王芳", "department_staff", "d101", "住建局")
ZHAO = Signer("p-zhao", "赵云", "department_staff", "d102", "卫健委")
_positions = iter(range(1, 1_000_000))


def fig(
    value: str | Decimal | None,
    field: str = "budget_executed",
    *,
    obj: str = "o1",
    record: str | None = None,
    period: str | None = "H1",
    as_of: date | None = date(2025, 6, 30),
    indicator: str = "",
    target: str | None = None,
    comparator: str | None = None,
    kind: str = "monitoring",
    event: str = "EntrySubmitted",
    at: datetime = datetime(2025, 7, 3, 2, tzinfo=UTC),
    signer: Signer = WANG,
) -> Figure:
    return Figure(
        position=next(_positions),
        record_kind=kind,
        record_id=record or f"{obj}:{period}:{kind}",
        object_id=obj,
        pro_code=obj.upper(),
        fiscal_year=2025,
        period_code=period,
        as_of=as_of,
        field=field,
        indicator=indicator,
        value=None if value is None else Decimal(value),
        target=None if target is None else Decimal(target),
        comparator=comparator,
        recorded_at=at,
        event_type=event,
        signer=signer,
    )


def with_min(rule: dict, n: int) -> dict:
    return rule | {"min_sample": n}


# --- digits ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "digits", "first", "units"),
    [
        ("523417.36", 8, 5, 7),
        ("3100", 2, 3, 0),
        ("1200000.00", 2, 1, 0),
        ("96.5", 3, 9, 6),
        ("0.0123", 3, 1, 0),
        ("0", 0, None, 0),
    ],
)
def test_digits(value, digits, first, units) -> None:
    v = Decimal(value)
    assert significant_digits(v) == digits
    assert units_digit(v) == units
    if first is not None:
        assert first_digit(v) == first


# --- Benford -------------------------------------------------------------------------------


def test_benford_expected_proportions() -> None:
    expected = benford_expected()
    assert expected[1].quantize(Decimal("0.000001")) == Decimal("0.301030")
    assert expected[9].quantize(Decimal("0.000001")) == Decimal("0.045757")
    assert abs(sum(expected.values()) - 1) < Decimal("1e-20")


def _with_first_digits(counts: dict[int, int]) -> list[Decimal]:
    return [Decimal(f"{d}23456.78") for d, n in counts.items() for _ in range(n)]


def test_mad_of_a_sample_at_benford_proportions_is_close() -> None:
    # 1000 amounts at the rounded Benford counts: Σ|observed − expected| = 0.000910, ÷ 9.
    counts = dict(zip(range(1, 10), (301, 176, 125, 97, 79, 67, 58, 51, 46), strict=True))
    mad, table = first_digit_mad(_with_first_digits(counts))
    assert mad == Decimal("0.000101")
    assert mad_band(mad, RULES["benford"]) == "close"
    assert [row["count"] for row in table] == list(counts.values())


def test_mad_of_uniform_first_digits_is_nonconforming() -> None:
    # Each digit 1/9: Σ|1/9 − log10(1 + 1/d)| = 0.537453, ÷ 9 = 0.059717.
    mad, _ = first_digit_mad(_with_first_digits(dict.fromkeys(range(1, 10), 100)))
    assert mad == Decimal("0.059717")
    assert mad_band(mad, RULES["benford"]) == "nonconforming"


@pytest.mark.parametrize(
    ("mad", "band"),
    [
        ("0", "close"),
        ("0.006", "close"),
        ("0.006001", "acceptable"),
        ("0.012", "acceptable"),
        ("0.012001", "marginal"),
        ("0.015", "marginal"),
        ("0.015001", "nonconforming"),
    ],
)
def test_nigrini_band_boundaries(mad: str, band: str) -> None:
    assert mad_band(Decimal(mad), RULES["benford"]) == band


def test_benford_fires_on_nonconforming_amounts_only_with_a_large_enough_sample() -> None:
    uniform = [fig(v) for v in _with_first_digits(dict.fromkeys(range(1, 10), 56))]  # 504
    verdict = benford(uniform, RULES["benford"])
    assert verdict.fired and verdict.statistic == Decimal("0.059717")
    assert verdict.sample_size == 504 and verdict.skipped is None
    over = {d for d in range(1, 10) if Decimal(1) / 9 > benford_expected()[d]}
    assert over == {4, 5, 6, 7, 8, 9}
    assert len(verdict.records) == 6 * 56  # the amounts of the over-represented digits
    assert verdict.signers() == [vars(WANG) | {"records": 336}]
    small = benford(uniform[:499], RULES["benford"])
    assert not small.fired and small.statistic is None and small.records == []
    assert small.skipped == "sample too small: 499 of the 500 needed"


def test_benford_reads_spending_amounts_only() -> None:
    amounts = [fig(v) for v in _with_first_digits(dict.fromkeys(range(1, 10), 56))]
    others = [fig(v.value, "budget_forecast") for v in amounts]
    others += [fig(v.value, "indicator_actual", indicator="户数") for v in amounts]
    others += [fig("9.99")] * 10  # under the policy's 10-yuan floor
    verdict = benford(others + amounts[:100], RULES["benford"])
    assert verdict.sample_size == 100 and verdict.skipped


@given(
    st.lists(st.decimals(min_value=10, max_value=10**9, places=2), min_size=1, max_size=60),
    st.integers(min_value=0, max_value=6),
)
def test_mad_ignores_the_scale_and_is_bounded(values: list[Decimal], shift: int) -> None:
    mad, _ = first_digit_mad(values)
    scaled, _ = first_digit_mad([v * 10**shift for v in values])
    assert mad == scaled
    # at worst every amount has one digit: Σ|·| ≤ 2, so the mean is at most 2/9
    assert Decimal(0) <= mad <= Decimal("0.222223")


# --- round numbers ----------------------------------------------------------------------------


def _heaped(heaped: int, plain: int) -> list[Figure]:
    return [fig(Decimal(1230 + 5 * (n % 2))) for n in range(heaped)] + [
        fig(Decimal(1231 + n % 4)) for n in range(plain)
    ]


@pytest.mark.parametrize(
    ("heaped", "z", "fired"),
    [
        (10, "2.50", False),  # 10 of 25: (0.40 − 0.2) ÷ √(0.16 ÷ 25) = 0.20 ÷ 0.08
        (11, "3.00", False),
        (12, "3.50", True),
    ],
)
def test_round_number_heaping_z(heaped: int, z: str, fired: bool) -> None:
    verdict = round_numbers(_heaped(heaped, 25 - heaped), RULES["round_numbers"])
    assert verdict.statistic == Decimal(z) and verdict.fired is fired
    assert verdict.sample_size == 25
    assert len(verdict.records) == (heaped if fired else 0)


def test_round_numbers_skip_small_values_forecasts_and_small_samples() -> None:
    values = [*_heaped(12, 13), fig("5"), fig("1000", "budget_forecast")]
    assert round_numbers(values, RULES["round_numbers"]).sample_size == 25
    small = round_numbers(_heaped(19, 0), RULES["round_numbers"])
    assert not small.fired and small.skipped == "sample too small: 19 of the 20 needed"


# --- identical values -------------------------------------------------------------------------


def test_identical_values_across_projects_and_periods() -> None:
    rule = with_min(RULES["identical_values"], 4)
    across = [fig("523417.36", obj="a"), fig("523417.36", obj="b")]
    three_periods = [fig("88123.40", obj="c", period=p) for p in ("H1", "M10", "M12")]
    two_periods = [fig("77123.40", obj="d", period=p) for p in ("H1", "M10")]
    distinct = [fig(f"6123{n}.17", obj="e", period=f"P{n}") for n in range(3)]
    short = [fig("3100", obj=f"s{n}") for n in range(10)]  # 2 significant digits: left out
    verdict = identical_values(across + three_periods + two_periods + distinct + short, rule)
    assert verdict.sample_size == 10
    assert verdict.statistic == Decimal("0.5000") and verdict.fired
    assert {f.value for f in verdict.records} == {Decimal("523417.36"), Decimal("88123.40")}
    assert [g["count"] for g in verdict.details["groups"]] == [3, 2]
    quiet = identical_values(two_periods + distinct + across[:1], rule)
    assert quiet.statistic == 0 and not quiet.fired


def test_identical_values_keep_fields_and_indicators_apart() -> None:
    rule = with_min(RULES["identical_values"], 2)
    verdict = identical_values(
        [
            fig("523417.36", obj="a"),
            fig("523417.36", "executed_amount", obj="b", period=None),
            fig("1234.5", "indicator_actual", obj="a", indicator="户数"),
            fig("1234.5", "indicator_actual", obj="b", indicator="人数"),
        ],
        rule,
    )
    assert verdict.statistic == 0 and not verdict.fired


# --- all at target ----------------------------------------------------------------------------


def _self_rows(obj: str, *actuals: str) -> list[Figure]:
    targets = ("12", "95", "3000")
    return [
        fig(a, "row_actual", obj=obj, record=f"self:{obj}", kind="self_evaluation", period=None,
            indicator=f"i{n}", target=t, comparator="≥")
        for n, (a, t) in enumerate(zip(actuals, targets, strict=False))
    ]  # fmt: skip


def test_all_at_target_counts_objects_whose_every_numeric_row_is_exact() -> None:
    rows = _self_rows("a", "12", "95", "3000") + _self_rows("b", "12", "95.00", "3000")
    rows += _self_rows("c", "12", "96", "3000") + _self_rows("d", "13", "95", "3100")
    rows += _self_rows("e", "11", "94", "2900")
    qualitative = fig(None, "row_actual", obj="a", record="self:a", kind="self_evaluation",
                      indicator="质量", comparator="qualitative")  # fmt: skip
    verdict = all_at_target([*rows, qualitative], RULES["all_at_target"])
    assert verdict.sample_size == 5 and verdict.statistic == Decimal("0.4000") and verdict.fired
    assert {f.object_id for f in verdict.records} == {"a", "b"}
    fewer = all_at_target(rows[6:], RULES["all_at_target"])
    assert fewer.skipped == "sample too small: 3 of the 5 needed"


# --- scores at the top ------------------------------------------------------------------------


def _scores(values: list[str], field: str = "score") -> list[Figure]:
    kind = "self_evaluation" if field == "score" else "recheck"
    return [
        fig(v, field, obj=f"o{n}", kind=kind, period=None, as_of=None) for n, v in enumerate(values)
    ]


def test_scores_at_the_top_against_the_rechecks() -> None:
    own = _scores(["95", "96", "97", "98.5", "85"])  # 4 of 5 at ≥ 90
    rule = RULES["scores_at_top"]
    alone = scores_at_top(own, rule, TOP)
    assert alone.statistic == Decimal("0.8000") and alone.fired
    assert alone.details["compared_with_rechecks"] is False
    assert alone.details["self_mean"] == Decimal("94.30")
    lower = scores_at_top(own + _scores(["70", "95", "60"], "recheck_score"), rule, TOP)
    assert lower.fired and lower.details["share_gap"] == Decimal("0.4667")
    assert lower.details["recheck_mean"] == Decimal("75.00")
    assert lower.details["mean_gap"] == Decimal("19.30")  # 94.30 − 75.00
    assert alone.details["mean_gap"] is None
    agreeing = scores_at_top(own + _scores(["92", "93", "91"], "recheck_score"), rule, TOP)
    assert not agreeing.fired and agreeing.details["share_gap"] == Decimal("-0.2000")
    spread = scores_at_top(_scores(["95", "96", "97", "85", "75"]), rule, TOP)
    assert spread.statistic == Decimal("0.6000") and not spread.fired


# --- deadlines -------------------------------------------------------------------------------


def test_deadline_bursts_in_china_standard_time() -> None:
    # H1 as of 30 June is due 15 July (as_of + 15 days); the window is 14–15 July in China.
    def at(day: int, hour: int) -> datetime:
        return datetime(2025, 7, day, hour, tzinfo=UTC)

    entries = [
        fig("1", obj="a", at=at(13, 17)),  # 14 July 01:00 in China: in the window
        fig("1", obj="b", at=at(15, 15)),  # 15 July 23:00: in
        fig("1", obj="c", at=at(13, 15)),  # 13 July 23:00: before it
        fig("1", obj="d", at=at(15, 16)),  # 16 July 00:00: late, not a burst
        fig("2", obj="a", event="EntryCorrected", at=at(15, 2)),  # corrections don't count
    ]
    selfs = [
        fig("99", "score", obj=o, kind="self_evaluation", period=None, as_of=None,
            event="SelfEvaluationSubmitted", at=datetime(2026, 3, d, 4, tzinfo=UTC))
        for o, d in (("a", 31), ("b", 29), ("c", 30))
    ]  # fmt: skip
    rule = with_min(RULES["deadline_bursts"], 4)
    verdict = deadline_bursts(entries + selfs, rule, "03-31")
    assert verdict.sample_size == 7
    assert verdict.details == {"in_window": 4, "window_days": 2, "after_deadline": 1}
    assert verdict.statistic == Decimal("0.5714") and verdict.fired
    assert sorted(f.object_id + f.field for f in verdict.records) == [
        "abudget_executed", "ascore", "bbudget_executed", "cscore",
    ]  # fmt: skip


# --- December --------------------------------------------------------------------------------


def _year(obj: str, before: str, end: str, month: int = 10, signer: Signer = WANG) -> list:
    last = date(2025, month, 31 if month == 10 else 30)
    return [
        fig(before, obj=obj, period=f"M{month}", as_of=last, signer=signer),
        fig(end, obj=obj, period="M12", as_of=date(2025, 12, 31), signer=signer),
    ]


def test_december_spike_per_month_of_the_window_after_the_last_pre_december_figure() -> None:
    # A adds 400 in two months (200 a month), B 50 a month: 250 ÷ 2000 = 0.125 a month.
    year = _year("a", "600", "1000") + _year("b", "900", "1000", signer=ZHAO)
    rule = with_min(RULES["december_spike"], 2)
    quiet = december_spike(year, rule)
    assert quiet.statistic == Decimal("0.1250") and not quiet.fired
    assert quiet.details["window_months"] == [2]
    # Three more objects adding a quarter of their year in November–December's one month.
    more = [f for n in range(3) for f in _year(f"n{n}", "750", "1000", month=11)]
    spike = december_spike(year + more, rule)
    # (200 + 50 + 3 × 250) ÷ 5000 = 0.2
    assert spike.statistic == Decimal("0.2000") and spike.fired
    assert spike.details["window_months"] == [1, 2]
    assert {f.object_id for f in spike.records} == {"a", "n0", "n1", "n2"}  # B is under
    assert [s["person_id"] for s in spike.signers()] == ["p-wang"]
    # 信丰's own threshold (25% a month) does not call 20% a spike.
    assert not december_spike(year + more, XINFENG["december_spike"]).fired


def test_december_spike_needs_figures_on_both_sides_of_december() -> None:
    only_end = [fig("1000", obj=f"o{n}", period="M12", as_of=date(2025, 12, 31)) for n in range(6)]
    verdict = december_spike(only_end, RULES["december_spike"])
    assert verdict.sample_size == 0 and verdict.statistic is None
    assert verdict.skipped == "sample too small: 0 of the 5 needed"
