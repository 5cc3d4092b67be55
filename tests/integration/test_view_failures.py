"""A view whose handler fails is named (position, event, error, since), lags alone, is
retried with backoff and logged once per change, clears when it succeeds, stops a
command's read-your-writes wait at once, and makes `jixiao rebuild` fail loudly — on
both stores. On PostgreSQL the tester's own case runs too: a NUL in a text, recorded
through the ledger (behind the HTTP edge), which PostgreSQL text columns cannot hold."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from structlog.testing import capture_logs
from typer.testing import CliRunner

import infrastructure.cli.commands
import infrastructure.cli.session
from infrastructure.bootstrap import Services, bootstrap
from infrastructure.settings import Settings
from tests.fixtures_world import build_world
from tests.refusing_view import (
    NAME,
    bootstrap_with_refusing_view,
    goal_submissions,
    refusing,
)
from tests.scenarios.helpers import act_as, drive_goals

ROOT = Path(__file__).resolve().parents[2]
FIRST_DELAY = 1.5  # long enough that two catch-ups on a loaded machine fall inside it


@pytest.fixture
def services(settings: Settings) -> Iterator[Services]:
    # A first delay long enough that two rounds in a row fall inside it on a busy machine.
    built = bootstrap_with_refusing_view(settings, retry_first=FIRST_DELAY)
    yield built
    built.close()


def _others_at_head(services: Services) -> bool:
    head = services.follower.head()
    positions = services.follower.positions()
    return all(p == head for name, p in positions.items() if name != NAME)


def _events(logs: list[dict], name: str) -> list[dict]:
    return [entry for entry in logs if entry["event"] == name]


def test_a_failing_view_is_named_lags_alone_backs_off_and_recovers(services: Services) -> None:
    follower, view = services.follower, refusing(services)
    world = build_world(services)
    drive_goals(services, world, count=2)
    with capture_logs() as logs:
        follower.catch_up()
        follower.catch_up()  # at once again: not retried yet, not logged again
    first = goal_submissions(services)[0]
    failure = follower.failures()[NAME]
    assert (failure.position, failure.originator_id, failure.originator_version) == (
        first.id,
        str(first.originator_id),
        first.originator_version,
    )
    assert failure.topic == first.topic
    assert failure.error == "ValueError: this view refuses goal submissions [test]"
    assert view.refusals == 1
    assert len(_events(logs, "view.failing")) == 1
    # It holds exactly the log up to the event before; every other view is at the head.
    assert follower.positions()[NAME] == first.id - 1
    assert _others_at_head(services)
    with services.views_db.transaction(write=False) as cur:
        seen = [
            r["position"] for r in cur.execute("SELECT position FROM t_refusing_seen").fetchall()
        ]
    assert seen and max(seen) < first.id

    time.sleep(FIRST_DELAY)  # the first delay has run out: tried again, still failing
    with capture_logs() as logs:
        follower.catch_up()
        follower.catch_up()  # the delay doubled: not yet
    assert view.refusals == 2
    assert follower.failures()[NAME].since == failure.since
    assert _events(logs, "view.failing") == []

    view.refusing = False
    time.sleep(2 * FIRST_DELAY)
    with capture_logs() as logs:
        follower.catch_up()
    assert follower.failures() == {}
    assert set(follower.lag().values()) == {0}
    assert [e["position"] for e in _events(logs, "view.recovered")] == [first.id]


def test_a_commands_wait_stops_at_once_for_a_failing_view(services: Services) -> None:
    follower = services.follower
    world = build_world(services)
    drive_goals(services, world, count=1)
    follower.start(0.05)
    position = goal_submissions(services)[0].id
    started = time.monotonic()
    assert follower.wait_for(position, 5.0) is False
    assert follower.wait_for(follower.head(), 5.0) is False  # failing at or before it
    assert time.monotonic() - started < 2.0
    assert follower.wait_for(position - 1, 5.0) is True  # the view holds what came before


def _cli_env(settings: Settings) -> dict[str, str]:
    return {
        "JIXIAO_DATABASE_URL": settings.database_url,
        "JIXIAO_TOKEN_SIGNING_KEY": settings.token_signing_key or "",
        "JIXIAO_INTEGRITY_SIGNING_KEY": settings.integrity_signing_key or "",
        "JIXIAO_ENVIRONMENT": "production",
    }


def test_rebuild_exits_non_zero_naming_the_view_and_event(
    services: Services, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = build_world(services)
    drive_goals(services, world, count=3)
    first = goal_submissions(services)[0]
    for key, value in _cli_env(settings).items():
        monkeypatch.setenv(key, value)
    # The command's composition root, given the refusing view beside the deployment's.
    monkeypatch.setattr(
        infrastructure.cli.session, "bootstrap", lambda s: bootstrap_with_refusing_view(s)
    )
    result = CliRunner().invoke(infrastructure.cli.commands.app, ["rebuild"])
    assert result.exit_code == 1, result.output
    assert "rebuilt" not in result.output
    assert f"view {NAME} stopped at log position {first.id}" in result.output
    assert f"event {first.originator_id} v{first.originator_version}" in result.output
    assert f"1 of {len(services.views)} views failed ({NAME})" in result.output
    fresh = bootstrap_with_refusing_view(settings)
    try:  # the others were rebuilt to the head
        assert _others_at_head(fresh)
        assert fresh.follower.positions()[NAME] == first.id - 1
    finally:
        fresh.close()


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_postgres_nul_in_a_text_fails_views_loudly(settings: Settings) -> None:
    """The tester's case: PostgreSQL cannot hold NUL in a text column, so the views that
    copy an object's name fail at its registration; the rest go on, and a real
    `jixiao rebuild` process exits non-zero naming them and the event."""
    services = bootstrap(settings)
    try:
        world = build_world(services)
        drive_goals(services, world, count=1)
        outcome = services.ledger.goals.register_object(
            act_as(world, "wangfang"),
            mof_div_code=world.mof_div_code,
            fiscal_year=2023,
            pro_code="NUL001",
            name="老旧小区\x00改造",
            kind="project",
            department_id=world.org("D101"),
            unit_id=None,
            fund_type="government_fund",
            amount=Decimal("1000000.00"),
            is_new=True,
            last_year_amount=None,
        )
        services.follower.catch_up()
        failures = services.follower.failures()
        assert "objects" in failures
        assert all(f.originator_id == str(outcome.aggregate_id) for f in failures.values())
        assert all("NUL" in f.error for f in failures.values())
        head = services.follower.head()
        healthy = {n: p for n, p in services.follower.positions().items() if n not in failures}
        assert healthy and set(healthy.values()) == {head}
    finally:
        services.close()

    run = subprocess.run(
        [sys.executable, "-m", "infrastructure.cli", "rebuild"],
        cwd=ROOT,
        env={**os.environ, **_cli_env(settings), "COLUMNS": "200"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 1, run.stdout + run.stderr
    assert "rebuilt" not in run.stdout
    assert f"view objects stopped at log position {failures['objects'].position}" in run.stderr
    assert f"event {outcome.aggregate_id} v1" in run.stderr
