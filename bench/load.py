"""A mixed load on a real server process, shared by `python -m bench http` and the
concurrency test: 20% register an object, 40% correct a monitoring entry, 40% read an
object, from N clients at once (each its own keep-alive connection, closed loop), for a
bounded time. Also starts and stops server processes (jixiao, or the plain peer)."""

from __future__ import annotations

import itertools
import os
import random
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from bench.report import run_threads
from domain import ids
from domain.registry.model import Person
from infrastructure.bootstrap import Services, bootstrap, cli_act
from infrastructure.settings import Settings
from tests.fixtures_world import INDICATORS, World, build_world, object_body
from tests.unit.lifecycle_helpers import approved_object

ROOT = Path(__file__).resolve().parents[1]
KINDS = ("register", "correct", "read")
WEIGHTS = (20, 40, 40)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def spawn(argv: list[str], env: dict[str, str], output: Path | None = None) -> subprocess.Popen:
    """A server process, its output discarded or appended to `output` (the caller waits
    for it with `wait_up`)."""
    with open(output or os.devnull, "a") as out:  # the child keeps its own descriptor
        return subprocess.Popen(
            argv, env={**os.environ, **env}, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT
        )


def wait_up(proc: subprocess.Popen, url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}: {proc.args}")
        try:
            httpx.get(f"{url}/health", timeout=1)
            return
        except httpx.HTTPError:
            if time.monotonic() > deadline:
                raise RuntimeError("server did not start") from None
            time.sleep(0.1)


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@contextmanager
def server_process(argv: list[str], env: dict[str, str], port: int) -> Iterator[str]:
    """Run a server as its own process on a loopback port until the block ends."""
    proc = spawn(argv, env)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_up(proc, url)
        yield url
    finally:
        stop(proc)


def jixiao_argv(port: int) -> list[str]:
    return [
        sys.executable,
        "-c",
        "from infrastructure.cli.commands import app; app()",
        "serve",
        "--port",
        str(port),
    ]


def jixiao_server(settings_env: dict[str, str], port: int):
    return server_process(jixiao_argv(port), {**settings_env, "JIXIAO_LOG_LEVEL": "WARNING"}, port)


def settings_env(settings: Settings) -> dict[str, str]:
    return {
        "JIXIAO_DATABASE_URL": settings.database_url,
        "JIXIAO_TOKEN_SIGNING_KEY": settings.token_signing_key or "",
        "JIXIAO_INTEGRITY_SIGNING_KEY": settings.integrity_signing_key or "",
        "JIXIAO_ENVIRONMENT": settings.environment,
        "JIXIAO_LOG_FORMAT": "json",
    }


def token(services: Services, login: str) -> str:
    person = services.ledger.load(Person, ids.person_id(login))
    role, org = person.roles[0]
    token_id = services.signer.new_token_id()
    services.ledger.registry.issue_token(
        cli_act(), person.id, token_id, role, org, datetime.now(UTC) + timedelta(days=1)
    )
    return services.signer.token(person.id, token_id)


