"""Idempotency-Key: a retried command returns the first answer and records nothing new.

Keys are scoped to the person who sent them. A key is claimed before the command runs,
so two concurrent requests with one key cannot both record; a failed command releases it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from infrastructure.viewdb import ViewDatabase

SCHEMA = """CREATE TABLE IF NOT EXISTS idempotency_keys (
    person_id TEXT NOT NULL,
    key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    status INTEGER,
    body TEXT,
    headers TEXT,
    created_at TEXT NOT NULL,
    PRIMARY KEY (person_id, key)
)"""


@dataclass(frozen=True)
class StoredResponse:
    status: int
    body: str
    headers: dict[str, str]


class KeyReused(Exception):
    """The key was used before with a different request."""


class KeyInProgress(Exception):
    """The first request with this key has not finished."""


class IdempotencyStore:
    def __init__(self, db: ViewDatabase) -> None:
        self.db = db

    def create_table(self) -> None:
        with self.db.transaction() as cur:
            cur.execute(SCHEMA)

    def claim(self, person_id: str, key: str, fingerprint: str) -> StoredResponse | None:
        """Claim the key for this request, or return the answer the first request got."""
        with self.db.transaction() as cur:
            claimed = cur.execute(
                "INSERT INTO idempotency_keys (person_id, key, fingerprint, created_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (person_id, key) DO NOTHING",
                (person_id, key, fingerprint, datetime.now(UTC).isoformat()),
            ).rowcount
            if claimed == 1:
                return None
            row = cur.execute(
                "SELECT fingerprint, status, body, headers FROM idempotency_keys "
                "WHERE person_id = ? AND key = ?",
                (person_id, key),
            ).fetchone()
        assert row is not None
        if row["fingerprint"] != fingerprint:
            raise KeyReused(key)
        if row["status"] is None:
            raise KeyInProgress(key)
        return StoredResponse(row["status"], row["body"], json.loads(row["headers"]))

    def complete(self, person_id: str, key: str, response: StoredResponse) -> None:
        with self.db.transaction() as cur:
            cur.execute(
                "UPDATE idempotency_keys SET status = ?, body = ?, headers = ? "
                "WHERE person_id = ? AND key = ?",
                (response.status, response.body, json.dumps(response.headers), person_id, key),
            )

    def release(self, person_id: str, key: str) -> None:
        with self.db.transaction() as cur:
            cur.execute(
                "DELETE FROM idempotency_keys WHERE person_id = ? AND key = ? AND status IS NULL",
                (person_id, key),
            )
