"""The security log (安全日志): refused segregation-of-duties commands (不相容职务) — who
tried to review their own goal or recheck their own self-evaluation, and when. For the audit
bureau and the discipline commission, each of its own jurisdiction; reading it is recorded
in the access log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import ReachDep, ServicesDep
from api.schemas.security_log import SecurityEntry, SecurityPage
from domain.errors import InvalidInput
from infrastructure import security_log

router = APIRouter(tags=["security log 安全日志"])

EntryId = Annotated[
    str | None,
    Query(pattern=r"^[0-9a-f]{32}$", description="the last entry id seen (keyset)"),
]


@router.get(
    "/security-log",
    response_model=SecurityPage,
    summary="Refused segregation-of-duties commands: who, what, when, on which record",
)
def read_security_log(
    services: ServicesDep,
    reach: ReachDep,
    person_id: Annotated[str | None, Query(min_length=1, max_length=100)] = None,
    after: EntryId = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> SecurityPage:
    # Always the reader's own jurisdiction: another's attempts are not theirs to see.
    jurisdiction = reach.mof_div_code or ""
    with services.views_db.transaction(write=False) as cur:
        keyset = None
        if after is not None:
            keyset = security_log.entry_keyset(cur, after, jurisdiction)
            if keyset is None:
                raise InvalidInput("after: no such entry in your jurisdiction's log", "after")
        rows = security_log.page(
            cur,
            mof_div_code=jurisdiction,
            person_id=person_id,
            after=keyset,
            limit=limit,
        )
    return SecurityPage(
        entries=[SecurityEntry.of(row) for row in rows],
        next_after=rows[-1]["entry_id"] if len(rows) == limit else None,
    )
