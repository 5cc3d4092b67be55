"""Idempotency claims on each store: the outcome commits with the events, a dead claim is
taken over (at once when this process's request ended, after the bound otherwise), and a
holder whose claim was taken over records nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.ledger_core import Outcome
from infrastructure.bootstrap import Services
from infrastructure.idempotency import (
    Claim,
    ClaimLost,
    KeyInProgress,
    RecordedOutcome,
    StoredResponse,
)
from tests.fixtures_world import World, build_world

PERSON = "p-1"


def register(services: Services, world: World, pro_code: str) -> Outcome:
    return services.ledger.goals.register_object(
        world.act_as("wangfang"),
        mof_div_code=world.mof_div_code,
        fiscal_year=2023,
        pro_code=pro_code,
        name="老旧小区改造",
        kind="project",
        department_id=world.org("D101"),
        unit_id=world.org("D101001"),
        fund_type="general_public",
        amount=Decimal("600000.00"),
        is_new=False,
        last_year_amount=Decimal("600000.00"),
    )


def left_by_another_process(services: Services, key: str, seconds_ago: float) -> Claim:
    """A claim as a killed server process leaves it: held by another instance."""
    claim = services.idempotency.claim(PERSON, key, "fp")
    assert isinstance(claim, Claim)
    with services.views_db.transaction() as cur:
        cur.execute(
            "UPDATE idempotency_claims SET holder = 'killed', claimed_at = claimed_at - ? "
            "WHERE person_id = ? AND key = ?",
            (seconds_ago, PERSON, key),
        )
    return claim


def head(services: Services) -> int:
    return services.ledger.recorder.max_notification_id() or 0


def test_the_outcome_commits_with_the_events(services: Services) -> None:
    world = build_world(services)
    claim = services.idempotency.claim(PERSON, "k1", "fp")
    assert isinstance(claim, Claim)
    with services.idempotency.holding(claim):
        outcome = register(services, world, "P1")
    # the process dies here: no answer stored, yet a retry finds what was recorded
    again = services.idempotency.claim(PERSON, "k1", "fp")
    assert again == RecordedOutcome(str(outcome.aggregate_id), outcome.version, outcome.position)
    services.idempotency.complete(PERSON, "k1", StoredResponse(201, "{}", {}))
    assert services.idempotency.claim(PERSON, "k1", "fp") == StoredResponse(201, "{}", {})


def test_a_claim_of_an_ended_request_here_is_taken_over_at_once(services: Services) -> None:
    first = services.idempotency.claim(PERSON, "k2", "fp")
    assert isinstance(first, Claim)
    with pytest.raises(KeyInProgress):  # its request is still running
        services.idempotency.claim(PERSON, "k2", "fp")
    with services.idempotency.holding(first):
        pass  # the request ended without recording (e.g. commit outcome unknown, rolled back)
    second = services.idempotency.claim(PERSON, "k2", "fp")
    assert isinstance(second, Claim) and second.token != first.token


def test_a_killed_process_claim_is_taken_over_after_the_bound(services: Services) -> None:
    world = build_world(services)
    bound = services.idempotency.takeover_seconds
    left_by_another_process(services, "k3", seconds_ago=bound / 2)
    with pytest.raises(KeyInProgress) as refused:
        services.idempotency.claim(PERSON, "k3", "fp")
    assert 1 <= refused.value.retry_after <= bound / 2 + 1
    stale = left_by_another_process(services, "k4", seconds_ago=bound + 1)
    taken = services.idempotency.claim(PERSON, "k4", "fp")
    assert isinstance(taken, Claim) and taken.token != stale.token
    with services.idempotency.holding(taken):
        register(services, world, "P4")


def test_a_holder_whose_claim_was_taken_over_records_nothing(services: Services) -> None:
    world = build_world(services)
    slow = left_by_another_process(services, "k5", seconds_ago=3600)
    taken = services.idempotency.claim(PERSON, "k5", "fp")
    assert isinstance(taken, Claim)
    before = head(services)
    with services.idempotency.holding(slow), pytest.raises(ClaimLost):
        register(services, world, "P5")
    assert head(services) == before  # the events were rolled back with the refused claim
    with services.idempotency.holding(taken):
        outcome = register(services, world, "P5")
    assert outcome.position > before
    found = services.idempotency.claim(PERSON, "k5", "fp")
    assert isinstance(found, RecordedOutcome) and found.position == outcome.position


def test_a_holder_taken_over_stores_no_answer_for_the_key(services: Services) -> None:
    slow = left_by_another_process(services, "k6", seconds_ago=3600)
    taken = services.idempotency.claim(PERSON, "k6", "fp")
    assert isinstance(taken, Claim)
    services.idempotency.complete(PERSON, "k6", StoredResponse(200, '{"slow": 1}', {}), slow)
    with pytest.raises(KeyInProgress):  # still the retry's, which has not answered yet
        services.idempotency.claim(PERSON, "k6", "fp")
    services.idempotency.complete(PERSON, "k6", StoredResponse(200, '{"retry": 1}', {}), taken)
    assert services.idempotency.claim(PERSON, "k6", "fp") == StoredResponse(200, '{"retry": 1}', {})
