"""Accountability cases (追责问责): open, cite events, attach documents, name responsible
persons, refer to discipline inspection (移送纪检监察), receive, decide; and the views the
discipline commission and auditors read."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse

from api.access.lists import RowFilter, pushdown, visible_page, visible_rows
from api.commands import CommandDep
from api.deps import CurrentActor, ReachDep, ServicesDep
from api.routers.integrity import integrity_of
from api.schemas.cases import (
    CaseClose,
    CaseDecide,
    CaseOpen,
    CasePublic,
    CaseRefer,
    DocumentsAttach,
    EventCite,
    EvidenceCheck,
    PersonName,
)
from api.schemas.common import ActFields, CommandResult
from domain.accountability.model import AccountabilityCase
from domain.errors import NotFound, NotPermitted
from domain.roles import Role
from domain.values import Actor, EvidenceRef
from infrastructure.integrity.case_package import build_case_package, canonical_json
from infrastructure.integrity.case_pdf import render_case_pdf
from projections.case_view import case_package, cases_naming, list_cases

router = APIRouter(prefix="/cases", tags=["accountability 追责问责"])

# Case files are read by those who build, refer or decide them: not by the departments.
READERS = frozenset(
    {
        Role.PERFORMANCE_SECTION,
        Role.BUSINESS_SECTION,
        Role.BUDGET_SECTION,
        Role.AUDITOR,
        Role.DISCIPLINE,
    }
)


def _require_reader(actor: Actor) -> None:
    if actor.role not in READERS:
        raise NotPermitted("case files are read by finance, audit and discipline staff")


@router.post("", status_code=201, response_model=CommandResult, summary="Open a case 立案")
def open_case(body: CaseOpen, cmd: CommandDep) -> JSONResponse:
    return cmd.run(
        body,
        lambda act, _: cmd.ledger.accountability.open_case(
            act,
            mof_div_code=body.mof_div_code,
            fiscal_year=body.fiscal_year,
            case_no=body.case_no,
            finding_kind=body.finding_kind,
            object_ids=list(body.object_ids),
            description=body.description,
        ),
        status_code=201,
        location=lambda o: f"/cases/{o.aggregate_id}",
    )


@router.get("", summary="Cases, e.g. those referred to a discipline commission")
def list_(
    services: ServicesDep,
    actor: CurrentActor,
    reach: ReachDep,
    referred_to: UUID | None = None,
    mof_div_code: str | None = None,
    status: str | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0,
) -> list[dict]:
    _require_reader(actor)
    narrowed = pushdown(reach, mof_div_code, None)
    with services.views_db.transaction(write=False) as cur:
        return visible_page(
            lambda n, at: list_cases(
                cur,
                referred_to=str(referred_to) if referred_to else None,
                mof_div_code=narrowed["mof_div_code"],
                status=status,
                limit=n,
                offset=at,
            ),
            RowFilter(reach, cur),
            limit,
            offset,
        )


@router.get("/naming/{person_id}", summary="Which cases name this person (person ledger)")
def naming(
    person_id: str, services: ServicesDep, actor: CurrentActor, reach: ReachDep
) -> list[dict]:
    _require_reader(actor)
    with services.views_db.transaction(write=False) as cur:
        return visible_rows(cases_naming(cur, person_id), RowFilter(reach, cur))


@router.get("/{case_id}", response_model=CasePublic, summary="Read a case (ETag = version)")
def read(
    case_id: UUID, services: ServicesDep, actor: CurrentActor, response: Response
) -> CasePublic:
    _require_reader(actor)
    case = services.ledger.load(AccountabilityCase, case_id)
    response.headers["ETag"] = f'"{case.version}"'
    return CasePublic.of(case)


def _attachment(body: bytes, media_type: str, name: str) -> Response:
    """A file to keep: the package as the reader downloads it."""
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(body, media_type=media_type, headers=headers)


def _package(case_id: UUID, request: Request, services: ServicesDep) -> dict:
    with services.views_db.transaction(write=False) as cur:
        found = case_package(cur, str(case_id))
    if found is None:
        raise NotFound(f"no AccountabilityCase with id {case_id}")
    return build_case_package(services.ledger, integrity_of(request, services), found)


@router.get(
    "/{case_id}/package",
    summary="The referral package 移送材料: facts, cited events with their full records and "
    "inclusion proofs against one signed tree head, documents, persons (jixiao verify-proof FILE)",
    responses={200: {"content": {"application/json": {"schema": {"type": "object"}}}}},
)
def package(
    case_id: UUID, request: Request, services: ServicesDep, actor: CurrentActor
) -> Response:
    _require_reader(actor)
    body = canonical_json(_package(case_id, request, services))
    return _attachment(body, "application/json", f"jixiao-case-{case_id}.json")


@router.get(
    "/{case_id}/package.pdf",
    summary="The referral package as a PDF in Chinese, with the JSON's SHA-256 and tree head",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {"schema": {"type": "string"}}}}},
)
def package_pdf(
    case_id: UUID, request: Request, services: ServicesDep, actor: CurrentActor
) -> Response:
    _require_reader(actor)
    pdf = render_case_pdf(_package(case_id, request, services))
    return _attachment(pdf, "application/pdf", f"jixiao-case-{case_id}.pdf")


@router.get(
    "/{case_id}/evidence-check",
    response_model=list[EvidenceCheck],
    summary="Are the cited records still as they were when cited?",
)
def evidence_check(case_id: UUID, services: ServicesDep, actor: CurrentActor) -> list[dict]:
    _require_reader(actor)
    return services.ledger.accountability.check_case_evidence(case_id)


@router.post(
    "/{case_id}/evidence/events",
    response_model=CommandResult,
    summary="Cite a ledger event as evidence (by log position and event id)",
)
def cite_event(case_id: UUID, body: EventCite, cmd: CommandDep) -> JSONResponse:
    return cmd.run(
        body,
        lambda act, v: cmd.ledger.accountability.cite_event_in_case(
            act, case_id, body.position, body.originator_id, body.version, body.note, v
        ),
    )


@router.post(
    "/{case_id}/evidence/documents",
    response_model=CommandResult,
    summary="Attach documents (pinned by SHA-256)",
)
def attach_documents(case_id: UUID, body: DocumentsAttach, cmd: CommandDep) -> JSONResponse:
    documents = [EvidenceRef(d.name, d.sha256) for d in body.documents]
    return cmd.run(
        body,
        lambda act, v: cmd.ledger.accountability.attach_case_documents(
            act, case_id, documents, body.description, v
        ),
    )


@router.post(
    "/{case_id}/responsible-persons",
    response_model=CommandResult,
    summary="Name a responsible person; their role in each act is read from the cited events",
)
def name_person(case_id: UUID, body: PersonName, cmd: CommandDep) -> JSONResponse:
    return cmd.run(
        body,
        lambda act, v: cmd.ledger.accountability.name_responsible_person(
            act, case_id, body.person_id, list(body.positions), body.description, v
        ),
    )


@router.post(
    "/{case_id}/referral",
    response_model=CommandResult,
    summary="Refer the case to discipline inspection 移送纪检监察",
)
def refer(case_id: UUID, body: CaseRefer, cmd: CommandDep) -> JSONResponse:
    return cmd.run(
        body,
        lambda act, v: cmd.ledger.accountability.refer_case(
            act, case_id, body.organisation_id, body.referral_ref, v
        ),
    )


@router.post(
    "/{case_id}/closure",
    response_model=CommandResult,
    summary="Close the case without referral 不予移送, with the reason",
)
def close_without_referral(case_id: UUID, body: CaseClose, cmd: CommandDep) -> JSONResponse:
    return cmd.run(
        body,
        lambda act, v: cmd.ledger.accountability.close_case_without_referral(act, case_id, v),
    )


@router.post(
    "/{case_id}/receipt",
    response_model=CommandResult,
    summary="Discipline inspection records receipt of the referral",
)
def receive(
    case_id: UUID,
    cmd: CommandDep,
    body: ActFields | None = None,
) -> JSONResponse:
    return cmd.run(body, lambda act, v: cmd.ledger.accountability.receive_case(act, case_id, v))


@router.post(
    "/{case_id}/outcome",
    response_model=CommandResult,
    summary="Discipline inspection records the outcome; the case closes",
)
def decide(case_id: UUID, body: CaseDecide, cmd: CommandDep) -> JSONResponse:
    return cmd.run(
        body,
        lambda act, v: cmd.ledger.accountability.decide_case(act, case_id, body.outcome, v),
    )