def entry(executed: str, **act: str) -> dict:
    """A monitoring entry on the world's indicators, all on track."""
    rows = [
        {
            "name": row["name"],
            "actual": str(int(row["value"]) // 2),
            "forecast": row["value"],
            "likelihood": "确定能完成",
            "deviation_cause": "无偏差",
            "corrective_measures": "",
        }
        for row in INDICATORS
    ]
    return {
        "budget_executed": executed,
        "budget_forecast": "60000000.00",
        "indicators": rows,
        "business_date": "2023-06-30",
        **act,
    }


@dataclass
class Plan:
    world: World
    staff: str  # department staff token (registers, enters, reads)
    business: str  # business section token (opens tasks)
    objects: list[str]
    tasks: list[str] = field(default_factory=list)


def prepare(settings: Settings, objects: int) -> Plan:
    """A jurisdiction with `objects` approved projects, built in process before the server
    starts (the server process is the one under test)."""
    services = bootstrap(settings, views=[])
    try:
        world = build_world(services)
        made = [
            str(approved_object(services.ledger, world, pro_code=f"36040323B{n:03d}"))
            for n in range(objects)
        ]
        return Plan(world, token(services, "wangfang"), token(services, "chenjing"), made)
    finally:
        services.close()


def open_tasks(url: str, plan: Plan) -> None:
    """One monitoring task per object, each with an entry to correct."""
    business = httpx.Client(base_url=url, headers=_auth(plan.business), timeout=60)
    staff = httpx.Client(base_url=url, headers=_auth(plan.staff), timeout=60)
    with business, staff:
        for object_id in plan.objects:
            r = business.post(f"/objects/{object_id}/monitoring/tasks", json={"period_code": "H1"})
            r.raise_for_status()
            task = f"/monitoring/tasks/{r.json()['id']}"
            staff.post(f"{task}/entry", json=entry("30000000.00")).raise_for_status()
            plan.tasks.append(task)


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=lambda: {k: [] for k in KINDS})
    statuses: dict[int, int] = field(default_factory=dict)
    registered: list[str] = field(default_factory=list)  # acknowledged object ids
    corrected: dict[str, list[int]] = field(default_factory=dict)  # task → versions acked
    seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def requests(self) -> int:
        return sum(self.statuses.values())

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500)


Send = Callable[[httpx.Client, str, int, random.Random, int], httpx.Response]


def drive(
    url: str,
    headers: dict[str, str],
    clients: int,
    seconds: float,
    send: Send,
    seed: int = 7,
    results: Results | None = None,
    on_ok: Callable[[str, int, httpx.Response], None] | None = None,
) -> Results:
    """`clients` threads, each with its own keep-alive connection, each sending the mix's
    next request as soon as the last is answered, until `seconds` have passed."""
    results = results or Results()
    stop = time.monotonic() + seconds
    serials = itertools.count()

    def client(n: int) -> None:
        rng = random.Random(seed + n)
        with httpx.Client(base_url=url, headers=headers, timeout=60) as http:
            while time.monotonic() < stop:
                kind = rng.choices(KINDS, WEIGHTS)[0]
                started = time.perf_counter()
                r = send(http, kind, n, rng, next(serials))
                elapsed = time.perf_counter() - started
                with results.lock:
                    results.statuses[r.status_code] = results.statuses.get(r.status_code, 0) + 1
                    if r.status_code < 400:
                        results.latencies[kind].append(elapsed)
                        if on_ok is not None:
                            on_ok(kind, n, r)

    results.seconds = run_threads(client, clients)
    return results


def mix_request(
    plan: Plan, http: httpx.Client, kind: str, n: int, rng: random.Random, pro_code: str
) -> httpx.Response:
    """One request of the mix: register (as `pro_code`), correct client n's task, or read."""
    if kind == "register":
        return http.post("/objects", json=object_body(plan.world, pro_code=pro_code))
    if kind == "correct":
        amount = f"{rng.randint(30_000_000, 40_000_000)}.00"
        task = plan.tasks[n % len(plan.tasks)]
        return http.post(f"{task}/entry/correct", json=entry(amount, reason="补录"))
    return http.get(f"/objects/{rng.choice(plan.objects)}")


def run_mix(url: str, plan: Plan, clients: int, seconds: float, seed: int = 7) -> Results:
    """The ledger's mix: each client corrects its own task (no lost races to count)."""
    results = Results()

    def send(http: httpx.Client, kind: str, n: int, rng: random.Random, serial: int):
        return mix_request(plan, http, kind, n, rng, f"LOAD{n:02d}{serial:07d}")

    def on_ok(kind: str, n: int, r: httpx.Response) -> None:
        if kind == "register":
            results.registered.append(r.json()["id"])
        elif kind == "correct":
            task = plan.tasks[n % len(plan.tasks)]
            results.corrected.setdefault(task, []).append(r.json()["version"])

    return drive(url, _auth(plan.staff), clients, seconds, send, seed, results, on_ok)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]
