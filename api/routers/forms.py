"""Excel forms (infrastructure/forms/): each form exported in the layout in force for the
record's jurisdiction and year, and imported as the command it stands for (`?dry_run=true`
shows every row it would record and every problem by cell, recording nothing)."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter
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
from infrastructure.forms.service import Forms

router = APIRouter(tags=["forms 表格导入导出"])
# A recorded import answers as the command it ran; a dry run or an unchanged form, the report.
_IMPORT = dict(response_model=CommandResult | FormReport, openapi_extra=XLSX_BODY)


def _forms(services) -> Forms:
    return Forms(services.ledger)


@router.get(
    "/objects/{object_id}/forms/goal",
    response_class=Response,
    responses=XLSX_ANSWER,
    summary="项目支出绩效目标申报表 (部门整体支出绩效目标表 for a department's overall spending)",
)
def export_goal(object_id: UUID, services: ServicesDep, actor: CurrentActor) -> Response:
    return xlsx_response(_forms(services).export_goal(object_id))


@router.post(
    "/objects/{object_id}/forms/goal",
    summary="Import a goal form: submit, resubmit, or apply to adjust (reason) an approved goal",
    **_IMPORT,
)
def import_goal(
    object_id: UUID,
    data: XlsxBody,
    cmd: CommandDep,
    dry_run: DryRun = False,
    reason: Reason = None,
    file_name: FileName = None,
) -> JSONResponse:
    forms = _forms(cmd.services)
    return run_import(
        cmd,
        data,
        dry_run,
        reason,
        file_name,
        lambda act, v: forms.plan_goal(act, object_id, data, v),
    )


@router.get(
    "/monitoring/tasks/{task_id}/form",
    response_class=Response,
    responses=XLSX_ANSWER,
    summary="绩效运行监控表 of a task (the layout in force for its jurisdiction and year)",
)
def export_monitoring(task_id: UUID, services: ServicesDep, actor: CurrentActor) -> Response:
    return xlsx_response(_forms(services).export_monitoring(task_id))


@router.post(
    "/monitoring/tasks/{task_id}/form",
    summary="Import a monitoring form: the entry, or its correction (reason)",
    **_IMPORT,
)
def import_monitoring(
    task_id: UUID,
    data: XlsxBody,
    cmd: CommandDep,
    dry_run: DryRun = False,
    reason: Reason = None,
    file_name: FileName = None,
) -> JSONResponse:
    forms = _forms(cmd.services)
    return run_import(
        cmd,
        data,
        dry_run,
        reason,
        file_name,
        lambda act, v: forms.plan_monitoring(act, task_id, data, v),
    )


@router.get(
    "/objects/{object_id}/forms/self-evaluation",
    response_class=Response,
    responses=XLSX_ANSWER,
    summary="项目支出绩效自评表 of the object's self-evaluation, scores as recorded",
)
def export_self_evaluation(object_id: UUID, services: ServicesDep, actor: CurrentActor) -> Response:
    return xlsx_response(_forms(services).export_self_evaluation(object_id))


@router.post(
    "/objects/{object_id}/forms/self-evaluation",
    summary="Import a self-evaluation form: submit it, or revise it (reason); scores computed",
    **_IMPORT,
)
def import_self_evaluation(
    object_id: UUID,
    data: XlsxBody,
    cmd: CommandDep,
    dry_run: DryRun = False,
    reason: Reason = None,
    file_name: FileName = None,
) -> JSONResponse:
    forms = _forms(cmd.services)
    return run_import(
        cmd,
        data,
        dry_run,
        reason,
        file_name,
        lambda act, v: forms.plan_self_evaluation(act, object_id, data, v),
    )
