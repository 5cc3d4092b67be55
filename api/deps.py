"""Dependencies: the services, the authenticated actor, and the command envelope."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime
from typing import Annotated

import structlog
from fastapi import Depends, Header, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.access import Reach, Scope, authorise
from api.access.gate import rule_for
from api.problems import ApiProblem
from domain.errors import NotPermitted
from domain.values import Actor
from infrastructure.bootstrap import Services

_bearer = HTTPBearer(auto_error=False, description="`jixiao token issue --person LOGIN`")


def get_services(request: Request) -> Services:
    return request.app.state.services


ServicesDep = Annotated[Services, Depends(get_services)]


def _unauthorised(detail: str) -> ApiProblem:
    return ApiProblem(
        401,
        "unauthenticated",
        "未认证 Authentication required",
        detail,
        headers={"WWW-Authenticate": "Bearer"},
    )


def _authenticate(services: Services, token: str) -> Actor:
    claim = services.signer.verify(token)
    if claim is None:
        raise _unauthorised("the token is malformed or was not issued by this ledger")
    try:
        return services.ledger.registry.actor_for_token(
            claim.person_id, claim.token_id, datetime.now(UTC)
        )
    except NotPermitted as e:
        raise _unauthorised(e.detail) from None


async def current_actor(
    request: Request,
    services: ServicesDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Actor:
    """The person the bearer token was issued to, in the role it was issued for, once the
    access table lets them make this request (403 problem+json otherwise). The store is
    synchronous, so the checks run in the thread pool."""
    if credentials is None:
        raise _unauthorised("send Authorization: Bearer <token>")
    actor = await run_in_threadpool(_authenticate, services, credentials.credentials)
    route = request.scope.get("route")
    path = request.app.state.access_operations.get(id(route), "")
    rule = rule_for(request.method, path)
    body = await request.body() if rule is not None and rule.scope == Scope.BODY else b""
    request.state.reach = await run_in_threadpool(
        authorise,
        services,
        actor,
        request.method,
        path,
        dict(request.path_params),
        dict(request.query_params),
        body,
        structlog.contextvars.get_contextvars().get("request_id"),
        request.url.path,
    )
    return actor


CurrentActor = Annotated[Actor, Depends(current_actor)]


def current_reach(actor: CurrentActor, request: Request) -> Reach:
    """What the actor may see, for narrowing lists (set by `current_actor`)."""
    return request.state.reach


ReachDep = Annotated[Reach, Depends(current_reach)]


# An entity tag as this ledger issues it: the aggregate's version, quoted, perhaps weak.
# A version fits in a 64-bit integer, so more than 19 digits cannot be one.
_ETAG = re.compile(r'(?:W/)?(?:"([0-9]{1,19})"|([0-9]{1,19}))')
_MAX_VERSION = 2**63 - 1
_VISIBLE_ASCII = re.compile(r"[\x20-\x7e]+")


def _bad_header(slug: str, title: str, detail: str) -> ApiProblem:
    return ApiProblem(400, slug, title, detail)


def _if_match(if_match: str | None) -> int | None:
    """The version the client read, from If-Match; None for no header or `*` (any
    version: the record must exist, which loading it checks)."""
    if if_match is None or if_match.strip() == "*":
        return None
    tags = [tag.strip() for tag in if_match.split(",")]
    if len(tags) > 1:
        raise _bad_header(
            "invalid-if-match",
            "If-Match 无效 Invalid If-Match",
            "send the one ETag you read; a list of ETags is not accepted here",
        )
    found = _ETAG.fullmatch(tags[0])
    version = int(found.group(1) or found.group(2)) if found else None
    if version is None or version > _MAX_VERSION:
        raise _bad_header(
            "invalid-if-match",
            "If-Match 无效 Invalid If-Match",
            'If-Match carries the ETag of the read, e.g. "3" (ASCII digits, a version)',
        )
    return version


def _idempotency_key(key: str | None) -> str | None:
    if key is not None and not _VISIBLE_ASCII.fullmatch(key):
        raise _bad_header(
            "invalid-idempotency-key",
            "幂等键无效 Invalid Idempotency-Key",
            "an Idempotency-Key is printable ASCII, e.g. a UUID",
        )
    return key


async def request_fingerprint(request: Request) -> str:
    body = await request.body()
    # The query is part of what was asked (a form import's ?reason=); a request without one
    # hashes as before, so claims taken before the query counted still match their retries.
    query = f"?{request.url.query}" if request.url.query else ""
    return hashlib.sha256(
        request.method.encode() + (request.url.path + query).encode() + b"\0" + body
    ).hexdigest()


class CommandHeaders:
    """The headers a command may carry: If-Match and Idempotency-Key."""

    def __init__(
        self,
        fingerprint: Annotated[str, Depends(request_fingerprint)],
        if_match: Annotated[str | None, Header(description='ETag of the read, e.g. "3"')] = None,
        idempotency_key: Annotated[
            str | None, Header(max_length=200, description="retries with the same key record once")
        ] = None,
    ) -> None:
        self.expected_version = _if_match(if_match)
        self.idempotency_key = _idempotency_key(idempotency_key)
        self.fingerprint = fingerprint


CommandHeadersDep = Annotated[CommandHeaders, Depends()]
