"""A performance object's goal (绩效目标): submit, review in three stages, approve, adjust."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.commands import CommandDep
from api.schemas.common import CommandResult
from api.schemas.objects import GoalAdjust, GoalApprove, GoalReview, GoalSubmit

router = APIRouter(prefix="/objects/{object_id}/goal", tags=["goals 绩效目标"])


@router.post(
    "/submit",
    response_model=CommandResult,
    summary="Submit, or resubmit after return, the goal 申报绩效目标",
)
def submit(object_id: UUID, body: GoalSubmit, cmd: CommandDep) -> JSONResponse:
    return cmd.run(
        body,
        lambda act, v: cmd.ledger.goals.submit_goal(act, object_id, body.domain_indicators(), v),
    )


@router.post(
    "/reviews",
    response_model=CommandResult,
    summary="Review a stage: 初审 initial → 复核 second → 终审 final",
)
def review(object_id: UUID, body: GoalReview, cmd: CommandDep) -> JSONResponse:
    return cmd.run(
        body,
        lambda act, v: cmd.ledger.goals.review_goal(
            act, object_id, body.stage, body.outcome, body.comments, v
        ),
    )


@router.post(
    "/approve", response_model=CommandResult, summary="Approve the goal with the budget 批复"
)
def approve(object_id: UUID, body: GoalApprove, cmd: CommandDep) -> JSONResponse:
    return cmd.run(
        body,
        lambda act, v: cmd.ledger.goals.approve_goal(
            act, object_id, body.approved_amount, body.approval_ref, v
        ),
    )


@router.post(
    "/adjust",
    response_model=CommandResult,
    summary="Adjust an approved goal by procedure 调整 (reason and approval required)",
)
def adjust(object_id: UUID, body: GoalAdjust, cmd: CommandDep) -> JSONResponse:
    return cmd.run(
        body,
        lambda act, v: cmd.ledger.goals.adjust_goal(
            act, object_id, body.domain_indicators(), body.approval_ref, v
        ),
    )
