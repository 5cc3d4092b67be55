"""Two boards read from the views, each narrowed to its readers' reach.

- The NPC supervision board (人大监督): a jurisdiction's year as submitted to the NPC —
  the submissions, each submitted department's goals with indicators, evaluations with
  scores and grades, satisfaction ratings, the key projects, the objects graded 中 or 差
  and what was done about them, and coverage against the policy's targets.
- The finance bureau board: rectification notices not yet verified with the official
  working days left (the calendar that set the deadlines; due soon by the policy's
  threshold), by department and by supervising business section; the objects of the budget
  year whose approval (批复) the domain would refuse now, with every reason it gives;
  evaluations whose result is not yet applied, with the policy's proposal; active funding
  blocks. Notices, results and blocks are the jurisdiction's unfinished work of any year.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi import Path as FastPath

from api.access.board_reach import require_jurisdiction, require_submitted
from api.access.lists import RowFilter, visible_rows
from api.deps import ReachDep, ServicesDep
from api.routers.coverage import coverage
from api.schemas.boards import DepartmentBoardOut, FinanceBoardOut, NpcBoardOut
from domain.business_dates import today_in_china
from domain.calendar.working_days_left import working_day_test, working_days_left
from domain.errors import DomainError
from domain.objects.model import PerformanceObject
from domain.rectification.model import NoticeStatus
from infrastructure.bootstrap import Services
from projections import finance_board_queries as finance
from projections import npc_board_queries as npc
from projections.plain import plain

router = APIRouter(prefix="/boards", tags=["boards 人大监督 财政看板"])
Mof = Annotated[str, FastPath(min_length=1, max_length=20)]
Year = Annotated[int, FastPath(ge=2000, le=2100)]
NPC_PATH = "/boards/npc/{mof_div_code}/{fiscal_year}"
FINANCE_PATH = "/boards/finance/{mof_div_code}/{fiscal_year}"
Row = dict[str, Any]


# --- the NPC supervision board ---------------------------------------------------------------


@router.get(
    "/npc/{mof_div_code}/{fiscal_year}",
    response_model=NpcBoardOut,
    summary="NPC supervision board: the submitted departments' goals, scores, grades, ratings",
)
def npc_board(mof_div_code: Mof, fiscal_year: Year, services: ServicesDep, reach: ReachDep) -> dict:
    require_jurisdiction(reach, mof_div_code, NPC_PATH)
    with services.views_db.transaction(write=False) as cur:
        submissions = npc.submissions(cur, mof_div_code, fiscal_year)
        departments = npc.submitted_departments(cur, mof_div_code, fiscal_year)
        boards = [npc.department_board(cur, mof_div_code, fiscal_year, d) for d in departments]
    key_projects = {p["object_id"]: p for s in submissions for p in s["key_projects"]}
    return {
        "mof_div_code": mof_div_code,
        "fiscal_year": fiscal_year,
        "submissions": submissions,
        "departments": boards,
        "key_projects": list(key_projects.values()),
        "coverage": coverage(services, reach.actor, mof_div_code, fiscal_year),
    }


@router.get(
    "/npc/{mof_div_code}/{fiscal_year}/departments/{department_id}",
    response_model=DepartmentBoardOut,
    summary="One submitted department on the NPC board (not submitted: 403 to the NPC)",
)
def npc_department(
    mof_div_code: Mof,
    fiscal_year: Year,
    department_id: UUID,
    services: ServicesDep,
    reach: ReachDep,
) -> dict:
    path = NPC_PATH + "/departments/{department_id}"
    require_jurisdiction(reach, mof_div_code, path)
    with services.views_db.transaction(write=False) as cur:
        submitted = npc.submitted_departments(cur, mof_div_code, fiscal_year)
        require_submitted(reach, str(department_id), submitted, path)
        return npc.department_board(cur, mof_div_code, fiscal_year, str(department_id))


# --- the finance bureau board ----------------------------------------------------------------


@router.get(
    "/finance/{mof_div_code}/{fiscal_year}",
    response_model=FinanceBoardOut,
    summary="Finance board: rectifications with working days left, blocked approvals, "
    "results not applied, funding blocks",
)
def finance_board(
    mof_div_code: Mof,
    fiscal_year: Year,
    services: ServicesDep,
    reach: ReachDep,
    on: Annotated[
        date | None, Query(description="the day to count from (default: today in CST)")
    ] = None,
) -> dict:
    require_jurisdiction(reach, mof_div_code, FINANCE_PATH)
    today = on or today_in_china()
    policy = services.ledger.policies.for_jurisdiction(mof_div_code, fiscal_year)
    soon = int(policy.section("rectification")["due_soon_working_days"])
    is_working_day = working_day_test(
        services.ledger.calendar, services.ledger.rectification.holiday_days
    )
    with services.views_db.transaction(write=False) as cur:
        visible = RowFilter(reach, cur)
        notices = visible_rows(finance.unverified_rectifications(cur, mof_div_code), visible)
        awaiting = visible_rows(finance.awaiting_approval(cur, mof_div_code, fiscal_year), visible)
        unapplied = visible_rows(finance.unapplied_evaluations(cur, mof_div_code), visible)
        blocks = visible_rows(finance.active_funding_blocks(cur, mof_div_code), visible)
    for notice in notices:
        _count_down(notice, today, soon, is_working_day)
    return {
        "mof_div_code": mof_div_code,
        "fiscal_year": fiscal_year,
        "on": today,
        "due_soon_working_days": soon,
        "policy": vars(policy.ref),
        "rectifications": notices,
        "rectifications_by_department": _tally(notices, "department_id", "department_name"),
        "rectifications_by_section": _tally(notices, "section_id", "section_name"),
        "blocked_approvals": _blocked(services, awaiting),
        "unapplied_results": [_with_proposal(services, row) for row in unapplied],
        "funding_blocks": blocks,
    }


def _count_down(notice: Row, today: date, soon: int, is_working_day: Callable) -> None:
    if notice["status"] != NoticeStatus.OPEN.value:
        notice["state"], notice["working_days_left"] = "answered", None
        return
    left = working_days_left(is_working_day, today, date.fromisoformat(notice["due"]))
    notice["working_days_left"] = left
    notice["state"] = "overdue" if left < 0 else ("due_soon" if left <= soon else "open")


def _tally(notices: list[Row], key: str, name: str) -> list[Row]:
    found: dict[str | None, Row] = {}
    for n in notices:
        row = found.setdefault(
            n[key],
            {"id": n[key], "name": n[name], "open": 0, "due_soon": 0, "overdue": 0, "answered": 0},
        )
        row[n["state"]] += 1
    return sorted(found.values(), key=lambda r: (r["name"] or "", r["id"] or ""))


def _blocked(services: Services, awaiting: list[Row]) -> list[Row]:
    """Objects whose approval the domain would refuse now, by department; the reasons are
    the domain's own (`goal_approval_blockers`: ex-ante, the 15-point funding block,
    Nanchang's unrectified-department rule), never re-derived here."""
    departments: dict[str, Row] = {}
    ledger = services.ledger
    for row in awaiting:
        obj = ledger.read(PerformanceObject, UUID(row["object_id"]))
        blockers = ledger.goal_approval_blockers(obj)
        if not blockers:
            continue
        department = departments.setdefault(
            row["department_id"],
            {k: row[k] for k in ("department_id", "department_name", "section_id", "section_name")}
            | {"objects": []},
        )
        keep = ("object_id", "pro_code", "name", "fiscal_year", "goal_status", "pending_stage")
        department["objects"].append({k: row[k] for k in keep} | {"blockers": blockers})
    return list(departments.values())


def _with_proposal(services: Services, row: Row) -> Row:
    try:
        row["proposal"] = plain(services.ledger.results.result_proposal(UUID(row["evaluation_id"])))
    except DomainError:
        row["proposal"] = None
    return row
