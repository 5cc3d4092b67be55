"""Fields every command body may carry, and what every command answers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from domain.errors import InvalidInput
from domain.values import MAX_WHOLE_DIGITS, yuan


def _to_the_fen(amount: Decimal) -> Decimal:
    try:
        return yuan(amount)
    except InvalidInput as e:
        raise ValueError(e.detail.split(": ", 1)[-1]) from None


# Exact yuan at fen precision: more digits, a negative, NaN or infinity is refused, never
# rounded (a JSON number that a float cannot carry exactly is refused at the edge, see
# api/storable.py); "1E+3" and "-0" read as 1000.00 and 0.00, as the domain keeps them.
Yuan = Annotated[
    Decimal,
    Field(ge=0, max_digits=MAX_WHOLE_DIGITS + 2, decimal_places=2, examples=["16000000.00"]),
    AfterValidator(_to_the_fen),
]
# Points out of 100 (scores, weights) to two decimal places, refused rather than rounded;
# abs() only turns "-0" into 0 (anything below zero is refused first).
Points = Annotated[
    Decimal, Field(ge=0, le=100, max_digits=5, decimal_places=2), AfterValidator(abs)
]


class EvidenceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=300, examples=["浔财字〔2022〕7号.pdf"])
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the document, hex")


class ActFields(BaseModel):
    """The envelope of an act. The actor is never here: it is the token's person."""

    model_config = ConfigDict(extra="forbid")
    reason: str | None = Field(default=None, max_length=4000)
    evidence: list[EvidenceIn] = Field(default_factory=list, max_length=50)
    business_date: date | None = Field(
        default=None, description="the date the act claims (e.g. data as of), in CST"
    )


class CommandResult(BaseModel):
    id: str
    version: int = Field(description="the aggregate's version; send it back as If-Match")
    position: int = Field(description="position of the last event in the log")
    views_current: bool = Field(description="whether the views already include this command")
