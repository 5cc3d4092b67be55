"""`jixiao verify` reads, and only reads: its own connection, opened read-only (SQLite
`mode=ro`; PostgreSQL a READ ONLY, REPEATABLE READ transaction, so a role with SELECT alone
will do), one snapshot for the whole pass, raw SQL on the tables (no event store, no
bootstrap: nothing is created, installed or chained on the way)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from uuid import UUID

import psycopg
from psycopg.rows import dict_row

from infrastructure.integrity.canonical import EventRecord
from infrastructure.integrity.chain import iter_links
from infrastructure.integrity.heads import SignedHead
from infrastructure.integrity.verify import Report, TrustedKeys, walk_log
from infrastructure.settings import StoreLocation
from infrastructure.views.viewdb import ViewCursor

SQLITE_EVENTS_TABLE = "stored_events"
POSTGRES_EVENTS_TABLE = "ledger_events"  # the library's "<application name>_events"


class NothingToVerify(Exception):
    """The store or its tables are not there."""


def events_table_for(location: StoreLocation) -> str:
    return SQLITE_EVENTS_TABLE if location.kind == "sqlite" else POSTGRES_EVENTS_TABLE


@contextmanager
def readonly_cursor(location: StoreLocation) -> Iterator[ViewCursor]:
    if location.kind == "sqlite":
        path = Path(location.parts["path"])
        if not path.exists():
            raise NothingToVerify(f"no SQLite store at {path}")
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        conn.row_factory = sqlite3.Row
        try:
            conn.execute("BEGIN")  # one snapshot, from the first read on
            yield ViewCursor(conn.cursor(), "sqlite")
        finally:
            conn.rollback()
            conn.close()
        return
    with psycopg.connect(
        **location.psycopg_kwargs(), row_factory=dict_row, connect_timeout=10
    ) as conn:
        conn.read_only = True
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        with conn.transaction(force_rollback=True):
            yield ViewCursor(conn.cursor(), "postgres")


def _originator(value: Any) -> str:
    if isinstance(value, UUID):
        return str(value)
    try:
        return str(UUID(str(value)))
    except ValueError:
        return str(value)  # not written by the ledger, which uses UUIDs: compared as it is


def iter_records(cur: ViewCursor, table: str, batch: int = 2000) -> Iterator[EventRecord]:
    """Every stored event in notification order, from the very first id (ids <= 0 too)."""
    column = "rowid" if cur.dialect == "sqlite" else "notification_id"
    select = (
        f"SELECT {column} AS position, originator_id, originator_version, topic, state FROM {table}"
    )
    rows = cur.execute(f"{select} ORDER BY {column} LIMIT ?", (batch,)).fetchall()
    while rows:
        for row in rows:
            yield EventRecord(
                int(row["position"]),
                _originator(row["originator_id"]),
                int(row["originator_version"]),
                str(row["topic"]),
                bytes(row["state"]),
            )
        after = rows[-1]["position"]
        rows = cur.execute(
            f"{select} WHERE {column} > ? ORDER BY {column} LIMIT ?", (after, batch)
        ).fetchall()


def iter_heads(cur: ViewCursor, batch: int = 2000) -> Iterator[SignedHead]:
    after_size, after_time = -1, ""
    while True:
        rows = cur.execute(
            "SELECT * FROM tree_heads WHERE tree_size > ? OR (tree_size = ? AND signed_at > ?) "
            "ORDER BY tree_size, signed_at LIMIT ?",
            (after_size, after_size, after_time, batch),
        ).fetchall()
        if not rows:
            return
        for row in rows:
            yield SignedHead.from_row(row)
        after_size, after_time = int(rows[-1]["tree_size"]), rows[-1]["signed_at"]


def count_events(location: StoreLocation) -> int:
    with readonly_cursor(location) as cur:
        row = cur.execute(f"SELECT COUNT(*) AS n FROM {events_table_for(location)}").fetchone()
    return int(row["n"]) if row else 0


def verify_store(
    location: StoreLocation,
    table: str | None,
    keys: TrustedKeys,
    progress: Callable[[int], None] | None = None,
    outside: SignedHead | None = None,
) -> Report:
    """Walk the store's log, chain and heads in one read-only snapshot."""
    table = table or events_table_for(location)
    with readonly_cursor(location) as cur:
        try:
            row = cur.execute("SELECT MAX(tree_size) AS n FROM tree_heads").fetchone()
        except (sqlite3.Error, psycopg.Error) as e:
            raise NothingToVerify(f"the integrity tables are not there: {e}") from None
        newest_signed = int(row["n"]) if row and row["n"] is not None else 0
        return walk_log(
            iter_records(cur, table),
            iter_links(cur),
            iter_heads(cur),
            keys,
            newest_signed,
            progress,
            outside,
        )
