"""Helpers of tests/scenarios/test_findings_year.py, apart from its tests and its fixture:
the stores and serving the year over HTTP (with the segregation-of-duties attempt), the
requests and page walks the tests make, and the values the log gives (the expected findings,
the late entries, the departments' events, the finance board's notices and results)."""

from __future__ import annotations

import os
import threading
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import psycopg
import pytest
import uvicorn

from api.app import create_app
from domain.evaluation.model import evaluation_id
from infrastructure.bootstrap import Services, bootstrap
from tests.conftest import PG_URL, LiveServer, _free_port, issue_token, settings_for
from tests.scenarios.expected_findings import (
    CHINA,
    Expected,
    Log,
    Logged,
    expected_findings,
    read_log,
)
from tests.scenarios.year_of_activity import Year

# Kinds whose chain of persons the test computes whole; for the others (a deviation left
# alone, a late rectification, an attempt) it computes those who must at least be named.
EXACT_CHAINS = {
    "recheck_gap",
    "segregation_breach",
    "back_dated",
    "goal_lowered_after_deviation",
    "contradicted_claim",
    "revised_after_check",
}
KINDS = {
    "recheck_gap",
    "back_dated",
    "contradicted_claim",
    "goal_lowered_after_deviation",
    "revised_after_check",
    "deviation_not_followed_up",
    "rectification_late",
    "segregation_attempt",
    "segregation_breach",
}


# The stores the year is built on, once each.
STORES = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]


def _url(backend: str, tmp: Path) -> tuple[str, str | None]:
    if backend == "sqlite":
        return f"sqlite:///{tmp}/jixiao.sqlite", None
    if not PG_URL:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but JIXIAO_TEST_POSTGRES_URL is not set")
        pytest.skip("set JIXIAO_TEST_POSTGRES_URL to run the PostgreSQL tests")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    sep = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{sep}schema={schema}", schema


def services_for(backend: str, tmp: Path) -> tuple[Services, str | None]:
    """The services on a new store of the backend, and the PostgreSQL schema to drop after."""
    url, schema = _url(backend, tmp)
    return bootstrap(settings_for(url)), schema


