"""The findings made when they are read, not kept by the findings view: open
rectifications overdue on the day asked, and refused segregation-of-duties commands (they
rest on no event: the command recorded nothing, the security log holds the refusal). GET
/findings lists them before the view's rows, and the reports count them the same way."""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.accountability.findings import finding_id
from infrastructure import security_log
from projections.findings_queries import FindingFilters, findings_page, overdue_open
from projections.findings_view import TITLES
from projections.view import Cursor

ATTEMPT = "segregation_attempt"
ATTEMPTED = "尝试 attempted"


def attempts(cur: Cursor, f: FindingFilters) -> list[dict[str, Any]]:
    """Refused segregation-of-duties commands as findings: the person who tried, the
    command and the refusal; they rest on no event (the command recorded nothing)."""
    if f.kind not in (None, ATTEMPT):
        return []
    rows = security_log.segregation_attempts(
        cur,
        mof_div_code=f.mof_div_code,
        fiscal_year=f.fiscal_year,
        department_id=f.department_id,
        person_id=f.person_id,
    )
    found = []
    for row in rows:
        if f.object_id is not None and row["object_id"] != f.object_id:
            continue
        fid = str(finding_id(ATTEMPT, row["entry_id"]))
        dismissed = dismissal(cur, fid)
        status = "dismissed" if dismissed else "open"
        if f.status not in (None, status):
            continue
        by = {
            "person_id": row["person_id"],
            "name": row["person_name"],
            "role": row["role"],
            "organisation_id": row["organisation_id"],
            "organisation_name": row["organisation_name"],
        }
        found.append(
            {
                "finding_id": fid,
                "kind": ATTEMPT,
                "title": TITLES[ATTEMPT],
                "mof_div_code": row["mof_div_code"] or row["actor_mof_div_code"],
                "fiscal_year": row["fiscal_year"],
                "department_id": row["department_id"],
                "object_id": row["object_id"],  # the performance object the target is of
                "policy": None,
                "statistic": {
                    "command": f"{row['method']} {row['path']}",
                    "operation": row["operation"],
                    "target": row["target_id"],
                    "message": row["refusal"],
                    "at": row["at"],
                },
                "falsification_trace": False,
                "events": [],
                "persons": [{"part": ATTEMPTED, **by, "position": None}],
                "status": status,
                "dismissal": dismissed,
                "cited_in": [],
                "found_at_position": None,
            }
        )
    return found


def dismissal(cur: Cursor, fid: str) -> dict[str, Any] | None:
    row = cur.execute("SELECT * FROM v_finding_dismissals WHERE finding_id = ?", (fid,)).fetchone()
    if row is None:
        return None
    return {
        "position": row["position"],
        "at": row["at"],
        "reason": row["reason"],
        "by": {
            k: row[k] for k in ("person_id", "name", "role", "organisation_id", "organisation_name")
        },
    }


def made_when_read(cur: Cursor, f: FindingFilters, on: date) -> list[dict[str, Any]]:
    return overdue_open(cur, f, on) + attempts(cur, f)


def every_finding(cur: Cursor, f: FindingFilters, on: date) -> list[dict[str, Any]]:
    """Every finding GET /findings lists for these filters, all its pages read: those made
    when read first, then the view's in the order the log made them (as the route)."""
    found: list[dict[str, Any]] = []
    while True:
        after = found[-1]["found_at_position"] if found else 0
        rows, _ = findings_page(cur, f, after=after, limit=1000)
        found += rows
        if len(rows) < 1000:
            return made_when_read(cur, f, on) + found
