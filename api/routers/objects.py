"""Performance objects (绩效对象): registration, reading, listing, history."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response
from fastapi.responses import JSONResponse

from api.access.lists import RowFilter, pushdown, visible_page
from api.commands import CommandDep
from api.deps import CurrentActor, ReachDep, ServicesDep
from api.schemas.common import CommandResult
from api.schemas.objects import HistoryEntry, ObjectPublic, ObjectRegister, ObjectSummary
from api.time_travel import AsOfInstant, aggregate_as_of
from domain.objects.model import PerformanceObject
from projections.object_history import history_of
from projections.objects_view import get_object, list_objects

router = APIRouter(prefix="/objects", tags=["performance objects 绩效对象"])


def _dec(value: object) -> str | None:
    return None if value is None else str(value)


def object_public(obj: PerformanceObject) -> ObjectPublic:
    return ObjectPublic(
        id=str(obj.id),
        version=obj.version,
        mof_div_code=obj.mof_div_code,
        fiscal_year=obj.fiscal_year,
        pro_code=obj.pro_code,
        name=obj.name,
        kind=obj.kind,
        department_id=str(obj.department_id),
        unit_id=_dec(obj.unit_id),
        fund_type=obj.fund_type,
        amount=str(obj.amount),
        is_new=obj.is_new,
        last_year_amount=_dec(obj.last_year_amount),
        goal_status=obj.goal_status.value,
        pending_stage=obj.pending_stage,
        goal_revision=obj.goal_revision,
        indicators=[_indicator(i) for i in obj.indicators],
        approved_amount=_dec(obj.approved_amount),
        approval_ref=obj.approval_ref,
        in_library=obj.in_library,
        adjustment=None if obj.adjustment is None else _adjustment(obj.adjustment),
    )


def _indicator(i) -> dict:
    library = (
        None if i.library is None else {**vars(i.library), "entry_id": str(i.library.entry_id)}
    )
    return {
        **vars(i),
        "value": _dec(i.value),
        "upper": _dec(i.upper),
        "weight": str(i.weight),
        "library": library,
    }


def _adjustment(a) -> dict:
    return {
        "stage": "applied" if a.reviewed_by is None else "reviewed",
        "amount": _dec(a.amount),
        "applied_by": a.applied_by,
        "indicators": [_indicator(i) for i in a.indicators],
    }


@router.post(
    "",
    status_code=201,
    response_model=CommandResult,
    summary="Register a performance object for a fiscal year 登记绩效对象",
)
def register_object(body: ObjectRegister, cmd: CommandDep) -> JSONResponse:
    fields = body.model_dump(exclude={"reason", "evidence", "business_date"})
    return cmd.run(
        body,
        lambda act, _: cmd.ledger.goals.register_object(act, **fields),
        status_code=201,
        location=lambda o: f"/objects/{o.aggregate_id}",
    )


@router.get("", response_model=list[ObjectSummary], summary="List objects and their goal state")
def list_(
    services: ServicesDep,
    reach: ReachDep,
    mof_div_code: str | None = None,
    fiscal_year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    department_id: UUID | None = None,
    goal_status: str | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0,
) -> list[dict]:
    narrowed = pushdown(reach, mof_div_code, department_id)
    with services.views_db.transaction(write=False) as cur:
        rows = visible_page(
            lambda n, at: list_objects(
                cur,
                fiscal_year=fiscal_year,
                goal_status=goal_status,
                limit=n,
                offset=at,
                **narrowed,
            ),
            RowFilter(reach, cur),
            limit,
            offset,
        )
    return [
        {
            **row,
            "is_new": bool(row["is_new"]),
            "in_library": bool(row["in_library"]),
            "ex_ante_required": (
                None if row["ex_ante_required"] is None else bool(row["ex_ante_required"])
            ),
            "key_review": None if row["key_review"] is None else bool(row["key_review"]),
        }
        for row in rows
    ]


@router.get("/{object_id}", response_model=ObjectPublic, summary="Read an object (ETag = version)")
def read(
    object_id: UUID,
    services: ServicesDep,
    actor: CurrentActor,
    response: Response,
    as_of: AsOfInstant = None,
) -> ObjectPublic:
    if as_of is not None:
        return object_public(
            aggregate_as_of(services.ledger, PerformanceObject, object_id, as_of, response)
        )
    obj = services.ledger.load(PerformanceObject, object_id)
    response.headers["ETag"] = f'"{obj.version}"'
    return object_public(obj)


@router.get(
    "/{object_id}/history",
    response_model=list[HistoryEntry],
    summary="Every step of this object: who, when, business date, reason, evidence",
)
def history(object_id: UUID, services: ServicesDep, actor: CurrentActor) -> list[dict]:
    with services.views_db.transaction(write=False) as cur:
        if get_object(cur, str(object_id)) is None:
            services.ledger.load(PerformanceObject, object_id)  # 404 if it does not exist
        return history_of(cur, str(object_id))
