"""A test-only view whose handler refuses goal submissions while told to, so a view
failure can be made on either store without touching the store itself. It is not in
the projections package, so it joins only the services built with it."""

from __future__ import annotations

from typing import Any

from eventsourcing.utils import get_topic

from domain.objects.model import PerformanceObject
from infrastructure.bootstrap import Services, bootstrap
from infrastructure.settings import Settings
from projections.view import Cursor, View, all_views, on

NAME = "test_refusing"


class RefusingView(View):
    name = NAME
    tables = ("t_refusing_seen",)
    schema = ("CREATE TABLE IF NOT EXISTS t_refusing_seen (position BIGINT PRIMARY KEY)",)

    def __init__(self) -> None:
        self.refusing = True
        self.refusals = 0

    @on(PerformanceObject.Registered)
    def _registered(self, cur: Cursor, e: Any, position: int) -> None:
        cur.execute("INSERT INTO t_refusing_seen (position) VALUES (?)", (position,))

    @on(PerformanceObject.GoalSubmitted)
    def _submitted(self, cur: Cursor, e: Any, position: int) -> None:
        if self.refusing:
            self.refusals += 1
            raise ValueError("this view refuses goal submissions [test]")
        cur.execute("INSERT INTO t_refusing_seen (position) VALUES (?)", (position,))


def refusing(services: Services) -> RefusingView:
    return next(v for v in services.views if isinstance(v, RefusingView))


def bootstrap_with_refusing_view(settings: Settings, retry_first: float = 0.05) -> Services:
    """The deployment's views and the refusing one, retried after `retry_first` seconds."""
    quick = settings.model_copy(update={"view_retry_first_seconds": retry_first})
    return bootstrap(quick, views=[*all_views(), RefusingView()])


def goal_submissions(services: Services) -> list[Any]:
    """The GoalSubmitted entries of the log, in order."""
    topic = get_topic(PerformanceObject.GoalSubmitted)
    log = services.ledger.recorder.select_notifications(start=1, limit=100_000)
    return [n for n in log if n.topic == topic]
