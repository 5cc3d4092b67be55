"""Checking the signatures of many tree heads beside the walk over the log.

The ledger signs a head with every commit, so a long log holds many heads, and Ed25519
verification is most of `verify`'s time. OpenSSL releases the GIL while it verifies, so
heads are checked in chunks on worker threads while the walk goes on; the results are taken
in the order the heads were given, so the first bad head is the one named. The number of
chunks in flight is bounded, so memory stays flat however many heads there are. Each head is
checked with the trusted key it names (keys rotate); it travels with the chain link it
covers last, so a bad one is named by log position."""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from infrastructure.integrity.heads import SignedHead
from infrastructure.integrity.keys import KeyRing

Checked = tuple[SignedHead, Any]  # a head and the chain link it covers last


def _first_bad(heads: Sequence[Checked], keys: KeyRing) -> Checked | None:
    return next((item for item in heads if not keys.verify(item[0])), None)


class SignatureChecks:
    def __init__(self, keys: KeyRing, chunk: int = 256, in_flight: int = 64) -> None:
        self.keys, self.chunk, self.in_flight = keys, chunk, in_flight
        self._pool = ThreadPoolExecutor(max_workers=os.cpu_count() or 2)
        self._batch: list[Checked] = []
        self._pending: deque[Future[Checked | None]] = deque()
        self.failed: Checked | None = None

    def add(self, head: SignedHead, link: Any = None) -> Checked | None:
        """Queue a head; returns the first bad head found so far (in the given order)."""
        self._batch.append((head, link))
        if len(self._batch) >= self.chunk:
            self._pending.append(self._pool.submit(_first_bad, self._batch, self.keys))
            self._batch = []
        while self.failed is None and (
            len(self._pending) > self.in_flight or (self._pending and self._pending[0].done())
        ):
            self.failed = self._pending.popleft().result()
        return self.failed

    def first_bad(self) -> Checked | None:
        """Wait for every queued head; the first bad one, or None."""
        if self.failed is None and self._batch:
            self._pending.append(self._pool.submit(_first_bad, self._batch, self.keys))
            self._batch = []
        while self.failed is None and self._pending:
            self.failed = self._pending.popleft().result()
        return self.failed

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
