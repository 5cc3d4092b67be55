"""`python -m bench scale`: verify and rebuild on generated districts of 100k and 1M events.

For each size, against baselines on the same log in the same run:
  verify   `jixiao verify`'s pass (read-only snapshot, chain, every signed head) vs reading
           the same records and taking one SHA-256 of each (target ≥ 0.5×);
  rebuild  dropping every view and rebuilding it from the log vs reading and decoding the
           same notifications (target ≥ 0.5×).
Each timed pass runs in a child process, whose peak resident memory is reported: it should
stay flat from 100k to 1M events. Generated stores are kept in var/bench/ and reused.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.generate import generate
from bench.report import KEY, bench_settings, new_report, write_report
from infrastructure.bootstrap import bootstrap
from infrastructure.integrity.heads import HeadSigner
from infrastructure.integrity.readonly import iter_records, readonly_cursor, verify_store
from infrastructure.logging import configure_logging

STORES = Path("var/bench")


def district(events: int, seed: int) -> str:
    """The URL of a generated district of at least `events` events (made once)."""
    STORES.mkdir(parents=True, exist_ok=True)
    path = STORES / f"district-{events}-seed{seed}.sqlite"
    url = f"sqlite:///{path}"
    done = path.with_suffix(".done")
    if not done.exists():
        path.unlink(missing_ok=True)
        services = bootstrap(bench_settings(url), views=[])
        try:
            from rich.progress import Progress

            with Progress() as bar:
                task = bar.add_task(f"generating {events:,} events", total=events)
                generate(services, events, seed, lambda n: bar.advance(task, n))
        finally:
            services.close()
        done.write_text("ok")
    return url


def generate_command(args: Any) -> None:
    configure_logging("console", "WARNING")
    services = bootstrap(bench_settings(args.database_url), views=[])
    try:
        from rich.progress import Progress

        with Progress() as bar:
            task = bar.add_task(f"generating {args.events:,} events", total=args.events)
            made = generate(services, args.events, args.seed, lambda n: bar.advance(task, n))
    finally:
        services.close()
    print(made)


def _child(kind: str, url: str) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-m", "bench", "scale-child", kind, url],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def child(kind: str, url: str) -> None:
    """One timed pass in this process; prints seconds, entries and peak RSS as JSON."""
    configure_logging("console", "WARNING")
    settings = bench_settings(url)
    started = time.perf_counter()
    if kind == "verify":
        key = HeadSigner.from_text(KEY).public_key
        report = verify_store(settings.store, None, key)
        assert report.ok, report.finding
        entries = report.checked
    elif kind == "hash":
        entries = 0
        with readonly_cursor(settings.store) as cur:
            for record in iter_records(cur, "stored_events"):
                hashlib.sha256(record.leaf_data()).digest()
                entries += 1
    else:
        services = bootstrap(settings)
        try:
            started = time.perf_counter()
            if kind == "rebuild":
                entries = services.follower.rebuild()
            else:  # "decode": read and decode the log, as the follower does, no views
                entries, position, ledger = 0, 0, services.ledger
                while batch := ledger.recorder.select_notifications(
                    start=position, limit=500, inclusive_of_start=False
                ):
                    for n in batch:
                        ledger.mapper.to_domain_event(n)
                    entries += len(batch)
                    position = batch[-1].id
        finally:
            seconds = time.perf_counter() - started
            services.close()
    seconds = time.perf_counter() - started if kind in ("verify", "hash") else seconds
    peak_mb = _peak_rss_mb()
    print(json.dumps({"seconds": seconds, "entries": entries, "peak_mb": round(peak_mb, 1)}))


def _peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited from
    the parent across exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main(args: Any) -> None:
    configure_logging("console", "WARNING")
    report = new_report("scale", seed=args.seed)
    rows = []
    for events in args.events:
        url = district(events, args.seed)
        runs = {kind: _child(kind, url) for kind in ("hash", "verify", "decode", "rebuild")}
        rate = {k: v["entries"] / v["seconds"] for k, v in runs.items()}
        row = {
            "events": runs["verify"]["entries"],
            "verify_per_s": round(rate["verify"]),
            "raw_sha256_per_s": round(rate["hash"]),
            "verify_over_raw_hash": round(rate["verify"] / rate["hash"], 3),
            "rebuild_per_s": round(rate["rebuild"]),
            "read_decode_per_s": round(rate["decode"]),
            "rebuild_over_read_decode": round(rate["rebuild"] / rate["decode"], 3),
            "verify_peak_mb": runs["verify"]["peak_mb"],
            "rebuild_peak_mb": runs["rebuild"]["peak_mb"],
        }
        rows.append(row)
        print(
            f"{row['events']:>9,} events: verify {row['verify_per_s']:,}/s = "
            f"{row['verify_over_raw_hash']}x raw SHA-256; rebuild {row['rebuild_per_s']:,}/s = "
            f"{row['rebuild_over_read_decode']}x read+decode; peak RSS verify "
            f"{row['verify_peak_mb']} MB, rebuild {row['rebuild_peak_mb']} MB"
        )
    report["stores"]["sqlite"] = rows
    write_report(report, args.out)
