"""The store could not be had within a bounded time: the API answers 503 with Retry-After,
and nothing was recorded (a write that may have committed is not reported this way)."""

from __future__ import annotations

# A PostgreSQL pool's reconnection backs off without bound (1, 2, 4, … s): after a long
# outage its next try could come a minute after the server is back. Pools give up after
# this long instead, so the next request starts afresh and the ledger recovers in seconds.
RECONNECT_GIVE_UP_SECONDS = 5.0


class StoreUnavailable(Exception):
    def __init__(self, detail: str, retry_after: int = 1) -> None:
        super().__init__(detail)
        self.detail = detail
        self.retry_after = retry_after


class CommitOutcomeUnknown(StoreUnavailable):
    """The connection failed while COMMIT was under way: the write may or may not be in the
    log. Never reported as "nothing was recorded"; an Idempotency-Key stays claimed."""
