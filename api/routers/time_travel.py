"""What changed on a performance object between two instants, and who changed it."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response

from api.deps import CurrentActor, ServicesDep
from api.object_diff import object_diff
from api.schemas.time_travel import ObjectDiff
from api.time_travel import Instant

router = APIRouter(prefix="/objects", tags=["performance objects 绩效对象"])

_FROM = "instant of recorded time (ISO-8601 with its timezone); before the object: all is new"
_TO = "instant of recorded time (ISO-8601 with its timezone); before the object: 404"


@router.get(
    "/{object_id}/diff",
    response_model=ObjectDiff,
    response_model_by_alias=True,
    summary="Each field changed between two instants: before, after, and the acts that did it",
)
def diff(
    object_id: UUID,
    services: ServicesDep,
    actor: CurrentActor,
    response: Response,
    start: Annotated[Instant, Query(alias="from", description=_FROM)],
    end: Annotated[Instant, Query(alias="to", description=_TO)],
) -> dict:
    found = object_diff(services.ledger, object_id, start, end)
    response.headers["X-Log-Position"] = str(found["to_position"])
    return found
