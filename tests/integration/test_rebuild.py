"""`jixiao rebuild` reproduces exactly what the live follower built, on both stores."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from infrastructure.bootstrap import Services, bootstrap
from infrastructure.cli.commands import app
from infrastructure.settings import Settings
from tests.fixtures_world import INDICATORS, build_world
from tests.scenarios.helpers import drive_goals


def _snapshot(services: Services) -> dict[str, list[dict]]:
    tables = [t for view in services.views for t in view.tables]
    with services.views_db.transaction(write=False) as cur:
        return {t: sorted(cur.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in tables}


def test_rebuild_reproduces_the_live_views(
    services: Services, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = build_world(services)
    drive_goals(services, world, count=6)
    services.follower.catch_up()
    live = _snapshot(services)
    assert len(live["v_objects"]) == 6
    assert len(live["v_object_history"]) > 6

    for key, value in {
        "JIXIAO_DATABASE_URL": settings.database_url,
        "JIXIAO_TOKEN_SIGNING_KEY": settings.token_signing_key,
        "JIXIAO_INTEGRITY_SIGNING_KEY": settings.integrity_signing_key,
        "JIXIAO_ENVIRONMENT": "production",
    }.items():
        monkeypatch.setenv(key, value)
    result = CliRunner().invoke(app, ["rebuild"])
    assert result.exit_code == 0, result.output
    assert f"rebuilt {len(services.views)} views" in result.output

    fresh = bootstrap(settings)
    try:
        assert _snapshot(fresh) == live
        assert all(lag == 0 for lag in fresh.follower.lag().values())
    finally:
        fresh.close()


def test_two_followers_never_apply_an_event_twice(services: Services, settings: Settings) -> None:
    world = build_world(services)
    drive_goals(services, world, count=3)
    other = bootstrap(settings)
    try:
        import threading

        threads = [
            threading.Thread(target=f.catch_up)
            for f in (services.follower, other.follower)
            for _ in range(2)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        with services.views_db.transaction(write=False) as cur:
            rows = cur.execute("SELECT object_id, position FROM v_object_history").fetchall()
        assert len(rows) == len({(r["object_id"], r["position"]) for r in rows})
        # Every log entry that concerns an object appears exactly once in its history.
        expected = sum(
            1
            for n in services.ledger.recorder.select_notifications(start=1, limit=10_000)
            if "PerformanceObject" in n.topic or "ExAnteAssessment" in n.topic
        )
        assert len(rows) == expected
        assert INDICATORS  # the world drove real goals
    finally:
        other.close()


def test_lag_is_visible(services: Services) -> None:
    world = build_world(services)
    head_before = services.follower.head()
    services.follower.catch_up()
    assert set(services.follower.lag().values()) == {0}
    drive_goals(services, world, count=1)
    lag = services.follower.lag()
    assert all(value == services.follower.head() - head_before for value in lag.values())
    services.follower.catch_up()
    assert set(services.follower.lag().values()) == {0}


def test_a_broken_view_lags_alone(settings: Settings) -> None:
    """A view whose handler fails keeps its position (its lag shows it); the rest go on."""
    from domain.objects.model import PerformanceObject
    from projections.objects_view import ObjectsView
    from projections.view import View, on

    class Broken(View):
        name = "test_broken"
        tables = ()
        schema = ()

        @on(PerformanceObject.GoalSubmitted)
        def _fail(self, cur, e, position) -> None:
            raise ValueError("a bug in this view")

    services = bootstrap(settings, views=[ObjectsView(), Broken()])
    try:
        world = build_world(services)
        drive_goals(services, world, count=2)
        services.follower.catch_up()
        lag = services.follower.lag()
        assert lag["objects"] == 0
        assert lag["test_broken"] > 0
    finally:
        services.close()
