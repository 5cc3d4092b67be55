"""The auditor's pages: search the log, the objects of a year, an object's history with
its state as of a date and what changed between two dates, and findings with the events
and persons behind them (a department's findings over the years as a chart)."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time
from uuid import UUID

from fastapi import APIRouter, Request, Response

from api.console import charts
from api.console.params import DayQuery, FromDay, ReaderDep, Text, ToDay, YearQuery
from api.console.render import page
from api.routers import findings, ledgers, objects, time_travel
from api.time_travel import CHINA
from domain.errors import NotFound

router = APIRouter()


@router.get("/log")
def log_search(
    request: Request,
    who: ReaderDep,
    person_id: Text = None,
    organisation_id: Text = None,
    event_type: Text = None,
    object_id: Text = None,
    year: YearQuery = None,
):
    asked = {
        "person_id": person_id,
        "organisation_id": organisation_id,
        "event_type": event_type,
        "object_id": object_id,
        "fiscal_year": year,
    }
    reach = who.check("/log/search", query=asked)
    found = ledgers.search_log(who.services, reach, **asked, after=0, limit=200)
    return page(
        request, "log.html", who, found=found, asked=asked, organisations=who.organisations()
    )


@router.get("/objects")
def object_list(request: Request, who: ReaderDep, year: YearQuery = None):
    mof, fiscal_year = who.mof_div_code, who.year(year)
    reach = who.check("/objects", query={"mof_div_code": mof, "fiscal_year": fiscal_year})
    rows = objects.list_(who.services, reach, mof, fiscal_year, None, None, limit=1000, offset=0)
    return page(request, "objects.html", who, rows=rows, year=fiscal_year)


def _end_of(day: date) -> datetime:
    return datetime.combine(day, time.max, CHINA)


@router.get("/objects/{object_id}")
def object_history(
    request: Request,
    who: ReaderDep,
    object_id: UUID,
    as_of: DayQuery = None,
    start: FromDay = None,
    end: ToDay = None,
):
    params = {"object_id": object_id}
    who.check("/objects/{object_id}/history", params)
    steps = objects.history(object_id, who.services, who.actor)
    who.check("/objects/{object_id}", params)
    try:
        state = objects.read(
            object_id, who.services, who.actor, Response(), as_of=_end_of(as_of) if as_of else None
        )
        not_yet = None
    except NotFound:
        if as_of is None:
            raise
        # A day before the object was registered: say so, and keep its history in view.
        state = objects.read(object_id, who.services, who.actor, Response())
        not_yet, as_of = as_of, None
    diff = None
    if start and end:
        who.check("/objects/{object_id}/diff", params)
        opening = datetime.combine(start, time.min, CHINA)
        diff = time_travel.diff(
            object_id, who.services, who.actor, Response(), opening, _end_of(end)
        )
    return page(
        request,
        "object.html",
        who,
        steps=steps,
        state=state,
        as_of=as_of,
        not_yet=not_yet,
        diff=diff,
        start=start,
        end=end,
        object_id=object_id,
    )


@router.get("/findings")
def finding_list(request: Request, who: ReaderDep, department_id: Text = None):
    reach = who.check("/findings", query={"department_id": department_id})
    found = findings.list_findings(
        who.services,
        reach,
        mof_div_code=None,
        fiscal_year=None,
        department_id=department_id,
        object_id=None,
        person_id=None,
        kind=None,
        status=None,
        on=None,
        after=0,
        limit=1000,
    )
    items = found["items"]
    years = Counter(f["fiscal_year"] for f in items if f.get("fiscal_year") is not None)
    return page(
        request,
        "findings.html",
        who,
        items=items,
        total=found["total"],
        department_id=department_id,
        departments=who.organisations("department"),
        years_chart=charts.by_year(sorted(years.items()), "问责线索（按年度）"),
    )
