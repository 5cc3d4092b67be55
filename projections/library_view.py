"""The indicator library (指标库) as it stands, who may use each entry, and every version of
each entry: who changed it, when, why, and what it said then."""

from __future__ import annotations

import json
from typing import Any

from domain.library.model import LibraryIndicator
from projections.plain import plain
from projections.view import Cursor, View, on, update_from_event


def _definition(definition: Any) -> dict[str, Any]:
    """The definition's columns; keywords as JSON to show, and one per line to search (so a
    search for a quote or a comma finds no JSON punctuation)."""
    said = plain(definition)
    return {
        **said,
        "keywords": json.dumps(said["keywords"], ensure_ascii=False),
        "keyword_lines": "\n".join(said["keywords"]),
    }


class LibraryView(View):
    name = "library"
    version = 1
    tables = ("v_library_indicators", "v_library_grants", "v_library_history")
    schema = (
        """CREATE TABLE IF NOT EXISTS v_library_indicators (
            entry_id TEXT PRIMARY KEY,
            mof_div_code TEXT NOT NULL,
            code TEXT NOT NULL,
            department_id TEXT,
            level1 TEXT NOT NULL,
            level2 TEXT NOT NULL,
            name TEXT NOT NULL,
            comparator TEXT NOT NULL,
            scoring_rule TEXT NOT NULL,
            unit TEXT NOT NULL,
            explanation TEXT NOT NULL,
            reference_value TEXT NOT NULL,
            calculation TEXT NOT NULL,
            industry_major TEXT NOT NULL,
            industry TEXT NOT NULL,
            fund_use TEXT NOT NULL,
            project_type TEXT NOT NULL,
            valid_from TEXT,
            valid_to TEXT,
            keywords TEXT NOT NULL,
            keyword_lines TEXT NOT NULL,
            retired INTEGER NOT NULL,
            version INTEGER NOT NULL,
            updated_at TEXT NOT NULL,
            position BIGINT NOT NULL
        )""",
        "CREATE INDEX IF NOT EXISTS ix_v_library_indicators_code "
        "ON v_library_indicators (mof_div_code, code)",
        """CREATE TABLE IF NOT EXISTS v_library_grants (
            entry_id TEXT NOT NULL,
            department_id TEXT NOT NULL,
            PRIMARY KEY (entry_id, department_id)
        )""",
        """CREATE TABLE IF NOT EXISTS v_library_history (
            entry_id TEXT NOT NULL,
            version INTEGER NOT NULL,
            position BIGINT NOT NULL,
            event TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            business_date TEXT,
            actor_id TEXT NOT NULL,
            actor_name TEXT NOT NULL,
            actor_role TEXT NOT NULL,
            actor_org_id TEXT,
            actor_org_name TEXT,
            reason TEXT,
            evidence TEXT NOT NULL,
            details TEXT NOT NULL,
            PRIMARY KEY (entry_id, version)
        )""",
    )

    def _history(self, cur: Cursor, e: Any, position: int, **details: Any) -> None:
        act, actor = e.act, e.act.actor
        cur.execute(
            """INSERT INTO v_library_history (entry_id, version, position, event, recorded_at,
                business_date, actor_id, actor_name, actor_role, actor_org_id, actor_org_name,
                reason, evidence, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (
                str(e.originator_id),
                e.originator_version,
                position,
                type(e).__name__,
                e.timestamp.isoformat(),
                act.business_date.isoformat() if act.business_date else None,
                actor.person_id,
                actor.name,
                actor.role,
                actor.organisation_id,
                actor.organisation_name,
                act.reason,
                json.dumps(plain(act.evidence), ensure_ascii=False),
                json.dumps(plain(details), ensure_ascii=False),
            ),
        )

    @on(LibraryIndicator.Added)
    def _added(self, cur: Cursor, e: Any, position: int) -> None:
        row = {
            "entry_id": str(e.originator_id),
            "mof_div_code": e.mof_div_code,
            "code": e.code,
            "department_id": None if e.department_id is None else str(e.department_id),
            **_definition(e.definition),
            "retired": 0,
            "version": e.originator_version,
            "updated_at": e.timestamp.isoformat(),
            "position": position,
        }
        names, marks = ", ".join(row), ", ".join("?" for _ in row)
        cur.execute(
            f"INSERT INTO v_library_indicators ({names}) VALUES ({marks})", (*row.values(),)
        )
        self._history(
            cur,
            e,
            position,
            code=e.code,
            department_id=e.department_id,
            definition=e.definition,
        )

    @on(LibraryIndicator.Revised)
    def _revised(self, cur: Cursor, e: Any, position: int) -> None:
        update_from_event(
            cur, "v_library_indicators", "entry_id", e, position, **_definition(e.definition)
        )
        self._history(cur, e, position, changed=e.changed, definition=e.definition)

    @on(LibraryIndicator.Retired)
    def _retired(self, cur: Cursor, e: Any, position: int) -> None:
        update_from_event(cur, "v_library_indicators", "entry_id", e, position, retired=1)
        self._history(cur, e, position)

    @on(LibraryIndicator.Granted)
    def _granted(self, cur: Cursor, e: Any, position: int) -> None:
        update_from_event(cur, "v_library_indicators", "entry_id", e, position)
        cur.execute(
            "INSERT INTO v_library_grants (entry_id, department_id) VALUES (?, ?)",
            (str(e.originator_id), str(e.department_id)),
        )
        self._history(cur, e, position, department_id=e.department_id)
