"""Follows the notification log and keeps every view up to date, on SQLite and PostgreSQL.

The library's ProjectionRunner subscribes only on PostgreSQL, so this follower pulls:
it reads from each view's tracked position, applies a batch, and moves the tracking
record in the same transaction as the view's rows. The move is a compare-and-set, so two
followers (a server and a `jixiao rebuild`, say) never apply the same event twice.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import psycopg
import structlog

from domain.ledger import Ledger
from infrastructure.store.unavailable import StoreUnavailable
from infrastructure.views.schema import create_tables, start_again
from infrastructure.views.viewdb import ViewDatabase
from projections.view import View, ViewFailure

log = structlog.get_logger(__name__)

Progress = Callable[[int], None]


class TrackingMoved(Exception):
    """Another follower applied this batch first; the batch was rolled back."""


class HandlerFailed(Exception):
    """A view's handler (or the decoding of the event it wanted) raised; the batch was
    rolled back."""

    def __init__(self, failure: ViewFailure) -> None:
        super().__init__(failure.describe())
        self.failure = failure


@dataclass(frozen=True)
class Backoff:
    """How long a failing view waits before it is tried again: `first`, doubling to `most`."""

    first: float = 0.5
    most: float = 30.0


def is_store_fault(exc: BaseException) -> bool:
    """The store, not the view, failed (connection lost, lock or statement timeout, busy
    file): the follower retries the whole round rather than blaming the view."""
    if isinstance(exc, psycopg.errors.ProgramLimitExceeded):
        return False  # this event's rows exceed a limit (e.g. an index row): every time
    if isinstance(exc, StoreUnavailable | psycopg.OperationalError | psycopg.InterfaceError):
        return True
    store_words = ("locked", "busy", "disk i/o", "unable to open", "readonly")
    return isinstance(exc, sqlite3.OperationalError) and any(
        word in str(exc).lower() for word in store_words
    )


class Follower:
    def __init__(
        self,
        ledger: Ledger,
        db: ViewDatabase,
        views: Sequence[View],
        batch_size: int = 500,
        backoff: Backoff | None = None,
    ) -> None:
        self.ledger = ledger
        self.db = db
        self.views = list(views)
        self.batch_size = batch_size
        self.backoff = backoff or Backoff()
        self._advanced = threading.Condition()
        self._nudge = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._applied: dict[str, int] = {}  # what this follower committed, per view
        # Under self._advanced: the failing views, and when (monotonic) each is next tried
        # with the delay that got it there.
        self._failures: dict[str, ViewFailure] = {}
        self._retry: dict[str, tuple[float, float]] = {}
        self.rebuilding: list[str] = []  # views create_tables found at another version

    # --- schema --------------------------------------------------------------------------

    def create_tables(self) -> None:
        """Create what is missing; a view whose version changed is started again, to be
        rebuilt by the next catch-up (named in `self.rebuilding`)."""
        with self.db.transaction() as cur:
            changed = create_tables(cur, self.views)
        for view, held in changed:
            log.warning("view.version_changed", view=view.name, held=held, version=view.version)
        self.rebuilding = [view.name for view, _ in changed]

    def reset(self, view: View) -> None:
        """Drop a view's rows and tracking so it can be rebuilt from the start of the log."""
        with self.db.transaction() as cur:
            start_again(cur, view)
        with self._advanced:
            self._applied.pop(view.name, None)
            self._failures.pop(view.name, None)  # a rebuild tries it afresh
            self._retry.pop(view.name, None)

    # --- positions -----------------------------------------------------------------------

    def positions(self) -> dict[str, int]:
        with self.db.transaction(write=False) as cur:
            rows = cur.execute("SELECT view_name, position FROM projection_tracking").fetchall()
        known = {row["view_name"]: int(row["position"]) for row in rows}
        return {view.name: known.get(view.name, 0) for view in self.views}

    def head(self) -> int:
        return self.ledger.recorder.max_notification_id() or 0

    def lag(self) -> dict[str, int]:
        head = self.head()
        return {name: head - position for name, position in self.positions().items()}

    # --- applying the log ----------------------------------------------------------------

    def catch_up(self, progress: Progress | None = None) -> int:
        """Apply everything up to the current head to every view; return log entries read.

        The healthy views advance together: each batch is read and decoded once and handed
        to every view that has not seen it. A view whose handler fails is taken up to the
        event before the failing one and set aside (its failure recorded, its lag showing),
        so it holds no one else back; it is tried again alone, with backoff."""
        self._retry_failing_views()
        applied = 0
        while True:
            healthy = [view for view in self.views if view.name not in self.failures()]
            if not healthy:
                break
            try:
                count = self._apply_batch(healthy)
            except TrackingMoved:
                continue
            except HandlerFailed as failed:
                self._set_aside(failed)
                continue
            if count == 0:
                break
            applied += count
            if progress:
                progress(count)
        return applied

    # --- failing views -------------------------------------------------------------------

    def failures(self) -> dict[str, ViewFailure]:
        """The views whose handler refused an event, by name (empty when all is well)."""
        with self._advanced:
            return dict(self._failures)

    def _set_aside(self, failed: HandlerFailed) -> None:
        """Record the failure (logged once per change), then take the view as far as the
        event before it, so its position says exactly what it holds."""
        failure = failed.failure
        self._record_failure(failure, failed.__cause__)
        view = next(v for v in self.views if v.name == failure.view)
        while True:
            try:
                if self._apply_batch([view], stop=failure.position - 1) == 0:
                    return
            except TrackingMoved:
                continue
            except HandlerFailed as earlier:  # not deterministic: record what it says now
                self._record_failure(earlier.failure, earlier.__cause__)
                return

    def _record_failure(self, failure: ViewFailure, cause: BaseException | None = None) -> None:
        with self._advanced:
            previous = self._failures.get(failure.view)
            _, delay = self._retry.get(failure.view, (0.0, 0.0))
            delay = min(delay * 2, self.backoff.most) if previous else self.backoff.first
            if previous is not None and previous.position == failure.position:
                failure = replace(failure, since=previous.since)
            self._failures[failure.view] = failure
            self._retry[failure.view] = (time.monotonic() + delay, delay)
            self._advanced.notify_all()  # a command waiting on this view can stop waiting
        if not failure.same_fault(previous):
            log.error(
                "view.failing",
                view=failure.view,
                position=failure.position,
                originator_id=failure.originator_id,
                originator_version=failure.originator_version,
                topic=failure.topic,
                error=failure.error,
                retry_in_seconds=delay,
                exc_info=cause,
            )

    def _retry_failing_views(self) -> None:
        """Try each failing view whose backoff has run out, alone, from where it stopped."""
        now = time.monotonic()
        with self._advanced:
            due = [name for name, (at, _) in self._retry.items() if at <= now]
        for view in (v for v in self.views if v.name in due):
            try:
                self._apply_batch([view])
            except TrackingMoved:
                continue
            except HandlerFailed as failed:
                self._set_aside(failed)
                continue
            with self._advanced:
                failure = self._failures.pop(view.name, None)
                self._retry.pop(view.name, None)
            if failure is not None:
                log.info(
                    "view.recovered",
                    view=view.name,
                    position=failure.position,
                    failing_since=failure.since.isoformat(),
                )

    def _apply_batch(self, views: Sequence[View], stop: int | None = None) -> int:
        # The log is read and decoded before the write transaction, so the store's writer
        # (one per SQLite file) is held only while views change. In the transaction the
        # tracking rows are read again under a write lock (SQLite's writer, PostgreSQL's
        # FOR UPDATE): a view that another follower moved on skips what it has seen, and a
        # view reset meanwhile (a rebuild) sends the batch round again.
        names = [view.name for view in views]
        marks = ", ".join("?" for _ in names)
        select = f"SELECT view_name, position FROM projection_tracking WHERE view_name IN ({marks})"
        with self.db.transaction(write=False) as cur:
            rows = cur.execute(select, names).fetchall()
        before = {r["view_name"]: int(r["position"]) for r in rows}
        if len(before) != len(names):
            raise RuntimeError(f"no tracking row for {set(names) - set(before)}")
        start = min(before.values())
        if stop is not None and stop <= start:
            return 0
        notifications = self.ledger.recorder.select_notifications(
            start=start, limit=self.batch_size, stop=stop, inclusive_of_start=False
        )
        if not notifications:
            return 0
        end = notifications[-1].id
        decoded = self._decode([n for n in notifications if any(v.wants(n.topic) for v in views)])
        lock = " FOR UPDATE" if self.db.dialect == "postgres" else ""
        with self.db.transaction() as cur:
            rows = cur.execute(select + lock, names).fetchall()
            positions = {r["view_name"]: int(r["position"]) for r in rows}
            for view in views:
                seen = positions.get(view.name, 0)
                if seen < start:
                    raise TrackingMoved(view.name)  # reset since we read: read again
                if seen >= end:
                    continue
                for notification in notifications:
                    if notification.id > seen and view.wants(notification.topic):
                        _handle(view, cur, notification, decoded[notification.id])
                moved = cur.execute(
                    "UPDATE projection_tracking SET position = ? "
                    "WHERE view_name = ? AND position = ?",
                    (end, view.name, seen),
                ).rowcount
                if moved != 1:
                    raise TrackingMoved(view.name)
        with self._advanced:
            for view in views:
                self._applied[view.name] = max(self._applied.get(view.name, 0), end)
            self._advanced.notify_all()
        return len(notifications)

    def _decode(self, notifications: Sequence[Any]) -> dict[int, Any]:
        """Each event once; one that cannot be decoded is kept as its error, and becomes
        the failure of each view that wants it."""
        decoded: dict[int, Any] = {}
        for notification in notifications:
            try:
                decoded[notification.id] = self.ledger.mapper.to_domain_event(notification)
            except Exception as exc:
                if is_store_fault(exc):
                    raise
                decoded[notification.id] = exc
        return decoded

    def rebuild(self, progress: Progress | None = None) -> int:
        for view in self.views:
            self.reset(view)
        return self.catch_up(progress)

    # --- running beside the server -------------------------------------------------------

    def nudge(self) -> None:
        """A command was saved: catch up now rather than at the next tick."""
        self._nudge.set()

    def wait_for(self, position: int, timeout: float = 5.0) -> bool:
        """Read-your-writes: block until every view has applied the log up to `position`.
        False after `timeout`, or as soon as the views that did not get there are failing
        at or before `position` (waiting will not bring them; the others are waited for,
        so what they show includes the command). What this follower committed is known in
        memory; the tracking table is asked only when that is not enough (another process,
        a rebuild, may have moved the views)."""
        deadline = time.monotonic() + timeout
        self.nudge()
        while True:
            with self._advanced:
                verdict = self._verdict(self._applied, position)
                if verdict is None:
                    self._advanced.wait(min(max(deadline - time.monotonic(), 0), 0.25))
                    verdict = self._verdict(self._applied, position)
            if verdict is None:
                stored = self.positions()
                with self._advanced:
                    verdict = self._verdict(stored, position)
            if verdict is not None:
                return verdict
            if time.monotonic() >= deadline:
                return False

    def _verdict(self, reached: dict[str, int], position: int) -> bool | None:
        """True when every view has reached `position`, False when those that have not are
        failing at or before it, None while waiting may help. Called holding the lock."""
        behind = {view.name for view in self.views if reached.get(view.name, 0) < position}
        if not behind:
            return True
        failed = {name for name, f in self._failures.items() if f.position <= position}
        return False if behind <= failed else None

    def start(self, interval: float = 0.2) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(
            target=self._run, args=(interval,), name="jixiao-follower", daemon=True
        )
        self._thread.start()

    def _run(self, interval: float) -> None:
        last_error: str | None = None
        while not self._stop.is_set():
            try:
                self.catch_up()
            except Exception as exc:  # keep following; retried next tick, logged once
                if str(exc) != last_error:
                    log.error("follower.error", error=f"{type(exc).__name__}: {exc}", exc_info=exc)
                last_error = str(exc)
            else:
                if last_error is not None:
                    log.info("follower.resumed")
                last_error = None
            self._nudge.wait(interval)
            self._nudge.clear()

    def stop(self) -> None:
        self._stop.set()
        self._nudge.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None


def _handle(view: View, cur: Any, notification: Any, event: Any) -> None:
    """Hand one event to a view; a refusal becomes that view's failure at this position
    (a store fault stays what it is: the whole round is retried)."""
    try:
        if isinstance(event, Exception):
            raise event
        view.handle_record(cur, event, notification)
    except Exception as exc:
        if is_store_fault(exc):
            raise
        raise HandlerFailed(
            ViewFailure(
                view=view.name,
                position=notification.id,
                originator_id=str(notification.originator_id),
                originator_version=notification.originator_version,
                topic=notification.topic,
                error=f"{type(exc).__name__}: {exc}",
                since=datetime.now(UTC),
            )
        ) from exc