def drop_schema(schema: str) -> None:
    with psycopg.connect(PG_URL.split("?")[0], autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@dataclass
class Served:
    year: Year
    server: LiveServer
    log: Log
    expected: list[Expected]
    attempt_at: datetime

    @property
    def services(self) -> Services:
        return self.server.services

    def client(self, login: str, role: str | None = None):
        world = self.year.world
        return self.server.client(issue_token(self.services, world.login(login), role))


def _serve(services: Services) -> tuple[LiveServer, uvicorn.Server, threading.Thread]:
    port = _free_port()
    config = uvicorn.Config(
        create_app(services), host="127.0.0.1", port=port, log_config=None, log_level="warning"
    )
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uv.started:
        if time.monotonic() > deadline:
            raise RuntimeError("test server did not start")
        time.sleep(0.02)
    return LiveServer(f"http://127.0.0.1:{port}", services), uv, thread


@contextmanager
def serving(services: Services) -> Iterator[LiveServer]:
    """The app served over real HTTP while in the block."""
    server, uv, thread = _serve(services)
    try:
        yield server
    finally:
        uv.should_exit = True
        thread.join(timeout=10)


def attempt_and_expect(
    services: Services, server: LiveServer, year: Year
) -> tuple[datetime, Log, list[Expected]]:
    """The segregation-of-duties attempt, over HTTP: 李明 prepared P4's self-evaluation in
    March; moved to the performance section, he tries to re-check it himself, and is refused.
    Then, the views caught up: when he tried, the log, and the findings it gives."""
    world = year.world
    liming = server.client(issue_token(services, world.login("liming"), "performance_section"))
    p4 = year.projects["P4"]
    attempt_at = datetime.now(CHINA)
    refused = liming.post(
        f"/evaluations/{p4.self_evaluation_id}/recheck",
        json={
            "score": "70",
            "comments": "复核",
            "evidence": [{"name": "底稿.pdf", "sha256": "a" * 64}],
        },
    )
    assert refused.status_code == 403, refused.text
    assert "segregation of duties" in refused.json()["detail"]
    head = services.follower.head()
    assert services.follower.wait_for(head, timeout=60)
    log = read_log(services.ledger)
    expected = expected_of(services, year, log)
    return attempt_at, log, expected


def expected_of(services: Services, year: Year, log: Log) -> list[Expected]:
    """The findings the log gives, and the segregation-of-duties attempt made over HTTP."""
    world = year.world
    p4 = year.projects["P4"]
    policy = services.ledger.policies.for_jurisdiction(world.mof_div_code, 2025)
    tolerance = int(policy.section("findings")["back_dating_tolerance_days"])
    expected = expected_findings(log, tolerance, datetime.now(CHINA).date())
    expected.append(
        Expected(
            "segregation_attempt",
            str(p4.object_id),
            str(world.org("D102")),
            frozenset(),
            (),
        )
    )
    return expected


def ok(reply, status: int = 200) -> dict:
    assert reply.status_code == status, reply.text
    return reply.json()


def all_findings(client, **params) -> list[dict]:
    items: list[dict] = []
    after = None
    while True:
        query = {**params, "limit": 100, **({"after": after} if after is not None else {})}
        page = ok(client.get("/findings", params=query))
        items += page["items"]
        assert page["total"] >= len(items)
        after = page["next_after"]
        if after is None:
            assert page["total"] == len(items), page
            return items


def paged_positions(client, path: str, log: Log) -> set[int]:
    """The positions a ledger's pages list (after=…, 500 a page), up to the log's last."""
    got: set[int] = set()
    after = 0
    while True:
        page = ok(client.get(path, params={"after": after, "limit": 500}))
        got |= {r["position"] for r in page["entries"]}
        if page["next_after"] is None:
            break
        after = page["next_after"]
    return {p for p in got if p <= log.events[-1].position}


def open_case(client, object_id: str):
    """Open the falsification case about P4's back-dated entry; the reply."""
    return client.post(
        "/cases",
        json={
            "mof_div_code": "360403",
            "fiscal_year": 2025,
            "case_no": "浔财绩问〔2026〕1号",
            "finding_kind": "falsification",
            "object_ids": [object_id],
            "description": "半年监控数据11月补录，倒签至6月30日",
        },
    )


def cite(client, finding: dict, case_id: str):
    """Cite a finding into a case; the reply."""
    return client.post(f"/findings/{finding['finding_id']}/citation", json={"case_id": case_id})


def dismiss(client, finding: dict, reason: str):
    """Dismiss a finding with a reason; the reply."""
    return client.post(f"/findings/{finding['finding_id']}/dismissal", json={"reason": reason})


# The event types whose count the log search is checked on.
SEARCHED_EVENT_TYPES = (
    "MonitoringTask.EntrySubmitted",
    "MonitoringTask.EntryJudged",
    "PerformanceObject.GoalAdjusted",
    "SpotCheck.SpotCheckRecorded",
    "SelfEvaluation.SelfEvaluationSubmitted",
)


def search_business_day(client, day: str):
    """The log search for the acts claiming a business day (100 a page); the reply."""
    return client.get(
        "/log/search",
        params={"business_to": day, "business_from": day, "limit": 100},
    )


def persons_by_part(finding: dict) -> frozenset[tuple[str, str]]:
    return frozenset((p["part"], p["person_id"]) for p in finding["persons"])


def key(kind: str, object_id: str | None, variant: str | None) -> tuple:
    return (kind, object_id, variant)


def actual_key(f: dict) -> tuple:
    return key(f["kind"], f["object_id"], (f.get("statistic") or {}).get("variant"))


def expected_key(e: Expected) -> tuple:
    return key(e.kind, e.object_id, e.variant)


def late_events(events: list[Logged]) -> list[Logged]:
    """The events recorded more than 31 days after the date they claim."""
    return [
        e
        for e in events
        if e.event.act.business_date
        and (e.event.timestamp.astimezone(CHINA).date() - e.event.act.business_date).days > 31
    ]


def acts_recorded_on(log: Log, object_id: str | None, day: date) -> set:
    """The commands (an aggregate and its Act) on an object recorded on a day in China."""
    return {
        (e.originator_id, e.event.act)
        for e in log.events
        if e.event.act.business_date
        and str(getattr(e.event, "object_id", "")) == object_id
        and e.event.timestamp.astimezone(CHINA).date() == day
    }


def signed_counts(log: Log) -> dict[str, Counter]:
    """person_id → event name → how many events they signed."""
    signed: dict[str, Counter] = defaultdict(Counter)
    for e in log.events:
        signed[e.actor_id][e.name] += 1
    return signed


def by_short_name(signed: Counter) -> Counter:
    """The same counts keyed by the event's own name."""
    short: Counter = Counter()
    for name, n in signed.items():
        short[name.rsplit(".", 1)[-1]] += n
    return short


def _named(expected: list[Expected]) -> dict[str, int]:
    counts: dict[str, set[int]] = defaultdict(set)
    for i, e in enumerate(expected):
        for _, person in e.persons:
            counts[person].add(i)
    return {p: len(v) for p, v in counts.items()}


def _department_of_events(served: Served) -> dict[int, str | None]:
    """Each event's department as the log gives it: the event's own department_id, else
    its aggregate's (from the aggregate's first event), else its object's; an
    organisation's registration is its own department's."""
    aggregate_dept: dict = {}
    object_of: dict = {}
    out: dict[int, str | None] = {}
    for e in served.log.events:
        ev = e.event
        if e.name == "Organisation.Registered":
            if ev.kind == "department":
                aggregate_dept.setdefault(e.originator_id, str(e.originator_id))
            elif ev.kind == "unit":
                aggregate_dept.setdefault(e.originator_id, str(ev.parent_id))
        own = getattr(ev, "department_id", None)
        if own is not None:
            aggregate_dept.setdefault(e.originator_id, str(own))
        oid = getattr(ev, "object_id", None)
        if oid is not None:
            object_of.setdefault(e.originator_id, oid)
        dept = str(own) if own is not None else aggregate_dept.get(e.originator_id)
        if dept is None and e.originator_id in object_of:
            dept = aggregate_dept.get(object_of[e.originator_id])
        out[e.position] = dept
    return out


def department_positions(log: Log, dept_of: dict[int, str | None], org: str) -> set[int]:
    """The events of a department's ledger: on its records, or signed in its name."""
    return {
        e.position
        for e in log.events
        if dept_of[e.position] == org or e.event.act.actor.organisation_id == org
    }


def year_positions(log: Log, fiscal_year: int) -> set[int]:
    """The jurisdiction-year: every act on a record of the fiscal year."""
    years: dict = {}
    for e in log.events:
        fy = getattr(e.event, "fiscal_year", None)
        if isinstance(fy, int):
            years.setdefault(e.originator_id, fy)
        oid = getattr(e.event, "object_id", None)
        if oid is not None and e.originator_id not in years and oid in years:
            years[e.originator_id] = years[oid]
    return {e.position for e in log.events if years.get(e.originator_id) == fiscal_year}


def finance_facts(log: Log) -> tuple[dict, set, dict, dict]:
    """From the log: the rectification notices (due, status), the evaluations whose result
    was applied, each evaluation's object, and whether each funding block is active."""
    notices: dict = {}
    applied, evaluations, blocks = set(), {}, {}
    for e in log.events:
        short = e.name.rsplit(".", 1)[-1]
        if short == "RectificationNoticeIssued":
            notices[e.originator_id] = {"due": e.event.due, "status": "open"}
        elif short == "RectificationReported":
            notices[e.originator_id]["status"] = "responded"
        elif short == "RectificationVerified":
            notices[e.originator_id]["status"] = "verified"
        elif short in ("SelfEvaluationSubmitted", "SpotCheckRecorded"):
            evaluations[e.originator_id] = e.event.object_id
        elif short == "ResultApplied":
            applied.add(e.event.evaluation_id)
        elif e.name.startswith("FundingBlock."):
            blocks[e.originator_id] = not short.endswith("Lifted")
    return notices, applied, evaluations, blocks


def unapplied_results(evaluations: dict, applied: set) -> set[str]:
    # a self-evaluation that was rechecked has its result applied through the recheck
    checked_objects = {obj for k, obj in evaluations.items() if k != evaluation_id(obj, "self")}
    return {
        str(k)
        for k, obj in evaluations.items()
        if k not in applied and not (k == evaluation_id(obj, "self") and obj in checked_objects)
    }
