"""One writer per SQLite file in this process.

SQLite lets one connection write at a time. Without a discipline, a request thread holding
the event store's writer connection waits for the file lock while the follower holds the
file lock and waits for a connection (the stall the issue measured). Every write to the file
(events with their chain, views, idempotency keys, the access log) first takes this lock,
with a bounded wait, and then BEGIN IMMEDIATE; readers take neither (WAL lets them read a
snapshot while one writes). Other processes (a CLI rebuild) meet SQLite's busy timeout.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from infrastructure.store.unavailable import StoreUnavailable

WRITE_WAIT_SECONDS = 10.0  # longer than any one write; then the caller gets 503
BUSY_TIMEOUT_MS = 5000  # another process holding the file

_locks: dict[str, threading.RLock] = {}
_registry = threading.Lock()


def writer_lock(path: str) -> threading.RLock:
    key = str(Path(path).resolve())
    with _registry:
        return _locks.setdefault(key, threading.RLock())


@contextmanager
def holding(lock: threading.RLock, timeout: float = WRITE_WAIT_SECONDS) -> Iterator[None]:
    if not lock.acquire(timeout=timeout):
        raise StoreUnavailable(f"the store's writer was busy for {timeout:.0f} s", retry_after=2)
    try:
        yield
    finally:
        lock.release()
