"""The edge's guard on every request, before any of the app reads it: a body over the size
limit is refused (413) before or while it arrives, a body that stops arriving is answered
(408) when the read timeout runs out, and text a store cannot hold or a number that would
not read exactly, in the path, the query or a JSON body, is refused (422) naming the field.

uvicorn offers neither limit (`timeout_keep_alive` covers only the idle time between
requests), so the body is read here, within both limits, and handed on whole. Both limits
come from settings: JIXIAO_MAX_BODY_BYTES and JIXIAO_REQUEST_READ_TIMEOUT_SECONDS.
"""

from __future__ import annotations

import asyncio
from email.message import Message as MimeType

from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.problems import problem
from api.storable import NotJson, body_problems, url_problems
from infrastructure.settings import Settings


class _TooLarge(Exception):
    pass


class _Disconnected(Exception):
    pass


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length" and value.isdigit() and len(value) <= 19:
            return int(value)
    return None


def _is_json(scope: Scope) -> bool:
    """Whether FastAPI will read this body as JSON (no content type, or */json, */*+json)."""
    raw = dict(scope["headers"]).get(b"content-type")
    if raw is None:
        return True
    mime = MimeType()
    mime["content-type"] = raw.decode("latin-1")
    subtype = mime.get_content_subtype()
    return mime.get_content_maintype() == "application" and (
        subtype == "json" or subtype.endswith("+json")
    )


async def _read_body(receive: Receive, limit: int) -> bytes:
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise _Disconnected
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise _TooLarge
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replaying(body: bytes, receive: Receive) -> Receive:
    """The body already read, once; then the server's own messages (a disconnect)."""
    given = False

    async def replay() -> Message:
        nonlocal given
        if given:
            return await receive()
        given = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay


def _invalid(problems: list[tuple[str, str]]) -> JSONResponse:
    field, message = problems[0]
    return problem(
        422,
        "invalid-input",
        "输入无效 Invalid input",
        f"{field}: {message}",
        field=field,
        errors=[{"field": f, "message": m} for f, m in problems],
    )


def _content_problems(scope: Scope, body: bytes) -> list[tuple[str, str]]:
    problems = url_problems(scope["path"], scope.get("query_string", b""))
    if not body:
        return problems
    try:
        return [*problems, *body_problems(body)]
    except NotJson as e:
        # Only a body the app will read as JSON must parse; another is the app's to refuse
        # (the access checks read any body as JSON, so one that parses is checked above).
        return [*problems, ("body", f"not JSON: {e}")] if _is_json(scope) else problems


def _limits(scope: Scope) -> tuple[int, float]:
    """The body limit and read timeout of the services' settings (their defaults before
    the services exist, as for a request that races start-up)."""
    services = getattr(scope["app"].state, "services", None)
    if services is None:
        fields = Settings.model_fields
        return fields["max_body_bytes"].default, fields["request_read_timeout_seconds"].default
    return services.settings.max_body_bytes, services.settings.request_read_timeout_seconds


class RequestLimits:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit, timeout = _limits(scope)
        closing = {"Connection": "close"}  # the rest of the body is never read
        declared = _declared_length(scope)
        if declared is not None and declared > limit:
            await _too_large(limit, closing)(scope, receive, send)
            return
        try:
            async with asyncio.timeout(timeout):  # for the whole body: no slow drip passes
                body = await _read_body(receive, limit)
        except _TooLarge:
            await _too_large(limit, closing)(scope, receive, send)
            return
        except TimeoutError:
            await problem(
                408,
                "request-timeout",
                "请求超时 Request body timed out",
                f"the request body did not arrive within {timeout:g} s",
                headers=closing,
            )(scope, receive, send)
            return
        except _Disconnected:
            return  # nobody is left to answer
        problems = _content_problems(scope, body)
        if problems:
            await _invalid(problems)(scope, receive, send)
            return
        await self.app(scope, _replaying(body, receive), send)


def _too_large(limit: int, headers: dict[str, str]) -> JSONResponse:
    return problem(
        413,
        "body-too-large",
        "请求体过大 Request body too large",
        f"this server accepts request bodies of at most {limit} bytes",
        headers=headers,
    )
