"""The query parameters the pages' forms send, and the signed-in reader they all take."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Depends, Query
from pydantic import BeforeValidator

from api.console.reads import Reader, reader

ReaderDep = Annotated[Reader, Depends(reader)]
# A form's empty field arrives as "": read it as not given.
Blank = BeforeValidator(lambda v: None if isinstance(v, str) and not v.strip() else v)
Text = Annotated[str | None, Blank, Query(max_length=100)]
YearQuery = Annotated[int | None, Blank, Query(ge=2000, le=2100)]
DayQuery = Annotated[date | None, Blank, Query()]
FromDay = Annotated[date | None, Blank, Query(alias="from")]
ToDay = Annotated[date | None, Blank, Query(alias="to")]
