"""Rectification (整改): notices with working-day deadlines, written answers, verification;
and the holiday tables those deadlines count with."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response
from fastapi import Path as FastPath
from fastapi.responses import JSONResponse

from api.access.lists import RowFilter, pushdown, visible_page
from api.commands import CommandDep
from api.deps import CurrentActor, ReachDep, ServicesDep
from api.schemas.common import CommandResult
from api.schemas.rectifications import (
    DeadlineOut,
    HolidayTableLoad,
    HolidayTablePublic,
    RectificationIssue,
    RectificationPublic,
    RectificationReject,
    RectificationRespond,
    RectificationSummary,
    RectificationVerify,
)
from api.time_travel import DayOrInstant, aggregate_as_of, china_date
from domain.business_dates import today_in_china
from domain.calendar.holiday_table import HolidayTable, holiday_table_id
from domain.calendar.working_days_left import notice_working_days_left
from domain.errors import InvalidInput
from domain.rectification.model import RectificationNotice
from projections.rectification_view import list_rectifications

router = APIRouter(tags=["rectification 整改"])
AsOf = Annotated[date | None, Query(description="the day to judge overdue by; today in CST")]


@router.post(
    "/objects/{object_id}/rectifications",
    status_code=201,
    response_model=CommandResult,
    summary="Issue a rectification notice (deadline in official working days)",
)
def issue(object_id: UUID, body: RectificationIssue, cmd: CommandDep) -> JSONResponse:
    return cmd.run(
        body,
        lambda act, _: cmd.ledger.rectification.issue_rectification(
            act, object_id, body.notice_ref, body.problems, body.evaluation_id
        ),
        status_code=201,
        location=lambda o: f"/rectifications/{o.aggregate_id}",
    )


@router.post(
    "/rectifications/{notice_id}/response",
    response_model=CommandResult,
    summary="The department's written answer 书面反馈 (evidence required)",
)
def respond(notice_id: UUID, body: RectificationRespond, cmd: CommandDep) -> JSONResponse:
    return cmd.run(
        body,
        lambda act, v: cmd.ledger.rectification.respond_rectification(
            act, notice_id, body.response, v
        ),
    )


@router.post(
    "/rectifications/{notice_id}/verification",
    response_model=CommandResult,
    summary="Verify the rectification 整改到位 (lifts the funding blocks tied to it)",
)
def verify(notice_id: UUID, body: RectificationVerify, cmd: CommandDep) -> JSONResponse:
    return cmd.run(
        body,
        lambda act, v: cmd.ledger.rectification.verify_rectification(
            act, notice_id, body.comments, v
        ),
    )


@router.post(
    "/rectifications/{notice_id}/rejection",
    response_model=CommandResult,
    summary="Reject the answer with comments (the notice is open again)",
)
def reject(notice_id: UUID, body: RectificationReject, cmd: CommandDep) -> JSONResponse:
    return cmd.run(
        body,
        lambda act, v: cmd.ledger.rectification.reject_rectification(
            act, notice_id, body.comments, v
        ),
    )


@router.get(
    "/rectifications/{notice_id}",
    response_model=RectificationPublic,
    summary="Read a notice (ETag = version); overdue as of today in CST or `as_of`",
)
def read(
    notice_id: UUID,
    services: ServicesDep,
    actor: CurrentActor,
    response: Response,
    as_of: DayOrInstant = None,
) -> dict:
    if isinstance(as_of, datetime):  # recorded time: the notice as it stood then
        n = aggregate_as_of(services.ledger, RectificationNotice, notice_id, as_of, response)
        as_of = china_date(as_of)
    else:
        n = services.ledger.load(RectificationNotice, notice_id)
        response.headers["ETag"] = f'"{n.version}"'
    return {
        "id": str(n.id),
        "version": n.version,
        "object_id": str(n.object_id),
        "mof_div_code": n.mof_div_code,
        "fiscal_year": n.fiscal_year,
        "pro_code": n.pro_code,
        "department_id": str(n.department_id),
        "notice_ref": n.notice_ref,
        "problems": list(n.problems),
        "evaluation_id": None if n.evaluation_id is None else str(n.evaluation_id),
        "funding_block_ids": [str(b) for b in n.funding_block_ids],
        "issued_on": n.issued_on,
        "due": n.due,
        "calendar": n.calendar,
        "status": n.status.value,
        "overdue": n.overdue(as_of or today_in_china()),
        "working_days_left": notice_working_days_left(
            services.ledger, n.status.value, n.due, as_of or today_in_china()
        ),
        "policy": {
            "policy_id": n.policy.policy_id,
            "version": n.policy.version,
            "document": n.policy.document,
        },
    }


@router.get(
    "/rectifications",
    response_model=list[RectificationSummary],
    summary="Notices by department, object, status; overdue derived for the day asked",
)
def list_(
    services: ServicesDep,
    reach: ReachDep,
    department_id: UUID | None = None,
    object_id: UUID | None = None,
    status: str | None = None,
    overdue: bool | None = None,
    as_of: AsOf = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0,
) -> list[dict]:
    narrowed = pushdown(reach, None, department_id)
    with services.views_db.transaction(write=False) as cur:
        rows = visible_page(
            lambda n, at: list_rectifications(
                cur,
                as_of or today_in_china(),
                overdue=overdue,
                department_id=narrowed["department_id"],
                object_id=str(object_id) if object_id else None,
                status=status,
                limit=n,
                offset=at,
            ),
            RowFilter(reach, cur),
            limit,
            offset,
        )
    day = as_of or today_in_china()
    for row in rows:  # by the calendar that set the deadlines; None once answered
        due = date.fromisoformat(row["due"])
        left = notice_working_days_left(services.ledger, row["status"], due, day)
        row["working_days_left"] = left
    return rows


@router.put(
    "/holiday-tables/{year}",
    response_model=CommandResult,
    summary="Load (or replace, with a reason) a year's holidays and adjusted working days",
)
def load_holiday_table(
    year: Annotated[int, FastPath(ge=2000, le=2100)], body: HolidayTableLoad, cmd: CommandDep
) -> JSONResponse:
    return cmd.run(
        body,
        lambda act, v: cmd.ledger.rectification.load_holiday_table(
            act, year, body.holidays, body.workdays, body.document, v
        ),
    )


@router.get(
    "/holiday-tables/{year}",
    response_model=HolidayTablePublic,
    summary="A loaded holiday table (ETag = version)",
)
def read_holiday_table(
    year: Annotated[int, FastPath(ge=2000, le=2100)],
    services: ServicesDep,
    actor: CurrentActor,
    response: Response,
) -> dict:
    table = services.ledger.load(HolidayTable, holiday_table_id(year))
    response.headers["ETag"] = f'"{table.version}"'
    return {
        "year": table.year,
        "version": table.version,
        "holidays": list(table.holidays),
        "workdays": list(table.workdays),
        "document": table.document,
    }


@router.get(
    "/working-days/deadline",
    response_model=DeadlineOut,
    summary="start + N official working days, and which calendar counted them",
)
def deadline(
    services: ServicesDep,
    actor: CurrentActor,
    start: date,
    days: Annotated[int, Query(ge=0, le=366)],
) -> dict:
    if not 2000 <= start.year <= 2100:
        raise InvalidInput("start is a date between 2000 and 2100", "start")
    result = services.ledger.rectification.working_day_deadline(start, days)
    return {"start": start, "working_days": days, "due": result.due, "calendar": result.calendar}
