"""Reading findings: pages keyed by the position that found them, narrowed to a jurisdiction,
with each finding's events, persons, citations and dismissal; a rectification still open
past its deadline is a finding the passing of time makes, added when the page is read."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from domain.accountability.findings import finding_id
from projections.finding_records import REF_COLUMNS
from projections.findings_view import TITLES
from projections.page_totals import DEFAULT_CAP, Total, capped_count
from projections.view import Cursor

OVERDUE_OPEN = "overdue_open"


@dataclass(frozen=True)
class FindingFilters:
    mof_div_code: str | None = None  # the reader's jurisdiction: always given by the routes
    fiscal_year: int | None = None
    department_id: str | None = None
    object_id: str | None = None
    person_id: str | None = None
    kind: str | None = None
    status: str | None = None  # open | dismissed | cited


def _where(f: FindingFilters) -> tuple[str, list[Any]]:
    clauses, params = [], []
    for column in ("mof_div_code", "fiscal_year", "department_id", "object_id", "kind"):
        value = getattr(f, column)
        if value is not None:
            clauses.append(f"f.{column} = ?")
            params.append(value)
    if f.person_id is not None:
        clauses.append(
            "EXISTS (SELECT 1 FROM v_finding_persons p WHERE p.finding_id = f.finding_id "
            "AND p.person_id = ?)"
        )
        params.append(f.person_id)
    cited = "EXISTS (SELECT 1 FROM v_finding_citations c WHERE c.finding_id = f.finding_id)"
    dismissed = "EXISTS (SELECT 1 FROM v_finding_dismissals d WHERE d.finding_id = f.finding_id)"
    if f.status == "cited":
        clauses.append(cited)
    elif f.status == "dismissed":
        clauses.append(f"{dismissed} AND NOT {cited}")
    elif f.status == "open":
        clauses.append(f"NOT {dismissed} AND NOT {cited}")
    return " AND ".join(clauses) or "1 = 1", params


def findings_page(
    cur: Cursor,
    filters: FindingFilters,
    *,
    after: int = 0,
    limit: int = 100,
    cap: int = DEFAULT_CAP,
) -> tuple[list[dict[str, Any]], Total]:
    """Findings in the order they were found (log position) after `after`, `limit` of them
    (more when the last position made several: a page holds a position whole), and how many
    match in all (counted up to `cap`). Findings the time makes are not here (see
    `overdue_open`)."""
    where, params = _where(filters)
    total = capped_count(cur, f"v_findings f WHERE {where}", params, cap)
    rows = cur.execute(
        f"SELECT f.* FROM v_findings f WHERE {where} AND f.found_at_position > ? "
        "ORDER BY f.found_at_position, f.finding_id LIMIT ?",
        (*params, after, limit),
    ).fetchall()
    if len(rows) == limit:
        # One event can make several findings: a page ends after the whole of its last
        # position, so the next page (after that position) misses none of them.
        last = rows[-1]
        rows += cur.execute(
            f"SELECT f.* FROM v_findings f WHERE {where} AND f.found_at_position = ? "
            "AND f.finding_id > ? ORDER BY f.finding_id",
            (*params, last["found_at_position"], last["finding_id"]),
        ).fetchall()
    return hydrate(cur, rows), total


def one_finding(cur: Cursor, fid: str) -> dict[str, Any] | None:
    rows = cur.execute("SELECT * FROM v_findings WHERE finding_id = ?", (fid,)).fetchall()
    return hydrate(cur, rows)[0] if rows else None


def hydrate(cur: Cursor, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Finding rows as the API gives them: events with their record hashes and signers,
    persons by part, citations, dismissal, and the status these make."""
    if not rows:
        return []
    ids = [r["finding_id"] for r in rows]
    marks = ", ".join("?" for _ in ids)
    events: dict[str, list[dict[str, Any]]] = {i: [] for i in ids}
    for e in cur.execute(
        f"SELECT fe.finding_id, {', '.join('r.' + c for c in REF_COLUMNS.split(', '))} "
        f"FROM v_finding_events fe JOIN v_fs_refs r ON r.position = fe.position "
        f"WHERE fe.finding_id IN ({marks}) ORDER BY fe.position",
        ids,
    ).fetchall():
        events[e["finding_id"]].append(_event(e))
    persons: dict[str, list[dict[str, Any]]] = {i: [] for i in ids}
    for p in cur.execute(
        f"SELECT * FROM v_finding_persons WHERE finding_id IN ({marks}) "
        "ORDER BY position, part, person_id",
        ids,
    ).fetchall():
        persons[p["finding_id"]].append({k: p[k] for k in PERSON_FIELDS})
    cited: dict[str, list[str]] = {i: [] for i in ids}
    for c in cur.execute(
        f"SELECT finding_id, case_id FROM v_finding_citations WHERE finding_id IN ({marks}) "
        "ORDER BY position",
        ids,
    ).fetchall():
        cited[c["finding_id"]].append(c["case_id"])
    dismissals = {
        d["finding_id"]: _dismissal(d)
        for d in cur.execute(
            f"SELECT * FROM v_finding_dismissals WHERE finding_id IN ({marks})", ids
        ).fetchall()
    }
    return [
        _finding(r, events[r["finding_id"]], persons[r["finding_id"]], cited, dismissals)
        for r in rows
    ]


