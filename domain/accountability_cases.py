"""Use cases of the accountability capability (to be built)."""

from __future__ import annotations

from domain.ledger_core import LedgerCore


class AccountabilityCases(LedgerCore):
    pass
