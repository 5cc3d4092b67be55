"""`python -m bench soak --minutes N --store sqlite|postgres`: the http mix (20% register,
40% correct a monitoring entry, 40% read) against one server process for N minutes, in
windows of ~10 s. After each window it samples the server's resident memory (VmRSS from
/proc) and the window's latency p50/p99, then reports the trend: the least-squares slope
of RSS (MB/min) and of p99 (ms/min), and the last third of the run against the first.
Traffic goes only to the server it started on 127.0.0.1; it stops by itself."""

from __future__ import annotations

import itertools
import os
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from bench.load import (
    KINDS,
    Plan,
    Results,
    drive,
    free_port,
    jixiao_server,
    mix_request,
    open_tasks,
    percentile,
    prepare,
    settings_env,
)
from bench.report import bench_settings, drop_schema, new_report, store_url, write_report
from infrastructure.logging import configure_logging

# A third of the run against the first: a change beyond this share is called a trend
# (runs on the shared 2-core machine vary by about ±20%, see the README's Performance).
TREND_SHARE = 0.20


def server_pid(port: int) -> int:
    """The pid of this process's child serving `port` (jixiao_server runs `serve --port`)."""
    for entry_ in Path("/proc").iterdir():
        if not entry_.name.isdigit():
            continue
        try:
            stat = (entry_ / "stat").read_text()
            argv = (entry_ / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == os.getpid() and b"serve" in argv and str(port).encode() in argv:
            return int(entry_.name)
    raise RuntimeError(f"no server process of ours on port {port}")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for {pid}")


def slope_per_minute(minutes: list[float], values: list[float]) -> float:
    """Least-squares slope of values against time."""
    if len(minutes) < 2:
        return 0.0
    return statistics.linear_regression(minutes, values).slope


def thirds(values: list[float]) -> tuple[float, float]:
    """Mean of the first and of the last third of the samples."""
    third = max(1, len(values) // 3)
    return statistics.fmean(values[:third]), statistics.fmean(values[-third:])


def verdict(first: float, last: float) -> str:
    if first <= 0:
        return "flat"
    change = (last - first) / first
    if change > TREND_SHARE:
        return "rising"
    if change < -TREND_SHARE:
        return "falling"
    return "flat"


class Mix:
    """The ledger's mix with pro_codes unique across windows (each window is a new drive)."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.serials = itertools.count()

    def send(self, http: httpx.Client, kind: str, n: int, rng: random.Random, _serial: int):
        pro_code = f"SOAK{n:02d}{next(self.serials):08d}"
        return mix_request(self.plan, http, kind, n, rng, pro_code)


def window_row(started: float, results: Results, pid: int) -> dict[str, Any]:
    every = [v for kind in KINDS for v in results.latencies[kind]]
    return {
        "minute": round((time.monotonic() - started) / 60, 3),
        "rss_mb": round(rss_mb(pid), 1),
        "requests": results.requests,
        "req_per_s": round(results.requests / results.seconds, 1),
        "p50_ms": round(percentile(every, 0.5) * 1000, 1),
        "p99_ms": round(percentile(every, 0.99) * 1000, 1),
        "server_errors": results.server_errors,
        "statuses": {str(k): v for k, v in sorted(results.statuses.items())},
    }


def trend(samples: list[dict[str, Any]], key: str) -> dict[str, Any]:
    minutes = [s["minute"] for s in samples]
    values = [s[key] for s in samples]
    first, last = thirds(values)
    return {
        "slope_per_min": round(slope_per_minute(minutes, values), 3),
        "first_third": round(first, 1),
        "last_third": round(last, 1),
        "verdict": verdict(first, last),
    }


def soak(store: str, minutes: float, clients: int, interval: float) -> dict[str, Any]:
    url_of_store = store_url(store, Path(tempfile.mkdtemp()), "soak")
    try:
        settings = bench_settings(url_of_store)
        plan = prepare(settings, objects=16)
        port = free_port()
        with jixiao_server(settings_env(settings), port) as url:
            open_tasks(url, plan)
            pid = server_pid(port)
            mix, headers = Mix(plan), {"Authorization": f"Bearer {plan.staff}"}
            samples = [{"minute": 0.0, "rss_mb": round(rss_mb(pid), 1)}]
            started = time.monotonic()
            deadline = started + minutes * 60
            for window in itertools.count():
                left = deadline - time.monotonic()
                if left < 1:
                    break
                results = drive(url, headers, clients, min(interval, left), mix.send, window)
                samples.append(window_row(started, results, pid))
                last = samples[-1]
                print(
                    f"{last['minute']:6.2f} min  RSS {last['rss_mb']:6.1f} MB  "
                    f"{last['req_per_s']:6.1f} req/s  p50 {last['p50_ms']:6.1f} ms  "
                    f"p99 {last['p99_ms']:6.1f} ms  5xx {last['server_errors']}",
                    flush=True,
                )
            events = httpx.get(f"{url}/integrity/tree-head", headers=headers).json()
    finally:
        drop_schema(url_of_store)
    windows = samples[1:]
    return {
        "clients": clients,
        "minutes": minutes,
        "requests": sum(s["requests"] for s in windows),
        "server_errors": sum(s["server_errors"] for s in windows),
        "events_at_end": events.get("tree_size"),
        "rss_mb": {"start": samples[0]["rss_mb"], **trend(windows, "rss_mb")},
        "p99_ms": trend(windows, "p99_ms"),
        "p50_ms": trend(windows, "p50_ms"),
        "req_per_s": trend(windows, "req_per_s"),
        "samples": samples,
    }


def main(args: Any) -> None:
    configure_logging("console", "WARNING")
    report = new_report(
        "soak",
        mix="20% register, 40% correct, 40% read",
        interval_seconds=args.interval,
        trend_share=TREND_SHARE,
    )
    row = soak(args.store, args.minutes, args.clients, args.interval)
    report["stores"][args.store] = row
    rss, p99 = row["rss_mb"], row["p99_ms"]
    print(
        f"{args.store}: {row['requests']} requests, {row['server_errors']} 5xx, "
        f"{row['events_at_end']} events; RSS {rss['start']} → {rss['last_third']} MB "
        f"({rss['slope_per_min']:+} MB/min, {rss['verdict']}); p99 {p99['first_third']} → "
        f"{p99['last_third']} ms ({p99['slope_per_min']:+} ms/min, {p99['verdict']})"
    )
    write_report(report, args.out or f"bench/results/soak-{args.store}.json")
