"""The plain library's side of the benchmarks: an aggregate and an application with nothing
of the ledger's, on a store given by the ledger's URL forms."""

from __future__ import annotations

from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

from infrastructure.settings import StoreLocation
from infrastructure.viewdb import ensure_postgres_schema


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
    location = StoreLocation.parse(url)
    if location.kind == "sqlite":
        return {
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": location.parts["path"],
        }
    ensure_postgres_schema(location)
    p = location.parts
    return {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": p["dbname"],
        "POSTGRES_HOST": p["host"],
        "POSTGRES_PORT": p["port"],
        "POSTGRES_USER": p["user"],
        "POSTGRES_PASSWORD": p["password"],
        "POSTGRES_SCHEMA": p["schema"],
        "POSTGRES_POOL_SIZE": "8",
        "POSTGRES_MAX_OVERFLOW": "24",
    }
