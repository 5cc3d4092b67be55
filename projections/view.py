"""What a read model is: a name, its tables, and a handler per event class it cares about.

Views never read the log themselves: a follower (infrastructure/views/follower.py) feeds them
events in log order and records how far each view has got in the same transaction as the
rows the view wrote, so a view is always exactly "the log up to position N".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, Protocol

from eventsourcing.domain import DomainEvent
from eventsourcing.utils import TopicError, resolve_topic


class Cursor(Protocol):
    """A DB cursor taking `?` placeholders and returning rows as dicts."""

    dialect: str

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor: ...
    def fetchall(self) -> list[dict[str, Any]]: ...
    def fetchone(self) -> dict[str, Any] | None: ...

    @property
    def rowcount(self) -> int: ...


Handler = Callable[[Any, Cursor, Any, int], None]


def on(*event_classes: type[DomainEvent]) -> Callable[[Handler], Handler]:
    """Mark a view method as the handler of these event classes."""

    def mark(fn: Handler) -> Handler:
        fn.__handles__ = event_classes  # type: ignore[attr-defined]
        return fn

    return mark


class View:
    name: ClassVar[str]
    # Raise it whenever the tables or what the handlers write change: the follower then
    # rebuilds the view from the log (infrastructure/views/schema.py).
    version: ClassVar[int] = 1
    tables: ClassVar[tuple[str, ...]]
    schema: ClassVar[tuple[str, ...]]  # CREATE statements, portable between SQLite and PostgreSQL
    _handlers: ClassVar[dict[type, Handler]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._handlers = {}
        for attr in vars(cls).values():
            for event_class in getattr(attr, "__handles__", ()):
                cls._handlers[event_class] = attr

    def wants(self, topic: str) -> bool:
        """Whether the follower should decode and hand over events of this stored topic.
        By class, not by string: a log holds an event under the topic it had when it was
        recorded (an older one resolves through its registration). A topic no class answers
        is wanted, so that its decoding fails loudly in this view rather than being skipped."""
        try:
            return resolve_topic(topic) in self._handlers
        except TopicError:
            return True

    def handle(self, cursor: Cursor, event: Any, position: int) -> None:
        handler = self._handlers.get(type(event))
        if handler is not None:
            handler(self, cursor, event, position)

    def use_policies(self, policies: Any) -> None:
        """The ledger's policy book, for views that judge by policy (findings); most don't."""

    def handle_record(self, cursor: Cursor, event: Any, record: Any) -> None:
        """Hand over an event with its stored record (a Notification), for views that keep
        what the record itself says (its hash); most need only the event and position."""
        self.handle(cursor, event, record.id)


@dataclass(frozen=True)
class ViewFailure:
    """A view's handler refused an event: the view stays at the position just before it
    (its lag shows it) until a retry succeeds. Names the event by its log position and by
    its aggregate id, version and topic, so it can be found with or without the views."""

    view: str
    position: int
    originator_id: str
    originator_version: int
    topic: str
    error: str
    since: datetime  # first failure at this position (UTC)

    def same_fault(self, other: ViewFailure | None) -> bool:
        return other is not None and (other.position, other.error) == (self.position, self.error)

    def describe(self) -> str:
        return (
            f"view {self.view} stopped at log position {self.position}: event "
            f"{self.originator_id} v{self.originator_version} ({self.topic}): {self.error}"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "view": self.view,
            "position": self.position,
            "event": {
                "originator_id": self.originator_id,
                "originator_version": self.originator_version,
                "topic": self.topic,
            },
            "error": self.error,
            "since": self.since.isoformat(),
        }


def update_from_event(
    cur: Cursor, table: str, key_column: str, e: Any, position: int, **columns: Any
) -> None:
    """Set columns on the row of the event's aggregate, stamping its version, time and log
    position, as most views do after an event changes a record they keep one row for."""
    columns |= {
        "version": e.originator_version,
        "updated_at": e.timestamp.isoformat(),
        "position": position,
    }
    assignments = ", ".join(f"{name} = ?" for name in columns)
    cur.execute(
        f"UPDATE {table} SET {assignments} WHERE {key_column} = ?",
        (*columns.values(), str(e.originator_id)),
    )


def equal_filters(filters: dict[str, Any]) -> tuple[str, tuple[Any, ...]]:
    """A WHERE clause for the filters that were given (None means "any"), and its params.
    Column names are the caller's own, never user input."""
    used = {k: v for k, v in filters.items() if v is not None}
    return " AND ".join(f"{k} = ?" for k in used) or "1 = 1", tuple(used.values())


def all_views() -> list[View]:
    """One instance of every view defined in a module of the projections package."""
    import importlib
    import pkgutil

    import projections

    for module in pkgutil.iter_modules(projections.__path__):
        importlib.import_module(f"projections.{module.name}")
    found: list[type[View]] = []
    pending = list(View.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        # Only the package's own views: a View subclass defined elsewhere (a test's) is not
        # part of the deployment.
        if "name" in vars(cls) and cls.__module__.startswith("projections."):
            found.append(cls)
    return [cls() for cls in sorted(found, key=lambda c: c.name)]
