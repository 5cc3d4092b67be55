"""Who looked (访问记录): reads of person ledgers, case files and evidence packages, for the
audit bureau of the jurisdiction. Reading this log is itself recorded in it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import ReachDep, ServicesDep
from domain.errors import InvalidInput
from infrastructure.access_log import access_log_of

router = APIRouter(tags=["access log 访问记录"])


@router.get(
    "/access-log",
    summary="Who read which person ledger, case file or evidence package, and when (UTC)",
)
def access_log(
    services: ServicesDep,
    reach: ReachDep,
    person_id: Annotated[str | None, Query(max_length=100)] = None,
    resource_kind: Annotated[str | None, Query(max_length=40)] = None,
    resource_id: Annotated[str | None, Query(max_length=200)] = None,
    since: Annotated[datetime | None, Query(description="inclusive; UTC if no offset")] = None,
    until: Annotated[datetime | None, Query(description="exclusive; UTC if no offset")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0,
) -> list[dict]:
    for name, moment in (("since", since), ("until", until)):
        try:
            if moment is not None:
                moment.astimezone(UTC)
        except (OverflowError, ValueError):
            raise InvalidInput(f"{name}: not a time that can be given in UTC", name) from None
    # Always the auditor's own jurisdiction: another bureau's readers are not theirs to see.
    return access_log_of(services.views_db).query(
        mof_div_code=reach.mof_div_code or "",
        person_id=person_id,
        resource_kind=resource_kind,
        resource_id=resource_id,
        since=since,
        until=until,
        limit=limit,
        offset=offset,
    )
