"""Properties of amounts (domain/values.py `yuan`): exact to the fen, never a float."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.errors import InvalidInput
from domain.values import FEN, yuan

FENS = st.integers(min_value=0, max_value=10**15)  # up to ten trillion yuan, in fen
AMOUNTS = FENS.map(lambda fen: Decimal(fen) / 100)
QUICK = settings(max_examples=200, deadline=None)


def in_fen(amount: Decimal) -> int:
    return int(amount * 100)


@QUICK
@given(AMOUNTS)
def test_an_amount_reads_back_exactly_from_its_text(amount: Decimal) -> None:
    parsed = yuan(str(amount))
    assert parsed == amount
    assert parsed.as_tuple().exponent == -2, "kept to the fen, whatever the input's digits"
    assert yuan(str(parsed)) == parsed and str(yuan(str(parsed))) == str(parsed)
    assert yuan(f"{amount:.2f}") == amount


@QUICK
@given(FENS)
def test_whole_fen_from_int_and_text_agree(fen: int) -> None:
    assert yuan(fen // 100) == Decimal(fen // 100)
    assert yuan(f"{fen // 100}.{fen % 100:02d}") == Decimal(fen) / 100


@QUICK
@given(st.lists(FENS, max_size=50))
def test_sums_of_amounts_are_exact_in_fen(fens: list[int]) -> None:
    amounts = [yuan(str(Decimal(f) / 100)) for f in fens]
    total = sum(amounts, Decimal("0.00"))
    assert in_fen(total) == sum(fens)
    assert total == total.quantize(FEN), "a sum never gains digits below the fen"
    assert yuan(str(total)) == total


@QUICK
@given(FENS, st.integers(min_value=1, max_value=9))
def test_digits_below_the_fen_are_refused_not_rounded(fen: int, extra: int) -> None:
    text = f"{fen // 100}.{fen % 100:02d}{extra}"
    with pytest.raises(InvalidInput):
        yuan(text)


@QUICK
@given(st.floats(allow_nan=True, allow_infinity=True))
def test_a_float_is_never_an_amount(value: float) -> None:
    with pytest.raises(InvalidInput):
        yuan(value)  # type: ignore[arg-type]


@QUICK
@given(FENS.filter(bool))
def test_negative_amounts_are_refused(fen: int) -> None:
    with pytest.raises(InvalidInput):
        yuan(str(-Decimal(fen) / 100))


# Text that looks like a number: signs, digits, fractions, exponents (small and huge).
NUMERIC_TEXT = st.from_regex(
    r"\s?[+-]?[0-9]{0,20}(\.[0-9]{0,4})?([eE][+-]?[0-9]{1,3})?\s?", fullmatch=True
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=30), NUMERIC_TEXT))
def test_any_text_is_an_exact_amount_or_a_refusal(text: str) -> None:
    """Hostile input: never an exception other than InvalidInput, never a sub-fen amount."""
    try:
        amount = yuan(text)
    except InvalidInput:
        return
    assert amount.is_finite() and amount >= 0
    assert amount.as_tuple().exponent == -2
    assert not str(amount).startswith("-"), "no negative zero in the ledger"


@pytest.mark.parametrize("text", ["1E+30", "1e26", "1e-400", "100000000000000.00", "-0.001"])
def test_huge_tiny_and_overlong_amounts_are_refusals(text: str) -> None:
    with pytest.raises(InvalidInput):
        yuan(text)
