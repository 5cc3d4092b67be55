"""Who looked: reads of person ledgers, case files and evidence packages, recorded in an
append-only table beside the views (not a view: it is not derived from the log, so a
rebuild never drops it). Triggers refuse UPDATE and DELETE, as on the event table."""

from __future__ import annotations

import threading
import uuid
import weakref
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from infrastructure.integrity.triggers import install_append_only
from infrastructure.views.viewdb import ViewDatabase

TABLE = "access_log"
SCHEMA = (
    f"""CREATE TABLE IF NOT EXISTS {TABLE} (
        entry_id TEXT PRIMARY KEY,
        at TEXT NOT NULL,
        request_id TEXT,
        person_id TEXT NOT NULL,
        person_name TEXT NOT NULL,
        role TEXT NOT NULL,
        organisation_id TEXT,
        organisation_name TEXT,
        mof_div_code TEXT,
        method TEXT NOT NULL,
        path TEXT NOT NULL,
        operation TEXT NOT NULL,
        resource_kind TEXT NOT NULL,
        resource_id TEXT
    )""",
    f"CREATE INDEX IF NOT EXISTS ix_{TABLE}_person ON {TABLE} (person_id, at)",
    f"CREATE INDEX IF NOT EXISTS ix_{TABLE}_resource ON {TABLE} (resource_kind, resource_id)",
)
COLUMNS = (
    "entry_id",
    "at",
    "request_id",
    "person_id",
    "person_name",
    "role",
    "organisation_id",
    "organisation_name",
    "mof_div_code",
    "method",
    "path",
    "operation",
    "resource_kind",
    "resource_id",
)


@dataclass(frozen=True)
class AccessEntry:
    """One read: who (person, role, organisation and its jurisdiction), what (the request
    and the resource it named), when (UTC), and the request id tying it to the logs."""

    person_id: str
    person_name: str
    role: str
    organisation_id: str | None
    organisation_name: str | None
    mof_div_code: str | None
    method: str
    path: str
    operation: str
    resource_kind: str
    resource_id: str | None
    request_id: str | None = None


class AccessLog:
    def __init__(self, db: ViewDatabase) -> None:
        self.db = db

    def install(self) -> None:
        with self.db.transaction() as cur:
            for statement in SCHEMA:
                cur.execute(statement)
            install_append_only(cur, [TABLE])

    def append(self, entry: AccessEntry, at: datetime | None = None) -> str:
        entry_id = uuid.uuid4().hex
        row = {
            **asdict(entry),
            "entry_id": entry_id,
            "at": _iso(at or datetime.now(UTC)),
        }
        with self.db.transaction() as cur:
            cur.execute(
                f"INSERT INTO {TABLE} ({', '.join(COLUMNS)}) "
                f"VALUES ({', '.join('?' for _ in COLUMNS)})",
                tuple(row[c] for c in COLUMNS),
            )
        return entry_id

    def query(
        self,
        *,
        mof_div_code: str | None = None,
        person_id: str | None = None,
        resource_kind: str | None = None,
        resource_id: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[dict[str, Any]]:
        """Entries oldest first; `since` inclusive, `until` exclusive."""
        filters: list[tuple[str, Any]] = [
            ("mof_div_code = ?", mof_div_code),
            ("person_id = ?", person_id),
            ("resource_kind = ?", resource_kind),
            ("resource_id = ?", resource_id),
            ("at >= ?", _iso(since) if since else None),
            ("at < ?", _iso(until) if until else None),
        ]
        used = [(sql, value) for sql, value in filters if value is not None]
        where = " AND ".join(sql for sql, _ in used) or "1 = 1"
        with self.db.transaction(write=False) as cur:
            return cur.execute(
                f"SELECT {', '.join(COLUMNS)} FROM {TABLE} WHERE {where} "
                "ORDER BY at, entry_id LIMIT ? OFFSET ?",
                (*(value for _, value in used), limit, offset),
            ).fetchall()


def _iso(moment: datetime) -> str:
    """Fixed-width UTC text, so that comparing the text compares the times (naive = UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


_installed: weakref.WeakKeyDictionary[ViewDatabase, AccessLog] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def access_log_of(db: ViewDatabase) -> AccessLog:
    """The access log of this database, its table and triggers installed on first use."""
    with _lock:
        log = _installed.get(db)
        if log is None:
            log = AccessLog(db)
            log.install()
            _installed[db] = log
    return log
