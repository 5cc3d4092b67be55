"""The ledger's SQLite store: events, their chain links and a signed tree head in one
BEGIN IMMEDIATE transaction, several commands grouped per commit, under the file's one
writer lock (sqlite_writer.py)."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import IntegrityError, StoredEvent
from eventsourcing.sqlite import (
    SQLiteAggregateRecorder,
    SQLiteApplicationRecorder,
    SQLiteDatastore,
    SQLiteFactory,
)

from infrastructure.integrity.chain_writer import Tip
from infrastructure.store.chained import ChainedWrites, Finish
from infrastructure.store.sqlite_writer import BUSY_TIMEOUT_MS, holding, writer_lock
from infrastructure.store.unavailable import StoreUnavailable
from infrastructure.views.viewdb import ViewCursor

EVENTS_TABLE = "stored_events"


class ChainedSQLiteRecorder(ChainedWrites, SQLiteApplicationRecorder):
    def __init__(self, datastore: SQLiteDatastore, events_table_name: str = EVENTS_TABLE):
        super().__init__(datastore, events_table_name)
        self._start_chaining()
        self.writer = writer_lock(datastore.pool.db_name)

    def _write_chained(
        self, writes: Sequence[list[StoredEvent]], finish: Finish
    ) -> tuple[list[list[int]], Tip]:
        with holding(self.writer):
            conn = self.datastore.pool.get_connection(is_writer=True)
            try:
                c = conn.cursor()
                try:
                    c.execute("BEGIN IMMEDIATE")
                    ids = [list(self._insert_events(c, events) or []) for events in writes]
                    tip = finish(ViewCursor(c.sqlite_cursor, "sqlite"), ids)
                    c.execute("COMMIT")
                except BaseException as e:
                    _rollback(c)
                    raise _mapped(e) from e
            finally:
                self.datastore.pool.put_connection(conn)
        return ids, tip


class LockedSQLiteAggregateRecorder(SQLiteAggregateRecorder):
    """Snapshots: written under the same writer lock as everything else in the file."""

    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Any:
        with holding(writer_lock(self.datastore.pool.db_name)):
            return super().insert_events(stored_events, **kwargs)


class LedgerSQLiteFactory(SQLiteFactory):
    """The library's factory, with the ledger's recorders and a pool sized for a server's
    thread pool (readers never wait for one another; the one writer is the lock above)."""

    application_recorder_class = ChainedSQLiteRecorder
    aggregate_recorder_class = LockedSQLiteAggregateRecorder

    def __init__(self, env: Any) -> None:
        super().__init__(env)
        built = self.datastore
        self.datastore = SQLiteDatastore(
            db_name=built.pool.db_name,
            lock_timeout=max(1, BUSY_TIMEOUT_MS // 1000),
            pool_size=8,
            max_overflow=56,
            pool_timeout=5.0,
            single_row_tracking=built.single_row_tracking,
            originator_id_type=built.originator_id_type,
        )
        built.close()


def _rollback(c: Any) -> None:
    with contextlib.suppress(sqlite3.Error):  # no transaction was open (BEGIN itself failed)
        c.execute("ROLLBACK")


def _mapped(error: BaseException) -> BaseException:
    if isinstance(error, sqlite3.IntegrityError) and EVENTS_TABLE in str(error):
        return IntegrityError(error)  # a lost race on (originator_id, version)
    if isinstance(error, sqlite3.OperationalError) and "locked" in str(error):
        return StoreUnavailable("another process holds the SQLite file", retry_after=2)
    return error
