"""The ledger: one Application for one jurisdiction's deployment, one total order of events.
Its methods are the use cases, grouped by capability in the *_cases modules."""

from __future__ import annotations

from domain.goal_cases import GoalCases
from domain.ledger_core import Outcome


class Ledger(GoalCases):
    pass


__all__ = ["Ledger", "Outcome"]
