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

from eventsourcing.application import AggregateNotFoundError
from fastapi import FastAPI, HTTPException

from bench.plain import Thing, Things, plain_env

app = FastAPI(title="plain eventsourcing peer")
things = Things(env=plain_env(os.environ.get("PEER_DATABASE_URL", "sqlite:///./var/peer.sqlite")))


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
