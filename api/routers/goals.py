"""A performance object's goal (绩效目标): submit, review in three stages, approve, adjust."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.commands import CommandDep
from api.schemas.common import CommandResult
from api.schemas.objects import (
    GoalAdjustmentApply,
    GoalAdjustmentApprove,
    GoalAdjustmentReview,
    GoalApprove,
    GoalReview,
    GoalSubmit,
)

router = APIRouter(prefix="/objects/{object_id}/goal", tags=["goals 绩效目标"])


@router.post(
    "/submit",
    response_model=CommandResult,
    summary="Submit, or resubmit after return, the goal 申报绩效目标",
)
def submit(object_id: UUID, body: GoalSubmit, cmd: CommandDep) -> JSONResponse:
    return cmd.run(
        body,
        lambda act, v: cmd.ledger.goals.submit_goal(
            act, object_id, body.domain_indicators(), v, library_entries=body.library_entries()
        ),
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
    "/adjustment",
    response_model=CommandResult,
    summary="Apply to adjust an approved goal 申请调整 (reason and documents required)",
)
def apply_adjustment(object_id: UUID, body: GoalAdjustmentApply, cmd: CommandDep) -> JSONResponse:
    return cmd.run(
        body,
        lambda act, v: cmd.ledger.goals.apply_goal_adjustment(
            act,
            object_id,
            body.domain_indicators(),
            body.amount,
            v,
            library_entries=body.library_entries(),
        ),
    )


@router.post(
    "/adjustment/review",
    response_model=CommandResult,
    summary="The business section agrees or returns an application to adjust 初审",
)
def review_adjustment(object_id: UUID, body: GoalAdjustmentReview, cmd: CommandDep) -> JSONResponse:
    return cmd.run(
        body,
        lambda act, v: cmd.ledger.goals.review_goal_adjustment(
            act, object_id, body.outcome, body.comments, v
        ),
    )


@router.post(
    "/adjustment/approval",
    response_model=CommandResult,
    summary="The budget section approves the adjustment 调整批复; it is then in force",
)
def approve_adjustment(
    object_id: UUID, body: GoalAdjustmentApprove, cmd: CommandDep
) -> JSONResponse:
    return cmd.run(
        body,
        lambda act, v: cmd.ledger.goals.approve_goal_adjustment(
            act, object_id, body.approval_ref, v
        ),
    )
