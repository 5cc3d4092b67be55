"""`python -m bench jurisdictions`: several jurisdictions' ledgers side by side in one
PostgreSQL server, one schema each (each its own log, total order, chain and table lock).
Each ledger is driven by 4 writer threads in process for the same number of commands; the
total rate for 1, 2 and 4 ledgers shows whether they contend (the table lock is per
schema; the machine's cores are what they share)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from bench.commands_bench import token_ledger
from bench.report import drop_schema, new_report, run_threads, store_url, write_report
from infrastructure.logging import configure_logging

THREADS = 4


def side_by_side(ledgers: int, per_thread: int) -> dict[str, Any]:
    urls = [store_url("postgres", Path(tempfile.mkdtemp()), f"j{n}") for n in range(ledgers)]
    built = []
    try:
        built = [token_ledger(url, THREADS) for url in urls]

        def work(n: int) -> None:
            _, ledger_work = built[n // THREADS]
            ledger_work(n % THREADS, per_thread)

        elapsed = run_threads(work, ledgers * THREADS)
        assert all(services.integrity.verify().ok for services, _ in built)
        total = ledgers * THREADS * per_thread
        return {"ledgers": ledgers, "commands_per_s": round(total / elapsed, 1)}
    finally:
        for services, _ in built:
            services.close()
        for url in urls:
            drop_schema(url)


def main(args: Any) -> None:
    configure_logging("console", "WARNING")
    report = new_report("jurisdictions", threads_per_ledger=THREADS)
    rows = [side_by_side(n, args.count) for n in (1, 2, 4)]
    base = rows[0]["commands_per_s"]
    for row in rows:
        row["total_over_one"] = round(row["commands_per_s"] / base, 2)
        print(
            f"{row['ledgers']} ledger(s), one schema each: {row['commands_per_s']} commands/s "
            f"in total ({row['total_over_one']}x one ledger)"
        )
    report["stores"]["postgres"] = rows
    write_report(report, args.out)
