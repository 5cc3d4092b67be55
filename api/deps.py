"""Dependencies: the services, the authenticated actor, and the command envelope."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, Header, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

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


def current_actor(
    services: ServicesDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Actor:
    """The person the bearer token was issued to, in the role it was issued for."""
    if credentials is None:
        raise _unauthorised("send Authorization: Bearer <token>")
    claim = services.signer.verify(credentials.credentials)
    if claim is None:
        raise _unauthorised("the token is malformed or was not issued by this ledger")
    try:
        return services.ledger.actor_for_token(claim.person_id, claim.token_id, datetime.now(UTC))
    except NotPermitted as e:
        raise _unauthorised(e.detail) from None


CurrentActor = Annotated[Actor, Depends(current_actor)]


def _if_match(if_match: str | None) -> int | None:
    if if_match is None:
        return None
    value = if_match.strip().removeprefix("W/").strip('"')
    if not value.isdigit():
        raise ApiProblem(
            400,
            "invalid-if-match",
            "If-Match 无效 Invalid If-Match",
            'If-Match carries the ETag of the read, e.g. "3"',
        )
    return int(value)


async def request_fingerprint(request: Request) -> str:
    body = await request.body()
    return hashlib.sha256(
        request.method.encode() + request.url.path.encode() + b"\0" + body
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
        self.idempotency_key = idempotency_key
        self.fingerprint = fingerprint


CommandHeadersDep = Annotated[CommandHeaders, Depends()]
