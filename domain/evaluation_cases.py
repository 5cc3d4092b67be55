"""Use cases of the evaluation capability (to be built)."""

from __future__ import annotations

from domain.ledger_core import LedgerCore


class EvaluationCases(LedgerCore):
    pass
