"""Excel forms (infrastructure/forms/): each form exported in the layout in force for the
record's jurisdiction and year, and imported as the command it stands for (`?dry_run=true`
shows every row it would record and every problem by cell, recording nothing)."""

# No `from __future__ import annotations`: the import routes' path parameter is annotated
# inside a factory, and FastAPI must see the annotation itself, not its name.

from collections.abc import Callable
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter
from fastapi import Path as PathParam
from fastapi.responses import JSONResponse, Response

from api.commands import CommandDep
from api.deps import CurrentActor, ServicesDep
from api.forms_edge import (
    XLSX_ANSWER,
    XLSX_BODY,
    DryRun,
    FileName,
    Reason,
    XlsxBody,
    run_import,
    xlsx_response,
)
from api.schemas.common import CommandResult
from api.schemas.forms import FormReport
from infrastructure.forms.importing.plan import Plan
from infrastructure.forms.service import Forms

router = APIRouter(tags=["forms 表格导入导出"])
# A recorded import answers as the command it ran; a dry run or an unchanged form, the report.
_IMPORT = dict(response_model=CommandResult | FormReport, openapi_extra=XLSX_BODY)
Planner = Callable[[Forms], Callable[..., Plan]]


def _forms(services) -> Forms:
    return Forms(services.ledger)


def _import_route(path: str, target: str, name: str, summary: str, planner: Planner) -> None:
    """POST `path`: the filled form as the body, ?dry_run, ?reason, ?file_name; `planner`
    picks the Forms method that plans it for the record named by the path's `target`."""
    title = target.replace("_", " ").title()  # as FastAPI titles a parameter of that name

    def import_form(
        target_id: Annotated[UUID, PathParam(alias=target, title=title)],
        data: XlsxBody,
        cmd: CommandDep,
        dry_run: DryRun = False,
        reason: Reason = None,
        file_name: FileName = None,
    ) -> JSONResponse:
        plan = planner(_forms(cmd.services))
        return run_import(
            cmd, data, dry_run, reason, file_name, lambda act, v: plan(act, target_id, data, v)
        )

    import_form.__name__ = name  # the OpenAPI operation id, as before the routes were folded
    router.post(path, summary=summary, **_IMPORT)(import_form)


@router.get(
    "/objects/{object_id}/forms/goal",
    response_class=Response,
    responses=XLSX_ANSWER,
    summary="项目支出绩效目标申报表 (部门整体支出绩效目标表 for a department's overall spending)",
)
def export_goal(object_id: UUID, services: ServicesDep, actor: CurrentActor) -> Response:
    return xlsx_response(_forms(services).export_goal(object_id))


@router.get(
    "/monitoring/tasks/{task_id}/form",
    response_class=Response,
    responses=XLSX_ANSWER,
    summary="绩效运行监控表 of a task (the layout in force for its jurisdiction and year)",
)
def export_monitoring(task_id: UUID, services: ServicesDep, actor: CurrentActor) -> Response:
    return xlsx_response(_forms(services).export_monitoring(task_id))


@router.get(
    "/objects/{object_id}/forms/self-evaluation",
    response_class=Response,
    responses=XLSX_ANSWER,
    summary="项目支出绩效自评表 of the object's self-evaluation, scores as recorded",
)
def export_self_evaluation(object_id: UUID, services: ServicesDep, actor: CurrentActor) -> Response:
    return xlsx_response(_forms(services).export_self_evaluation(object_id))


_import_route(
    "/objects/{object_id}/forms/goal",
    "object_id",
    "import_goal",
    "Import a goal form: submit, resubmit, or apply to adjust (reason) an approved goal",
    lambda forms: forms.plan_goal,
)
_import_route(
    "/monitoring/tasks/{task_id}/form",
    "task_id",
    "import_monitoring",
    "Import a monitoring form: the entry, or its correction (reason)",
    lambda forms: forms.plan_monitoring,
)
_import_route(
    "/objects/{object_id}/forms/self-evaluation",
    "object_id",
    "import_self_evaluation",
    "Import a self-evaluation form: submit it, or revise it (reason); scores computed",
    lambda forms: forms.plan_self_evaluation,
)
