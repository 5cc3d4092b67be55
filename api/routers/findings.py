"""Findings (问责线索) and the accountability ledgers: what the log shows that someone must
answer for, with the persons by part, for the auditor, the discipline commission and the
performance section of the jurisdiction. A finding is dismissed by a named person with a
reason (an event), or its events are cited into an accountability case.

Most findings are made by the events (projections/findings_view.py); two kinds are added
when read, on the first page: rectifications still open past their deadline, and refused
segregation-of-duties commands from the security log.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi import Path as FastPath
from fastapi.responses import JSONResponse

from api.access.gate import out_of_scope
from api.access.reach import Reach
from api.commands import CommandDep
from api.deps import ReachDep, ServicesDep
from api.schemas.findings import (
    DepartmentAccountability,
    FindingCite,
    FindingDismiss,
    FindingOut,
    FindingPage,
    PersonAccountability,
)
from domain.business_dates import today_in_china
from domain.errors import InvalidInput, NotFound
from infrastructure.bootstrap import Services
from infrastructure.findings_when_read import made_when_read
from projections.findings_queries import FindingFilters, findings_page, one_finding
from projections.findings_view import KINDS
from projections.view import Cursor

router = APIRouter(tags=["findings 问责线索"])
Kind = Literal[KINDS]  # type: ignore[valid-type]
Status = Literal["open", "dismissed", "cited"]
Id = Annotated[str | None, Query(min_length=1, max_length=100)]
INT64 = 2**63 - 1
On = Annotated[
    date | None, Query(description="the day overdue rectifications are judged by; today in CST")
]


def _jurisdiction(reach: Reach, mof_div_code: str | None, path: str, method: str = "GET") -> str:
    if reach.mof_div_code is None or mof_div_code not in (None, reach.mof_div_code):
        raise out_of_scope(reach.actor, method, path)
    return reach.mof_div_code


def _find(cur: Cursor, fid: str, mof_div_code: str) -> dict[str, Any]:
    found = one_finding(cur, fid)
    if found is None:
        scope = FindingFilters(mof_div_code=mof_div_code)
        found = next(
            (x for x in made_when_read(cur, scope, today_in_china()) if x["finding_id"] == fid),
            None,
        )
    if found is None or found["mof_div_code"] != mof_div_code:
        raise NotFound(f"no finding {fid} in jurisdiction {mof_div_code}")
    return found


def _view_state(services: Services) -> tuple[int, int]:
    return services.follower.positions().get("findings", 0), services.follower.lag().get(
        "findings", 0
    )


@router.get(
    "/findings",
    response_model=FindingPage,
    summary="Findings of the jurisdiction, in the order the log made them (keyset: after)",
)
def list_findings(
    services: ServicesDep,
    reach: ReachDep,
    mof_div_code: Annotated[str | None, Query(min_length=1, max_length=20)] = None,
    fiscal_year: Annotated[int | None, Query(ge=1900, le=9999)] = None,
    department_id: Id = None,
    object_id: Id = None,
    person_id: Annotated[Id, Query(description="a person named in the finding")] = None,
    kind: Kind | None = None,
    status: Status | None = None,
    on: On = None,
    after: Annotated[int, Query(ge=0, le=INT64)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> dict[str, Any]:
    mof = _jurisdiction(reach, mof_div_code, "/findings")
    filters = FindingFilters(mof, fiscal_year, department_id, object_id, person_id, kind, status)
    with services.views_db.transaction(write=False) as cur:
        rows, total = findings_page(
            cur, filters, after=after, limit=limit, cap=services.settings.total_cap
        )
        made = made_when_read(cur, filters, on or today_in_china()) if after == 0 else []
    position, lag = _view_state(services)
    return {
        "items": made + rows,
        "total": total.count + len(made),
        "total_exact": total.exact,
        "next_after": rows[-1]["found_at_position"] if len(rows) >= limit else None,
        "position": position,
        "lag": lag,
    }


@router.get("/findings/{finding_id}", response_model=FindingOut, summary="One finding")
def get_finding(
    finding_id: Annotated[str, FastPath(max_length=100)],
    services: ServicesDep,
    reach: ReachDep,
) -> dict[str, Any]:
    mof = _jurisdiction(reach, None, "/findings/{finding_id}")
    with services.views_db.transaction(write=False) as cur:
        return _find(cur, finding_id, mof)


@router.post(
    "/findings/{finding_id}/dismissal",
    status_code=201,
    summary="Dismiss a finding, with the reason (an event; no one named in it may)",
)
def dismiss_finding(
    finding_id: UUID, body: FindingDismiss, cmd: CommandDep, reach: ReachDep
) -> JSONResponse:
    path = "/findings/{finding_id}/dismissal"
    mof = _jurisdiction(reach, None, path, "POST")
    with cmd.services.views_db.transaction(write=False) as cur:
        found = _find(cur, str(finding_id), mof)
    named = frozenset(p["person_id"] for p in found["persons"])
    return cmd.run(
        body,
        lambda act, _: cmd.ledger.findings.dismiss_finding(
            act,
            finding_id=finding_id,
            kind=found["kind"],
            mof_div_code=found["mof_div_code"],
            fiscal_year=found["fiscal_year"],
            department_id=_uuid(found["department_id"]),
            object_id=_uuid(found["object_id"]),
            named_person_ids=named,
            status=found["status"],
        ),
        status_code=201,
        location=lambda _: f"/findings/{finding_id}",
    )


@router.post(
    "/findings/{finding_id}/citation",
    summary="Cite the finding's events into an accountability case (If-Match: the case version)",
)
def cite_finding(
    finding_id: UUID, body: FindingCite, cmd: CommandDep, reach: ReachDep
) -> JSONResponse:
    path = "/findings/{finding_id}/citation"
    mof = _jurisdiction(reach, None, path, "POST")
    with cmd.services.views_db.transaction(write=False) as cur:
        found = _find(cur, str(finding_id), mof)
    events = [(e["position"], UUID(e["originator_id"]), e["version"]) for e in found["events"]]
    if not events:
        raise InvalidInput(
            "this finding rests on no event of the log (a refused command recorded nothing): "
            "cite the security log entry in the case's description instead",
            "finding_id",
        )
    note = body.note.strip() or f"问责线索 {found['title']} ({found['kind']}) {finding_id}"
    return cmd.run(
        body,
        lambda act, v: cmd.ledger.findings.cite_finding_in_case(
            act, body.case_id, finding_id, found["kind"], events, note, v
        ),
        location=lambda _: f"/cases/{body.case_id}",
    )


def _uuid(value: str | None) -> UUID | None:
    return UUID(value) if value else None


def _repeated(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Kinds found for the department in consecutive fiscal years: the same trace year after
    year (DOMAIN.md, "Left alone")."""
    by_kind: dict[str, set[int]] = {}
    for r in rows:
        by_kind.setdefault(r["kind"], set()).add(int(r["fiscal_year"]))
    return [
        {"kind": kind, "years": sorted(years)}
        for kind, years in sorted(by_kind.items())
        if any(y + 1 in years for y in years)
    ]


