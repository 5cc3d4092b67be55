"""The database that holds read models, beside the event log (same SQLite file or same
PostgreSQL schema). Views write portable SQL with `?` placeholders; this module adapts it."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool, PoolTimeout

from infrastructure.settings import StoreLocation
from infrastructure.store.sqlite_writer import BUSY_TIMEOUT_MS, holding, writer_lock
from infrastructure.store.unavailable import RECONNECT_GIVE_UP_SECONDS, StoreUnavailable


class ViewCursor:
    """The cursor views see: `?` placeholders, rows as dicts, on either database."""

    def __init__(self, raw: Any, dialect: str) -> None:
        self._raw = raw
        self.dialect = dialect

    def execute(self, sql: str, params: Sequence[Any] = ()) -> ViewCursor:
        if self.dialect == "postgres":
            sql = sql.replace("?", "%s")
        self._raw.execute(sql, tuple(params))
        return self

    def fetchall(self) -> list[dict[str, Any]]:
        return [dict(row) for row in self._raw.fetchall()]

    def fetchone(self) -> dict[str, Any] | None:
        row = self._raw.fetchone()
        return None if row is None else dict(row)

    @property
    def rowcount(self) -> int:
        return self._raw.rowcount


class ViewDatabase:
    def __init__(self, location: StoreLocation) -> None:
        self.location = location
        self.dialect = location.kind
        if self.dialect == "postgres":
            ensure_postgres_schema(location)
            self._pool: ConnectionPool | None = ConnectionPool(
                # Reads run statement by statement (READ COMMITTED gives a transaction
                # no firmer snapshot), saving BEGIN and COMMIT; writes open a transaction.
                kwargs={
                    **location.psycopg_kwargs(bounded=True),
                    "row_factory": dict_row,
                    "autocommit": True,
                },
                min_size=1,
                max_size=16,
                timeout=location.wait_seconds,
                reconnect_timeout=RECONNECT_GIVE_UP_SECONDS,
                # No check before each use (it cost ~15% of a read at one client): a
                # connection cut by a restart fails once (503) and the pool drops it.
                open=True,
            )
        else:
            self._pool = None
            self._writer = writer_lock(location.parts["path"])
            self._local = threading.local()
            self._connections: list[sqlite3.Connection] = []
            self._lock = threading.Lock()

    def _sqlite(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(
                self.location.parts["path"],
                isolation_level=None,  # transactions are begun explicitly below
                check_same_thread=False,
                timeout=BUSY_TIMEOUT_MS / 1000,
            )
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            self._local.conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn

    @contextmanager
    def transaction(self, *, write: bool = True) -> Iterator[ViewCursor]:
        """One transaction: committed if the block returns, rolled back if it raises. On
        SQLite a write holds the file's one writer lock (reads take none)."""
        if self._pool is not None:
            try:
                conn = self._pool.getconn()
            except PoolTimeout:
                raise StoreUnavailable(
                    f"no database connection within {self.location.wait_seconds:.0f} s", 2
                ) from None
            try:
                if write:
                    with conn.transaction():
                        yield ViewCursor(conn.cursor(), "postgres")
                else:
                    yield ViewCursor(conn.cursor(), "postgres")
            finally:
                self._pool.putconn(conn)
            return
        if not write:
            yield from self._sqlite_transaction("BEGIN")
            return
        with holding(self._writer):
            yield from self._sqlite_transaction("BEGIN IMMEDIATE")

    def _sqlite_transaction(self, begin: str) -> Iterator[ViewCursor]:
        conn = self._sqlite()
        try:
            conn.execute(begin)
        except sqlite3.OperationalError as e:
            if "locked" in str(e):
                raise StoreUnavailable("another process holds the SQLite file", 2) from None
            raise
        try:
            yield ViewCursor(conn.cursor(), "sqlite")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            return
        with self._lock:
            for conn in self._connections:
                conn.close()
            self._connections.clear()
        self._local = threading.local()


def ensure_postgres_schema(location: StoreLocation) -> None:
    """The event store expects its schema to exist; create it once, before anything else."""
    p = location.parts
    with psycopg.connect(
        **location.psycopg_kwargs(in_schema=False), autocommit=True, connect_timeout=10
    ) as conn:
        # Checked first: CREATE SCHEMA IF NOT EXISTS needs CREATE on the database even when
        # the schema exists, which the production role does not have.
        exists = conn.execute(
            "SELECT 1 FROM information_schema.schemata WHERE schema_name = %s", (p["schema"],)
        ).fetchone()
        if not exists:
            conn.execute(
                psycopg.sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(
                    psycopg.sql.Identifier(p["schema"])
                )
            )
