"""SIGKILL of a server process under write load, on each store: every command sent with an
Idempotency-Key is retried against the restarted server until it answers. Each retried key
answers its recorded outcome (the same id, version and position as any answer given before
the kill) or runs once; none is "in progress" after the takeover bound; every key's
correction is in the log exactly once."""

from __future__ import annotations

import random
import signal
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench.load import (
    free_port,
    jixiao_argv,
    open_tasks,
    prepare,
    settings_env,
    spawn,
    stop,
    wait_up,
)
from tests.integration.keyed_corrections import assert_each_key_once, keyed_correction

WRITERS = 8
KILLS = 2
TAKEOVER_SECONDS = 8
RETRY_BOUND_SECONDS = TAKEOVER_SECONDS + 5  # in progress no longer than the bound


@dataclass
class Sent:
    path: str
    body: dict
    answered: dict | None = None  # id, version, position of a 2xx answer


@dataclass
class Ledger:
    sent: dict[str, Sent] = field(default_factory=dict)  # key → request
    lock: threading.Lock = field(default_factory=threading.Lock)


def write_until_killed(url: str, token: str, task: str, book: Ledger, stop_at: float) -> None:
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}) as http:
        while time.monotonic() < stop_at:
            key = uuid.uuid4().hex
            sent = Sent(*keyed_correction(task, key))
            with book.lock:
                book.sent[key] = sent
            try:
                r = http.post(
                    sent.path, json=sent.body, headers={"Idempotency-Key": key}, timeout=30
                )
            except httpx.HTTPError:
                return  # the server died under this request: its outcome is for the retry
            assert r.status_code < 500, r.text
            if r.status_code < 300:
                sent.answered = {k: r.json()[k] for k in ("id", "version", "position")}


def retry(url: str, token: str, key: str, sent: Sent, waited: set[str]) -> httpx.Response:
    deadline = time.monotonic() + RETRY_BOUND_SECONDS
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}) as http:
        while True:
            r = http.post(sent.path, json=sent.body, headers={"Idempotency-Key": key}, timeout=30)
            if r.status_code != 409 or time.monotonic() > deadline:
                return r
            assert r.json()["type"].endswith("idempotency-key-in-progress"), r.text
            assert int(r.headers["retry-after"]) <= TAKEOVER_SECONDS + 1
            waited.add(key)  # held by the killed process: taken over after the bound
            time.sleep(0.5)


def start(port: int, env: dict[str, str], log: Path):
    proc = spawn(jixiao_argv(port), env, output=log)
    try:
        wait_up(proc, f"http://127.0.0.1:{port}")
    except RuntimeError as e:
        raise RuntimeError(f"{e}\n{log.read_text()[-3000:]}") from None
    return proc


def test_sigkill_under_load_then_every_key_answers_once(settings, tmp_path: Path) -> None:
    plan = prepare(settings, objects=WRITERS)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **settings_env(settings),
        "JIXIAO_LOG_LEVEL": "WARNING",
        "JIXIAO_IDEMPOTENCY_TAKEOVER_SECONDS": str(TAKEOVER_SECONDS),
    }
    book = Ledger()
    log = tmp_path / "server.log"
    proc = start(port, env, log)
    try:
        open_tasks(url, plan)
        for _ in range(KILLS):
            stop_at = time.monotonic() + 30
            writers = [
                threading.Thread(
                    target=write_until_killed, args=(url, plan.staff, task, book, stop_at)
                )
                for task in plan.tasks
            ]
            for w in writers:
                w.start()
            time.sleep(random.uniform(1.0, 2.0))
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            for w in writers:
                w.join()
            proc = start(port, env, log)

        waited: set[str] = set()
        # the requests cut off by the last kill first, while their claims are fresh
        cut = [k for k, sent in book.sent.items() if sent.answered is None]
        order = [*reversed(cut), *(k for k in book.sent if k not in cut)]
        answers = {k: retry(url, plan.staff, k, book.sent[k], waited) for k in order}
    finally:
        stop(proc)

    unanswered = [k for k, s in book.sent.items() if s.answered is None]
    assert unanswered, "no request was in flight when the server was killed"
    replayed = [k for k in unanswered if answers[k].headers.get("idempotent-replayed")]
    print(
        f"sent {len(book.sent)}, in flight at a kill {len(unanswered)}: recorded before the "
        f"kill {len(replayed)}, run on retry {len(unanswered) - len(replayed)}; "
        f"taken over after the bound {len(waited)}"
    )
    for key, r in answers.items():
        assert r.status_code == 200, (key, r.status_code, r.text)
        first = book.sent[key].answered
        if first is not None:  # answered before: the same outcome
            assert {k: r.json()[k] for k in ("id", "version", "position")} == first

    assert_each_key_once(settings, plan.tasks, {k: sent.path for k, sent in book.sent.items()})