# --- accountability ledgers -------------------------------------------------------------------


@router.get(
    "/ledgers/persons/{person_id}/accountability",
    response_model=PersonAccountability,
    summary="A person's accountability ledger: what they signed, and every finding naming them",
)
def person_accountability(
    person_id: Annotated[str, FastPath(max_length=100)],
    services: ServicesDep,
    reach: ReachDep,
    on: On = None,
) -> dict[str, Any]:
    mof = _jurisdiction(reach, None, "/ledgers/persons/{person_id}/accountability")
    filters = FindingFilters(mof_div_code=mof, person_id=person_id)
    with services.views_db.transaction(write=False) as cur:
        signed = cur.execute(
            "SELECT event_type, COUNT(*) AS n, MAX(actor_name) AS name FROM v_log_index "
            "WHERE actor_id = ? AND mof_div_code = ? GROUP BY event_type ORDER BY event_type",
            (person_id, mof),
        ).fetchall()
        findings: list[dict[str, Any]] = []
        after = 0
        while True:  # every finding naming the person, page by page
            rows, _ = findings_page(cur, filters, after=after, limit=1000)
            findings += rows
            if len(rows) < 1000:  # a page holds its last position whole: nothing is skipped
                break
            after = rows[-1]["found_at_position"]
        findings = made_when_read(cur, filters, on or today_in_china()) + findings
    names = [r["name"] for r in signed] + [
        p["name"] for f in findings for p in f["persons"] if p["person_id"] == person_id
    ]
    return {
        "person_id": person_id,
        "name": names[0] if names else None,
        "mof_div_code": mof,
        "signed": {
            "total": sum(int(r["n"]) for r in signed),
            "by_event": {r["event_type"]: int(r["n"]) for r in signed},
        },
        "findings": findings,
    }


