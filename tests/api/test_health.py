"""Liveness, readiness and the detailed status over real HTTP: ready is 503 naming a
failing view (position, event, error) or an unreachable store, live stays 200, a command
does not wait the full read-your-writes time for a failing view, and neither /health nor
/health/ready hangs on a store that does not answer."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from api.app import create_app
from infrastructure.bootstrap import Services
from infrastructure.settings import Settings, StoreLocation
from infrastructure.store.probe import probe_store
from tests.conftest import LiveServer, issue_token
from tests.fixtures_world import INDICATORS, build_world, object_body
from tests.refusing_view import NAME, bootstrap_with_refusing_view, goal_submissions, refusing

PROBLEM = "application/problem+json"


@pytest.fixture
def services(settings: Settings) -> Iterator[Services]:
    """The deployment's views and one that refuses goal submissions (until told not to)."""
    built = bootstrap_with_refusing_view(settings)
    yield built
    built.close()


def test_all_well_live_ready_and_ok(server: LiveServer) -> None:
    build_world(server.services)  # no goal submitted: the refusing view has nothing to refuse
    anonymous = server.client()
    assert anonymous.get("/health/live").json() == {"status": "live"}
    ready = anonymous.get("/health/ready")
    assert (ready.status_code, ready.json()) == (200, {"status": "ready"})
    health = anonymous.get("/health").json()
    assert (health["status"], health["store_reachable"], health["failing_views"]) == (
        "ok",
        True,
        [],
    )
    assert health["log_head"] > 0
    assert set(health["views"]) == {view.name for view in server.services.views}


def test_a_failing_view_is_not_ready_and_does_not_hold_commands(server: LiveServer) -> None:
    world = build_world(server.services)
    staff = server.client(issue_token(server.services, "wangfang"))
    registered = staff.post("/objects", json=object_body(world))
    assert registered.status_code == 201, registered.text
    assert registered.json()["views_current"] is True
    object_id = registered.json()["id"]

    started = time.monotonic()
    submitted = staff.post(f"/objects/{object_id}/goal/submit", json={"indicators": INDICATORS})
    elapsed = time.monotonic() - started
    assert submitted.status_code == 200, submitted.text
    assert submitted.json()["views_current"] is False
    assert elapsed < 2.0, f"waited {elapsed:.1f} s for a view that had failed"

    anonymous = server.client()
    [event] = goal_submissions(server.services)
    ready = anonymous.get("/health/ready")
    assert ready.status_code == 503
    assert ready.headers["content-type"].startswith(PROBLEM)
    assert int(ready.headers["retry-after"]) >= 1
    problem = ready.json()
    assert problem["type"] == "urn:jixiao:problem:not-ready"
    assert problem["store_reachable"] is True
    [failing] = problem["failing_views"]
    assert (failing["view"], failing["position"]) == (NAME, event.id)
    assert failing["event"] == {
        "originator_id": object_id,
        "originator_version": 2,
        "topic": event.topic,
    }
    assert "refuses goal submissions" in failing["error"]
    assert f"view {NAME} failing at position {event.id}" in problem["detail"]
    assert anonymous.get("/health/live").status_code == 200

    health = anonymous.get("/health").json()
    assert health["status"] == "degraded"
    assert health["views"][NAME]["failing"]["position"] == event.id
    assert health["views"][NAME]["lag"] >= 1
    others = {n: v["lag"] for n, v in health["views"].items() if n != NAME}
    assert set(others.values()) == {0}, others  # the other views went on

    refusing(server.services).refusing = False  # fixed: the next retry clears it
    deadline = time.monotonic() + 10
    while anonymous.get("/health/ready").status_code != 200:
        assert time.monotonic() < deadline, "the view did not recover"
        time.sleep(0.05)
    assert anonymous.get("/health").json()["status"] == "ok"


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_store_that_is_gone_is_not_ready(server: LiveServer, settings: Settings) -> None:
    """The SQLite file moved away under a running server: its open connections still
    work, but the store as configured is not there, and readiness says so."""
    path = Path(settings.store.parts["path"])
    moved = path.with_suffix(".moved")
    path.rename(moved)
    try:
        anonymous = server.client()
        ready = anonymous.get("/health/ready")
        assert ready.status_code == 503
        assert ready.json()["store_reachable"] is False
        assert "store unreachable" in ready.json()["detail"]
        health = anonymous.get("/health").json()
        assert (health["status"], health["log_head"]) == ("unavailable", None)
        assert anonymous.get("/health/live").status_code == 200
    finally:
        moved.rename(path)


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections and never answers (a store that hangs)."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield listener.getsockname()[1]


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again on return: nothing listens


def test_the_store_probe_is_bounded(silent_port: int) -> None:
    closed = StoreLocation.parse(f"postgresql://postgres@127.0.0.1:{_closed_port()}/test")
    started = time.monotonic()
    assert "Connection refused" in (probe_store(closed, 1.0) or "")
    assert time.monotonic() - started < 1.0

    silent = StoreLocation.parse(f"postgresql://postgres@127.0.0.1:{silent_port}/test")
    started = time.monotonic()
    assert probe_store(silent, 1.0) is not None
    assert time.monotonic() - started < 4.0  # libpq's connect timeout: at least 2 s


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_health_answers_in_bounded_time_when_the_store_hangs(
    server: LiveServer, settings: Settings, silent_port: int
) -> None:
    # The running server's settings now name a store that accepts and never answers.
    server.services.settings = settings.model_copy(
        update={
            "database_url": f"postgresql://postgres@127.0.0.1:{silent_port}/test",
            "ready_timeout_seconds": 0.5,
        }
    )
    anonymous = server.client()
    for path in ("/health/ready", "/health"):
        started = time.monotonic()
        answer = anonymous.get(path)
        assert time.monotonic() - started < 1.5, path
        assert answer.json()["store_error"] == "no answer within 0.5 s"
    assert anonymous.get("/health").json()["status"] == "unavailable"
    assert anonymous.get("/health/ready").status_code == 503


def test_openapi_documents_the_health_routes() -> None:
    paths = create_app().openapi()["paths"]
    assert set(paths["/health/live"]["get"]["responses"]) >= {"200"}
    ready = paths["/health/ready"]["get"]["responses"]
    assert {"200", "503"} <= set(ready) and PROBLEM in ready["503"]["content"]
    assert "HealthStatus" in str(paths["/health"]["get"]["responses"]["200"])
