"""Use cases of the rectification capability (to be built)."""

from __future__ import annotations

from domain.ledger_core import LedgerCore


class RectificationCases(LedgerCore):
    pass
