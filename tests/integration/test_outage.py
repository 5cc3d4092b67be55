"""PostgreSQL stopped and started under load, with a cluster this test starts itself (never
the shared one): while it is down every request is answered 503 problem+json with
Retry-After within a few seconds (never a hang, never a 500), /health/live stays 200 and
/health/ready says 503; once it is back the server recovers by itself, and every command
retried with its Idempotency-Key is in the log exactly once."""

from __future__ import annotations

import glob
import os
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from bench.load import (
    free_port,
    jixiao_argv,
    open_tasks,
    prepare,
    settings_env,
    spawn,
    wait_up,
)
from bench.load import stop as stop_server
from bench.pg_cluster import LocalCluster
from tests.conftest import settings_for
from tests.integration.keyed_corrections import assert_each_key_once, keyed_correction

WAIT_SECONDS = 2  # JIXIAO_STORE_WAIT_SECONDS for the server under test
ANSWER_BOUND = WAIT_SECONDS + 4  # a request while the store is down is answered within this
DOWN_SECONDS = 6
RECOVERY_BOUND = 15


@pytest.fixture
def cluster() -> LocalCluster:
    if not glob.glob("/usr/lib/postgresql/*/bin/initdb"):
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but the PostgreSQL server binaries are not installed")
        pytest.skip("needs the PostgreSQL server binaries (initdb, pg_ctl)")
    own = LocalCluster()
    own.start()
    yield own
    own.remove()


@dataclass
class Observed:
    down_answers: list[tuple[int, float, str]] = field(default_factory=list)
    sent: dict[str, tuple[str, dict]] = field(default_factory=dict)  # key → (path, body)
    acked: dict[str, int] = field(default_factory=dict)  # key → position
    lock: threading.Lock = field(default_factory=threading.Lock)


def writer(url: str, token: str, task: str, seen: Observed, down: threading.Event, until: float):
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}) as http:
        while time.monotonic() < until:
            key = uuid.uuid4().hex
            path, body = keyed_correction(task, key)
            with seen.lock:
                seen.sent[key] = (path, body)
            started, sent_while_down = time.monotonic(), down.is_set()
            r = http.post(path, json=body, headers={"Idempotency-Key": key}, timeout=60)
            took = time.monotonic() - started
            assert r.status_code < 500 or r.status_code == 503, r.text
            if r.status_code == 503:
                assert r.headers["content-type"].startswith("application/problem+json")
                assert int(r.headers["retry-after"]) >= 1
            if sent_while_down and down.is_set():
                with seen.lock:
                    seen.down_answers.append((r.status_code, took, r.text[:200]))
            if r.status_code < 300:
                with seen.lock:
                    seen.acked[key] = r.json()["position"]
            time.sleep(0.05)


def retry_until_answered(url: str, token: str, key: str, path: str, body: dict) -> httpx.Response:
    deadline = time.monotonic() + RECOVERY_BOUND
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}) as http:
        while True:
            r = http.post(path, json=body, headers={"Idempotency-Key": key}, timeout=60)
            if r.status_code < 300 or time.monotonic() > deadline:
                return r
            time.sleep(0.5)


def test_postgres_stopped_and_started_under_load(cluster: LocalCluster, tmp_path: Path) -> None:
    settings = settings_for(f"{cluster.url}?schema=outage")
    plan = prepare(settings, objects=4)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **settings_env(settings),
        "JIXIAO_LOG_LEVEL": "WARNING",
        "JIXIAO_STORE_WAIT_SECONDS": str(WAIT_SECONDS),
    }
    proc = spawn(jixiao_argv(port), env, output=tmp_path / "server.log")
    seen = Observed()
    down = threading.Event()
    try:
        wait_up(proc, url)
        open_tasks(url, plan)
        until = time.monotonic() + DOWN_SECONDS + 6
        writers = [
            threading.Thread(target=writer, args=(url, plan.staff, t, seen, down, until))
            for t in plan.tasks
        ]
        for w in writers:
            w.start()
        time.sleep(1.5)
        cluster.stop()
        down.set()
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {plan.staff}"}) as h:
            time.sleep(0.5)
            assert h.get("/health/live", timeout=5).status_code == 200
            started = time.monotonic()
            ready = h.get("/health/ready", timeout=10)
            assert ready.status_code == 503 and ready.headers["retry-after"], ready.text
            assert time.monotonic() - started < ANSWER_BOUND
            started = time.monotonic()
            read = h.get(f"/objects/{plan.objects[0]}", timeout=30)
            assert read.status_code == 503, read.text
            assert read.json()["type"].endswith("store-unavailable")
            assert time.monotonic() - started < ANSWER_BOUND
            time.sleep(DOWN_SECONDS)
            down.clear()
            cluster.start()
            back = time.monotonic()
            while h.get(f"/objects/{plan.objects[0]}", timeout=30).status_code != 200:
                assert time.monotonic() - back < RECOVERY_BOUND, "no recovery"
                time.sleep(0.2)
            recovered = time.monotonic() - back
            assert h.get("/health/ready", timeout=10).status_code == 200
        for w in writers:
            w.join()
        assert seen.down_answers, "no command was sent while the store was down"
        slowest = max(took for _, took, _ in seen.down_answers)
        print(
            f"down {DOWN_SECONDS} s: {len(seen.down_answers)} commands answered 503, slowest "
            f"{slowest:.2f} s; first read served {recovered:.2f} s after the restart"
        )
        for status, took, text in seen.down_answers:
            assert status == 503, text
            assert took < ANSWER_BOUND, (took, text)
        answers = {
            key: retry_until_answered(url, plan.staff, key, path, body)
            for key, (path, body) in seen.sent.items()
        }
    finally:
        stop_server(proc)
    for key, r in answers.items():
        assert r.status_code == 200, (key, r.text)
        if key in seen.acked:
            assert r.json()["position"] == seen.acked[key]

    assert_each_key_once(settings, plan.tasks, {k: path for k, (path, _) in seen.sent.items()})
