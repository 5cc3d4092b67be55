"""Supervision and disclosure: what goes to the NPC with the budget draft and its
satisfaction ratings (满意度测评), publication (信息公开), and the annual score of each
department's performance work (考核) with the policy's consequence."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response
from fastapi.responses import JSONResponse

from api.access.lists import RowFilter, visible_rows
from api.commands import CommandDep
from api.deps import CurrentActor, ReachDep, ServicesDep
from api.schemas.boards import SubmissionOut
from api.schemas.common import CommandResult
from api.schemas.supervision import NpcRate, NpcSubmit, Publish, WorkScore, WorkScoreRevise
from domain.errors import NotFound
from domain.supervision.model import NpcSubmission
from domain.supervision.work_assessment import WorkAssessment
from infrastructure.bootstrap import Services
from projections.npc_board_queries import submissions as npc_submissions
from projections.objects_view import list_objects
from projections.supervision_view import npc_submission, publications, work_scores

router = APIRouter(prefix="/supervision", tags=["supervision 监督 公开 考核"])


def proposed_key_projects(
    services: Services, mof_div_code: str, fiscal_year: int, department_ids: list[UUID]
) -> tuple[list[dict], dict]:
    """The chosen departments' projects at or above the policy's key-project amount."""
    line, policy = services.ledger.supervision.key_project_line(mof_div_code, fiscal_year)
    found: list[dict] = []
    with services.views_db.transaction(write=False) as cur:
        for department_id in department_ids:
            offset = 0
            while True:
                rows = list_objects(
                    cur,
                    mof_div_code=mof_div_code,
                    fiscal_year=fiscal_year,
                    department_id=str(department_id),
                    limit=1000,
                    offset=offset,
                )
                found += [
                    r
                    for r in rows
                    if r["kind"] == "project"
                    and line is not None
                    and line.met_by(Decimal(r["amount"]))
                ]
                if len(rows) < 1000:
                    break
                offset += 1000
    rule = {
        "policy_id": policy.policy_id,
        "version": policy.version,
        "document": policy.document,
        "key_project_amount": None if line is None else {"op": line.op, "value": str(line.value)},
    }
    return found, rule


@router.get("/key-projects", summary="Key projects proposed for the NPC (policy's amount line)")
def key_projects(
    services: ServicesDep,
    actor: CurrentActor,
    mof_div_code: str,
    fiscal_year: Annotated[int, Query(ge=2000, le=2100)],
    department_id: Annotated[list[UUID], Query(max_length=500)],
) -> dict:
    rows, rule = proposed_key_projects(services, mof_div_code, fiscal_year, department_id)
    return {"policy": rule, "projects": rows}


@router.post(
    "/npc-submissions",
    status_code=201,
    response_model=CommandResult,
    summary="Submit departments' goals and results with the budget draft to the NPC",
)
def submit_to_npc(body: NpcSubmit, cmd: CommandDep) -> JSONResponse:
    key_ids = body.key_project_ids
    if key_ids is None:
        rows, _ = proposed_key_projects(
            cmd.services, body.mof_div_code, body.fiscal_year, body.department_ids
        )
        key_ids = [UUID(r["object_id"]) for r in rows]
    return cmd.run(
        body,
        lambda act, _: cmd.ledger.supervision.submit_to_npc(
            act,
            mof_div_code=body.mof_div_code,
            fiscal_year=body.fiscal_year,
            department_ids=list(body.department_ids),
            key_project_ids=list(key_ids),
            budget_draft_ref=body.budget_draft_ref,
        ),
        status_code=201,
        location=lambda o: f"/supervision/npc-submissions/{o.aggregate_id}",
    )


@router.get(
    "/npc-submissions",
    response_model=list[SubmissionOut],
    summary="A jurisdiction's submissions to the NPC, with ratings",
)
def list_submissions(
    services: ServicesDep,
    actor: CurrentActor,
    mof_div_code: Annotated[str, Query(min_length=1, max_length=20)],
    fiscal_year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> list[dict]:
    with services.views_db.transaction(write=False) as cur:
        return npc_submissions(cur, mof_div_code, fiscal_year)


@router.get("/npc-submissions/{submission_id}", summary="A submission and its ratings")
def read_submission(
    submission_id: UUID, services: ServicesDep, actor: CurrentActor, response: Response
) -> dict:
    submission = services.ledger.load(NpcSubmission, submission_id)
    with services.views_db.transaction(write=False) as cur:
        row = npc_submission(cur, str(submission_id))
    if row is None:  # recorded but not yet in the view
        raise NotFound("the submission is not in the views yet; retry shortly")
    response.headers["ETag"] = f'"{submission.version}"'
    return row


@router.post(
    "/npc-submissions/{submission_id}/ratings",
    response_model=CommandResult,
    summary="An NPC deputy rates a submitted department 满意度测评",
)
def rate(submission_id: UUID, body: NpcRate, cmd: CommandDep) -> JSONResponse:
    return cmd.run(
        body,
        lambda act, v: cmd.ledger.supervision.rate_department(
            act, submission_id, body.department_id, body.rating, body.comments, v
        ),
    )


@router.post(
    "/publications",
    status_code=201,
    response_model=CommandResult,
    summary="Record the publication (信息公开) of a goal or result",
)
def publish(body: Publish, cmd: CommandDep) -> JSONResponse:
    return cmd.run(
        body,
        lambda act, _: cmd.ledger.supervision.publish(
            act,
            object_id=body.object_id,
            subject=body.subject,
            position=body.position,
            originator_id=body.originator_id,
            version=body.version,
            channel=body.channel,
            url=body.url,
        ),
        status_code=201,
    )


@router.get("/publications", summary="What was published, where and when")
def list_publications(
    services: ServicesDep,
    reach: ReachDep,
    object_id: UUID | None = None,
    mof_div_code: str | None = None,
) -> list[dict]:
    with services.views_db.transaction(write=False) as cur:
        rows = publications(
            cur,
            object_id=str(object_id) if object_id else None,
            mof_div_code=mof_div_code or reach.mof_div_code,
        )
        return visible_rows(rows, RowFilter(reach, cur))


@router.post(
    "/work-scores",
    status_code=201,
    response_model=CommandResult,
    summary="Score a department's performance work for a year 考核 (policy judges the cut)",
)
def score_work(body: WorkScore, cmd: CommandDep) -> JSONResponse:
    return cmd.run(
        body,
        lambda act, _: cmd.ledger.supervision.score_work(
            act,
            mof_div_code=body.mof_div_code,
            fiscal_year=body.fiscal_year,
            department_id=body.department_id,
            score=body.score,
            comments=body.comments,
        ),
        status_code=201,
        location=lambda o: f"/supervision/work-scores/{o.aggregate_id}",
    )


@router.get("/work-scores/{assessment_id}", summary="A department's score (ETag = version)")
def read_work_score(
    assessment_id: UUID, services: ServicesDep, actor: CurrentActor, response: Response
) -> dict:
    a = services.ledger.load(WorkAssessment, assessment_id)
    response.headers["ETag"] = f'"{a.version}"'
    return {
        "id": str(a.id),
        "version": a.version,
        "mof_div_code": a.mof_div_code,
        "fiscal_year": a.fiscal_year,
        "department_id": str(a.department_id),
        "score": str(a.score),
        "budget_cut_proposed": a.budget_cut_proposed,
        "policy": vars(a.policy_ref),
    }


@router.post(
    "/work-scores/{assessment_id}/revision",
    response_model=CommandResult,
    summary="Revise a score (reason required; the old score stays in the history)",
)
def revise_work_score(assessment_id: UUID, body: WorkScoreRevise, cmd: CommandDep) -> JSONResponse:
    return cmd.run(
        body,
        lambda act, v: cmd.ledger.supervision.revise_work_score(act, assessment_id, body.score, v),
    )


@router.get("/work-scores", summary="Departments' scores for a year, and proposed budget cuts")
def list_work_scores(
    services: ServicesDep,
    reach: ReachDep,
    mof_div_code: str,
    fiscal_year: Annotated[int, Query(ge=2000, le=2100)],
    budget_cut_only: bool = False,
) -> list[dict]:
    with services.views_db.transaction(write=False) as cur:
        rows = work_scores(cur, mof_div_code, fiscal_year, budget_cut_only=budget_cut_only)
        return visible_rows(rows, RowFilter(reach, cur))
