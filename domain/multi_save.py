"""Saving several aggregates in one atomic write: see `LedgerCore._save(first, *others)`."""

from __future__ import annotations

from eventsourcing.domain import Aggregate

from domain.errors import DomainError, VersionConflict
from domain.ledger_core import LedgerCore, Outcome


def save_together(
    ledger: LedgerCore,
    primary: Aggregate,
    *others: Aggregate,
    conflict: type[DomainError] = VersionConflict,
) -> Outcome:
    return ledger._save(primary, *others, conflict=conflict)
