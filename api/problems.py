"""Errors as answers: every refusal is application/problem+json (RFC 9457)."""

from __future__ import annotations

from typing import Any

import psycopg
import structlog
from eventsourcing.persistence import ConnectionUnavailableError, InterfaceError, OperationalError
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from psycopg_pool import PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from api import refused_attempts
from domain.errors import (
    AlreadyExists,
    DomainError,
    InvalidInput,
    InvalidTransition,
    NotFound,
    NotPermitted,
    SegregationOfDuties,
    VersionConflict,
)
from infrastructure.store.unavailable import CommitOutcomeUnknown, StoreUnavailable

log = structlog.get_logger(__name__)
PROBLEM = "application/problem+json"


def problem(
    status: int,
    slug: str,
    title: str,
    detail: str,
    *,
    field: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": f"urn:jixiao:problem:{slug}",
        "title": title,
        "status": status,
        "detail": detail,
    }
    if field:
        body["field"] = field
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


class ApiProblem(Exception):
    """A refusal decided at the HTTP edge (authentication, headers)."""

    def __init__(
        self, status: int, slug: str, title: str, detail: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(detail)
        self.status, self.slug, self.title, self.detail, self.headers = (
            status,
            slug,
            title,
            detail,
            headers,
        )


def _field_of(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


# The HTTP status of each kind of domain refusal; a kind not named takes its nearest base's.
STATUS_OF: dict[type[DomainError], int] = {
    DomainError: 422,
    InvalidInput: 422,
    InvalidTransition: 409,
    NotFound: 404,
    AlreadyExists: 409,
    NotPermitted: 403,
    VersionConflict: 409,
}


def status_of(error: DomainError) -> int:
    return next(STATUS_OF[c] for c in type(error).__mro__ if c in STATUS_OF)


def install(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> JSONResponse:
        if isinstance(exc, SegregationOfDuties):  # the attempt is kept; the answer is the same
            await refused_attempts.keep(request, exc)
        return problem(status_of(exc), exc.type, exc.title, exc.detail, field=exc.field)

    @app.exception_handler(ApiProblem)
    async def _api(request: Request, exc: ApiProblem) -> JSONResponse:
        return problem(exc.status, exc.slug, exc.title, exc.detail, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"field": _field_of(tuple(e.get("loc", ()))), "message": e.get("msg", "")}
            for e in exc.errors()
        ]
        first = errors[0] if errors else {"field": "body", "message": "invalid request"}
        return problem(
            422,
            "invalid-input",
            "输入无效 Invalid input",
            f"{first['field']}: {first['message']}",
            field=first["field"],
            errors=errors,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        slug = {404: "not-found", 405: "method-not-allowed"}.get(exc.status_code, "http-error")
        return problem(
            exc.status_code,
            slug,
            str(exc.detail),
            str(exc.detail),
            headers=getattr(exc, "headers", None),
        )

    @app.exception_handler(CommitOutcomeUnknown)
    async def _unknown(request: Request, exc: CommitOutcomeUnknown) -> JSONResponse:
        log.error("store.commit_outcome_unknown", error=str(exc))
        return problem(
            503,
            "commit-outcome-unknown",
            "提交结果未知 Commit outcome unknown",
            "the store failed while committing: the command may or may not be recorded. "
            "Read the record before acting again; its Idempotency-Key stays reserved.",
            headers={"Retry-After": str(exc.retry_after)},
        )

    async def _unavailable(request: Request, exc: Exception) -> JSONResponse:
        retry_after = getattr(exc, "retry_after", 2)
        log.warning("store.unavailable", error=str(exc))
        return problem(
            503,
            "store-unavailable",
            "存储暂不可用 Store unavailable",
            f"the store could not be had in time ({getattr(exc, 'detail', exc)}); try again "
            "shortly, a command with the same Idempotency-Key",
            headers={"Retry-After": str(retry_after)},
        )

    for unavailable in (
        StoreUnavailable,
        ConnectionUnavailableError,
        OperationalError,
        InterfaceError,
        PoolTimeout,
        # the views' own pool raises psycopg's errors unwrapped (a connection cut by a
        # restart, a statement past its timeout)
        psycopg.OperationalError,
        psycopg.InterfaceError,
    ):
        app.add_exception_handler(unavailable, _unavailable)

    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception) -> JSONResponse:
        # Runs outside the request-id middleware, so the id is added here from the context.
        log.exception("request.unhandled_error")
        request_id = structlog.contextvars.get_contextvars().get("request_id", "")
        return problem(
            500,
            "internal-error",
            "内部错误 Internal error",
            "an unexpected error occurred; it has been logged with this request's id",
            headers={"X-Request-ID": request_id} if request_id else None,
            request_id=request_id or None,
        )
