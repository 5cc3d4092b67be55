"""The plain library's side of the benchmarks: an aggregate and an application with nothing
of the ledger's, on a store given by the ledger's URL forms."""

from __future__ import annotations

from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

from infrastructure.settings import StoreLocation
from infrastructure.views.viewdb import ensure_postgres_schema


class Thing(Aggregate):
    @event("Created")
    def __init__(self, name: str) -> None:
        self.name = name
        self.notes: list[str] = []

    @event("Noted")
    def note(self, text: str) -> None:
        self.notes.append(text)


class Things(Application[UUID]):
    pass


def plain_env(url: str) -> dict[str, str]:
    """The ledger's store settings, with the library's own recorders and no aggregate cache:
    the plain library loads by replaying and saves with its own insert."""
    location = StoreLocation.parse(url)
    if location.kind == "postgres":
        ensure_postgres_schema(location)
    env = location.eventsourcing_env()
    env.pop("AGGREGATE_CACHE_MAXSIZE")
    env["PERSISTENCE_MODULE"] = f"eventsourcing.{location.kind}"
    return env
