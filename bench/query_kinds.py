"""The query kinds `bench queries` times and the timing itself: what the random queries are
drawn from, the queries of each kind (calling what the routes call), and their percentiles."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from api.routers.objects import object_public
from api.time_travel import aggregate_as_of
from bench.generate import CODE, DEPARTMENTS, SECTIONS
from domain import ids
from domain.objects.model import PerformanceObject
from infrastructure.bootstrap import Services
from projections.findings_queries import FindingFilters, findings_page
from projections.log_index import DEPARTMENT, PERSON, Narrowing, Search, log_page
from projections.object_history import history_of
from projections.objects_view import get_object
from projections.page_totals import Total

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
