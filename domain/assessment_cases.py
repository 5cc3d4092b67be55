"""Use cases of the assessment capability (to be built)."""

from __future__ import annotations

from domain.ledger_core import LedgerCore


class AssessmentCases(LedgerCore):
    pass
