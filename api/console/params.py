"""The query parameters the pages' forms send, and the signed-in reader they all take."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Depends, Query
from pydantic import BeforeValidator

from api.console.reads import Reader, reader

ReaderDep = Annotated[Reader, Depends(reader)]


def _given(value: object) -> object:
    """A form's empty field arrives as "": read it as not given."""
    if isinstance(value, str):
        value = value.strip()
        if not value:
            return None
        if len(value) > 100:
            raise ValueError("至多 100 个字符")
    return value


def _year(value: object) -> object:
    value = _given(value)
    if value is not None and not (isinstance(value, str) and value.isdigit()):
        raise ValueError("年度应为四位数字")
    if value is not None and not 2000 <= int(value) <= 2100:
        raise ValueError("年度应在 2000 至 2100 之间")
    return value


# Bounds are checked in the validators: a constraint in Query() would also be applied to
# the None an empty field becomes.
Text = Annotated[str | None, BeforeValidator(_given), Query()]
YearQuery = Annotated[int | None, BeforeValidator(_year), Query()]
DayQuery = Annotated[date | None, BeforeValidator(_given), Query()]
FromDay = Annotated[date | None, BeforeValidator(_given), Query(alias="from")]
ToDay = Annotated[date | None, BeforeValidator(_given), Query(alias="to")]
