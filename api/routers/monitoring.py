"""Dual monitoring (双监控): tasks per the policy's schedule, entries judged against the
policy's deviation thresholds, corrections that keep the old entry, follow-up acts."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Response
from fastapi.responses import JSONResponse

from api.access.lists import RowFilter, pushdown, visible_page
from api.commands import CommandDep
from api.deps import CurrentActor, ReachDep, ServicesDep
from api.schemas.common import CommandResult
from api.schemas.monitoring import (
    EntryCorrect,
    EntryIn,
    FollowUp,
    RoundOpen,
    TaskOpen,
    TaskPublic,
    TaskSummary,
)
from api.time_travel import AsOfInstant, aggregate_as_of
from domain.monitoring.model import MonitoringTask
from projections.monitoring_view import list_tasks
from projections.plain import plain

router = APIRouter(tags=["monitoring 双监控"])


@router.get("/monitoring/schedule", summary="The policy's monitoring periods for a jurisdiction")
def schedule(
    services: ServicesDep,
    actor: CurrentActor,
    mof_div_code: Annotated[str, Query(min_length=1, max_length=20)],
    fiscal_year: Annotated[int, Query(ge=2000, le=2100)],
) -> dict:
    policy, periods = services.ledger.monitoring.monitoring_schedule(mof_div_code, fiscal_year)
    return {"policy": plain(policy.ref), "periods": plain(periods)}


@router.post(
    "/objects/{object_id}/monitoring/tasks",
    status_code=201,
    response_model=CommandResult,
    summary="Issue a monitoring task for one period of the policy's schedule",
)
def open_task(object_id: UUID, body: TaskOpen, cmd: CommandDep) -> JSONResponse:
    return cmd.run(
        body,
        lambda act, _: cmd.ledger.monitoring.open_monitoring_task(
            act, object_id, body.period_code, body.mode
        ),
        status_code=201,
        location=lambda o: f"/monitoring/tasks/{o.aggregate_id}",
    )


@router.post(
    "/monitoring/rounds",
    status_code=201,
    response_model=CommandResult,
    summary="Issue one period's tasks for several objects in one write (id: the first task)",
)
def open_round(body: RoundOpen, cmd: CommandDep) -> JSONResponse:
    return cmd.run(
        body,
        lambda act, _: cmd.ledger.monitoring.open_monitoring_round(
            act, body.mof_div_code, body.fiscal_year, body.period_code, body.object_ids, body.mode
        ),
        status_code=201,
    )


@router.get(
    "/monitoring/tasks",
    response_model=list[TaskSummary],
    summary="Monitoring tasks with their judgement, lights and follow-ups (e.g. judgement="
    "serious, light=red)",
)
def list_(
    services: ServicesDep,
    reach: ReachDep,
    mof_div_code: str | None = None,
    fiscal_year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    period_code: str | None = None,
    judgement: str | None = None,
    light: Literal["red", "yellow", "green", "blue"] | None = None,
    object_id: UUID | None = None,
    department_id: UUID | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0,
) -> list[dict]:
    narrowed = pushdown(reach, mof_div_code, department_id)
    with services.views_db.transaction(write=False) as cur:
        return visible_page(
            lambda n, at: list_tasks(
                cur,
                fiscal_year=fiscal_year,
                period_code=period_code,
                judgement=judgement,
                light=light,
                object_id=str(object_id) if object_id else None,
                limit=n,
                offset=at,
                **narrowed,
            ),
            RowFilter(reach, cur),
            limit,
            offset,
        )


@router.get(
    "/monitoring/tasks/{task_id}", response_model=TaskPublic, summary="A task (ETag = version)"
)
def read(
    task_id: UUID,
    services: ServicesDep,
    actor: CurrentActor,
    response: Response,
    as_of: AsOfInstant = None,
) -> TaskPublic:
    if as_of is not None:
        task = aggregate_as_of(services.ledger, MonitoringTask, task_id, as_of, response)
    else:
        task = services.ledger.load(MonitoringTask, task_id)
        response.headers["ETag"] = f'"{task.version}"'
    return TaskPublic(
        id=str(task.id),
        version=task.version,
        object_id=str(task.object_id),
        mof_div_code=task.mof_div_code,
        fiscal_year=task.fiscal_year,
        period_code=task.period_code,
        period_label=task.period_label,
        as_of=task.as_of.isoformat(),
        purpose=task.purpose,
        mode=task.mode,
        budget=str(task.budget),
        budget_now=str(task.budget_now),
        entry=plain(task.entry),
        entry_revision=task.entry_revision,
        judgement=plain(task.judgement),
        suspended=task.suspended,
        reduced=str(task.reduced),
        recovered=str(task.recovered),
        policy=plain(task.policy),
    )


@router.post(
    "/monitoring/tasks/{task_id}/entry",
    response_model=CommandResult,
    summary="Enter budget execution and indicator progress; the policy judges it at once",
)
def enter(task_id: UUID, body: EntryIn, cmd: CommandDep) -> JSONResponse:
    return cmd.run(
        body,
        lambda act, v: cmd.ledger.monitoring.submit_monitoring_entry(
            act, task_id, body.to_domain(), v
        ),
    )


@router.post(
    "/monitoring/tasks/{task_id}/entry/correct",
    response_model=CommandResult,
    summary="Correct the entry (更正): a new event keeping the old one; judged again",
)
def correct(task_id: UUID, body: EntryCorrect, cmd: CommandDep) -> JSONResponse:
    return cmd.run(
        body,
        lambda act, v: cmd.ledger.monitoring.correct_monitoring_entry(
            act, task_id, body.to_domain(), v
        ),
    )


@router.post(
    "/monitoring/tasks/{task_id}/follow-ups",
    response_model=CommandResult,
    summary="责令纠偏 / 调减预算 / 暂停拨付 / 收回资金 after a warning or serious deviation",
)
def follow_up(task_id: UUID, body: FollowUp, cmd: CommandDep) -> JSONResponse:
    return cmd.run(
        body,
        lambda act, v: cmd.ledger.monitoring.follow_up_monitoring(
            act, task_id, body.kind, body.amount, v
        ),
    )
