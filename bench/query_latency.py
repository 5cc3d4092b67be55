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

import json
import random
import statistics
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any
from uuid import UUID

import psycopg

from api.routers.objects import object_public
from api.time_travel import aggregate_as_of
from bench.generate import (
    CODE,
    DEPARTMENTS,
    SECTIONS,
    generate_rounds,
)
from bench.report import bench_settings, new_report, write_report
from bench.resident import resident
from domain import ids
from domain.objects.model import PerformanceObject
from infrastructure.bootstrap import Services, bootstrap
from infrastructure.logging import configure_logging
from projections.findings_queries import FindingFilters, findings_page
from projections.log_index import DEPARTMENT, PERSON, Narrowing, Search, log_page
from projections.object_history import history_of
from projections.objects_view import get_object
from projections.page_totals import Total
from projections.view import all_views

STORES = Path("var/bench")  # the same folder (and SQLite file names) as bench/scale.py
PG_DATABASE = "bench_queries"
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
READS = ("log_index", "object_history", "objects", "findings")  # the views timed here


def read_views(findings: bool = True) -> list[Any]:
    """The views the timed queries read (the others, some still being written by others,
    are neither built nor timed here); `--no-findings` leaves the findings view out."""
    reads = READS if findings else tuple(r for r in READS if r != "findings")
    return [view for view in all_views() if view.name in reads]


def district_url(store: str, events: int, seed: int) -> str:
    if store == "sqlite":
        return f"sqlite:///{STORES}/district-{events}-seed{seed}.sqlite"
    return f"{pg_url()}?schema=district_{events}_seed{seed}"


def pg_url() -> str:
    """The bench's own database beside the tests' (created on first use), so a long run
    never disturbs what the tests do in theirs."""
    from bench.report import PG_URL

    with psycopg.connect(PG_URL, autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (PG_DATABASE,))
        if found.fetchone() is None:
            conn.execute(f'CREATE DATABASE "{PG_DATABASE}"')
    return PG_URL.rsplit("/", 1)[0] + "/" + PG_DATABASE


def _drop_schema(url: str) -> None:
    """bench.report.drop_schema drops in the shared `test` database; this is our own."""
    schema = url.split("schema=")[1]
    with psycopg.connect(url.split("?")[0], autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def _sidecar(store: str, events: int, seed: int) -> Path:
    return STORES / f"district-{store}-{events}-seed{seed}.json"


def build(store: str, events: int, seed: int, findings: bool = True) -> dict[str, Any]:
    """Generate the district once (no views while generating, as `bench scale` does) and
    bring every view up to date; the figures of each step, kept beside the store."""
    STORES.mkdir(parents=True, exist_ok=True)
    sidecar = _sidecar(store, events, seed)
    facts: dict[str, Any] = json.loads(sidecar.read_text()) if sidecar.exists() else {}
    url = district_url(store, events, seed)
    if "generation" not in facts:
        if store == "sqlite":
            path = Path(url.removeprefix("sqlite:///"))
            done = path.with_suffix(".done")
            if done.exists():  # made by `bench scale`, whose run did not keep its figures
                facts["generation"] = None
            else:
                path.unlink(missing_ok=True)
        else:  # a schema left half-generated by an interrupted run starts again
            _drop_schema(url)
        if "generation" not in facts:
            services = bootstrap(bench_settings(url), views=[])
            try:
                facts["generation"] = generate_rounds(services, events, seed)
            finally:
                services.close()
            if store == "sqlite":
                done.write_text("ok")
        sidecar.write_text(json.dumps(facts, indent=2))
    services = bootstrap(bench_settings(url), views=read_views(findings))
    try:
        started = time.perf_counter()
        applied = services.follower.catch_up()
        seconds = time.perf_counter() - started
        lag = services.follower.lag()
        if applied:
            facts["catch_up"] = {
                "events": applied,
                "seconds": round(seconds, 1),
                "events_per_s": round(applied / seconds),
                "views": sorted(lag),
                "failed": {n: f.error for n, f in services.follower.failures().items()},
            }
            sidecar.write_text(json.dumps(facts, indent=2))
        if store == "postgres":  # a fresh schema has no statistics: plan as a server would
            with services.views_db.transaction() as cur:
                cur.execute("ANALYZE")
        # Views others are still writing may fail here; the ones timed must be complete.
        behind = {name: lag.get(name) for name in READS if lag.get(name) != 0}
        if not findings:
            behind.pop("findings", None)
        assert not behind, f"views the queries read are not at the head: {behind}"
    finally:
        services.close()
    return facts


# --- the queries ----------------------------------------------------------------------------

Query = tuple[str, Callable[[], Any]]


@dataclass
class Sample:
    """What the random queries are drawn from, read once from the views before timing."""

    head: int
    objects: list[tuple[str, datetime, datetime]]  # id, first and last recorded instant
    persons: list[str]
    departments: list[str]
    event_types: list[str]
    years: list[int]


def sample_of(services: Services, rng: random.Random, count: int) -> Sample:
    with services.views_db.transaction(write=False) as cur:
        head = int(cur.execute("SELECT MAX(position) AS n FROM v_log_index").fetchone()["n"])
        ids_ = [r["object_id"] for r in cur.execute("SELECT object_id FROM v_objects").fetchall()]
        objects = []
        for object_id in rng.sample(ids_, min(count, len(ids_))):
            first, last = (
                cur.execute(
                    "SELECT recorded_at FROM v_log_index WHERE object_id = ? "
                    f"ORDER BY position {order} LIMIT 1",
                    (object_id,),
                ).fetchone()["recorded_at"]
                for order in ("ASC", "DESC")
            )
            objects.append((object_id, _instant(first), _instant(last)))
        types = cur.execute("SELECT DISTINCT event_type FROM v_log_index").fetchall()
        years = cur.execute(
            "SELECT DISTINCT fiscal_year FROM v_objects ORDER BY fiscal_year"
        ).fetchall()
    people = [f"syn.sD{d:03d}" for d in range(1, DEPARTMENTS + 1)]
    people += [f"syn.b{s:02d}" for s in range(1, SECTIONS + 1)] + ["syn.p01", "syn.y01"]
    return Sample(
        head=head,
        objects=objects,
        persons=[str(ids.person_id(login)) for login in people],
        departments=[
            str(ids.organisation_id(CODE, f"D{d:03d}")) for d in range(1, DEPARTMENTS + 1)
        ],
        event_types=sorted(r["event_type"] for r in types),
        years=[r["fiscal_year"] for r in years],
    )


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text)


