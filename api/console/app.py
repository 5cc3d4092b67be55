"""The console as an application mounted at /console by the API's app (api/app.py): its
pages are not API operations (no access-table row, not in the OpenAPI document); every
read a page makes goes through the API's gate (api/console/reads.py)."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles

from api.console import (
    pages_audit,
    pages_boards,
    pages_cases,
    pages_home,
    pages_ledgers,
    pages_proof,
)
from api.console.reads import Refused, SignInNeeded, reader
from api.console.render import HERE, page
from api.console.sessions import Sessions
from api.problems import ApiProblem, status_of
from domain.errors import DomainError

NO_STORE = {"Cache-Control": "no-store"}
# Pages load only from the app (no outside request even if a page named one) and cannot be
# framed by another site (the sign-out button).
SAME_ORIGIN_ONLY = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
}


def console_app(parent: FastAPI) -> FastAPI:
    console = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    console.state.parent = parent  # the API app holds the services
    console.state.sessions = Sessions()
    for module in (pages_home, pages_boards, pages_audit, pages_ledgers, pages_cases, pages_proof):
        console.include_router(module.router)
    console.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @console.middleware("http")
    async def private(request: Request, call_next):  # pages name people: never cached
        response = await call_next(request)
        if not request.url.path.startswith("/console/static/"):
            response.headers.update(NO_STORE)
            response.headers.update(SAME_ORIGIN_ONLY)
        return response

    @console.exception_handler(SignInNeeded)
    def sign_in(request: Request, exc: SignInNeeded):
        return RedirectResponse("/console/sign-in", status_code=303)

    @console.exception_handler(Refused)
    def refused(request: Request, exc: Refused):
        return _refusal(request, exc.status, exc.title, exc.detail)

    @console.exception_handler(ApiProblem)
    def problem(request: Request, exc: ApiProblem):
        return _refusal(request, exc.status, exc.title, exc.detail)

    @console.exception_handler(DomainError)
    def domain(request: Request, exc: DomainError):
        return _refusal(request, status_of(exc), exc.title, exc.detail)

    @console.exception_handler(RequestValidationError)
    def invalid(request: Request, exc: RequestValidationError):
        return _refusal(request, 422, "输入有误", "；".join(_why(e) for e in exc.errors()))

    return console


def _refusal(request: Request, status: int, title: str, detail: str):
    heading = {401: "请先登录", 403: "无权查看", 404: "未找到"}.get(status, "无法显示")
    try:  # the signed-in reader keeps their navigation on the refusal
        who = reader(request)
    except SignInNeeded:
        who = None
    return page(
        request,
        "refused.html",
        who,
        status,
        heading=heading,
        title=title,
        detail=detail,
        code=status,
    )


def _why(error: dict) -> str:
    field = ".".join(str(p) for p in error["loc"][1:])
    said = error["msg"].removeprefix("Value error, ")
    return f"{field}：{said if error['type'] == 'value_error' else '格式不正确'}"
