"""Idempotency-Key: a retried command is answered what the first one recorded, and a key is
never stuck.

Keys are scoped to the person who sent them. A request claims its key (a fresh claim token)
before the command runs. The ledger's recorder writes the command's outcome onto the claim
in the same transaction as its events, and only while the claim still holds that token
(`record_outcomes`): the events and the key commit together or not at all. So a retry after
a crash finds either the recorded outcome, or a claim with nothing recorded, which it may
take over once the claim is dead: at once when the holder was this process and its request
has ended, after `takeover_seconds` otherwise. A takeover replaces the token, so a holder
that was merely slow cannot record afterwards (its commit is refused, `ClaimLost`).
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

import structlog

from infrastructure.views.viewdb import ViewCursor, ViewDatabase

log = structlog.get_logger(__name__)

SCHEMA = """CREATE TABLE IF NOT EXISTS idempotency_claims (
    person_id TEXT NOT NULL,
    key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    claim TEXT NOT NULL,
    holder TEXT NOT NULL,
    claimed_at DOUBLE PRECISION NOT NULL,
    outcome_id TEXT,
    outcome_version BIGINT,
    outcome_position BIGINT,
    status INTEGER,
    body TEXT,
    headers TEXT,
    PRIMARY KEY (person_id, key)
)"""

# This process: a claim it holds whose request has ended is dead at once.
INSTANCE = uuid.uuid4().hex
# Claims are timed by the database's clock, which every server process shares.
_NOW = {
    "postgres": "EXTRACT(EPOCH FROM clock_timestamp())",
    "sqlite": "(julianday('now') - 2440587.5) * 86400.0",
}


@dataclass(frozen=True)
class Claim:
    person_id: str
    key: str
    token: str


@dataclass(frozen=True)
class StoredResponse:
    status: int
    body: str
    headers: dict[str, str]


@dataclass(frozen=True)
class RecordedOutcome:
    """The command was recorded but its answer was never stored (its process died between
    the commit and the answer): the retry answers it from these."""

    aggregate_id: str
    version: int
    position: int


class KeyReused(Exception):
    """The key was used before with a different request."""


class KeyInProgress(Exception):
    """The first request with this key is still running."""

    def __init__(self, key: str, retry_after: int) -> None:
        super().__init__(key)
        self.retry_after = retry_after


class ClaimLost(Exception):
    """The claim was taken over by a retry before this command committed: nothing of this
    command was recorded (the retry runs it)."""


_claim: ContextVar[Claim | None] = ContextVar("jixiao_claim", default=None)


def claim_in_hand() -> Claim | None:
    """The claim of the command running in this context, for the recorder."""
    return _claim.get()


def record_outcomes(cur: ViewCursor, outcomes: Sequence[tuple[Claim, RecordedOutcome]]) -> None:
    """Within the transaction that inserts the events: write each outcome onto its claim,
    refusing the whole transaction if a claim was taken over meanwhile."""
    for claim, outcome in outcomes:
        updated = cur.execute(
            "UPDATE idempotency_claims SET outcome_id = ?, outcome_version = ?, "
            "outcome_position = ? WHERE person_id = ? AND key = ? AND claim = ?",
            (
                outcome.aggregate_id,
                outcome.version,
                outcome.position,
                claim.person_id,
                claim.key,
                claim.token,
            ),
        ).rowcount
        if updated != 1:
            raise ClaimLost(claim.key)


class IdempotencyStore:
    def __init__(self, db: ViewDatabase, takeover_seconds: float = 30.0) -> None:
        self.db = db
        self._now = _NOW[db.dialect]
        self.takeover_seconds = takeover_seconds
        self._running: set[str] = set()  # tokens of this process's requests still running
        self._mutex = threading.Lock()

    def create_table(self) -> None:
        with self.db.transaction() as cur:
            cur.execute(SCHEMA)

    def claim(
        self, person_id: str, key: str, fingerprint: str
    ) -> Claim | StoredResponse | RecordedOutcome:
        """Claim the key for this request (a `Claim`), or the first request's answer."""
        token = uuid.uuid4().hex
        with self._mutex:
            self._running.add(token)
        try:
            found = self._claim(person_id, key, fingerprint, token)
        except BaseException:
            self._ended(token)
            raise
        if not isinstance(found, Claim):
            self._ended(token)
        return found

    def _claim(
        self, person_id: str, key: str, fingerprint: str, token: str
    ) -> Claim | StoredResponse | RecordedOutcome:
        with self.db.transaction() as cur:
            claimed = cur.execute(
                "INSERT INTO idempotency_claims (person_id, key, fingerprint, claim, holder, "
                f"claimed_at) VALUES (?, ?, ?, ?, ?, {self._now}) "
                "ON CONFLICT (person_id, key) DO NOTHING",
                (person_id, key, fingerprint, token, INSTANCE),
            ).rowcount
            if claimed == 1:
                return Claim(person_id, key, token)
            row = cur.execute(
                f"SELECT *, {self._now} AS now FROM idempotency_claims "
                "WHERE person_id = ? AND key = ?",
                (person_id, key),
            ).fetchone()
            taken = 0  # released between the two statements: claim it afresh
            if row is not None:
                found = self._found(row, key, fingerprint)
                if found is not None:
                    return found
                # The holder is gone and recorded nothing: this request takes the key over,
                # only while nothing is recorded (a commit holding the row finishes first).
                taken = cur.execute(
                    "UPDATE idempotency_claims SET claim = ?, holder = ?, "
                    f"claimed_at = {self._now} WHERE person_id = ? AND key = ? AND claim = ? "
                    "AND outcome_position IS NULL",
                    (token, INSTANCE, person_id, key, row["claim"]),
                ).rowcount
        if taken != 1:  # released, recorded or taken meanwhile: read it again
            return self._claim(person_id, key, fingerprint, token)
        log.info("idempotency.taken_over", key=key, holder=row["holder"])
        return Claim(person_id, key, token)

    def _found(
        self, row: dict, key: str, fingerprint: str
    ) -> StoredResponse | RecordedOutcome | None:
        """What a claimed key answers, or None if its claim is dead and may be taken."""
        if row["fingerprint"] != fingerprint:
            raise KeyReused(key)
        if row["status"] is not None:
            return StoredResponse(row["status"], row["body"], json.loads(row["headers"]))
        if row["outcome_position"] is not None:
            return RecordedOutcome(
                row["outcome_id"], int(row["outcome_version"]), int(row["outcome_position"])
            )
        waited = float(row["now"]) - float(row["claimed_at"])
        if not self._dead(row["holder"], row["claim"], waited):
            raise KeyInProgress(key, max(1, int(self.takeover_seconds - waited) + 1))
        return None

    def _dead(self, holder: str, token: str, waited: float) -> bool:
        if holder == INSTANCE:
            with self._mutex:
                return token not in self._running
        return waited >= self.takeover_seconds

    @contextmanager
    def holding(self, claim: Claim | None) -> Iterator[None]:
        """Run the command with its claim in hand (the recorder writes the outcome onto
        it); when the block ends, the request no longer holds the claim."""
        ctx = _claim.set(claim)
        try:
            yield
        finally:
            _claim.reset(ctx)
            if claim is not None:
                self._ended(claim.token)

    def _ended(self, token: str) -> None:
        with self._mutex:
            self._running.discard(token)

    def complete(
        self, person_id: str, key: str, response: StoredResponse, claim: Claim | None = None
    ) -> None:
        """Store the whole answer for later retries: by the claim's holder (a holder taken
        over answers nothing for the key), or by a retry answering a recorded outcome."""
        held = "" if claim is None else " AND claim = ?"
        with self.db.transaction() as cur:
            cur.execute(
                "UPDATE idempotency_claims SET status = ?, body = ?, headers = ? "
                f"WHERE person_id = ? AND key = ? AND status IS NULL{held}",
                (
                    response.status,
                    response.body,
                    json.dumps(response.headers),
                    person_id,
                    key,
                    *(() if claim is None else (claim.token,)),
                ),
            )

    def release(self, claim: Claim) -> None:
        """The command was refused and recorded nothing: free the key for a new attempt."""
        with self.db.transaction() as cur:
            cur.execute(
                "DELETE FROM idempotency_claims WHERE person_id = ? AND key = ? AND claim = ? "
                "AND outcome_position IS NULL",
                (claim.person_id, claim.key, claim.token),
            )