def queries(
    services: Services, sample: Sample, rng: random.Random, count: int, with_findings: bool = True
) -> list[Query]:
    """`count` random queries of each kind, shuffled together so that the machine's noise
    falls on every kind alike. Ledgers and searches are read as the jurisdiction's
    performance section reads them (narrowed to the jurisdiction), from a random keyset
    position, 100 a page, with the total."""
    ledger, views = services.ledger, services.views_db
    reach = Narrowing(mof_div_code=CODE)

    def read(run: Callable[[Any], Any]) -> Callable[[], Any]:
        def timed() -> Any:
            with views.transaction(write=False) as cur:  # a fresh read transaction each
                return run(CountTimer(cur))

        return timed

    def page(
        search: Search, ledger_key: tuple[str, str] | None = None, after: int | None = None
    ) -> Callable[[], Any]:
        after = rng.randrange(sample.head) if after is None else after
        return read(lambda cur: log_page(cur, search, reach, ledger=ledger_key, after=after))

    def pk() -> Callable[[], Any]:
        position = rng.randrange(1, sample.head + 1)
        return read(
            lambda cur: cur.execute(
                "SELECT * FROM v_log_index WHERE position = ?", (position,)
            ).fetchone()
        )

    def as_of() -> Callable[[], Any]:
        object_id, first, last = rng.choice(sample.objects)
        instant = first + (last - first) * rng.random()
        oid = UUID(object_id)
        return lambda: object_public(aggregate_as_of(ledger, PerformanceObject, oid, instant))

    def history() -> Callable[[], Any]:
        object_id = rng.choice(sample.objects)[0]
        return read(lambda cur: (get_object(cur, object_id), history_of(cur, object_id)))

    def recorded_range() -> Callable[[], Any]:
        # A window of about 1,000 consecutive events (the generator records hundreds a
        # second, so a window in seconds would hold a different share of a bigger log).
        start = rng.randrange(1, max(2, sample.head - 1000))
        with views.transaction(write=False) as cur:
            bounds = [
                cur.execute(
                    "SELECT recorded_at FROM v_log_index WHERE position >= ? "
                    "ORDER BY position LIMIT 1",
                    (p,),
                ).fetchone()["recorded_at"]
                for p in (start, start + 1000)
            ]
        low, high = (_instant(b) for b in bounds)
        return page(Search(recorded_from=low, recorded_to=high))

    def business_range() -> Callable[[], Any]:
        year = rng.choice(sample.years)  # one month of a year's business dates
        month = rng.randrange(1, 13)
        low = date(year, month, 1)
        high = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
        # It pages in business-date order: the keyset is an entry of a random day of the
        # month (found now, not timed), or the first page when that day has none.
        day = low + timedelta(days=rng.randrange((high - low).days + 1))
        with views.transaction(write=False) as cur:
            row = cur.execute(
                "SELECT position FROM v_log_index WHERE business_date = ? LIMIT 1",
                (day.isoformat(),),
            ).fetchone()
        return page(
            Search(business_from=low, business_to=high), after=row["position"] if row else 0
        )

    def findings_kind() -> Callable[[], Any]:
        # A jurisdiction-year's findings (the reader's jurisdiction always given), from
        # the first page; narrowed further to a department half of the time.
        filters = FindingFilters(
            mof_div_code=CODE,
            fiscal_year=rng.choice(sample.years),
            department_id=rng.choice([None, rng.choice(sample.departments)]),
        )
        return read(lambda cur: findings_page(cur, filters, after=0, limit=100))

    def findings_of_a_size() -> Callable[[], Any]:
        # The first 20 of a jurisdiction-year's findings: a page both sizes fill, so the two
        # answer the same amount (the 100-a-page kind answers more at 1M: years hold more).
        filters = FindingFilters(mof_div_code=CODE, fiscal_year=rng.choice(sample.years))
        return read(lambda cur: findings_page(cur, filters, after=0, limit=20))

    makers: dict[str, Callable[[], Callable[[], Any]]] = {
        "baseline_pk": pk,
        "as_of": as_of,
        "history_object": history,
        "ledger_person": lambda: page(Search(), (PERSON, rng.choice(sample.persons))),
        "ledger_department": lambda: page(Search(), (DEPARTMENT, rng.choice(sample.departments))),
        "search_actor": lambda: page(Search(actor_id=rng.choice(sample.persons))),
        "search_event_type": lambda: page(Search(event_type=rng.choice(sample.event_types))),
        "search_recorded": recorded_range,
        "search_business": business_range,
    }
    if with_findings:
        makers["findings"] = findings_kind
        makers["findings_20"] = findings_of_a_size

    made = [(kind, make()) for kind, make in makers.items() for _ in range(count)]
    rng.shuffle(made)
    return made


