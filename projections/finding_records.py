"""What the findings view remembers of the log to decide findings later: each record it may
cite (its position, event, signer and the stored record's hash), where a performance object
belongs, and its working tables (tasks, entries, on-track claims, serious judgements awaiting
follow-up, who prepared and who checked each object)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from domain.citation.cited_event import record_sha256
from domain.policy import PolicyRef
from projections.view import Cursor

MEMORY_TABLES = (
    "v_fs_objects",
    "v_fs_refs",
    "v_fs_tasks",
    "v_fs_entries",
    "v_fs_claims",
    "v_fs_pending",
    "v_fs_parts",
)
MEMORY_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS v_fs_objects (
            object_id TEXT PRIMARY KEY,
            mof_div_code TEXT NOT NULL,
            fiscal_year INTEGER NOT NULL,
            department_id TEXT NOT NULL,
            judged_status TEXT,
            judged_position BIGINT,
            judged_policy TEXT
        )""",
    """CREATE TABLE IF NOT EXISTS v_fs_refs (
            position BIGINT PRIMARY KEY,
            object_id TEXT,
            originator_id TEXT NOT NULL,
            version INTEGER NOT NULL,
            event TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            business_date TEXT,
            record_sha256 TEXT NOT NULL,
            person_id TEXT NOT NULL,
            person_name TEXT NOT NULL,
            role TEXT NOT NULL,
            organisation_id TEXT,
            organisation_name TEXT,
            tag TEXT
        )""",
    "CREATE INDEX IF NOT EXISTS ix_fs_refs_object ON v_fs_refs (object_id, tag, position)",
    # A notice's issue is found by its record id (a late answer, an overdue notice).
    "CREATE INDEX IF NOT EXISTS ix_fs_refs_originator ON v_fs_refs (originator_id, version)",
    """CREATE TABLE IF NOT EXISTS v_fs_tasks (
            task_id TEXT PRIMARY KEY,
            object_id TEXT NOT NULL,
            as_of TEXT NOT NULL,
            opened_position BIGINT NOT NULL
        )""",
    """CREATE TABLE IF NOT EXISTS v_fs_entries (
            task_id TEXT PRIMARY KEY,
            object_id TEXT NOT NULL,
            as_of TEXT NOT NULL,
            position BIGINT NOT NULL,
            executed TEXT NOT NULL
        )""",
    "CREATE INDEX IF NOT EXISTS ix_fs_entries_object ON v_fs_entries (object_id)",
    """CREATE TABLE IF NOT EXISTS v_fs_claims (
            object_id TEXT NOT NULL,
            indicator TEXT NOT NULL,
            task_id TEXT NOT NULL,
            position BIGINT NOT NULL,
            PRIMARY KEY (object_id, indicator, task_id)
        )""",
    # An entry's correction replaces its own round's claims: found by task, not scanned.
    "CREATE INDEX IF NOT EXISTS ix_fs_claims_task ON v_fs_claims (task_id)",
    """CREATE TABLE IF NOT EXISTS v_fs_pending (
            object_id TEXT NOT NULL,
            judged_position BIGINT NOT NULL,
            as_of TEXT NOT NULL,
            task_id TEXT NOT NULL,
            policy TEXT,
            PRIMARY KEY (object_id, judged_position)
        )""",
    "CREATE INDEX IF NOT EXISTS ix_fs_pending_task ON v_fs_pending (task_id)",
    """CREATE TABLE IF NOT EXISTS v_fs_parts (
            object_id TEXT NOT NULL,
            person_id TEXT NOT NULL,
            side TEXT NOT NULL,
            position BIGINT NOT NULL,
            PRIMARY KEY (object_id, person_id, side, position)
        )""",
)

REF_COLUMNS = (
    "position, object_id, originator_id, version, event, recorded_at, business_date, "
    "record_sha256, person_id, person_name, role, organisation_id, organisation_name, tag"
)


@dataclass(frozen=True)
class Ref:
    """An event as a finding cites it: where it is, what it was, who signed it, and its
    record's hash, taken from the stored record the follower handed over."""

    position: int
    originator_id: str
    version: int
    event: str
    recorded_at: str
    business_date: str | None
    record_sha256: str
    person_id: str
    person_name: str
    role: str
    organisation_id: str | None
    organisation_name: str | None

    @classmethod
    def of(cls, e: Any, record: Any) -> Ref:
        actor = e.act.actor
        business = e.act.business_date
        return cls(
            position=record.id,
            originator_id=str(e.originator_id),
            version=e.originator_version,
            event=type(e).__qualname__,
            recorded_at=e.timestamp.astimezone(UTC).isoformat(),
            business_date=business.isoformat() if business else None,
            record_sha256=record_sha256(record),
            person_id=actor.person_id,
            person_name=actor.name,
            role=actor.role,
            organisation_id=actor.organisation_id,
            organisation_name=actor.organisation_name,
        )

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Ref:
        return cls(**{k: row[k] for k in cls.__dataclass_fields__})


@dataclass(frozen=True)
class Place:
    mof_div_code: str
    fiscal_year: int | None
    department_id: str | None
    object_id: str | None


def text_or_none(value: Any) -> str | None:
    return None if value is None else str(value)


def policy_json(ref: PolicyRef | None) -> str | None:
    if ref is None:
        return None
    return json.dumps(
        {"policy_id": ref.policy_id, "version": ref.version, "document": ref.document},
        ensure_ascii=False,
    )


def place_of(cur: Cursor, e: Any, name: str) -> Place | None:
    """Where an event belongs: its performance object's jurisdiction, year and department,
    or, for an act on no object, what the event itself says."""
    if name.startswith("PerformanceObject."):
        object_id = str(e.originator_id)
    else:
        object_id = text_or_none(getattr(e, "object_id", None))
    if object_id is not None:
        row = cur.execute(
            "SELECT mof_div_code, fiscal_year, department_id FROM v_fs_objects WHERE object_id = ?",
            (object_id,),
        ).fetchone()
        if row is not None:
            return Place(row["mof_div_code"], row["fiscal_year"], row["department_id"], object_id)
    mof = getattr(e, "mof_div_code", None)
    if not isinstance(mof, str):
        return None
    year = getattr(e, "fiscal_year", None)
    return Place(
        mof,
        year if isinstance(year, int) else None,
        text_or_none(getattr(e, "department_id", None)),
        None,
    )


def keep(cur: Cursor, ref: Ref, object_id: str | None, tag: str | None) -> None:
    cur.execute(
        f"INSERT INTO v_fs_refs ({REF_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (position) DO UPDATE SET tag = COALESCE(excluded.tag, v_fs_refs.tag)",
        (
            ref.position,
            object_id,
            ref.originator_id,
            ref.version,
            ref.event,
            ref.recorded_at,
            ref.business_date,
            ref.record_sha256,
            ref.person_id,
            ref.person_name,
            ref.role,
            ref.organisation_id,
            ref.organisation_name,
            tag,
        ),
    )


def ref_at(cur: Cursor, position: int) -> Ref:
    row = cur.execute("SELECT * FROM v_fs_refs WHERE position = ?", (position,)).fetchone()
    if row is None:  # pragma: no cover - every position the view points at was kept
        raise LookupError(f"no kept record at position {position}")
    return Ref.from_row(row)


def tagged(cur: Cursor, object_id: str | None, tag: str) -> list[Ref]:
    rows = cur.execute(
        "SELECT * FROM v_fs_refs WHERE object_id = ? AND tag = ? ORDER BY position",
        (object_id, tag),
    ).fetchall()
    return [Ref.from_row(r) for r in rows]
