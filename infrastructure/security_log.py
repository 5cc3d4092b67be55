"""Refused segregation-of-duties commands (不相容职务): who tried, what, when, on which record.

A refused command records nothing in the ledger, so an attempt to review one's own goal or
recheck one's own self-evaluation would leave no trace; this table keeps it. Like the access
log it sits beside the views but is not one (it is not derived from the log, so a rebuild
never drops it), and triggers refuse UPDATE and DELETE. It is written in its own
transaction, apart from the ledger's.

`mof_div_code`, `fiscal_year`, `department_id` and `object_id` (the performance object an
evaluation, task or notice belongs to) are the target's, from the log index's coordinates
when it knows the target; `mof_div_code` falls back to the actor's jurisdiction
(`actor_mof_div_code`), since no one reaches a record of another jurisdiction.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

import structlog

from infrastructure.integrity.triggers import install_append_only
from infrastructure.views.viewdb import ViewDatabase

log = structlog.get_logger(__name__)

TABLE = "security_log"
COORDINATES_TABLE = "v_log_coordinates"  # projections/log_index.py
SCHEMA = (
    f"""CREATE TABLE IF NOT EXISTS {TABLE} (
        entry_id TEXT PRIMARY KEY,
        at TEXT NOT NULL,
        request_id TEXT,
        kind TEXT NOT NULL,
        person_id TEXT NOT NULL,
        person_name TEXT NOT NULL,
        role TEXT NOT NULL,
        organisation_id TEXT,
        organisation_name TEXT,
        actor_mof_div_code TEXT,
        method TEXT NOT NULL,
        path TEXT NOT NULL,
        operation TEXT NOT NULL,
        target_kind TEXT,
        target_id TEXT,
        refusal TEXT NOT NULL,
        mof_div_code TEXT,
        fiscal_year INTEGER,
        department_id TEXT,
        object_id TEXT
    )""",
    f"CREATE INDEX IF NOT EXISTS ix_{TABLE}_at ON {TABLE} (at, entry_id)",
    f"CREATE INDEX IF NOT EXISTS ix_{TABLE}_jurisdiction ON {TABLE} (mof_div_code, at)",
    f"CREATE INDEX IF NOT EXISTS ix_{TABLE}_person ON {TABLE} (person_id, at)",
)
COLUMNS = (
    "entry_id",
    "at",
    "request_id",
    "kind",
    "person_id",
    "person_name",
    "role",
    "organisation_id",
    "organisation_name",
    "actor_mof_div_code",
    "method",
    "path",
    "operation",
    "target_kind",
    "target_id",
    "refusal",
    "mof_div_code",
    "fiscal_year",
    "department_id",
    "object_id",
)
SEGREGATION = "segregation_of_duties"
TARGET_COORDINATES = ("mof_div_code", "fiscal_year", "department_id", "object_id")
TEXT_MAX = 1000  # a path or message is logged as sent, within reason


@dataclass(frozen=True)
class RefusedAttempt:
    """One refused command: who (person, role, organisation and its jurisdiction), what (the
    request, the record its path names, the refusal) and the request id tying it to the logs."""

    person_id: str
    person_name: str
    role: str
    organisation_id: str | None
    organisation_name: str | None
    actor_mof_div_code: str | None
    method: str
    path: str
    operation: str
    target_kind: str | None
    target_id: str | None
    refusal: str
    request_id: str | None = None
    kind: str = SEGREGATION


def install(db: ViewDatabase) -> None:
    """The table and its refusing triggers; idempotent, run at start-up."""
    with db.transaction() as cur:
        for statement in SCHEMA:
            cur.execute(statement)
        install_append_only(cur, [TABLE])


def record(db: ViewDatabase, attempt: RefusedAttempt, at: datetime | None = None) -> str:
    """Append the attempt with its target's coordinates; the entry id."""
    row: dict[str, Any] = {
        **asdict(attempt),
        **_target_coordinates(db, attempt.target_id),
        "entry_id": uuid.uuid4().hex,
    }
    row["path"] = row["path"][:TEXT_MAX]
    row["refusal"] = row["refusal"][:TEXT_MAX]
    row["mof_div_code"] = row["mof_div_code"] or attempt.actor_mof_div_code
    with db.transaction() as cur:
        # Stamped inside the write so that, on SQLite's one writer, times follow the order
        # rows are written in, as the keyset pages expect.
        row["at"] = _iso(at or datetime.now(UTC))
        cur.execute(
            f"INSERT INTO {TABLE} ({', '.join(COLUMNS)}) "
            f"VALUES ({', '.join('?' for _ in COLUMNS)})",
            tuple(row[c] for c in COLUMNS),
        )
    return row["entry_id"]


