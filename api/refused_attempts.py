"""Keeping a refused segregation-of-duties command in the security log, from the request
that made it: the domain says only why it refused, the request says who asked and for what."""

from __future__ import annotations

import structlog
from fastapi import Request
from fastapi.concurrency import run_in_threadpool

from domain.errors import SegregationOfDuties
from infrastructure import security_log

log = structlog.get_logger(__name__)
TARGET_MAX = 200  # what is logged of an id the route may not have validated


async def keep(request: Request, exc: SegregationOfDuties) -> None:
    """Record the attempt; a failure is logged, never raised (the answer stays 403)."""
    try:
        attempt = _attempt(request, exc)
    except Exception:
        log.error("security_log.attempt_unreadable", detail=exc.detail, exc_info=True)
        return
    if attempt is None:
        log.error("security_log.no_actor", path=request.url.path, detail=exc.detail)
        return
    await run_in_threadpool(
        security_log.record_safely, request.app.state.services.views_db, attempt
    )


def _attempt(request: Request, exc: SegregationOfDuties) -> security_log.RefusedAttempt | None:
    reach = getattr(request.state, "reach", None)  # set once the actor passed the access gate
    if reach is None:
        return None
    actor = reach.actor
    route = request.scope.get("route")
    template = request.app.state.access_operations.get(id(route)) or request.url.path
    kind, target = _target(request.path_params)
    return security_log.RefusedAttempt(
        person_id=actor.person_id,
        person_name=actor.name,
        role=str(actor.role),
        organisation_id=actor.organisation_id,
        organisation_name=actor.organisation_name,
        actor_mof_div_code=reach.mof_div_code,
        method=request.method,
        path=request.url.path,
        operation=f"{request.method} {template}",
        target_kind=kind,
        target_id=target,
        refusal=exc.detail,
        request_id=structlog.contextvars.get_contextvars().get("request_id"),
    )


def _target(path_params: dict) -> tuple[str | None, str | None]:
    """The record the path names (`/objects/{object_id}/…` → object, its id), if any."""
    for name, value in path_params.items():
        if name.endswith("_id"):
            return name.removesuffix("_id"), str(value)[:TARGET_MAX]
    return None, None
