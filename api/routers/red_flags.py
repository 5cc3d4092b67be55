"""Red flags on reported figures (统计预警) of one jurisdiction-year: every test of the
policy's red_flags section, fired or quiet (or skipped for too small a sample), each with its
statistic, threshold, sample size, the figures behind it and the persons who signed them.

Read by the audit bureau, the performance and budget sections and the discipline commission
of that jurisdiction; the flags name persons, so every read is recorded in the access log.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from fastapi import Path as FastPath

from api.access.board_reach import require_jurisdiction
from api.deps import ReachDep, ServicesDep
from api.schemas.red_flags import RedFlagsOut
from domain import ids
from domain.registry.model import Jurisdiction
from projections.red_flag_queries import flag_out, verdicts
from projections.reported_figures_view import ReportedFiguresView

router = APIRouter(tags=["red flags 统计预警"])
Mof = Annotated[str, FastPath(min_length=1, max_length=20)]
Year = Annotated[int, FastPath(ge=2000, le=2100)]
PATH = "/red-flags/{mof_div_code}/{fiscal_year}"


@router.get(
    PATH,
    response_model=RedFlagsOut,
    summary="Red flags on a jurisdiction-year's reported figures, traced to their signers",
)
def red_flags(mof_div_code: Mof, fiscal_year: Year, services: ServicesDep, reach: ReachDep) -> dict:
    # Reach first: an outsider learns nothing, not even whether a code is a jurisdiction.
    require_jurisdiction(reach, mof_div_code, PATH)
    services.ledger.read(Jurisdiction, ids.jurisdiction_id(mof_div_code))
    policy = services.ledger.policies.for_jurisdiction(mof_div_code, fiscal_year)
    # The view's position is read before its rows, so the answer is at least that recent.
    follower = services.follower
    position = follower.positions().get(ReportedFiguresView.name, 0)
    with services.views_db.transaction(write=False) as cur:
        found = verdicts(cur, policy, mof_div_code, fiscal_year)
    return {
        "mof_div_code": mof_div_code,
        "fiscal_year": fiscal_year,
        "policy": vars(policy.ref),
        "position": position,
        "lag": max(follower.head() - position, 0),
        "flags": [flag_out(v) for v in found],
    }
