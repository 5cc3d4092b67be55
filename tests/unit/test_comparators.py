"""计算符号 as forms and the national tables write them: one kept spelling each."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.comparators import direction, normalised
from domain.errors import InvalidInput
from domain.indicators import Indicator


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        ("≥", "≥"),
        (">=", "≥"),
        ("≧", "≥"),
        (" ≥ ", "≥"),
        ("＞", ">"),
        (">", ">"),
        ("＝", "="),
        ("=", "="),
        ("＜", "<"),
        ("<", "<"),
        ("≤", "≤"),
        ("<=", "≤"),
        ("＜＝", "≤"),
        ("≦", "≤"),
        ("定性", "qualitative"),
        ("qualitative", "qualitative"),
        ("range", "range"),
    ],
)
def test_full_and_half_width_signs_keep_one_spelling(written: str, kept: str) -> None:
    assert normalised(written) == kept


@pytest.mark.parametrize("written", ["≈", "", "大约", "=>"])
def test_unknown_signs_are_refused(written: str) -> None:
    with pytest.raises(InvalidInput, match="计算符号"):
        normalised(written)


def test_strict_and_non_strict_signs_ask_the_same_direction() -> None:
    assert direction(">") == direction("≥") == "positive"
    assert direction("<") == direction("≤") == "reverse"


def test_an_indicator_keeps_the_normalised_sign() -> None:
    row = Indicator("产出", "数量", "改造小区数", "＞", Decimal(12), unit="个")
    assert row.comparator == ">"
