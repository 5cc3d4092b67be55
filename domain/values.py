"""Value objects carried by events: who acted, on what evidence, for which date, and money."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from domain.errors import InvalidInput
from domain.transcodings import transcoded

FEN = Decimal("0.01")
# Up to 99 万亿 yuan: any real budget line, and far inside what quantize can carry.
MAX_WHOLE_DIGITS = 14
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def yuan(value: Decimal | int | str, *, field_name: str = "amount") -> Decimal:
    """An exact amount in yuan at fen precision; floats and sub-fen digits are refused."""
    if isinstance(value, float):
        raise InvalidInput(f"{field_name}: amounts are exact decimals, not floats", field_name)
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise InvalidInput(f"{field_name}: {value!r} is not an amount", field_name) from None
    if not amount.is_finite():
        raise InvalidInput(f"{field_name}: {value!r} is not an amount", field_name)
    if amount.adjusted() >= MAX_WHOLE_DIGITS:
        raise InvalidInput(
            f"{field_name}: amounts have at most {MAX_WHOLE_DIGITS} digits before the point",
            field_name,
        )
    if amount.as_tuple().exponent < -2 and amount != amount.quantize(FEN, ROUND_HALF_UP):
        # Underflow ("1e-400") included: refused, never rounded to 0.00.
        raise InvalidInput(f"{field_name}: amounts are kept to the fen (0.01 yuan)", field_name)
    if amount < 0:
        raise InvalidInput(f"{field_name}: an amount cannot be negative", field_name)
    return abs(amount).quantize(FEN)  # abs: "-0.00" is 0.00


# Indicator values (targets, actuals, forecasts, stated scores): the API's bound, for every
# path that records them (forms and national tables too), so no rule divides by 1E-30.
MEASURE_WHOLE_DIGITS = 14
MEASURE_PLACES = 6


def measured(value: Decimal | int | str, *, field_name: str, where: str = "") -> Decimal:
    """A finite decimal with at most 14 digits before the point and 6 after."""
    if isinstance(value, float):
        raise InvalidInput(f"{where}values are exact decimals, not floats", field_name)
    try:
        number = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise InvalidInput(f"{where}{value!r} is not a number", field_name) from None
    if not number.is_finite():
        raise InvalidInput(f"{where}values are finite numbers", field_name)
    if number != 0 and number.adjusted() >= MEASURE_WHOLE_DIGITS:
        raise InvalidInput(
            f"{where}values have at most {MEASURE_WHOLE_DIGITS} digits before the point",
            field_name,
        )
    if number.as_tuple().exponent < -MEASURE_PLACES and number != round(number, MEASURE_PLACES):
        raise InvalidInput(
            f"{where}values have at most {MEASURE_PLACES} decimal places", field_name
        )
    return number


@transcoded("actor")
@dataclass(frozen=True)
class Actor:
    """The authenticated person who performed an act, in the role they acted in."""

    person_id: str
    name: str
    role: str
    organisation_id: str | None
    organisation_name: str | None


@transcoded("evidence")
@dataclass(frozen=True)
class EvidenceRef:
    """A document the act relies on, pinned by its SHA-256 so it cannot be swapped later."""

    name: str
    sha256: str

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise InvalidInput("evidence: a document name is required", "evidence")
        if not _SHA256.match(self.sha256):
            raise InvalidInput(
                "evidence: sha256 must be 64 lowercase hexadecimal characters", "evidence"
            )


@transcoded("migration_source")
@dataclass(frozen=True)
class MigrationSource:
    """Where a migrated act came from: the file moved in (by its SHA-256), its table, the
    row. The act is still signed by the person who ran the migration."""

    file_name: str
    sha256: str
    table: str
    row: int

    def __post_init__(self) -> None:
        if not _SHA256.match(self.sha256):
            raise InvalidInput("migrated: sha256 must be 64 lowercase hex characters", "sha256")
        if self.row < 1:
            raise InvalidInput("migrated: rows are counted from 1", "row")


@transcoded("act")
@dataclass(frozen=True)
class Act:
    """What every event carries besides its own facts: the actor, the stated reason,
    the evidence, and the business date the act claims (separate from the recorded time)."""

    actor: Actor
    reason: str | None = None
    evidence: tuple[EvidenceRef, ...] = field(default_factory=tuple)
    business_date: date | None = None
    migrated: MigrationSource | None = None  # set only by an import from another system

    def __post_init__(self) -> None:
        # Events decoded from JSON give lists; keep the value immutable and hashable.
        object.__setattr__(self, "evidence", tuple(self.evidence))

    def requiring_reason(self, what: str) -> Act:
        if not (self.reason and self.reason.strip()):
            raise InvalidInput(f"{what} changes an earlier record: a reason is required", "reason")
        return self
