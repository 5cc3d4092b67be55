"""Reports to download (infrastructure/reports): the annual 年度预算绩效管理工作综合报告
of a jurisdiction's year and the 绩效评价报告 of one evaluation, as PDF or Word. Both are
made from the log when asked (never stored), with the query functions the other routes use,
so their figures are the API's."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal
from urllib.parse import quote
from uuid import UUID

from fastapi import APIRouter, Query, Response

from api.access.gate import rule_for
from api.deps import CurrentActor, ServicesDep
from domain.business_dates import today_in_china
from domain.roles import Role
from domain.values import Actor
from infrastructure.reports.annual import build_annual_report
from infrastructure.reports.annual_document import annual_document
from infrastructure.reports.document import Document
from infrastructure.reports.evaluation_report import evaluation_document
from infrastructure.reports.pdf import render_pdf
from infrastructure.reports.word import render_docx

router = APIRouter(tags=["reports 报告"])

MEDIA = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
Format = Annotated[Literal["pdf", "docx"], Query(description="pdf or docx (Word)")]
On = Annotated[
    date | None,
    Query(description="the day overdue rectifications are judged by (default: today in CST)"),
]
FILES = {200: {"content": {media: {"schema": {"type": "string"}} for media in MEDIA.values()}}}


def _download(document: Document, fmt: str, ascii_name: str) -> Response:
    """The file with its Chinese name (RFC 5987 filename*) and an ASCII fallback."""
    body = render_pdf(document) if fmt == "pdf" else render_docx(document)
    disposition = (
        f'attachment; filename="{ascii_name}.{fmt}"; '
        f"filename*=UTF-8''{quote(f'{document.file_stem}.{fmt}', safe='')}"
    )
    return Response(body, media_type=MEDIA[fmt], headers={"Content-Disposition": disposition})


def _reads(actor: Actor, path: str) -> bool:
    """Whether the actor's role may call GET `path`, by the access table (a report shows a
    reader no more than the API's own routes would)."""
    rule = rule_for("GET", path)
    return rule is not None and actor.role in rule.roles


@router.get(
    "/reports/annual",
    summary="Annual report of a jurisdiction's year (年度预算绩效管理工作综合报告), PDF or Word",
    response_class=Response,
    responses=FILES,
)
def annual_report(
    services: ServicesDep,
    actor: CurrentActor,
    mof_div_code: Annotated[str, Query(min_length=1, max_length=20)],
    fiscal_year: Annotated[int, Query(ge=2000, le=2100)],
    format: Format = "pdf",
    on: On = None,
) -> Response:
    report = build_annual_report(
        services,
        mof_div_code,
        fiscal_year,
        on or today_in_china(),
        submitted_only=actor.role == Role.NPC,  # the NPC's reach, as on its board
        finding_sources=_reads(actor, "/findings"),
        case_sources=_reads(actor, "/cases"),
    )
    return _download(annual_document(report), format, f"jixiao-annual-{mof_div_code}-{fiscal_year}")


@router.get(
    "/evaluations/{evaluation_id}/report",
    summary="The evaluation report (绩效评价报告, 财预〔2020〕10号 outline), PDF or Word",
    response_class=Response,
    responses=FILES,
)
def evaluation_report(
    evaluation_id: UUID,
    services: ServicesDep,
    actor: CurrentActor,
    format: Format = "pdf",
    on: On = None,
) -> Response:
    document = evaluation_document(
        services,
        evaluation_id,
        on or today_in_china(),
        with_findings=_reads(actor, "/findings"),
        with_results=_reads(actor, "/results"),
        with_notices=_reads(actor, "/rectifications"),
    )
    return _download(document, format, f"jixiao-evaluation-{evaluation_id}")
