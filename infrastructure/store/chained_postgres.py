"""The ledger's PostgreSQL store: under the library's table lock (which keeps the log
gap-free for readers), one transaction inserts the events of several commands, their chain
links and a signed tree head."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from eventsourcing.persistence import OperationalError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore, PostgresFactory
from psycopg.sql import SQL, Identifier
from psycopg_pool import PoolTimeout

from infrastructure.integrity.chain_writer import Tip
from infrastructure.store.chained import ChainedWrites, Finish
from infrastructure.store.unavailable import (
    RECONNECT_GIVE_UP_SECONDS,
    CommitOutcomeUnknown,
    StoreUnavailable,
)
from infrastructure.views.viewdb import ViewCursor


class ChainedPostgresRecorder(ChainedWrites, PostgresApplicationRecorder):
    def __init__(self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events"):
        super().__init__(datastore, events_table_name=events_table_name)
        self._start_chaining()
        self._search_path = SQL("SET LOCAL search_path TO {0}").format(Identifier(datastore.schema))

    def _write_chained(
        self, writes: Sequence[list[StoredEvent]], finish: Finish
    ) -> tuple[list[list[int]], Tip]:
        rows = [
            self.construct_pg_stored_event(e.originator_id, e.originator_version, e.topic, e.state)
            for events in writes
            for e in events
        ]
        with self.datastore.get_connection() as conn:
            cur = conn.cursor()
            cur.execute("BEGIN")
            try:
                for statement in self.lock_table_statements:
                    cur.execute(statement, prepare=True)
                self._notify_channel(cur)  # as the library does, for its subscribers
                cur.execute(self.insert_events_statement, (rows,), prepare=True)
                flat = iter([row["notification_id"] for row in cur.fetchall()])
                ids = [[next(flat) for _ in events] for events in writes]
                cur.execute(self._search_path)
                tip = finish(ViewCursor(cur, "postgres"), ids)
            except BaseException:
                with contextlib.suppress(psycopg.Error):
                    cur.execute("ROLLBACK")
                raise
            try:
                cur.execute("COMMIT")
            except psycopg.Error as e:  # sent, and no answer: it may have committed
                raise CommitOutcomeUnknown(f"COMMIT failed: {e}", retry_after=2) from e
        return ids, tip


class BoundedPostgresDatastore(PostgresDatastore):
    """The library's datastore, bounded for a server: a new connection gives up connecting
    after `connect_timeout` and each statement after the statement timeout; when no
    connection can be had in time the answer is `StoreUnavailable` (503), which the
    library's own reconnect retries pass through; when the pool also failed to connect
    (the server is down, not merely busy), for a moment after that the next callers are
    answered so at once instead of each waiting out the bound again."""

    FAIL_FAST_SECONDS = 2.0

    def __init__(self, *, statement_timeout_ms: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.pool.kwargs["connect_timeout"] = max(2, round(self.pool.timeout))  # libpq's least
        self.pool.kwargs["options"] = f"-c statement_timeout={statement_timeout_ms}"
        self.pool.reconnect_timeout = RECONNECT_GIVE_UP_SECONDS
        self._down_until = 0.0
        self._connect_errors = 0

    def _connect_failed(self) -> bool:
        """Whether the pool failed to connect since this was last asked."""
        errors = self.pool.get_stats().get("connections_errors", 0)
        failed, self._connect_errors = errors > self._connect_errors, errors
        return failed

    @contextmanager
    def get_connection(self) -> Iterator[Any]:
        if time.monotonic() < self._down_until:
            raise StoreUnavailable("the database server could not be reached just now", 2)
        try:
            with super().get_connection() as conn:
                yield conn
        except OperationalError as e:
            if not isinstance(e.__cause__, PoolTimeout):
                raise  # a statement's own failure: the library retries it
            if self._connect_failed():  # down, not merely busy: the next callers at once
                self._down_until = time.monotonic() + self.FAIL_FAST_SECONDS
            raise StoreUnavailable(
                f"no database connection within {self.pool.timeout:g} s", 2
            ) from e


class LedgerPostgresFactory(PostgresFactory):
    application_recorder_class = ChainedPostgresRecorder

    def __init__(self, env: Any) -> None:
        super().__init__(env)
        built = self.datastore  # rebuilt bounded, with the same settings (pool not open yet)
        pool = built.pool
        self.datastore = BoundedPostgresDatastore(
            statement_timeout_ms=int(env.get("JIXIAO_STATEMENT_TIMEOUT_MS") or 30000),
            dbname=pool.kwargs["dbname"],
            host=pool.kwargs["host"],
            port=pool.kwargs["port"],
            user=pool.kwargs["user"],
            password=pool.kwargs["password"],
            connect_timeout=pool.timeout,
            idle_in_transaction_session_timeout=built.idle_in_transaction_session_timeout,
            pool_size=pool.min_size,
            max_overflow=pool.max_size - pool.min_size,
            max_waiting=pool.max_waiting,
            conn_max_age=pool.max_lifetime,
            pre_ping=built.pre_ping,
            lock_timeout=built.lock_timeout,
            schema=built.schema,
            single_row_tracking=built.single_row_tracking,
            originator_id_type=built.originator_id_type,
            enable_db_functions=built.enable_db_functions,
        )
        built.close()
