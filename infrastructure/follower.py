"""Follows the notification log and keeps every view up to date, on SQLite and PostgreSQL.

The library's ProjectionRunner subscribes only on PostgreSQL, so this follower pulls:
it reads from each view's tracked position, applies a batch, and moves the tracking
record in the same transaction as the view's rows. The move is a compare-and-set, so two
followers (a server and a `jixiao rebuild`, say) never apply the same event twice.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

import structlog

from domain.ledger import Ledger
from infrastructure.viewdb import ViewDatabase
from projections.view import View

log = structlog.get_logger(__name__)

TRACKING_SCHEMA = """CREATE TABLE IF NOT EXISTS projection_tracking (
    view_name TEXT PRIMARY KEY,
    position BIGINT NOT NULL
)"""

Progress = Callable[[int], None]


class TrackingMoved(Exception):
    """Another follower applied this batch first; the batch was rolled back."""


class Follower:
    def __init__(
        self, ledger: Ledger, db: ViewDatabase, views: Sequence[View], batch_size: int = 500
    ) -> None:
        self.ledger = ledger
        self.db = db
        self.views = list(views)
        self.batch_size = batch_size
        self._advanced = threading.Condition()
        self._nudge = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._applied: dict[str, int] = {}  # what this follower committed, per view

    # --- schema --------------------------------------------------------------------------

    def create_tables(self) -> None:
        with self.db.transaction() as cur:
            cur.execute(TRACKING_SCHEMA)
            for view in self.views:
                for statement in view.schema:
                    cur.execute(statement)
                cur.execute(
                    "INSERT INTO projection_tracking (view_name, position) VALUES (?, 0) "
                    "ON CONFLICT (view_name) DO NOTHING",
                    (view.name,),
                )

    def reset(self, view: View) -> None:
        """Drop a view's rows and tracking so it can be rebuilt from the start of the log."""
        with self.db.transaction() as cur:
            for table in view.tables:
                cur.execute(f"DROP TABLE IF EXISTS {table}")
            for statement in view.schema:
                cur.execute(statement)
            cur.execute(
                "UPDATE projection_tracking SET position = 0 WHERE view_name = ?", (view.name,)
            )
        with self._advanced:
            self._applied.pop(view.name, None)

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

        All views advance together: each batch is read and decoded once and handed to every
        view that has not seen it. If a batch fails (a view's bug, say), that batch is
        applied view by view instead, so one broken view does not hold the others back."""
        applied = 0
        while True:
            try:
                count = self._apply_batch(self.views)
            except TrackingMoved:
                continue
            except Exception:
                log.exception("follower.batch_failed", detail="applying view by view")
                count = self._apply_separately()
            if count == 0:
                break
            applied += count
            if progress:
                progress(count)
        if applied:
            with self._advanced:
                self._advanced.notify_all()
        return applied

    def _apply_separately(self) -> int:
        """One batch per view, each in its own transaction; a failing view is logged and
        stays where it is (its lag shows it) while the others move on."""
        furthest = 0
        for view in self.views:
            try:
                furthest = max(furthest, self._apply_batch([view]))
            except TrackingMoved:
                continue
            except Exception:
                log.exception("follower.view_failed", view=view.name)
        return furthest

    def _apply_batch(self, views: Sequence[View]) -> int:
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
        notifications = self.ledger.recorder.select_notifications(
            start=start, limit=self.batch_size, inclusive_of_start=False
        )
        if not notifications:
            return 0
        end = notifications[-1].id
        decoded: dict[int, Any] = {}
        for notification in notifications:
            if any(view.wants(notification.topic) for view in views):
                decoded[notification.id] = self.ledger.mapper.to_domain_event(notification)
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
                        view.handle(cur, decoded[notification.id], notification.id)
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
        What this follower committed is known in memory; the tracking table is asked only
        when that is not enough (another process, a rebuild, may have moved the views)."""
        deadline = time.monotonic() + timeout
        self.nudge()
        while True:
            with self._advanced:
                if self._caught_up_in_memory(position):
                    return True
                self._advanced.wait(min(max(deadline - time.monotonic(), 0), 0.25))
                if self._caught_up_in_memory(position):
                    return True
            if min(self.positions().values(), default=position) >= position:
                return True
            if time.monotonic() >= deadline:
                return False

    def _caught_up_in_memory(self, position: int) -> bool:
        return all(self._applied.get(view.name, 0) >= position for view in self.views)

    def start(self, interval: float = 0.2) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(
            target=self._run, args=(interval,), name="jixiao-follower", daemon=True
        )
        self._thread.start()

    def _run(self, interval: float) -> None:
        while not self._stop.is_set():
            try:
                self.catch_up()
            except Exception:  # keep following; the error is logged and retried next tick
                log.exception("follower.error")
            self._nudge.wait(interval)
            self._nudge.clear()

    def stop(self) -> None:
        self._stop.set()
        self._nudge.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None
