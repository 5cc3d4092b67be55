"""Running a command over HTTP: idempotency, the act's envelope, read-your-writes, ETag."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated
from uuid import UUID

import structlog
from fastapi import Depends
from fastapi.responses import JSONResponse

from api.deps import CommandHeaders, CommandHeadersDep, CurrentActor, ServicesDep
from api.problems import ApiProblem
from api.schemas.common import ActFields
from domain.ledger import Ledger, Outcome
from domain.values import Act, Actor, EvidenceRef
from infrastructure.bootstrap import Services
from infrastructure.idempotency import (
    Claim,
    ClaimLost,
    KeyInProgress,
    KeyReused,
    RecordedOutcome,
    StoredResponse,
)
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
    claim = None
    if key:
        found = _claim(services, actor, key, headers.fingerprint)
        if isinstance(found, StoredResponse):
            return JSONResponse(
                json.loads(found.body),
                status_code=found.status,
                headers={**found.headers, "Idempotent-Replayed": "true"},
            )
        if isinstance(found, RecordedOutcome):  # recorded, and its answer was never stored
            outcome = Outcome(UUID(found.aggregate_id), found.version, found.position)
            return _answer(services, actor, key, None, outcome, status_code, location)
        claim = found
    try:
        with services.idempotency.holding(claim):
            outcome = command(act_of(actor, body), headers.expected_version)
    except CommitOutcomeUnknown:
        raise  # it may be recorded: the claim stays, and a retry finds what was recorded
    except ClaimLost:
        raise ApiProblem(
            409,
            "idempotency-key-taken-over",
            "幂等键已被重试接管 Key taken over",
            "a retry with this Idempotency-Key took it over while this request waited; "
            "this request recorded nothing, the retry answers for the command",
        ) from None
    except BaseException:
        if claim is not None:
            _release(services, claim)
        raise
    return _answer(services, actor, key, claim, outcome, status_code, location)


def _claim(
    services: Services, actor: Actor, key: str, fingerprint: str
) -> Claim | StoredResponse | RecordedOutcome:
    try:
        return services.idempotency.claim(actor.person_id, key, fingerprint)
    except KeyReused:
        raise ApiProblem(
            422,
            "idempotency-key-reused",
            "幂等键已用于其他请求 Key reused",
            "this Idempotency-Key was used with a different request",
        ) from None
    except KeyInProgress as e:
        raise ApiProblem(
            409,
            "idempotency-key-in-progress",
            "请求处理中 Request in progress",
            "the first request with this Idempotency-Key is still running; retry after the "
            "time given (a request whose process died is taken over then)",
            headers={"Retry-After": str(e.retry_after)},
        ) from None


def _release(services: Services, claim: Claim) -> None:
    try:
        services.idempotency.release(claim)
    except Exception:  # the claim is dead all the same: a retry takes it over
        log.warning("idempotency.release_failed", key=claim.key, exc_info=True)


def _answer(
    services: Services,
    actor: Actor,
    key: str | None,
    claim: Claim | None,
    outcome: Outcome,
    status_code: int,
    location: Callable[[Outcome], str] | None,
) -> JSONResponse:
    """Recorded: from here on the answer is the outcome, whatever else fails. Without a
    claim in hand (but with a key) it is a retry answering what was recorded."""
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
                claim,
            )
        except Exception:  # the outcome is on the claim already: a retry still finds it
            log.warning("idempotency.complete_failed", key=key, exc_info=True)
    if key and claim is None:
        response_headers["Idempotent-Replayed"] = "true"
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
