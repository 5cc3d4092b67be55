"""Signing in (the bearer token pasted once, kept server-side), signing out, the home page."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse

from api.console.params import ReaderDep
from api.console.reads import services_of, sessions_of
from api.console.render import page, pages_for
from api.console.sessions import COOKIE
from api.deps import _authenticate
from api.problems import ApiProblem

router = APIRouter()
MAX_TOKEN = 1000  # tokens are about 130 characters


@router.get("/sign-in")
def sign_in_form(request: Request):
    return page(request, "sign_in.html", None)


def _same_origin(request: Request) -> bool:
    """A form posted from another site is refused (SameSite covers the session cookie, not
    a sign-in or sign-out another site could post); browsers send Origin with a POST."""
    origin = request.headers.get("origin")
    return origin is None or urlsplit(origin).netloc == request.headers.get("host")


@router.post("/sign-in")
async def sign_in(request: Request):
    if not _same_origin(request):
        return page(request, "sign_in.html", None, 403, error="请从本站的登录页登录")
    form = parse_qs((await request.body()).decode("utf-8", "replace"))
    token = (form.get("token") or [""])[0].strip()
    if not token or len(token) > MAX_TOKEN:
        return page(request, "sign_in.html", None, 401, error="请粘贴令牌")
    try:
        # Issued here, not revoked, not expired: a store read, so off the event loop.
        await run_in_threadpool(_authenticate, services_of(request), token)
    except ApiProblem as e:
        return page(request, "sign_in.html", None, 401, error=f"令牌无效：{e.detail}")
    response = RedirectResponse("/console/", status_code=303)
    response.set_cookie(
        COOKIE,
        sessions_of(request).open(token, replacing=request.cookies.get(COOKIE)),
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/console",
    )
    return response


@router.post("/sign-out")
def sign_out(request: Request):
    if not _same_origin(request):
        return page(request, "sign_in.html", None, 403, error="请从本站的页面退出")
    sessions_of(request).close(request.cookies.get(COOKIE))
    response = RedirectResponse("/console/sign-in", status_code=303)
    response.delete_cookie(COOKIE, path="/console")
    return response


@router.get("/")
def home(request: Request, who: ReaderDep):
    return page(request, "home.html", who, pages=pages_for(who))
