"""`python -m bench http`: the ledger against the plain peer, on each store, at 1 and 16
clients, in one run. The same mix on both (20% create, 40% append, 40% read); the ledger
with authentication, access control, signing, the chain and the views on. Prints req/s,
p50 and p99 per kind and the ratio to the peer; writes the table as JSON."""

from __future__ import annotations

import random
import sys
import tempfile
from pathlib import Path
from typing import Any

import httpx

from bench.load import (
    KINDS,
    Results,
    drive,
    free_port,
    jixiao_server,
    open_tasks,
    percentile,
    prepare,
    run_mix,
    server_process,
    settings_env,
)
from bench.report import (
    bench_settings,
    drop_schema,
    new_report,
    store_url,
    stores,
    write_report,
)
from infrastructure.logging import configure_logging


def _summary(results: Results) -> dict[str, Any]:
    row: dict[str, Any] = {
        "requests": results.requests,
        "req_per_s": round(results.requests / results.seconds, 1),
        "server_errors": results.server_errors,
        "statuses": {str(k): v for k, v in sorted(results.statuses.items())},
    }
    for kind in KINDS:
        values = results.latencies[kind]
        row[kind] = {
            "n": len(values),
            "p50_ms": round(percentile(values, 0.5) * 1000, 1),
            "p99_ms": round(percentile(values, 0.99) * 1000, 1),
        }
    return row


def peer_mix(url: str, clients: int, seconds: float) -> Results:
    """The peer's mix; each client appends to its own thing, like the ledger's tasks."""
    with httpx.Client(base_url=url, timeout=60) as http:
        mine = [http.post("/things", json={"name": f"t{n}"}).json()["id"] for n in range(16)]

    def send(http: httpx.Client, kind: str, n: int, rng: random.Random, serial: int):
        if kind == "register":
            return http.post("/things", json={"name": f"load {serial}"})
        if kind == "correct":
            return http.post(f"/things/{mine[n % 16]}/notes", json={"text": "补录 correction"})
        return http.get(f"/things/{rng.choice(mine)}")

    return drive(url, {}, clients, seconds, send)


def bench_store(store: str, seconds: float, client_counts: list[int]) -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp())
    out: dict[str, Any] = {}
    for clients in client_counts:
        peer_url = store_url(store, folder, f"peer{clients}")
        ledger_url = store_url(store, folder, f"ledger{clients}")
        try:
            port = free_port()
            argv = [sys.executable, "-m", "uvicorn", "bench.peer:app", "--port", str(port)]
            argv += ["--log-level", "warning"]
            with server_process(argv, {"PEER_DATABASE_URL": peer_url}, port) as url:
                peer = peer_mix(url, clients, seconds)
            settings = bench_settings(ledger_url)
            plan = prepare(settings, objects=16)
            with jixiao_server(settings_env(settings), free_port()) as url:
                open_tasks(url, plan)
                ledger = run_mix(url, plan, clients, seconds)
        finally:
            drop_schema(peer_url)
            drop_schema(ledger_url)
        p, j = _summary(peer), _summary(ledger)
        out[f"{clients}_clients"] = {
            "peer": p,
            "jixiao": j,
            "ratio_req_per_s": round(j["req_per_s"] / p["req_per_s"], 3),
        }
    return out


def print_table(report: dict[str, Any]) -> None:
    print(
        f"{'store':9} {'clients':>7} {'jixiao r/s':>10} {'peer r/s':>9} {'ratio':>6} "
        f"{'write p50/p99 ms':>17} {'read p50/p99':>13} {'peer append p50/p99':>20} {'5xx':>4}"
    )
    for store, rows in report["stores"].items():
        for clients, row in rows.items():
            j, p = row["jixiao"], row["peer"]
            print(
                f"{store:9} {clients.split('_')[0]:>7} {j['req_per_s']:>10} {p['req_per_s']:>9} "
                f"{row['ratio_req_per_s']:>5}x "
                f"{j['correct']['p50_ms']:>8}/{j['correct']['p99_ms']:<8} "
                f"{j['read']['p50_ms']:>6}/{j['read']['p99_ms']:<6} "
                f"{p['correct']['p50_ms']:>10}/{p['correct']['p99_ms']:<9} "
                f"{j['server_errors']:>4}"
            )


def main(args: Any) -> None:
    configure_logging("console", "WARNING")
    report = new_report(
        "http",
        seconds_per_run=args.seconds,
        mix="20% register/create, 40% correct/append, 40% read",
    )
    for store in stores(args.store):
        report["stores"][store] = bench_store(store, args.seconds, args.clients)
    print_table(report)
    write_report(report, args.out)
