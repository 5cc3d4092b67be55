"""The plain peer: FastAPI and the eventsourcing library doing the same shape of work as
the ledger's mix (create an aggregate, append an event to it, read it), with nothing of the
ledger's: no authentication, access control, signing, chain, views or idempotency. Its
store comes from PEER_DATABASE_URL (the ledger's URL forms).

    python -m uvicorn bench.peer:app --port 8100
"""

from __future__ import annotations

import os
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate, event
from fastapi import FastAPI, HTTPException

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


def _env(url: str) -> dict[str, str]:
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


app = FastAPI(title="plain eventsourcing peer")
things = Things(env=_env(os.environ.get("PEER_DATABASE_URL", "sqlite:///./var/peer.sqlite")))


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}


@app.post("/things", status_code=201)
def create(body: dict[str, Any]) -> dict[str, Any]:
    thing = Thing(str(body.get("name", "")))
    things.save(thing)
    return {"id": str(thing.id), "version": thing.version}


@app.post("/things/{thing_id}/notes")
def note(thing_id: UUID, body: dict[str, Any]) -> dict[str, Any]:
    thing = _load(thing_id)
    thing.note(str(body.get("text", "")))
    things.save(thing)
    return {"id": str(thing.id), "version": thing.version}


@app.get("/things/{thing_id}")
def read(thing_id: UUID) -> dict[str, Any]:
    thing = _load(thing_id)
    return {"id": str(thing.id), "version": thing.version, "name": thing.name}


def _load(thing_id: UUID) -> Thing:
    try:
        return things.repository.get(thing_id)
    except AggregateNotFoundError:
        raise HTTPException(404, "no such thing") from None
