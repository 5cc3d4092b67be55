"""Is the process up, may it take traffic, and how far behind the log is each view?

`/health/live` touches nothing. `/health/ready` and `/health` ask the store on a fresh
connection and give up after JIXIAO_READY_TIMEOUT_SECONDS, so neither hangs while the
store is gone; both say so when it is, or when a view's handler is failing."""

from __future__ import annotations

import asyncio
import math
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from functools import cache
from typing import Any, Literal, TypeVar

from fastapi import APIRouter
from pydantic import BaseModel, Field

from api.deps import ServicesDep
from api.problems import PROBLEM, problem
from infrastructure.bootstrap import Services
from infrastructure.store.probe import probe_store

router = APIRouter(tags=["health"])
T = TypeVar("T")


class Liveness(BaseModel):
    status: Literal["live"] = "live"


class Readiness(BaseModel):
    status: Literal["ready"] = "ready"


class FailingEvent(BaseModel):
    originator_id: str
    originator_version: int
    topic: str


class ViewFailureOut(BaseModel):
    view: str
    position: int = Field(description="log position of the event the view's handler refused")
    event: FailingEvent
    error: str
    since: datetime = Field(description="first failure at this position")


class ViewStatus(BaseModel):
    position: int
    lag: int
    failing: ViewFailureOut | None = None


class HealthStatus(BaseModel):
    status: Literal["ok", "degraded", "unavailable"] = Field(
        description="ok; degraded: a view is failing; unavailable: the store did not answer"
    )
    store: str
    store_reachable: bool
    store_error: str | None = None
    log_head: int | None = Field(None, description="unknown while the store does not answer")
    views: dict[str, ViewStatus]
    failing_views: list[ViewFailureOut]


class NotReady(BaseModel):
    type: str = "urn:jixiao:problem:not-ready"
    title: str
    status: int = 503
    detail: str
    store_reachable: bool
    store_error: str | None = None
    failing_views: list[ViewFailureOut]


@cache
def _probe_threads() -> ThreadPoolExecutor:
    # Apart from the request thread pool: probes stuck on a dead store cannot starve it.
    return ThreadPoolExecutor(max_workers=4, thread_name_prefix="jixiao-health")


async def _within(timeout: float, fn: Callable[[], T]) -> T:
    """Run blocking `fn` off the event loop; TimeoutError after `timeout` (the thread may
    go on until its own connect and statement timeouts end it)."""
    loop = asyncio.get_running_loop()
    return await asyncio.wait_for(loop.run_in_executor(_probe_threads(), fn), timeout)


async def _store_error(services: Services) -> str | None:
    timeout = services.settings.ready_timeout_seconds
    try:
        return await _within(timeout, lambda: probe_store(services.settings.store, timeout))
    except TimeoutError:
        return f"no answer within {timeout:g} s"


def _failing(services: Services) -> list[dict[str, Any]]:
    return [f.as_dict() for f in services.follower.failures().values()]


@router.get(
    "/health/live",
    summary="The process answers (touches no store)",
    response_model=Liveness,
)
async def live() -> Liveness:
    return Liveness()


@router.get(
    "/health/ready",
    summary="Ready for traffic: the store answers in time and no view is failing",
    response_model=Readiness,
    responses={
        503: {
            "model": NotReady,
            "content": {PROBLEM: {}},
            "description": "store unreachable or a view failing (with Retry-After)",
        }
    },
)
async def ready(services: ServicesDep) -> Any:
    store_error = await _store_error(services)
    failing = _failing(services)
    if store_error is None and not failing:
        return Readiness()
    reasons = [f"store unreachable ({store_error})"] if store_error else []
    reasons += [
        f"view {f['view']} failing at position {f['position']} "
        f"(event {f['event']['originator_id']} v{f['event']['originator_version']})"
        for f in failing
    ]
    return problem(
        503,
        "not-ready",
        "未就绪 Not ready",
        "; ".join(reasons),
        headers={"Retry-After": str(math.ceil(services.settings.ready_timeout_seconds))},
        store_reachable=store_error is None,
        store_error=store_error,
        failing_views=failing,
    )


@router.get(
    "/health",
    summary="Store, log head, and each view's position, lag and failure",
    response_model=HealthStatus,
)
async def health(services: ServicesDep) -> HealthStatus:
    follower = services.follower
    failing = _failing(services)
    body: dict[str, Any] = {
        "status": "unavailable",
        "store": services.settings.store.kind,
        "store_reachable": False,
        "store_error": await _store_error(services),
        "log_head": None,
        "views": {},
        "failing_views": failing,
    }
    if body["store_error"] is None:
        try:
            head, positions = await _within(
                services.settings.ready_timeout_seconds,
                lambda: (follower.head(), follower.positions()),
            )
        except TimeoutError:  # the probe passed but the pools did not answer in time
            body["store_error"] = f"no answer within {services.settings.ready_timeout_seconds:g} s"
        except Exception as exc:
            body["store_error"] = f"{type(exc).__name__}: {exc}".strip()
        else:
            by_view = {f["view"]: f for f in failing}
            body |= {
                "status": "degraded" if failing else "ok",
                "store_reachable": True,
                "log_head": head,
                "views": {
                    name: {"position": p, "lag": head - p, "failing": by_view.get(name)}
                    for name, p in positions.items()
                },
            }
    return HealthStatus.model_validate(body)
