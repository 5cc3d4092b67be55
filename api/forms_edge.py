"""Forms at the HTTP edge: an .xlsx answered with its Chinese file name (RFC 6266 with an
RFC 5987 filename*), an .xlsx taken as the raw request body (no multipart), and an import
run as a command (Idempotency-Key, If-Match) whose file is the act's evidence."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, Query, Request
from fastapi.responses import JSONResponse, Response

from api.commands import Command, act_of
from api.deps import CurrentActor
from api.problems import ApiProblem, problem
from api.schemas.common import ActFields, EvidenceIn
from domain.values import Act
from infrastructure.forms.importing.plan import FormInvalid, Plan, Unchanged, record
from infrastructure.forms.service import XLSX, Exported
from infrastructure.forms.sheet.opening import NotAWorkbook

# What the OpenAPI document says an import takes and an export gives.
XLSX_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "the filled form: the .xlsx file itself as the body",
        "content": {XLSX: {"schema": {"type": "string", "format": "binary"}}},
    }
}
XLSX_ANSWER: dict[int | str, dict[str, Any]] = {
    200: {"content": {XLSX: {"schema": {"type": "string", "format": "binary"}}}}
}

DryRun = Annotated[
    bool, Query(description="read and check the form, show what it would record; record nothing")
]
Reason = Annotated[
    str | None,
    Query(max_length=4000, description="required when the form changes an earlier record"),
]
FileName = Annotated[
    str | None,
    Query(min_length=1, max_length=300, description="the file's name, kept with its SHA-256"),
]


async def xlsx_body(request: Request, actor: CurrentActor) -> bytes:
    """The body, once the token and the access table have let the request in."""
    mime = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if mime != XLSX:
        raise ApiProblem(
            415,
            "unsupported-media-type",
            "不支持的媒体类型 Unsupported media type",
            f"send the form as the request body with Content-Type: {XLSX}",
        )
    return await request.body()


XlsxBody = Annotated[bytes, Depends(xlsx_body)]


def xlsx_response(exported: Exported) -> Response:
    disposition = (
        f'attachment; filename="{exported.ascii_name}"; '
        f"filename*=UTF-8''{quote(exported.file_name, safe='')}"
    )
    return Response(
        exported.content,
        media_type=XLSX,
        headers={
            "Content-Disposition": disposition,
            "ETag": f'"{exported.version}"',
            "X-Form-Template": exported.template.id,
        },
    )


def _not_a_workbook(e: NotAWorkbook) -> ApiProblem:
    return ApiProblem(422, "not-a-workbook", "不是有效的Excel文件 Not an .xlsx workbook", str(e))


def _invalid(plan: Plan) -> JSONResponse:
    first = plan.problems[0]
    return problem(
        422,
        "form-invalid",
        "表格有误，未记录 The form has problems: nothing recorded",
        f"{len(plan.problems)} problem(s); first at {first.cell}: {first.message}",
        field=first.cell,
        errors=[{"field": p.cell, "message": p.message} for p in plan.problems],
        report=plan.report(dry_run=False),
    )


def run_import(
    cmd: Command,
    data: bytes,
    dry_run: bool,
    reason: str | None,
    file_name: str | None,
    planner: Callable[[Act, int | None], Plan],
) -> JSONResponse:
    """Dry run: the plan, whatever it finds. Otherwise the command, through the same
    idempotency and version checks as any other; a refused or unchanged form records
    nothing and releases its key."""
    evidence = EvidenceIn(name=file_name or "form.xlsx", sha256=hashlib.sha256(data).hexdigest())
    body = ActFields(reason=reason, evidence=[evidence])
    try:
        if dry_run:
            plan = planner(act_of(cmd.actor, body), cmd.headers.expected_version)
            return JSONResponse(plan.report(dry_run=True))
        planned: list[Plan] = []

        def command(act: Act, version: int | None):
            planned.append(planner(act, version))
            return record(planned[-1])

        answer = cmd.run(body, command)
    except NotAWorkbook as e:
        raise _not_a_workbook(e) from None
    except Unchanged as e:
        return JSONResponse(e.plan.report(dry_run=False))
    except FormInvalid as e:
        return _invalid(e.plan)
    if planned:  # a replayed answer ran nothing
        answer.headers["X-Form-Action"] = planned[-1].action
    return answer
