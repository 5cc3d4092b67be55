"""The header facts every form prints: the year line, the department and unit names."""

from __future__ import annotations

from uuid import UUID

from domain.ledger import Ledger
from domain.registry.model import Organisation


def organisation_name(ledger: Ledger, organisation_id: UUID | None) -> str | None:
    if organisation_id is None:
        return None
    return ledger.load(Organisation, organisation_id).name


def organisation_of(ledger: Ledger, organisation_id: UUID) -> Organisation:
    return ledger.load(Organisation, organisation_id)


def year_line(fiscal_year: int) -> str:
    return f"（{fiscal_year}年度）"
