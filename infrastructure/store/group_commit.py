"""Group commit: writes that arrive while one is being committed are committed together.

The first caller to find the store free becomes the leader: it takes every write waiting
(up to `max_batch`), commits them in one transaction, and hands each caller its own result.
A caller is answered only after the transaction holding its events has committed. If the
group fails on a conflict (one command lost an optimistic-concurrency race, or its
idempotency claim was taken over), each write is retried alone so only the loser is
refused. A write still waiting when its caller gives up is withdrawn, never written later
behind the caller's back.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

from eventsourcing.persistence import RecordConflictError

from infrastructure.store.unavailable import CommitOutcomeUnknown, StoreUnavailable

OUTCOME_WAIT_SECONDS = 60.0  # beyond every bound the store's own timeouts set
T = TypeVar("T")
R = TypeVar("R")


class _Slot(Generic[T, R]):
    __slots__ = ("done", "error", "item", "result")

    def __init__(self, item: T) -> None:
        self.item = item
        self.done = threading.Event()
        self.result: R | None = None
        self.error: BaseException | None = None


class GroupCommit(Generic[T, R]):
    def __init__(
        self,
        write: Callable[[Sequence[T]], Sequence[R]],
        max_batch: int = 64,
        wait_seconds: float = 10.0,
        conflicts: tuple[type[BaseException], ...] = (RecordConflictError,),
    ) -> None:
        self._write = write  # one transaction for all the items, results in order
        self._conflicts = conflicts  # one item's fault: retry the group item by item
        self.max_batch = max_batch
        self.wait_seconds = wait_seconds
        self._leader = threading.Lock()
        self._mutex = threading.Lock()
        self._pending: list[_Slot[T, R]] = []
        self.batches = 0  # how many transactions, for the benchmarks
        self.items = 0

    def submit(self, item: T) -> R:
        slot: _Slot[T, R] = _Slot(item)
        with self._mutex:
            self._pending.append(slot)
        if not self._leader.acquire(timeout=self.wait_seconds):
            with self._mutex:
                if slot in self._pending:
                    self._pending.remove(slot)
                    raise StoreUnavailable(
                        f"the store took no write for {self.wait_seconds:.0f} s", retry_after=2
                    )
            # A leader has it in hand: its outcome is on its way, within the store's bounds.
            if not slot.done.wait(timeout=OUTCOME_WAIT_SECONDS):
                raise CommitOutcomeUnknown("the write in progress did not finish in time")
        else:
            try:
                while not slot.done.is_set():
                    with self._mutex:
                        batch = self._pending[: self.max_batch]
                        del self._pending[: self.max_batch]
                    if not batch:  # taken, never answered: cannot happen, must not pass
                        raise CommitOutcomeUnknown("a write was taken and not answered")
                    try:
                        self._run(batch)
                    except BaseException as e:  # never leave a taken write unanswered
                        self._fail([s for s in batch if not s.done.is_set()], e)
                        raise
            finally:
                self._leader.release()
        if slot.error is not None:
            raise slot.error
        return slot.result  # type: ignore[return-value]

    def _run(self, batch: list[_Slot[T, R]]) -> None:
        try:
            results = self._write([s.item for s in batch])
        except self._conflicts as e:
            if len(batch) == 1:
                self._fail(batch, e)
                return
            for slot in batch:  # find the loser: each alone
                self._run([slot])
            return
        except BaseException as e:
            self._fail(batch, e)
            return
        self.batches += 1
        self.items += len(batch)
        for slot, result in zip(batch, results, strict=True):
            slot.result = result
            slot.done.set()

    @staticmethod
    def _fail(batch: list[_Slot[T, R]], error: BaseException) -> None:
        for slot in batch:
            slot.error = error
            slot.done.set()