PERSON_FIELDS = (
    "part",
    "person_id",
    "name",
    "role",
    "organisation_id",
    "organisation_name",
    "position",
)


def _event(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "position": row["position"],
        "originator_id": row["originator_id"],
        "version": row["version"],
        "event": row["event"],
        "recorded_at": row["recorded_at"],
        "business_date": row["business_date"],
        "record_sha256": row["record_sha256"],
        "actor": {
            "person_id": row["person_id"],
            "name": row["person_name"],
            "role": row["role"],
            "organisation_id": row["organisation_id"],
            "organisation_name": row["organisation_name"],
        },
    }


def _dismissal(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "position": row["position"],
        "at": row["at"],
        "reason": row["reason"],
        "by": {k: row[k] for k in ("person_id", "name", "role", "organisation_id")}
        | {"organisation_name": row["organisation_name"]},
    }


def _status(fid: str, cited: dict[str, list[str]], dismissals: dict[str, Any]) -> str:
    if cited.get(fid):
        return "cited"
    return "dismissed" if fid in dismissals else "open"


def _finding(
    row: dict[str, Any],
    events: list[dict[str, Any]],
    persons: list[dict[str, Any]],
    cited: dict[str, list[str]],
    dismissals: dict[str, Any],
) -> dict[str, Any]:
    fid = row["finding_id"]
    return {
        "finding_id": fid,
        "kind": row["kind"],
        "title": row["title"],
        "mof_div_code": row["mof_div_code"],
        "fiscal_year": row["fiscal_year"],
        "department_id": row["department_id"],
        "object_id": row["object_id"],
        "policy": json.loads(row["policy"]) if row["policy"] else None,
        "statistic": json.loads(row["statistic"]),
        "falsification_trace": bool(row["falsification_trace"]),
        "events": events,
        "persons": persons,
        "status": _status(fid, cited, dismissals),
        "dismissal": dismissals.get(fid),
        "cited_in": cited.get(fid, []),
        "found_at_position": row["found_at_position"],
    }


def overdue_open(cur: Cursor, filters: FindingFilters, today: date) -> list[dict[str, Any]]:
    """Rectifications still open past their deadline on `today` (CST): findings that no
    event makes, so they are computed when read (from the rectifications view, whatever
    the findings view's lag). Each rests on its notice's issue."""
    if filters.kind not in (None, "rectification_late") or filters.person_id is not None:
        return []
    clauses = ["r.status = ?", "r.due < ?"]
    params: list[Any] = ["open", today.isoformat()]
    for column in ("mof_div_code", "fiscal_year", "department_id", "object_id"):
        value = getattr(filters, column)
        if value is not None:
            clauses.append(f"r.{column} = ?")
            params.append(value)
    rows = cur.execute(
        f"SELECT r.notice_id, r.object_id, r.mof_div_code, r.fiscal_year, r.department_id, "
        f"r.due, {', '.join('x.' + c for c in REF_COLUMNS.split(', '))} "
        "FROM v_rectifications r LEFT JOIN v_fs_refs x "
        "ON x.originator_id = r.notice_id AND x.version = 1 "
        f"WHERE {' AND '.join(clauses)} ORDER BY r.due, r.notice_id",
        params,
    ).fetchall()
    found = []
    for r in rows:
        fid = str(finding_id("rectification_late", f"{OVERDUE_OPEN}:{r['notice_id']}"))
        dismissal = cur.execute(
            "SELECT * FROM v_finding_dismissals WHERE finding_id = ?", (fid,)
        ).fetchone()
        status = "dismissed" if dismissal else "open"
        if filters.status is not None and filters.status != status:
            continue
        found.append(
            {
                "finding_id": fid,
                "kind": "rectification_late",
                "title": TITLES["rectification_late"],
                "mof_div_code": r["mof_div_code"],
                "fiscal_year": r["fiscal_year"],
                "department_id": r["department_id"],
                "object_id": r["object_id"],
                "policy": None,
                "statistic": {
                    "variant": OVERDUE_OPEN,
                    "due": r["due"],
                    "on": today.isoformat(),
                    "days_overdue": (today - date.fromisoformat(r["due"])).days,
                },
                "falsification_trace": False,
                # The notice's issue, once the findings view has read it (it may lag).
                "events": [_event(r)] if r["position"] is not None else [],
                "persons": [],
                "status": status,
                "dismissal": _dismissal(dismissal) if dismissal else None,
                "cited_in": [],
                "found_at_position": None,
            }
        )
    return found
