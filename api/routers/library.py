"""The indicator library (指标库): the picker a department drafts goals from, each entry
with its history, and the acts that keep the library (add, revise, retire, grant)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response
from fastapi.responses import JSONResponse

from api.access.gate import out_of_scope
from api.access.lists import RowFilter
from api.access.reach import DEPARTMENT_ROLES, UNIT_ROLES, Reach
from api.commands import CommandDep
from api.deps import ReachDep, ServicesDep
from api.schemas.common import CommandResult
from api.schemas.library import (
    LibraryAdd,
    LibraryEntry,
    LibraryEntryWithHistory,
    LibraryGrant,
    LibraryRetire,
    LibraryRevise,
)
from domain.errors import NotFound
from projections.library_queries import (
    PickerFilters,
    history_of,
    last_year,
    last_year_object,
    one_entry,
    pick,
)

router = APIRouter(prefix="/library/indicators", tags=["indicator library 指标库"])
PATH = "/library/indicators"
Label = Annotated[str | None, Query(min_length=1, max_length=200)]


def _department_of(reach: Reach, department_id: UUID | None, path: str) -> str | None:
    """Departments and units pick from what their department may use; the finance bureau
    and the auditors read the whole jurisdiction's library, or one department's choice."""
    if reach.mof_div_code is None:
        raise out_of_scope(reach.actor, "GET", path)
    if reach.role in DEPARTMENT_ROLES | UNIT_ROLES:
        if department_id is not None and str(department_id) != reach.department_id:
            raise out_of_scope(reach.actor, "GET", path)
        return reach.department_id
    return None if department_id is None else str(department_id)


@router.get(
    "",
    response_model=list[LibraryEntry],
    summary="Pick indicators 选指标: what a department may use, with last year's figures",
)
def picker(
    services: ServicesDep,
    reach: ReachDep,
    department_id: UUID | None = None,
    level1: Label = None,
    level2: Label = None,
    industry_major: Label = None,
    industry: Label = None,
    fund_use: Label = None,
    project_type: Label = None,
    keyword: Label = None,
    fiscal_year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    pro_code: Annotated[
        str | None,
        Query(min_length=1, max_length=64, description="with fiscal_year: last year's figures"),
    ] = None,
    include_retired: bool = False,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0,
) -> list[dict]:
    filters = PickerFilters(
        mof_div_code=reach.mof_div_code or "",
        department_id=_department_of(reach, department_id, PATH),
        level1=level1,
        level2=level2,
        industry_major=industry_major,
        industry=industry,
        fund_use=fund_use,
        project_type=project_type,
        keyword=keyword,
        fiscal_year=fiscal_year,
        include_retired=include_retired,
    )
    with services.views_db.transaction(write=False) as cur:
        rows = pick(cur, filters, limit, offset)
        if pro_code is not None and fiscal_year is not None:
            # Last year's figures only of a project the reader may read: a department's own
            # targets and actuals are not shown to another department through the picker.
            project = last_year_object(cur, filters.mof_div_code, fiscal_year, pro_code)
            if project is not None and RowFilter(reach, cur)(project):
                figures = last_year(cur, filters.mof_div_code, fiscal_year, pro_code, rows)
            else:
                figures = {}
            rows = [{**row, "last_year": figures.get(row["entry_id"])} for row in rows]
    return rows


@router.get(
    "/{entry_id}",
    response_model=LibraryEntryWithHistory,
    summary="One library entry (ETag = version) with every version: who, when, why, what",
)
def read(entry_id: UUID, services: ServicesDep, reach: ReachDep, response: Response) -> dict:
    path = f"{PATH}/{{entry_id}}"
    department = _department_of(reach, None, path)
    with services.views_db.transaction(write=False) as cur:
        entry = one_entry(cur, str(entry_id))
        if entry is None:
            raise NotFound(f"no library entry with id {entry_id}")
        mine = (
            department is None
            or entry["is_common"]
            or department
            in (
                entry["department_id"],
                *entry["granted_to"],
            )
        )
        if entry["mof_div_code"] != reach.mof_div_code or not mine:
            raise out_of_scope(reach.actor, "GET", path)
        history = history_of(cur, str(entry_id))
    response.headers["ETag"] = f'"{entry["version"]}"'
    return {**entry, "history": history}


@router.post(
    "",
    status_code=201,
    response_model=CommandResult,
    summary="Add an entry: common (共性, performance section) or a department's own (个性)",
)
def add(body: LibraryAdd, cmd: CommandDep) -> JSONResponse:
    fields = body.model_dump(exclude={"reason", "evidence", "business_date"})
    return cmd.run(
        body,
        lambda act, _: cmd.ledger.library.add(act, **fields),
        status_code=201,
        location=lambda o: f"{PATH}/{o.aggregate_id}",
    )


@router.post(
    "/{entry_id}/revision",
    response_model=CommandResult,
    summary="Revise an entry (a new version; goals drafted earlier keep theirs); reason required",
)
def revise(entry_id: UUID, body: LibraryRevise, cmd: CommandDep) -> JSONResponse:
    return cmd.run(
        body,
        lambda act, v: cmd.ledger.library.revise(act, entry_id, body.domain_changes(), v),
    )


@router.post(
    "/{entry_id}/retirement",
    response_model=CommandResult,
    summary="Retire an entry 停用 (no new goal drafts from it); reason required",
)
def retire(entry_id: UUID, body: LibraryRetire, cmd: CommandDep) -> JSONResponse:
    return cmd.run(body, lambda act, v: cmd.ledger.library.retire(act, entry_id, v))


@router.post(
    "/{entry_id}/grants",
    response_model=CommandResult,
    summary="Let another department use a department's own entry (performance section)",
)
def grant(entry_id: UUID, body: LibraryGrant, cmd: CommandDep) -> JSONResponse:
    return cmd.run(
        body,
        lambda act, v: cmd.ledger.library.grant(act, entry_id, body.department_id, v),
    )