@router.get(
    "/ledgers/departments/{org_id}/accountability",
    response_model=DepartmentAccountability,
    summary="A department's findings by kind, and the persons they name",
)
def department_accountability(
    org_id: Annotated[str, FastPath(max_length=100)],
    services: ServicesDep,
    reach: ReachDep,
    on: On = None,
) -> dict[str, Any]:
    mof = _jurisdiction(reach, None, "/ledgers/departments/{org_id}/accountability")
    with services.views_db.transaction(write=False) as cur:
        org = cur.execute(
            "SELECT mof_div_code, kind FROM v_org_scope WHERE org_id = ?", (org_id,)
        ).fetchone()
        if org is None or org["kind"] != "department" or org["mof_div_code"] != mof:
            raise NotFound(f"no department with id {org_id} in jurisdiction {mof}")
        kinds = cur.execute(
            "SELECT kind, COUNT(*) AS n, SUM(falsification_trace) AS traces FROM v_findings "
            "WHERE department_id = ? AND mof_div_code = ? GROUP BY kind",
            (org_id, mof),
        ).fetchall()
        persons = cur.execute(
            "SELECT p.person_id, MAX(p.name) AS name, COUNT(DISTINCT p.finding_id) AS n "
            "FROM v_finding_persons p JOIN v_findings f ON f.finding_id = p.finding_id "
            "WHERE f.department_id = ? AND f.mof_div_code = ? GROUP BY p.person_id",
            (org_id, mof),
        ).fetchall()
        years = cur.execute(
            "SELECT DISTINCT kind, fiscal_year FROM v_findings "
            "WHERE department_id = ? AND mof_div_code = ? AND fiscal_year IS NOT NULL",
            (org_id, mof),
        ).fetchall()
        made = made_when_read(
            cur, FindingFilters(mof_div_code=mof, department_id=org_id), on or today_in_china()
        )
    by_kind = {r["kind"]: int(r["n"]) for r in kinds}
    counts = {r["person_id"]: [r["name"], int(r["n"])] for r in persons}
    for f in made:
        by_kind[f["kind"]] = by_kind.get(f["kind"], 0) + 1
        for p in f["persons"]:
            counts.setdefault(p["person_id"], [p["name"], 0])[1] += 1
    return {
        "department_id": org_id,
        "mof_div_code": mof,
        "findings_total": sum(by_kind.values()),
        "by_kind": dict(sorted(by_kind.items())),
        "falsification_traces": sum(int(r["traces"] or 0) for r in kinds),
        "repeated": _repeated(years),
        "persons": [
            {"person_id": pid, "name": name, "findings": n}
            for pid, (name, n) in sorted(counts.items(), key=lambda kv: (-kv[1][1], kv[0]))
        ],
    }
