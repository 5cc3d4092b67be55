"""Use cases of the monitoring capability (to be built)."""

from __future__ import annotations

from domain.ledger_core import LedgerCore


class MonitoringCases(LedgerCore):
    pass
