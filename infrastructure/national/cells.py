"""Cell values as the national tables write them, to typed values, exactly: amounts in yuan
stay Decimals to the fen, codes stay text (a spreadsheet's 360403.0 is the code 360403)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from domain.errors import InvalidInput
from domain.values import yuan

# FORMS: "—", "*", "/" and blanks mean no value.
EMPTY = frozenset({"", "—", "-", "*", "/", "－", "／", "——"})


class CellError(ValueError):
    pass


def text_of(value: object) -> str | None:
    """The cell as text (None when empty); numbers spreadsheets stored as floats lose no
    digit: an integral float is written without its point, others by their shortest repr."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        value = int(value) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    return None if text in EMPTY else text


def typed(kind: str, text: str) -> object:
    if kind in ("code", "text"):
        return text
    if kind == "year":
        if not (text.isdigit() and 2000 <= int(text) <= 2100):
            raise CellError(f"{text!r} is not a four-digit fiscal year")
        return int(text)
    if kind == "amount":
        try:
            return yuan(text.replace(",", ""))
        except InvalidInput as e:
            raise CellError(f"{text!r}: {e.detail}") from None
    if kind == "decimal":
        try:
            number = Decimal(text.replace(",", ""))
        except InvalidOperation:
            raise CellError(f"{text!r} is not a number") from None
        if not number.is_finite():
            raise CellError(f"{text!r} is not a number")
        return number
    if kind == "date":
        return date_of(text)
    raise CellError(f"unknown column type {kind}")


def date_of(text: str) -> date:
    cleaned = text.strip()[:10].replace("/", "-").replace(".", "-")
    if len(cleaned) == 8 and cleaned.isdigit():
        cleaned = f"{cleaned[:4]}-{cleaned[4:6]}-{cleaned[6:]}"
    try:
        return date.fromisoformat(cleaned)
    except ValueError:
        raise CellError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def written(value: object) -> str:
    """A value as an export writes it: Decimals in plain notation, dates ISO, None blank."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
