"""Result application (结果应用): the policy's proposal, the measure applied by a person;
and the projects whose funding is blocked until rectified."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response
from fastapi.responses import JSONResponse

from api.access.lists import RowFilter, pushdown, visible_page
from api.commands import CommandDep
from api.deps import CurrentActor, ReachDep, ServicesDep
from api.proposal_as_of import proposal_as_of
from api.schemas.common import CommandResult
from api.schemas.evaluations import (
    FundingBlockOut,
    ProposalOut,
    ResultApply,
    ResultCorrect,
    ResultOut,
)
from api.time_travel import AsOfJudgedNow
from projections.plain import plain
from projections.result_view import list_funding_blocks, list_results

router = APIRouter(tags=["result application 结果应用"])
Limit = Annotated[int, Query(ge=1, le=1000)]
Offset = Annotated[int, Query(ge=0, le=1_000_000_000)]


@router.get(
    "/evaluations/{evaluation_id}/proposal",
    response_model=ProposalOut,
    summary="The result application the policy proposes for this evaluation",
)
def proposal(
    evaluation_id: UUID,
    services: ServicesDep,
    actor: CurrentActor,
    response: Response,
    as_of: AsOfJudgedNow = None,
) -> dict:
    if as_of is not None:
        return plain(proposal_as_of(services.ledger, evaluation_id, as_of, response))
    return plain(services.ledger.results.result_proposal(evaluation_id))


@router.post(
    "/evaluations/{evaluation_id}/result",
    status_code=201,
    response_model=CommandResult,
    summary="Apply the result 结果应用 (a measure other than the proposal needs a reason)",
)
def apply_result(evaluation_id: UUID, body: ResultApply, cmd: CommandDep) -> JSONResponse:
    return cmd.run(
        body,
        lambda act, _: cmd.ledger.results.apply_result(
            act, evaluation_id, body.measure, body.percentage, body.amount
        ),
        status_code=201,
    )


@router.post(
    "/evaluations/{evaluation_id}/result/correction",
    response_model=CommandResult,
    summary="Correct an applied result: a new event that keeps what it replaces (reason required)",
)
def correct_result(evaluation_id: UUID, body: ResultCorrect, cmd: CommandDep) -> JSONResponse:
    return cmd.run(
        body,
        lambda act, v: cmd.ledger.results.correct_result(
            act, evaluation_id, body.measure, body.percentage, body.amount, v
        ),
    )


@router.get(
    "/funding-blocks",
    response_model=list[FundingBlockOut],
    summary="Projects whose funding is blocked until rectified (整改到位前不予安排)",
)
def funding_blocks(
    services: ServicesDep,
    reach: ReachDep,
    mof_div_code: str | None = None,
    pro_code: str | None = None,
    active: bool | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[dict]:
    narrowed = pushdown(reach, mof_div_code, None)
    with services.views_db.transaction(write=False) as cur:
        rows = visible_page(
            lambda n, at: list_funding_blocks(
                cur,
                mof_div_code=narrowed["mof_div_code"],
                pro_code=pro_code,
                active=None if active is None else int(active),
                limit=n,
                offset=at,
            ),
            RowFilter(reach, cur),
            limit,
            offset,
        )
    return [{**r, "active": bool(r["active"])} for r in rows]


@router.get("/results", response_model=list[ResultOut], summary="Applied results 结果应用")
def results(
    services: ServicesDep,
    reach: ReachDep,
    object_id: UUID | None = None,
    department_id: UUID | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[dict]:
    narrowed = pushdown(reach, None, department_id)
    with services.views_db.transaction(write=False) as cur:
        rows = visible_page(
            lambda n, at: list_results(
                cur,
                object_id=str(object_id) if object_id else None,
                department_id=narrowed["department_id"],
                limit=n,
                offset=at,
            ),
            RowFilter(reach, cur),
            limit,
            offset,
        )
    return [{**r, "follows_proposal": bool(r["follows_proposal"])} for r in rows]
