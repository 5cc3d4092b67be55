"""Use cases of the supervision capability (to be built)."""

from __future__ import annotations

from domain.ledger_core import LedgerCore


class SupervisionCases(LedgerCore):
    pass
