"""`python -m bench commands`: the ledger's commands in process against the plain library
doing load + save per event, serial and with 8 writer threads, on each store, in one run.

The ledger's command: issue a token to a person (load the person, check the role,
trigger, save with chain link and signed head; the person's history grows all the while).
The library's: load an aggregate, trigger one event, save. Each thread works on its own
aggregates (no lost races)."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from eventsourcing.application import Application

from bench.plain import Thing, plain_env
from bench.report import (
    bench_settings,
    drop_schema,
    new_report,
    run_threads,
    store_url,
    stores,
    write_report,
)
from domain import ids
from infrastructure.bootstrap import Services, bootstrap, cli_act
from infrastructure.logging import configure_logging
from tests.fixtures_world import build_world


def rate(work: Callable[[int, int], None], threads: int, per_thread: int) -> float:
    """Operations per second with `threads` threads doing `per_thread` operations each."""
    return threads * per_thread / run_threads(lambda t: work(t, per_thread), threads)


def plain_rates(url: str, count: int) -> dict[str, float]:
    app = Application[uuid.UUID](env=plain_env(url))
    things = [Thing(f"t{n}") for n in range(8)]
    app.save(*things)

    def work(t: int, n: int) -> None:
        for _ in range(n):
            thing = app.repository.get(things[t].id)
            thing.note("补录 correction")
            app.save(thing)

    out = {"serial": rate(work, 1, count), "threads_8": rate(work, 8, count // 4)}
    app.close()
    return out


def token_ledger(url: str, threads: int = 8) -> tuple[Services, Callable[[int, int], None]]:
    """A ledger with a world and one person per thread, and the work: thread t issues n
    tokens to its own person (load, check, trigger, save with chain and head)."""
    settings = bench_settings(url)
    services = bootstrap(settings, views=[])
    world = build_world(services)
    ledger, act = services.ledger, cli_act("bench")
    people = []
    org = world.org("D101")
    for t in range(threads):
        ledger.registry.register_person(act, f"bench{t}", f"测试员{t}")
        people.append(ids.person_id(f"bench{t}"))
        ledger.registry.grant_role(act, people[-1], "department_staff", org)
    expires = datetime.now(UTC) + timedelta(days=1)

    def work(t: int, n: int) -> None:
        for _ in range(n):
            token_id = services.signer.new_token_id()
            ledger.registry.issue_token(act, people[t], token_id, "department_staff", org, expires)

    return services, work


def ledger_rates(url: str, count: int) -> dict[str, Any]:
    services, work = token_ledger(url)
    try:
        group = services.ledger.recorder.group
        before = (group.batches, group.items)
        serial = rate(work, 1, count)
        threaded = rate(work, 8, count // 4)
        batches, items = group.batches - before[0], group.items - before[1]
        assert services.integrity.verify().ok
        return {
            "serial": serial,
            "threads_8": threaded,
            "commands_per_commit": round(items / max(batches, 1), 2),
        }
    finally:
        services.close()


def main(args: Any) -> None:
    configure_logging("console", "WARNING")
    report = new_report("commands")
    print(
        f"{'store':9} {'ledger serial/s':>15} {'plain serial/s':>14} {'ratio':>6} "
        f"{'ledger 8 thr/s':>14} {'/ plain serial':>14} {'cmds/commit':>11}"
    )
    for store in stores(args.store):
        folder = Path(tempfile.mkdtemp())
        plain_url, ledger_url = (
            store_url(store, folder, "plain"),
            store_url(store, folder, "ledger"),
        )
        try:
            plain = plain_rates(plain_url, args.count)
            ledger = ledger_rates(ledger_url, args.count)
        finally:
            drop_schema(plain_url)
            drop_schema(ledger_url)
        row = {
            "plain": plain,
            "ledger": ledger,
            "serial_ratio": round(ledger["serial"] / plain["serial"], 3),
            "threads_8_over_plain_serial": round(ledger["threads_8"] / plain["serial"], 3),
        }
        report["stores"][store] = row
        print(
            f"{store:9} {ledger['serial']:>15,.0f} {plain['serial']:>14,.0f} "
            f"{row['serial_ratio']:>5}x {ledger['threads_8']:>14,.0f} "
            f"{row['threads_8_over_plain_serial']:>13}x {ledger['commands_per_commit']:>11}"
        )
    write_report(report, args.out)