class CountTimer:
    """The view cursor, keeping the seconds spent in the total's COUNT statement (on both
    stores executing it computes the count), so a page's time can be split in two."""

    spent = 0.0  # of the query now running; time_queries reads and resets it

    def __init__(self, cur: Any) -> None:
        self._cur = cur

    def execute(self, sql: str, params: Any = ()) -> Any:
        if not sql.startswith("SELECT COUNT(*)"):
            return self._cur.execute(sql, params)
        started = time.perf_counter()
        try:
            return self._cur.execute(sql, params)
        finally:
            CountTimer.spent += time.perf_counter() - started

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cur, name)


def time_queries(
    made: list[Query], warm: int
) -> tuple[dict[str, list[float]], dict[str, list[int]], dict[str, list[int]]]:
    """Seconds per query by kind, and the totals and rows the paged queries answered."""
    for _, run in made[:warm]:  # warm the caches and the code paths; not timed
        run()
    timings: dict[str, list[float]] = {}
    totals: dict[str, list[int]] = {}
    rows: dict[str, list[int]] = {}
    for kind, run in made:
        CountTimer.spent = 0.0
        started = time.perf_counter()
        answer = run()
        seconds = time.perf_counter() - started
        timings.setdefault(kind, []).append(seconds)
        if isinstance(answer, tuple) and isinstance(answer[-1], Total):  # (rows, total)
            totals.setdefault(kind, []).append(answer[-1].count)
            rows.setdefault(kind, []).append(len(answer[0]))
            timings.setdefault(f"{kind}:without_total", []).append(seconds - CountTimer.spent)
    return timings, totals, rows


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def store_mb(store: str, url: str) -> float:
    if store == "sqlite":
        return Path(url.removeprefix("sqlite:///")).stat().st_size / 2**20
    schema = url.split("schema=")[1]
    with psycopg.connect(url.split("?")[0], autocommit=True) as conn:
        row = conn.execute(
            "SELECT SUM(pg_total_relation_size(c.oid)) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND c.relkind IN ('r', 'm')",
            (schema,),
        ).fetchone()
    return (row[0] or 0) / 2**20


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
