"""`python -m bench queries`: latency of the log's queries at 100k and 1M generated events.

For a store and each size, the synthetic district of bench/generate.py is recorded through
the real commands (kept in var/bench/, or a schema of the `bench_queries` PostgreSQL database,
and reused), the views the queries read are brought up to date by the follower (catch-up
from zero, timed), and then `--count` randomly chosen queries of each kind, shuffled together,
are timed one at a time, warm, in this process, each in a fresh read transaction of the views
(as the routes open one), calling what the route calls:

  baseline_pk        SELECT * FROM v_log_index WHERE position = ? (the floor, same run);
  as_of              GET /objects/{id}?as_of=: aggregate_as_of + object_public, an instant
                     drawn between the object's first and last recorded event;
  history_object     GET /objects/{id}/history: get_object + history_of;
  ledger_person / ledger_department
                     log_page(ledger=(person|department, key)), 100 a page, with the total
                     (counted up to the default cap, 1,000);
  search_actor / search_event_type / search_recorded / search_business
                     log_page(Search(...)): by actor, by event type, a recorded-time window
                     of ~1,000 consecutive events, one month of business dates (paged in
                     business-date order from an entry of a random day of it);
  findings           findings_page(FindingFilters(jurisdiction, year[, department])), the
                     first 100 (a year holds more at 1M, so this page answers more there);
  findings_20        the first 20 of a jurisdiction-year's findings: a page both sizes fill.
Each paged kind reports its mean total and the mean rows it returned (`mean_rows`).

On SQLite the store file is held in memory while it is timed (bench/resident.py: this VM
pages out file pages idle for a minute, which made p99 measure its virtual disk);
`--not-resident` times it as the kernel leaves it. Ledgers and searches read as the
jurisdiction's performance section does (narrowed to the
jurisdiction), from a random keyset position. For them the seconds spent in the total's
COUNT are also subtracted (`<kind>:without_total`), so a page's cost and its total's show
apart. Access checks, the access log and the lag the routes add are not in the timings.
Each size's p50 and p99 are printed as ratios to the primary-key select, and each size's p99
over the size before it against the target (≤ 1.5×).

    python -m bench queries --store sqlite --events 100000 1000000
"""

from __future__ import annotations

import random
import statistics
from contextlib import ExitStack
from itertools import pairwise
from pathlib import Path
from typing import Any

from bench.query_district import STORES, build, district_url, read_views, store_mb
from bench.query_kinds import percentile, queries, sample_of, time_queries
from bench.report import bench_settings, new_report, write_report
from bench.resident import resident
from infrastructure.bootstrap import bootstrap
from infrastructure.logging import configure_logging

TARGET = 1.5  # p99 at the largest size over p99 at the smallest, per kind
KINDS = (
    "baseline_pk",
    "as_of",
    "history_object",
    "ledger_person",
    "ledger_department",
    "search_actor",
    "search_event_type",
    "search_recorded",
    "search_business",
    "findings",
    "findings_20",
)


def measure(store: str, events: int, args: Any) -> dict[str, Any]:
    facts = build(store, events, args.seed, not args.no_findings)
    url = district_url(store, events, args.seed)
    services = bootstrap(bench_settings(url), views=read_views(not args.no_findings))
    held = False
    try:
        rng = random.Random(args.seed)
        sample = sample_of(services, rng, args.count)
        made = queries(services, sample, rng, args.count, not args.no_findings)
        with ExitStack() as stack:
            if store == "sqlite" and not args.not_resident:
                held = stack.enter_context(resident(STORES / Path(url).name))
            timings, totals, rows = time_queries(made, args.warm)
    finally:
        services.close()
    floor = percentile(timings["baseline_pk"], 0.99)
    kinds = {}
    for kind, values in sorted(timings.items(), key=lambda kv: _order(kv[0])):
        p99 = percentile(values, 0.99)
        kinds[kind] = {
            "p50_ms": round(percentile(values, 0.5) * 1000, 3),
            "p99_ms": round(p99 * 1000, 3),
            "p99_over_baseline_p99": round(p99 / floor, 1),
            **({"mean_total": round(statistics.mean(totals[kind]))} if kind in totals else {}),
            **({"mean_rows": round(statistics.mean(rows[kind]), 1)} if kind in rows else {}),
        }
    return {
        "events": sample.head,
        "store_mb": round(store_mb(store, url)),
        "objects": len(sample.objects),
        "generation": facts.get("generation"),
        "catch_up": facts.get("catch_up"),
        "queries_per_kind": args.count,
        "store_held_in_memory": held,
        "kinds": kinds,
    }


def _order(kind: str) -> tuple[int, str]:
    base = kind.split(":")[0]
    return (KINDS.index(base) if base in KINDS else len(KINDS), kind)


def main(args: Any) -> None:
    configure_logging("console", "WARNING")
    out = args.out or f"bench/results/queries-{args.store}.json"
    report = new_report("queries", seed=args.seed, count=args.count, warm=args.warm)
    rows: list[dict[str, Any]] = []
    report["stores"][args.store] = rows
    for events in args.events:
        row = measure(args.store, events, args)
        rows.append(row)
        print(f"{row['events']:,} events ({row['store_mb']:,} MB), {row['objects']:,} objects:")
        for kind, k in row["kinds"].items():
            total = f"  total ~{k['mean_total']:,}" if "mean_total" in k else ""
            total += f", rows {k['mean_rows']}" if "mean_rows" in k else ""
            print(
                f"  {kind:<32} p50 {k['p50_ms']:8.2f} ms  p99 {k['p99_ms']:8.2f} ms "
                f"= {k['p99_over_baseline_p99']:6.1f}x the pk select{total}",
                flush=True,
            )
        write_report(report, out)  # each size as it is measured (a 1M size takes long)
    report["p99_growth"] = []
    for small, large in pairwise(rows):  # each size over the one before
        growth = {
            "from_events": small["events"],
            "to_events": large["events"],
            "target": TARGET,
            "kinds": {
                kind: round(large["kinds"][kind]["p99_ms"] / small["kinds"][kind]["p99_ms"], 2)
                for kind in small["kinds"]
                if kind in large["kinds"]
            },
        }
        report["p99_growth"].append(growth)
        print(f"p99 at {large['events']:,} over p99 at {small['events']:,} (target ≤ {TARGET}x):")
        for kind, ratio in growth["kinds"].items():
            print(f"  {kind:<32} {ratio:5.2f}x {'ok' if ratio <= TARGET else 'MISSED'}")
    write_report(report, out)
