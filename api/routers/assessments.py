"""Ex-ante assessment (事前绩效评估) of a performance object, and its admission to the project
library (入库), which the assessment gates."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse

from api.commands import CommandDep
from api.deps import CurrentActor, ServicesDep
from api.schemas.assessments import (
    ExAnteCommission,
    ExAnteDeclare,
    ExAntePublic,
    ExAnteReview,
    ExAnteSubmit,
    LibraryAdmit,
)
from api.schemas.common import CommandResult
from api.time_travel import AsOfJudgedNow, aggregate_as_of
from domain.errors import NotFound
from domain.ex_ante.model import ExAnteAssessment, ex_ante_id
from domain.objects.model import PerformanceObject
from domain.values import EvidenceRef

router = APIRouter(prefix="/objects/{object_id}", tags=["ex-ante assessment 事前绩效评估"])


def _public(services, file: ExAnteAssessment) -> ExAntePublic:
    obj = services.ledger.load(PerformanceObject, file.object_id)
    policy = services.ledger.policies.for_jurisdiction(obj.mof_div_code, obj.fiscal_year)
    return ExAntePublic(
        id=str(file.id),
        version=file.version,
        object_id=str(file.object_id),
        required=file.required,
        reasons=list(file.reasons),
        exemption=file.exemption,
        policy=vars(file.policy),
        state=file.state.value,
        assessor=file.assessor,
        assessor_org_id=file.assessor_org_id,
        scores=[
            {"dimension": s.dimension, "score": str(s.score), "points": str(s.points)}
            for s in file.scores
        ],
        total=None if file.total is None else str(file.total),
        conclusion=file.conclusion,
        report=None if file.report is None else vars(file.report),
        revision=file.revision,
        passes=file.passes(policy),
    )


@router.get(
    "/ex-ante",
    response_model=ExAntePublic,
    summary="The object's ex-ante file: requirement, policy, assessment (ETag = version)",
)
def read(
    object_id: UUID,
    services: ServicesDep,
    actor: CurrentActor,
    response: Response,
    as_of: AsOfJudgedNow = None,
) -> ExAntePublic:
    services.ledger.load(PerformanceObject, object_id)
    if as_of is not None:  # `passes` is judged by the policy in force now
        ledger = services.ledger
        file = aggregate_as_of(ledger, ExAnteAssessment, ex_ante_id(object_id), as_of, response)
        return _public(services, file)
    file = services.ledger.ex_ante.ex_ante_file(object_id)
    if file is None:
        raise NotFound("no ex-ante requirement has been judged for this object yet")
    response.headers["ETag"] = f'"{file.version}"'
    return _public(services, file)


@router.post(
    "/ex-ante/declare",
    response_model=CommandResult,
    summary="Declare the project; the policy judges whether an assessment is required",
)
def declare(object_id: UUID, body: ExAnteDeclare, cmd: CommandDep) -> JSONResponse:
    return cmd.run(
        body,
        lambda act, v: cmd.ledger.ex_ante.declare_ex_ante(act, object_id, body.exemption, v),
    )


@router.post(
    "/ex-ante/submit",
    response_model=CommandResult,
    summary="Submit the assessment: five dimensions, conclusion, report hash",
)
def submit(object_id: UUID, body: ExAnteSubmit, cmd: CommandDep) -> JSONResponse:
    report = EvidenceRef(body.report.name, body.report.sha256)
    return cmd.run(
        body,
        lambda act, v: cmd.ledger.ex_ante.submit_ex_ante(
            act, object_id, body.scores, body.conclusion, report, v
        ),
    )


@router.post(
    "/ex-ante/review",
    response_model=CommandResult,
    summary="Finance review of the department's assessment (accept or return)",
)
def review(object_id: UUID, body: ExAnteReview, cmd: CommandDep) -> JSONResponse:
    return cmd.run(
        body,
        lambda act, v: cmd.ledger.ex_ante.review_ex_ante(
            act, object_id, body.outcome, body.comments, v
        ),
    )


@router.post(
    "/ex-ante/commission",
    response_model=CommandResult,
    summary="Commission the finance bureau's own or a third party's assessment",
)
def commission(object_id: UUID, body: ExAnteCommission, cmd: CommandDep) -> JSONResponse:
    return cmd.run(
        body,
        lambda act, v: cmd.ledger.ex_ante.commission_ex_ante(
            act, object_id, body.assessor, body.organisation_id, v
        ),
    )


@router.post(
    "/library/admit",
    response_model=CommandResult,
    summary="Admit the project to the project library 入库 (If-Match: the object's ETag)",
)
def admit(object_id: UUID, body: LibraryAdmit, cmd: CommandDep) -> JSONResponse:
    return cmd.run(
        body,
        lambda act, v: cmd.ledger.ex_ante.admit_to_library(act, object_id, v),
    )
