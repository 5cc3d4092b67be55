"""Running a command over HTTP: idempotency, the act's envelope, read-your-writes, ETag."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated

import structlog
from fastapi import Depends
from fastapi.responses import JSONResponse

from api.deps import CommandHeaders, CommandHeadersDep, CurrentActor, ServicesDep
from api.problems import ApiProblem
from api.schemas.common import ActFields
from domain.ledger import Ledger, Outcome
from domain.values import Act, Actor, EvidenceRef
from infrastructure.bootstrap import Services
from infrastructure.idempotency import KeyInProgress, KeyReused, StoredResponse
from infrastructure.store.unavailable import CommitOutcomeUnknown

log = structlog.get_logger(__name__)

VIEW_WAIT_SECONDS = 5.0


def act_of(actor: Actor, body: ActFields | None) -> Act:
    if body is None:
        return Act(actor)
    return Act(
        actor=actor,
        reason=body.reason,
        evidence=tuple(EvidenceRef(e.name, e.sha256) for e in body.evidence),
        business_date=body.business_date,
    )


def run_command(
    services: Services,
    actor: Actor,
    headers: CommandHeaders,
    body: ActFields | None,
    command: Callable[[Act, int | None], Outcome],
    *,
    status_code: int = 200,
    location: Callable[[Outcome], str] | None = None,
) -> JSONResponse:
    key = headers.idempotency_key
    if key:
        try:
            stored = services.idempotency.claim(actor.person_id, key, headers.fingerprint)
        except KeyReused:
            raise ApiProblem(
                422,
                "idempotency-key-reused",
                "幂等键已用于其他请求 Key reused",
                "this Idempotency-Key was used with a different request",
            ) from None
        except KeyInProgress:
            raise ApiProblem(
                409,
                "idempotency-key-in-progress",
                "请求处理中 Request in progress",
                "the first request with this Idempotency-Key has not finished",
            ) from None
        if stored is not None:
            return JSONResponse(
                json.loads(stored.body),
                status_code=stored.status,
                headers={**stored.headers, "Idempotent-Replayed": "true"},
            )
    try:
        outcome = command(act_of(actor, body), headers.expected_version)
    except CommitOutcomeUnknown:
        raise  # it may be recorded: the key stays claimed, so a retry cannot record it twice
    except BaseException:
        if key:
            services.idempotency.release(actor.person_id, key)
        raise
    # Recorded: from here on the answer is the outcome, whatever else fails.
    try:
        caught_up = services.follower.wait_for(outcome.position, VIEW_WAIT_SECONDS)
    except Exception:
        log.warning("command.views_unknown", position=outcome.position, exc_info=True)
        caught_up = False
    content = {
        "id": str(outcome.aggregate_id),
        "version": outcome.version,
        "position": outcome.position,
        "views_current": caught_up,
    }
    response_headers = {"ETag": f'"{outcome.version}"', "X-Log-Position": str(outcome.position)}
    if location is not None:
        response_headers["Location"] = location(outcome)
    if key:
        try:
            services.idempotency.complete(
                actor.person_id,
                key,
                StoredResponse(status_code, json.dumps(content), response_headers),
            )
        except Exception:  # the command stands; the key stays claimed (see issue 8)
            log.warning("idempotency.complete_failed", key=key, exc_info=True)
    return JSONResponse(content, status_code=status_code, headers=response_headers)


class Command:
    """What a command route needs: the authenticated actor (after the access check in
    `current_actor`), the services and the command headers; `run` runs the command."""

    def __init__(
        self, actor: CurrentActor, services: ServicesDep, headers: CommandHeadersDep
    ) -> None:
        self.actor = actor
        self.services = services
        self.headers = headers

    @property
    def ledger(self) -> Ledger:
        return self.services.ledger

    def run(
        self,
        body: ActFields | None,
        command: Callable[[Act, int | None], Outcome],
        *,
        status_code: int = 200,
        location: Callable[[Outcome], str] | None = None,
    ) -> JSONResponse:
        return run_command(
            self.services,
            self.actor,
            self.headers,
            body,
            command,
            status_code=status_code,
            location=location,
        )


CommandDep = Annotated[Command, Depends()]