def record_safely(db: ViewDatabase, attempt: RefusedAttempt) -> str | None:
    """Record, and never let a failure to do so change the refusal's answer: log it."""
    try:
        return record(db, attempt)
    except Exception:
        log.error(
            "security_log.write_failed",
            person_id=attempt.person_id,
            operation=attempt.operation,
            target_id=attempt.target_id,
            refusal=attempt.refusal,
            exc_info=True,
        )
        return None


def _target_coordinates(db: ViewDatabase, target_id: str | None) -> dict[str, Any]:
    """Where the target sits, if the log index knows it (it may lag, or not be installed)."""
    found: dict[str, Any] = dict.fromkeys(TARGET_COORDINATES)
    if not target_id:
        return found
    try:
        with db.transaction(write=False) as cur:
            row = cur.execute(
                f"SELECT {', '.join(TARGET_COORDINATES)} FROM {COORDINATES_TABLE} "
                "WHERE aggregate_id = ?",
                (target_id,),
            ).fetchone()
    except Exception:
        log.warning("security_log.coordinates_unavailable", target_id=target_id, exc_info=True)
        return found
    return {**found, **(row or {})}


def segregation_attempts(
    cur: Any,
    *,
    mof_div_code: str | None = None,
    fiscal_year: int | None = None,
    department_id: str | None = None,
    person_id: str | None = None,
) -> list[dict[str, Any]]:
    """Refused segregation-of-duties commands, oldest first (for the findings engine)."""
    return page(
        cur,
        mof_div_code=mof_div_code,
        fiscal_year=fiscal_year,
        department_id=department_id,
        person_id=person_id,
        limit=None,
    )


def page(
    cur: Any,
    *,
    mof_div_code: str | None = None,
    fiscal_year: int | None = None,
    department_id: str | None = None,
    person_id: str | None = None,
    after: tuple[str, str] | None = None,
    limit: int | None = 100,
) -> list[dict[str, Any]]:
    """Entries oldest first (by time, then entry id), after the (at, entry_id) keyset."""
    filters: list[tuple[str, tuple[Any, ...]]] = [("kind = ?", (SEGREGATION,))]
    for sql, value in (
        ("mof_div_code = ?", mof_div_code),
        ("fiscal_year = ?", fiscal_year),
        ("department_id = ?", department_id),
        ("person_id = ?", person_id),
    ):
        if value is not None:
            filters.append((sql, (value,)))
    if after is not None:
        filters.append(("(at > ? OR (at = ? AND entry_id > ?))", (after[0], *after)))
    where = " AND ".join(sql for sql, _ in filters)
    params = [value for _, values in filters for value in values]
    tail = ""
    if limit is not None:
        tail, params = " LIMIT ?", [*params, limit]
    return cur.execute(
        f"SELECT {', '.join(COLUMNS)} FROM {TABLE} WHERE {where} ORDER BY at, entry_id{tail}",
        params,
    ).fetchall()


def entry_keyset(cur: Any, entry_id: str, mof_div_code: str) -> tuple[str, str] | None:
    """The (at, entry_id) an entry of this jurisdiction stands for, to page after it."""
    row = cur.execute(
        f"SELECT at FROM {TABLE} WHERE entry_id = ? AND mof_div_code = ?",
        (entry_id, mof_div_code),
    ).fetchone()
    return None if row is None else (row["at"], entry_id)


def _iso(moment: datetime) -> str:
    """Fixed-width UTC text, so that comparing the text compares the times."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")
