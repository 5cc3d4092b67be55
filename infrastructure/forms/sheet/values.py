"""Cell values as forms hold them: numbers Excel keeps as doubles, 万元 to exact yuan,
empty markers, √ ticks and problems named by sheet, row, column and cell."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from domain.errors import InvalidInput
from domain.values import MAX_WHOLE_DIGITS, measured, yuan

WAN = Decimal(10000)
# 万元 to the fen is six places; an amount's 14 whole digits in yuan are 10 in 万元.
WAN_PLACES = Decimal("0.000001")
WAN_WHOLE_DIGITS = MAX_WHOLE_DIGITS - 4
# A double holds 15 significant decimal digits exactly; longer numbers are written as text.
DOUBLE_DIGITS = 15
TICKS = frozenset({"√", "✓", "✔", "☑", "v", "V", "是", "■"})


@dataclass(frozen=True)
class Problem:
    """What is wrong, and where: sheet, row and column, and the cell as Excel names it."""

    sheet: str
    row: int | None
    column: str | None
    message: str

    @property
    def cell(self) -> str:
        if self.row is None:
            return self.sheet
        return f"{self.sheet}!{self.column or ''}{self.row}"

    def plain(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "cell": self.cell,
            "message": self.message,
        }


class CellError(ValueError):
    """A value that cannot be read as asked; the reader turns it into a Problem."""


def text_of(value: Any) -> str:
    """A cell's text as people typed it, stripped (Chinese punctuation kept)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    return str(value).strip()


def key_of(value: Any) -> str:
    """A cell's text for matching codes, marks and numbers: full-width digits and signs
    read as their half-width forms (NFKC), spaces dropped."""
    return unicodedata.normalize("NFKC", text_of(value)).replace(" ", "")


def is_empty(value: Any, markers: tuple[str, ...]) -> bool:
    text = text_of(value)
    return text == "" or text in markers or key_of(value) in markers


def decimal_of(value: Any) -> Decimal:
    """A number from a cell: an Excel number (a double, read back by its shortest
    representation) or text with thousands separators; a percent sign is dropped."""
    if isinstance(value, bool):
        raise CellError("not a number")
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        text = repr(value)
        digits = text.split("e")[0].replace("-", "").replace(".", "").lstrip("0")
        if len(digits) > DOUBLE_DIGITS:
            raise CellError("more digits than a spreadsheet number keeps: write it as text")
        return Decimal(text)
    text = key_of(value).replace(",", "").rstrip("%")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise CellError(f"{text_of(value)!r} is not a number") from None
    if not number.is_finite():
        raise CellError(f"{text_of(value)!r} is not a number")
    return number


def indicator_number(value: Any) -> Decimal:
    """A number of an indicator row (a target, an actual, a forecast, a weight, a stated
    score) within the bound the domain keeps on every path (`domain.values.measured`),
    checked here so that the cell is named: 1E+30 or 1e999999999 is refused, never
    overflowed."""
    number = decimal_of(value)
    try:
        return measured(number, field_name="value")
    except InvalidInput as e:
        raise CellError(f"{text_of(value)!r}: {e.detail}") from None


def yuan_of_wan(value: Any, field: str = "amount") -> Decimal:
    """万元 on the form → exact yuan at fen precision; a value that is not whole fen is
    refused, never rounded. The size is checked before any arithmetic (1E+30 万元 would
    overflow the quantize, 1e999999999 the multiplication), so a cell is refused, never
    a 500."""
    wan = decimal_of(value)
    if wan.adjusted() >= WAN_WHOLE_DIGITS:
        raise CellError(
            f"{text_of(value)} 万元: amounts have at most {WAN_WHOLE_DIGITS} digits before "
            f"the point in 万元 ({MAX_WHOLE_DIGITS} in yuan)"
        )
    try:
        whole_fen = wan == wan.quantize(WAN_PLACES)
        amount = wan * WAN
    except ArithmeticError:
        raise CellError(f"{text_of(value)} 万元 is not an amount") from None
    if not whole_fen:
        raise CellError(f"{text_of(value)} 万元 is not a whole number of fen (0.000001 万元)")
    try:
        return yuan(amount, field_name=field)
    except InvalidInput as e:
        raise CellError(e.detail) from None


def wan_of_yuan(amount: Decimal) -> Decimal:
    """Exact: yuan at fen precision is 万元 to six places."""
    return (Decimal(amount) / WAN).quantize(Decimal("0.000001")).normalize()


def sheet_number(value: Decimal) -> int | float | str:
    """How a number is written to a cell: an integer, a double when it holds the value
    exactly, text otherwise (so nothing is rounded on the way out)."""
    value = Decimal(value).normalize()
    if value == value.to_integral_value() and abs(value) < 10**DOUBLE_DIGITS:
        return int(value)
    if len(value.as_tuple().digits) <= DOUBLE_DIGITS:
        return float(value)
    return format(value, "f")


def plain_number(value: Decimal | None) -> str | None:
    """A number as a report shows it: no exponent, no trailing zeros."""
    if value is None:
        return None
    text = format(Decimal(value).normalize(), "f")
    return text


def date_of(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = key_of(value).replace("年", "-").replace("月", "-").replace("日", "")
    text = text.replace("/", "-").replace(".", "-")
    try:
        y, m, d = (int(part) for part in text.split("-"))
        return date(y, m, d)
    except ValueError:
        raise CellError(f"{text_of(value)!r} is not a date (e.g. 2023-06-30)") from None


def is_tick(value: Any) -> bool:
    return text_of(value) in TICKS or key_of(value) in TICKS
