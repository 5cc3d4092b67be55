"""Evaluations (绩效评价): self-evaluation, department and finance key evaluations, spot
checks, score revisions; funding blocks; result application (结果应用)."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Response
from fastapi.responses import JSONResponse

from api.access.lists import RowFilter, pushdown, visible_page
from api.commands import CommandDep
from api.deps import CurrentActor, ReachDep, ServicesDep
from api.schemas.common import CommandResult
from api.schemas.evaluations import (
    EvaluationOpen,
    EvaluationPublic,
    EvaluationSummary,
    RecheckSubmit,
    ScoreRevise,
    ScoresSubmit,
    SelfEvaluationRevise,
    SelfEvaluationSubmit,
    ThirdPartyAssign,
)
from api.time_travel import AsOfInstant, aggregate_as_of
from domain.evaluation.key_evaluation import KeyEvaluation
from domain.evaluation.model import SelfEvaluation
from domain.evaluation.spot_check import SpotCheck
from domain.ledger import Outcome
from projections.evaluation_view import list_evaluations
from projections.plain import plain

router = APIRouter(tags=["evaluations 绩效评价与结果应用"])
Limit = Annotated[int, Query(ge=1, le=1000)]
Offset = Annotated[int, Query(ge=0, le=1_000_000_000)]
Year = Annotated[int | None, Query(ge=2000, le=2100)]


def _details(e: Any) -> dict:
    if isinstance(e, SelfEvaluation):
        return plain(e.scoring)
    if isinstance(e, KeyEvaluation):
        return plain({"weights": e.weights, "scores": e.scores, "third_party_id": e.third_party_id})
    return plain(
        {
            "self_evaluation_id": e.self_evaluation_id,
            "self_score": e.self_score,
            "gap": e.gap,
            "gap_rule_met": e.gap_rule_met,
        }
    )


def _location(outcome: Outcome) -> str:
    return f"/evaluations/{outcome.aggregate_id}"


@router.post(
    "/objects/{object_id}/evaluations/self",
    status_code=201,
    response_model=CommandResult,
    summary="Submit the self-evaluation 单位自评 (scored from the goal's indicators)",
)
def submit_self(object_id: UUID, body: SelfEvaluationSubmit, cmd: CommandDep) -> JSONResponse:
    return cmd.run(
        body,
        lambda act, _: cmd.ledger.evaluation.submit_self_evaluation(
            act, object_id, body.domain_actuals(), body.executed_amount, body.budget_amount
        ),
        status_code=201,
        location=_location,
    )


@router.post(
    "/objects/{object_id}/evaluations",
    status_code=201,
    response_model=CommandResult,
    summary="Open a department (部门评价) or finance key evaluation (财政重点评价)",
)
def open_evaluation(object_id: UUID, body: EvaluationOpen, cmd: CommandDep) -> JSONResponse:
    return cmd.run(
        body,
        lambda act, _: cmd.ledger.evaluation.open_evaluation(
            act, object_id, body.kind, body.weights
        ),
        status_code=201,
        location=_location,
    )


@router.post(
    "/evaluations/{evaluation_id}/self-revision",
    response_model=CommandResult,
    summary="Revise a self-evaluation by re-entering its actuals (reason and document)",
)
def revise_self(evaluation_id: UUID, body: SelfEvaluationRevise, cmd: CommandDep) -> JSONResponse:
    return cmd.run(
        body,
        lambda act, v: cmd.ledger.evaluation.revise_self_evaluation(
            act, evaluation_id, body.domain_actuals(), body.executed_amount, body.budget_amount, v
        ),
    )


@router.post(
    "/evaluations/{evaluation_id}/third-party",
    response_model=CommandResult,
    summary="Assign a finance key evaluation to a third party 委托第三方",
)
def assign_third_party(
    evaluation_id: UUID, body: ThirdPartyAssign, cmd: CommandDep
) -> JSONResponse:
    return cmd.run(
        body,
        lambda act, v: cmd.ledger.evaluation.assign_third_party(
            act, evaluation_id, body.organisation_id, v
        ),
    )


@router.post(
    "/evaluations/{evaluation_id}/scores",
    response_model=CommandResult,
    summary="Score a department or finance key evaluation per first-level indicator",
)
def submit_scores(evaluation_id: UUID, body: ScoresSubmit, cmd: CommandDep) -> JSONResponse:
    return cmd.run(
        body,
        lambda act, v: cmd.ledger.evaluation.submit_evaluation_scores(
            act, evaluation_id, body.scores, v
        ),
    )


@router.post(
    "/evaluations/{evaluation_id}/score-revisions",
    response_model=CommandResult,
    summary="Revise a score (old and new kept, reason and document required)",
)
def revise_score(evaluation_id: UUID, body: ScoreRevise, cmd: CommandDep) -> JSONResponse:
    return cmd.run(
        body,
        lambda act, v: cmd.ledger.evaluation.revise_evaluation_score(
            act, evaluation_id, scores=body.scores, score=body.score, expected_version=v
        ),
    )


@router.post(
    "/evaluations/{evaluation_id}/recheck",
    status_code=201,
    response_model=CommandResult,
    summary="Spot-check a self-evaluation 抽查复核 (a gap per policy blocks funding)",
)
def recheck(evaluation_id: UUID, body: RecheckSubmit, cmd: CommandDep) -> JSONResponse:
    return cmd.run(
        body,
        lambda act, v: cmd.ledger.evaluation.recheck_self_evaluation(
            act, evaluation_id, body.score, body.comments, v
        ),
        status_code=201,
        location=_location,
    )


@router.get(
    "/evaluations/{evaluation_id}",
    response_model=EvaluationPublic,
    summary="Read an evaluation (ETag = version)",
)
def read(
    evaluation_id: UUID,
    services: ServicesDep,
    actor: CurrentActor,
    response: Response,
    as_of: AsOfInstant = None,
) -> dict:
    if as_of is not None:
        kinds = (SelfEvaluation, KeyEvaluation, SpotCheck)
        e = aggregate_as_of(services.ledger, kinds, evaluation_id, as_of, response)
    else:
        e = services.ledger.results.load_evaluation(evaluation_id)
        response.headers["ETag"] = f'"{e.version}"'
    return {
        "id": str(e.id),
        "version": e.version,
        "kind": e.kind,
        "object_id": str(e.object_id),
        "mof_div_code": e.mof_div_code,
        "fiscal_year": e.fiscal_year,
        "pro_code": e.pro_code,
        "department_id": str(e.department_id),
        "score": None if e.score is None else str(e.score),
        "grade": e.grade,
        "policy": plain(e.policy),
        "details": _details(e),
        "due": e.due if isinstance(e, SelfEvaluation) else None,
        "late": e.late if isinstance(e, SelfEvaluation) else None,
    }


@router.get("/evaluations", response_model=list[EvaluationSummary], summary="List evaluations")
def list_(
    services: ServicesDep,
    reach: ReachDep,
    mof_div_code: str | None = None,
    fiscal_year: Year = None,
    kind: str | None = None,
    object_id: UUID | None = None,
    department_id: UUID | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[dict]:
    narrowed = pushdown(reach, mof_div_code, department_id)
    with services.views_db.transaction(write=False) as cur:
        rows = visible_page(
            lambda n, at: list_evaluations(
                cur,
                fiscal_year=fiscal_year,
                kind=kind,
                object_id=str(object_id) if object_id else None,
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
            **r,
            "gap_rule_met": None if r["gap_rule_met"] is None else bool(r["gap_rule_met"]),
            "late": None if r["late"] is None else bool(r["late"]),
        }
        for r in rows
    ]
