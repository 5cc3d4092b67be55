"""Who answers to whom: each organisation's kind, jurisdiction, parent department and
supervising business section (归口), so access control can ask "which departments does
this section supervise?" and "which jurisdiction is this department in?" in one query."""

from __future__ import annotations

from typing import Any

from domain.registry.model import Organisation
from projections.view import Cursor, View, on


class OrgScopeView(View):
    name = "org_scope"
    tables = ("v_org_scope",)
    schema = (
        """CREATE TABLE IF NOT EXISTS v_org_scope (
            org_id TEXT PRIMARY KEY,
            mof_div_code TEXT NOT NULL,
            code TEXT NOT NULL,
            name TEXT NOT NULL,
            kind TEXT NOT NULL,
            parent_id TEXT,
            supervisor_id TEXT,
            position BIGINT NOT NULL
        )""",
        "CREATE INDEX IF NOT EXISTS ix_v_org_scope_supervisor ON v_org_scope (supervisor_id)",
    )

    @on(Organisation.Registered)
    def _registered(self, cur: Cursor, e: Any, position: int) -> None:
        cur.execute(
            """INSERT INTO v_org_scope
               (org_id, mof_div_code, code, name, kind, parent_id, supervisor_id, position)
               VALUES (?, ?, ?, ?, ?, ?, NULL, ?)
               ON CONFLICT (org_id) DO NOTHING""",
            (
                str(e.originator_id),
                e.mof_div_code,
                e.code,
                e.name,
                e.kind,
                str(e.parent_id) if e.parent_id else None,
                position,
            ),
        )

    @on(Organisation.SupervisorAssigned)
    def _supervisor(self, cur: Cursor, e: Any, position: int) -> None:
        cur.execute(
            "UPDATE v_org_scope SET supervisor_id = ?, position = ? WHERE org_id = ?",
            (str(e.section_id), position, str(e.originator_id)),
        )


def supervised_departments(cur: Cursor, section_id: str) -> set[str]:
    """The departments whose supervising business section (归口) is this one."""
    rows = cur.execute(
        "SELECT org_id FROM v_org_scope WHERE supervisor_id = ?", (section_id,)
    ).fetchall()
    return {r["org_id"] for r in rows}


def jurisdiction_of(cur: Cursor, org_id: str) -> str | None:
    row = cur.execute("SELECT mof_div_code FROM v_org_scope WHERE org_id = ?", (org_id,)).fetchone()
    return row["mof_div_code"] if row else None


def organisations(cur: Cursor, mof_div_code: str | None = None) -> list[dict[str, Any]]:
    where, params = ("WHERE mof_div_code = ?", (mof_div_code,)) if mof_div_code else ("", ())
    return cur.execute(
        f"SELECT org_id, mof_div_code, code, name, kind, parent_id, supervisor_id "
        f"FROM v_org_scope {where} ORDER BY mof_div_code, code",
        params,
    ).fetchall()
