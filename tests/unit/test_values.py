"""Money, evidence and indicators refuse what the ledger must never hold."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.errors import InvalidInput
from domain.indicators import Indicator, validated_indicators
from domain.values import EvidenceRef, measured, yuan


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("63614.00", Decimal("63614.00")),
        (7, Decimal("7.00")),
        ("0.1", Decimal("0.10")),
        (Decimal("742630000"), Decimal("742630000.00")),
    ],
)
def test_amounts_are_exact_yuan_at_fen_precision(given, expected) -> None:
    assert yuan(given) == expected
    assert str(yuan(given)) == str(expected)


@pytest.mark.parametrize("bad", [0.1, "1.001", "-5", "NaN", "Infinity", "一百", None])
def test_amounts_refuse_floats_sub_fen_and_nonsense(bad) -> None:
    with pytest.raises(InvalidInput):
        yuan(bad)


def test_evidence_is_pinned_by_sha256() -> None:
    EvidenceRef("报告.pdf", "a" * 64)
    with pytest.raises(InvalidInput):
        EvidenceRef("报告.pdf", "A" * 64)
    with pytest.raises(InvalidInput):
        EvidenceRef(" ", "a" * 64)


def _row(level1: str, level2: str, name: str, **kw) -> Indicator:
    return Indicator(
        level1, level2, name, kw.pop("comparator", "≥"), kw.pop("value", Decimal(1)), **kw
    )


def test_a_goal_needs_output_and_effect_indicators() -> None:
    output = _row("产出", "数量", "改造小区数")
    effect = _row("效益", "社会", "受益户数")
    satisfaction = _row("满意度", "满意度", "满意度")
    assert len(validated_indicators([output, effect, satisfaction])) == 3
    for rows in ([output, satisfaction], [effect], []):
        with pytest.raises(InvalidInput, match="核心绩效指标缺失"):
            validated_indicators(rows)
    with pytest.raises(InvalidInput, match="twice"):
        validated_indicators([output, effect, output])


@pytest.mark.parametrize(
    "kwargs",
    [
        {"level1": "其他", "level2": "数量"},
        {"level1": "产出", "level2": "社会"},  # 社会 belongs under 效益
        {"level1": "产出", "level2": "数量", "comparator": "≈"},
        {"level1": "产出", "level2": "数量", "comparator": "≥", "value": None},
        {"level1": "产出", "level2": "数量", "comparator": "range", "upper": Decimal(0)},
        {"level1": "效益", "level2": "社会", "comparator": "qualitative", "value": None},
        {"level1": "产出", "level2": "数量", "weight": Decimal(-1)},
    ],
)
def test_malformed_indicators_are_refused(kwargs) -> None:
    with pytest.raises(InvalidInput):
        _row(kwargs.pop("level1"), kwargs.pop("level2"), "指标", **kwargs)


def test_qualitative_and_range_targets() -> None:
    _row(
        "效益",
        "可持续影响",
        "长效管护机制",
        comparator="qualitative",
        value=None,
        qualitative_target="建立并有效运行",
    )
    _row(
        "产出",
        "成本",
        "单位造价",
        comparator="range",
        value=Decimal(800),
        upper=Decimal(1200),
        unit="元/平方米",
    )


@pytest.mark.parametrize(
    "value", ["1E+30", "1e999999999", "1E-30", "0.0000001", "NaN", "Infinity", "123456789012345"]
)
def test_measured_values_keep_the_apis_bound_on_every_path(value: str) -> None:
    """Targets, actuals and forecasts from forms or national tables meet the same bound as the
    API's (14 digits before the point, 6 after, finite), so no rule divides by 1E-30."""
    with pytest.raises(InvalidInput):
        measured(value, field_name="indicators")
    rows = (
        [
            _row("产出", "数量", "指标", comparator="≥", value=Decimal(value)),
            _row("效益", "社会", "效益指标"),
        ]
        if Decimal(value).is_finite()
        else None
    )
    if rows:
        with pytest.raises(InvalidInput, match="指标"):
            validated_indicators(rows)


@pytest.mark.parametrize("value", ["0", "12345678901234.123456", "-3.5", "0.000001", "1E+5"])
def test_measured_values_within_the_bound_are_kept(value: str) -> None:
    assert measured(value, field_name="indicators") == Decimal(value)
