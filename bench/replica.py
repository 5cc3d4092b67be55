"""`python -m bench replica`: the read side on a real PostgreSQL streaming replica.

Starts its own primary cluster (initdb in a temporary folder, replication allowed on
loopback only) and a replica made from it with pg_basebackup, never touching the shared
server. A jixiao server writes to the primary under the http mix while this measures:
how long an acknowledged event takes to be visible on the replica (p50, p99, max), the
replica's replay lag, and the rate of view reads the replica serves beside it.
Needs the PostgreSQL server binaries (Debian's postgresql package) and root or the
postgres user."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg

from bench.load import (
    free_port,
    jixiao_server,
    open_tasks,
    percentile,
    prepare,
    run_mix,
    settings_env,
)
from bench.pg_cluster import as_postgres, pg_bin
from bench.report import bench_settings, new_report, write_report
from infrastructure.logging import configure_logging


@contextlib.contextmanager
def clusters() -> Iterator[tuple[int, int]]:
    """A primary and its streaming replica on two loopback ports, removed afterwards."""
    root = Path(tempfile.mkdtemp(prefix="jixiao-replica-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    primary, replica = root / "primary", root / "replica"
    p_port, r_port = free_port(), free_port()
    started: list[Path] = []
    try:
        as_postgres([pg_bin("initdb"), "-D", str(primary), "-A", "trust", "-U", "postgres"])
        with open(primary / "postgresql.conf", "a") as conf:
            conf.write(
                f"port = {p_port}\nlisten_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{root}'\nwal_level = replica\n"
                "max_wal_senders = 4\nfsync = on\n"
            )
        with open(primary / "pg_hba.conf", "a") as hba:
            hba.write("host replication all 127.0.0.1/32 trust\n")
        as_postgres(
            [pg_bin("pg_ctl"), "-D", str(primary), "-w", "-l", str(root / "p.log"), "start"]
        )
        started.append(primary)
        as_postgres(
            [
                pg_bin("pg_basebackup"),
                "-h",
                "127.0.0.1",
                "-p",
                str(p_port),
                "-U",
                "postgres",
                "-D",
                str(replica),
                "-R",
                "-X",
                "stream",
            ]
        )
        with open(replica / "postgresql.conf", "a") as conf:
            conf.write(f"port = {r_port}\nhot_standby = on\n")
        as_postgres(
            [pg_bin("pg_ctl"), "-D", str(replica), "-w", "-l", str(root / "r.log"), "start"]
        )
        started.append(replica)
        yield p_port, r_port
    finally:
        for folder in reversed(started):
            with contextlib.suppress(subprocess.CalledProcessError):
                as_postgres([pg_bin("pg_ctl"), "-D", str(folder), "-m", "fast", "stop"])
        shutil.rmtree(root, ignore_errors=True)


def _connect(port: int) -> psycopg.Connection:
    return psycopg.connect(
        host="127.0.0.1", port=port, user="postgres", dbname="postgres", autocommit=True
    )


def main(args: Any) -> None:
    configure_logging("console", "WARNING")
    report = new_report("replica", seconds=args.seconds, clients=args.clients)
    with clusters() as (p_port, r_port):
        url = f"postgresql://postgres@127.0.0.1:{p_port}/postgres?schema=jixiao"
        settings = bench_settings(url)
        plan = prepare(settings, objects=16)
        visible: list[float] = []
        replay_lag: list[float] = []
        reads = 0
        stop = threading.Event()

        def watch() -> None:
            """Each new head on the primary: how long until the replica shows it."""
            with _connect(p_port) as primary, _connect(r_port) as replica:
                while not stop.is_set():
                    head = primary.execute("SELECT max(notification_id) FROM jixiao.ledger_events")
                    target, seen_at = head.fetchone()[0], time.perf_counter()
                    while not stop.is_set():
                        row = replica.execute(
                            "SELECT max(notification_id) FROM jixiao.ledger_events"
                        ).fetchone()
                        if row[0] is not None and row[0] >= target:
                            visible.append(time.perf_counter() - seen_at)
                            break
                        time.sleep(0.001)
                    lag = replica.execute(
                        "SELECT extract(epoch FROM now() - pg_last_xact_replay_timestamp())"
                    ).fetchone()[0]
                    if lag is not None:
                        replay_lag.append(float(lag))
                    time.sleep(0.02)

        def read_views() -> None:
            nonlocal reads
            with _connect(r_port) as replica:
                while not stop.is_set():
                    replica.execute("SELECT * FROM jixiao.v_objects LIMIT 50").fetchall()
                    reads += 1

        with jixiao_server(settings_env(settings), free_port()) as base:
            open_tasks(base, plan)
            helpers = [threading.Thread(target=watch), threading.Thread(target=read_views)]
            for h in helpers:
                h.start()
            started = time.perf_counter()
            results = run_mix(base, plan, args.clients, args.seconds)
            elapsed = time.perf_counter() - started
            stop.set()
            for h in helpers:
                h.join()
    row = {
        "writes_req_per_s_on_primary": round(results.requests / results.seconds, 1),
        "server_errors": results.server_errors,
        "event_visible_on_replica_ms": {
            "n": len(visible),
            "p50": round(percentile(visible, 0.5) * 1000, 1),
            "p99": round(percentile(visible, 0.99) * 1000, 1),
            "max": round(max(visible, default=float("nan")) * 1000, 1),
        },
        "replay_lag_s_p99": round(percentile(replay_lag, 0.99), 3),
        "replica_view_reads_per_s": round(reads / elapsed, 1),
    }
    report["stores"]["postgres-streaming-replica"] = row
    print(
        f"primary: {row['writes_req_per_s_on_primary']} req/s (mix, {args.clients} clients); "
        f"event visible on the replica p50 {row['event_visible_on_replica_ms']['p50']} ms, "
        f"p99 {row['event_visible_on_replica_ms']['p99']} ms; replica served "
        f"{row['replica_view_reads_per_s']} view reads/s beside it"
    )
    write_report(report, args.out)
