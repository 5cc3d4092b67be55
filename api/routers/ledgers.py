"""Ledgers (台账) and search of the log: a department's history, everything a person signed,
a jurisdiction-year, and a search by actor, organisation, role, event type, object,
jurisdiction, year and time. Pages are in log order (oldest first), keyed by log position:
pass the last position seen as `after`; `total` counts the matches within reach, up to a cap
(`total_exact` false past it). A search with a business-date range pages in business-date
order."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi import Path as FastPath

from api.access import ledger_reach
from api.deps import ReachDep, ServicesDep
from api.schemas.ledgers import LedgerEntry, LedgerPage
from domain.errors import InvalidInput
from infrastructure.bootstrap import Services
from projections.log_index import DEPARTMENT, PERSON, YEAR, Narrowing, Search, log_page, year_key

router = APIRouter(tags=["ledgers and search 台账与检索"])

INT64 = 2**63 - 1
After = Annotated[int, Query(ge=0, le=INT64, description="the last position seen (keyset)")]
Limit = Annotated[int, Query(ge=1, le=1000)]
Id = Annotated[str | None, Query(min_length=1, max_length=100)]
Year = Annotated[int, FastPath(ge=1900, le=9999)]


def _page(
    services: Services,
    search: Search,
    narrowing: Narrowing,
    ledger: tuple[str, str] | None,
    after: int,
    limit: int,
) -> LedgerPage:
    with services.views_db.transaction(write=False) as cur:
        rows, total = log_page(
            cur,
            search,
            narrowing,
            ledger=ledger,
            after=after,
            limit=limit,
            cap=services.settings.total_cap,
        )
    lag = services.follower.lag().get("log_index", 0)
    return LedgerPage(
        entries=[LedgerEntry.of(row) for row in rows],
        total=total.count,
        total_exact=total.exact,
        next_after=rows[-1]["position"] if len(rows) == limit else None,
        lag=lag,
    )


@router.get(
    "/ledgers/departments/{org_id}",
    response_model=LedgerPage,
    summary="A department's history: its people's acts and every act on its and its units' records",
)
def department_ledger(
    org_id: Annotated[str, FastPath(max_length=100)],
    services: ServicesDep,
    reach: ReachDep,
    after: After = 0,
    limit: Limit = 100,
) -> LedgerPage:
    with services.views_db.transaction(write=False) as cur:
        narrowing = ledger_reach.for_department(reach, cur, org_id, "/ledgers/departments/{org_id}")
    return _page(services, Search(), narrowing, (DEPARTMENT, org_id), after, limit)


@router.get(
    "/ledgers/persons/{person_id}",
    response_model=LedgerPage,
    summary="Everything a person signed, in any role (the read is recorded in the access log)",
)
def person_ledger(
    person_id: Annotated[str, FastPath(max_length=100)],
    services: ServicesDep,
    reach: ReachDep,
    after: After = 0,
    limit: Limit = 100,
) -> LedgerPage:
    with services.views_db.transaction(write=False) as cur:
        narrowing = ledger_reach.for_person(reach, cur, person_id, "/ledgers/persons/{person_id}")
    return _page(services, Search(), narrowing, (PERSON, person_id), after, limit)


@router.get(
    "/ledgers/jurisdictions/{mof_div_code}/{fiscal_year}",
    response_model=LedgerPage,
    summary="Every act of a jurisdiction's fiscal year",
)
def jurisdiction_ledger(
    mof_div_code: Annotated[str, FastPath(max_length=20)],
    fiscal_year: Year,
    services: ServicesDep,
    reach: ReachDep,
    after: After = 0,
    limit: Limit = 100,
) -> LedgerPage:
    path = "/ledgers/jurisdictions/{mof_div_code}/{fiscal_year}"
    with services.views_db.transaction(write=False) as cur:
        narrowing = ledger_reach.for_jurisdiction(reach, cur, mof_div_code, path)
    key = (YEAR, year_key(mof_div_code, fiscal_year))
    return _page(services, Search(), narrowing, key, after, limit)


@router.get(
    "/log/search",
    response_model=LedgerPage,
    summary="Search the log (every filter optional, all must match), narrowed to reach; "
    "with a business-date range, in business-date order",
)
def search_log(
    services: ServicesDep,
    reach: ReachDep,
    person_id: Annotated[Id, Query(description="the actor who signed")] = None,
    organisation_id: Annotated[Id, Query(description="the actor's organisation")] = None,
    role: Annotated[Id, Query(description="the role the actor acted in")] = None,
    event_type: Annotated[Id, Query(description="e.g. PerformanceObject.GoalApproved")] = None,
    object_id: Annotated[Id, Query(description="a performance object")] = None,
    mof_div_code: Annotated[str | None, Query(min_length=1, max_length=20)] = None,
    fiscal_year: Annotated[int | None, Query(ge=1900, le=9999)] = None,
    recorded_from: Annotated[
        datetime | None, Query(description="inclusive; an instant with its offset")
    ] = None,
    recorded_to: Annotated[
        datetime | None, Query(description="exclusive; an instant with its offset")
    ] = None,
    business_from: Annotated[date | None, Query(description="inclusive (business date)")] = None,
    business_to: Annotated[date | None, Query(description="inclusive (business date)")] = None,
    after: After = 0,
    limit: Limit = 100,
) -> LedgerPage:
    for name, moment in (("recorded_from", recorded_from), ("recorded_to", recorded_to)):
        if moment is None:
            continue
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise InvalidInput(f"{name}: give the instant with its offset (e.g. +08:00)", name)
        try:
            moment.astimezone(UTC)
        except (OverflowError, ValueError):
            raise InvalidInput(f"{name}: not a time that can be given in UTC", name) from None
    search = Search(
        actor_id=person_id,
        actor_org_id=organisation_id,
        actor_role=role,
        event_type=event_type,
        object_id=object_id,
        mof_div_code=mof_div_code,
        fiscal_year=fiscal_year,
        recorded_from=recorded_from,
        recorded_to=recorded_to,
        business_from=business_from,
        business_to=business_to,
    )
    with services.views_db.transaction(write=False) as cur:
        narrowing = ledger_reach.for_search(reach, cur, "/log/search")
    return _page(services, search, narrowing, None, after, limit)
