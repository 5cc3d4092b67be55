"""Issue 9's main done-when test: a year of activity for three departments with planted
cases, on both stores. The year is built once per store through the ledger's commands
(tests/scenarios/year_of_activity.py); the segregation-of-duties attempt is made over HTTP;
every view is read over real HTTP and checked against values computed from the log by
tests/scenarios/expected_findings.py (which does not import projections/).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from itertools import pairwise

import pytest
import structlog

from domain.citation.cited_event import record_sha256, stored_record
from tests.scenarios.expected_findings import CHINA, read_log
from tests.scenarios.findings_year_checks import (
    EXACT_CHAINS,
    KINDS,
    SEARCHED_EVENT_TYPES,
    STORES,
    Served,
    _department_of_events,
    _named,
    acts_recorded_on,
    actual_key,
    all_findings,
    attempt_and_expect,
    by_short_name,
    cite,
    department_positions,
    dismiss,
    drop_schema,
    expected_key,
    finance_facts,
    late_events,
    ok,
    open_case,
    paged_positions,
    persons_by_part,
    search_business_day,
    services_for,
    serving,
    signed_counts,
    unapplied_results,
    year_positions,
)
from tests.scenarios.year_of_activity import build_year


@pytest.fixture(scope="module", params=STORES)
def served(request: pytest.FixtureRequest, tmp_path_factory) -> Iterator[Served]:
    services, schema = services_for(request.param, tmp_path_factory.mktemp(request.param))
    try:
        year = build_year(services)
        with serving(services) as server:
            # The views (the log index among them) have caught up with the year.
            assert services.follower.wait_for(services.follower.head(), timeout=120)
            # The segregation-of-duties attempt, over HTTP; then the log and what it gives.
            attempt_at, log, expected = attempt_and_expect(services, server, year)
            structlog.reset_defaults()
            yield Served(year, server, log, expected, attempt_at)
    finally:
        services.close()
        if schema:
            drop_schema(schema)


# --- the findings against the log ---------------------------------------------------------


def test_the_findings_are_those_the_events_show(served: Served) -> None:
    auditor = served.client("fengshen")
    found = all_findings(auditor, mof_div_code="360403", fiscal_year=2025)
    assert {f["kind"] for f in found} <= KINDS
    got = Counter(actual_key(f) for f in found)
    want = Counter(expected_key(e) for e in served.expected)
    assert got == want
    # The planted cases, each on its own project, and nothing else.
    projects = {str(p.object_id): k for k, p in served.year.projects.items()}
    planted = sorted((k[0], projects.get(k[1]), k[2]) for k in got)
    assert planted == sorted(
        [
            ("recheck_gap", "P1", None),
            ("goal_lowered_after_deviation", "P2", None),
            ("segregation_breach", "P3", None),
            ("back_dated", "P4", None),
            ("rectification_late", "P4", "overdue_open"),
            ("segregation_attempt", "P4", None),  # its target: P4's self-evaluation
            ("contradicted_claim", "P5", "on_track_unmet"),
            ("revised_after_check", "P5", None),
            ("contradicted_claim", "P6", "executed_decreased"),
            ("rectification_late", "P6", "answered_late"),
            ("deviation_not_followed_up", "P7", None),
        ]
    )


def test_the_year_was_recorded_at_its_time_of_year(served: Served) -> None:
    """The builder's own check: the log's recorded times follow the year (to the second,
    since one command's aggregates are stamped a moment apart), and only the planted entry
    is recorded far from the date it claims."""
    events = served.log.events
    for a, b in pairwise(events):
        assert (b.event.timestamp - a.event.timestamp).total_seconds() > -1, (a.name, b.name)
    assert events[0].event.timestamp.year == 2024
    late = {(e.name, str(getattr(e.event, "object_id", ""))) for e in late_events(events)}
    p4 = str(served.year.projects["P4"].object_id)
    assert late == {("MonitoringTask.EntrySubmitted", p4), ("MonitoringTask.EntryJudged", p4)}


def test_each_finding_names_the_persons_and_facts_the_events_give(served: Served) -> None:
    auditor = served.client("fengshen")
    found = {actual_key(f): f for f in all_findings(auditor, mof_div_code="360403")}
    for e in served.expected:
        f = found[expected_key(e)]
        assert f["department_id"] == e.department_id, f
        assert f["mof_div_code"] == "360403" and f["fiscal_year"] == 2025
        assert f["status"] == "open" and f["dismissal"] is None and f["cited_in"] == []
        assert f["title"]
        if e.kind in EXACT_CHAINS:
            # The whole chain of persons the events give: exactly these.
            assert persons_by_part(f) == e.persons, (e.kind, f["persons"])
        else:
            assert e.persons <= persons_by_part(f), (e.kind, f["persons"])
        statistic = f["statistic"]
        for name, value in e.statistic:
            if name == "gap":
                assert Decimal(str(statistic["gap"])) == Decimal(value), statistic
            elif name == "business_date" and name not in statistic:
                # the view groups a day's back-dated acts on one record: the earliest date
                assert statistic["earliest_business_date"] == value, statistic
            else:
                assert str(statistic[name]) == value, (name, statistic)
        assert f["falsification_trace"] is e.falsification_trace
        cited = [ev["position"] for ev in f["events"]]
        assert set(e.positions) <= set(cited), (e.kind, cited, e.positions)
        if e.kind == "segregation_attempt":
            assert f["events"] == []
            assert "segregation" in statistic["message"]
            assert statistic["command"] and statistic["at"]
            liming = str(served.year.person("liming"))
            assert liming in {p["person_id"] for p in f["persons"]}


def test_a_back_dated_entry_is_one_act_by_its_entrant(served: Served) -> None:
    """The planted back-dated entry is one command (one Act: EntrySubmitted and the
    EntryJudged the system recorded with it); its entrant entered it and nobody reviewed it."""
    [expected] = [e for e in served.expected if e.kind == "back_dated"]
    commands = acts_recorded_on(served.log, expected.object_id, date(2025, 11, 10))
    assert len(commands) == 1
    [f] = all_findings(served.client("fengshen"), kind="back_dated")
    assert f["statistic"].get("acts", 1) == len(commands), f["statistic"]
    assert persons_by_part(f) == expected.persons, f["persons"]


def test_every_cited_event_is_the_logged_record(served: Served) -> None:
    auditor = served.client("fengshen")
    found = all_findings(auditor, mof_div_code="360403")
    ledger = served.services.ledger
    cited = 0
    for f in found:
        one = ok(auditor.get(f"/findings/{f['finding_id']}"))
        assert one == f
        for ev in f["events"]:
            logged = served.log.by_position[ev["position"]]
            assert ev["originator_id"] == str(logged.originator_id)
            assert ev["version"] == logged.version
            assert ev["event"] == logged.name
            assert ev["record_sha256"] == logged.sha256
            assert ev["record_sha256"] == record_sha256(stored_record(ledger, ev["position"]))
            actor = logged.event.act.actor
            assert ev["actor"]["person_id"] == actor.person_id
            assert ev["actor"]["name"] == actor.name
            assert ev["actor"]["role"] == actor.role
            claimed = logged.event.act.business_date
            assert ev["business_date"] == (claimed.isoformat() if claimed else None)
            assert datetime.fromisoformat(ev["recorded_at"]) == logged.event.timestamp
            cited += 1
        for p in f["persons"]:
            if p["position"] is None:
                continue
            logged = served.log.by_position[p["position"]]
            assert logged.actor_id == p["person_id"]
    assert cited >= 6


def test_the_unplanted_department_has_no_finding(served: Served) -> None:
    auditor = served.client("fengshen")
    d103 = str(served.year.org("D103"))
    assert all_findings(auditor, department_id=d103) == []
    ledger = ok(auditor.get(f"/ledgers/departments/{d103}/accountability"))
    assert ledger["findings_total"] == 0 and not any(ledger["by_kind"].values())
    assert all(p["findings"] == 0 for p in ledger["persons"])
    liuyang = str(served.year.person("liuyang"))
    assert all_findings(auditor, person_id=liuyang) == []


def test_filters_answer_what_the_events_show(served: Served) -> None:
    auditor = served.client("fengshen")
    for kind in KINDS:
        want = sum(1 for e in served.expected if e.kind == kind)
        assert len(all_findings(auditor, kind=kind)) == want, kind
    for code in ("D101", "D102"):
        org = str(served.year.org(code))
        want = sum(1 for e in served.expected if e.department_id == org)
        assert len(all_findings(auditor, department_id=org)) == want, code
    assert all_findings(auditor, fiscal_year=2024) == []
    # another jurisdiction's findings are out of this auditor's reach
    other = auditor.get("/findings", params={"mof_div_code": "360100"})
    assert other.status_code == 403, other.text


def test_who_sees_findings(served: Served) -> None:
    for login in ("fengshen", "jiangwei", "liuqiang"):
        assert all_findings(served.client(login), mof_div_code="360403"), login
    for login in ("wangfang", "hexin", "liuyang"):
        reply = served.client(login).get("/findings", params={"mof_div_code": "360403"})
        assert reply.status_code == 403 or reply.json()["items"] == [], (login, reply.text)


# --- accountability ledgers ---------------------------------------------------------------


def test_person_accountability_agrees_with_the_log(served: Served) -> None:
    auditor = served.client("fengshen")
    signed = signed_counts(served.log)
    found = all_findings(auditor, mof_div_code="360403")
    for login in ("wangfang", "zhaoyun", "gaofeng", "liming", "liuqiang", "sunli", "liuyang"):
        person = str(served.year.person(login))
        ledger = ok(auditor.get(f"/ledgers/persons/{person}/accountability"))
        assert ledger["person_id"] == person
        assert ledger["signed"]["total"] == sum(signed[person].values()), login
        by_event = ledger["signed"]["by_event"]
        if all("." in k for k in by_event):
            assert by_event == dict(signed[person]), login
        else:  # keyed by the event's own name
            short = by_short_name(signed[person])
            assert by_event == dict(short), login
        naming = [f for f in found if person in {p["person_id"] for p in f["persons"]}]
        assert {f["finding_id"] for f in ledger["findings"]} == {f["finding_id"] for f in naming}
        # at least the findings the events name the person in
        assert len(naming) >= _named(served.expected).get(person, 0), login
        # the existing person ledger (台账) counts the same signed events
        page = ok(auditor.get(f"/ledgers/persons/{person}", params={"limit": 1}))
        assert page["total"] == sum(signed[person].values()), login


def test_department_accountability_agrees_with_the_findings(served: Served) -> None:
    auditor = served.client("fengshen")
    for code in ("D101", "D102", "D103"):
        org = str(served.year.org(code))
        mine = [e for e in served.expected if e.department_id == org]
        ledger = ok(auditor.get(f"/ledgers/departments/{org}/accountability"))
        assert ledger["department_id"] == org
        assert ledger["findings_total"] == len(mine), code
        assert {k: v for k, v in ledger["by_kind"].items() if v} == dict(
            Counter(e.kind for e in mine)
        )
        found = all_findings(auditor, department_id=org)
        per_person = Counter(p for f in found for p in {x["person_id"] for x in f["persons"]})
        assert {p["person_id"]: p["findings"] for p in ledger["persons"] if p["findings"]} == dict(
            per_person
        ), code


# --- existing views against the log -------------------------------------------------------


def test_log_search_and_object_histories_agree_with_the_log(served: Served) -> None:
    auditor = served.client("fengshen")
    by_type = Counter(e.name for e in served.log.events)
    for name in SEARCHED_EVENT_TYPES:
        page = ok(auditor.get("/log/search", params={"event_type": name, "limit": 1}))
        assert page["total"] == by_type[name], name
    late = late_events(served.log.events)
    page = ok(search_business_day(auditor, "2025-06-30"))
    as_of_june = [e for e in served.log.events if e.event.act.business_date == date(2025, 6, 30)]
    assert page["total"] == len(as_of_june)
    assert {e.position for e in late} <= {r["position"] for r in page["entries"]}


def test_the_attempt_is_the_security_log_entry(served: Served) -> None:
    auditor = served.client("fengshen")
    p4 = served.year.projects["P4"]
    liming = str(served.year.person("liming"))
    [entry] = ok(auditor.get("/security-log", params={"person_id": liming}))["entries"]
    assert entry["actor"]["role"] == "performance_section"
    assert entry["path"] == f"/evaluations/{p4.self_evaluation_id}/recheck"
    assert entry["target"]["id"] == str(p4.self_evaluation_id)
    assert entry["target"]["object_id"] == str(p4.object_id)
    assert entry["target"]["department_id"] == str(served.year.org("D102"))
    assert entry["target"]["fiscal_year"] == 2025
    at = datetime.fromisoformat(entry["at"])
    assert served.attempt_at <= at <= datetime.now(CHINA)
    [attempt] = all_findings(auditor, kind="segregation_attempt")
    assert datetime.fromisoformat(str(attempt["statistic"]["at"])) == at
    assert attempt["statistic"]["message"] == entry["refusal"]
    assert attempt["department_id"] == str(served.year.org("D102"))


# --- citation into a case -----------------------------------------------------------------


def test_a_finding_cited_into_a_case_pins_its_events(served: Served) -> None:
    auditor, performance = served.client("fengshen"), served.client("liuqiang")
    [late] = all_findings(auditor, kind="back_dated")
    p4 = str(served.year.projects["P4"].object_id)
    case_id = ok(open_case(performance, p4), 201)["id"]
    ok(cite(performance, late, case_id))
    case = ok(performance.get(f"/cases/{case_id}"))
    pinned = {c["position"]: c for c in case["citations"]}
    assert set(pinned) == {e["position"] for e in late["events"]}
    for position, c in pinned.items():
        assert c["record_sha256"] == served.log.by_position[position].sha256
    services = served.services
    assert services.follower.wait_for(services.follower.head(), timeout=30)
    cited = ok(auditor.get(f"/findings/{late['finding_id']}"))
    assert cited["status"] == "cited" and cited["cited_in"] == [case_id]
    assert [f["finding_id"] for f in all_findings(auditor, status="cited")] == [late["finding_id"]]
    # an attempt rests on no event of the log: nothing to cite
    [attempt] = all_findings(auditor, kind="segregation_attempt")
    refused = cite(performance, attempt, case_id)
    assert refused.status_code == 422, refused.text


# --- dismissal ----------------------------------------------------------------------------


def test_dismissal_by_a_named_person_is_refused_by_another_auditor_recorded(
    served: Served,
) -> None:
    auditor = served.client("fengshen")
    [gap] = all_findings(auditor, kind="recheck_gap")
    rechecker = str(served.year.person("liuqiang"))
    assert rechecker in {p["person_id"] for p in gap["persons"]}
    services = served.services
    named = served.client("liuqiang")  # issuing the token is an event: before `before`
    before = services.follower.head()
    refused = dismiss(named, gap, "复核口径不同")
    assert refused.status_code in (403, 409), refused.text
    assert services.follower.head() == before
    assert ok(auditor.get(f"/findings/{gap['finding_id']}"))["status"] == "open"

    ok(dismiss(auditor, gap, "经核实系评分口径差异，非弄虚作假"), 201)
    assert services.follower.head() > before
    new = [e for e in read_log(services.ledger).events if e.position > before]
    [dismissal] = new
    assert dismissal.name == "FindingDismissal.Dismissed"
    assert str(dismissal.event.finding_id) == gap["finding_id"]
    assert dismissal.actor_id == str(served.year.person("fengshen"))
    assert dismissal.event.act.reason == "经核实系评分口径差异，非弄虚作假"
    assert services.follower.wait_for(services.follower.head(), timeout=30)
    after = ok(auditor.get(f"/findings/{gap['finding_id']}"))
    assert [f["finding_id"] for f in all_findings(auditor, status="dismissed")] == [
        gap["finding_id"]
    ]
    assert after["status"] == "dismissed"
    assert after["dismissal"]["reason"] == "经核实系评分口径差异，非弄虚作假"


def test_department_and_jurisdiction_ledgers_agree_with_the_log(served: Served) -> None:
    auditor = served.client("fengshen")
    dept_of = _department_of_events(served)
    for code in ("D101", "D102", "D103"):
        org = str(served.year.org(code))
        want = department_positions(served.log, dept_of, org)
        got = paged_positions(auditor, f"/ledgers/departments/{org}", served.log)
        assert len(want) > 50 and got == want, (code, sorted(got ^ want)[:10])
    # The jurisdiction-year: every act on a 2025 record of 360403.
    want_year = year_positions(served.log, 2025)
    got_year = paged_positions(auditor, "/ledgers/jurisdictions/360403/2025", served.log)
    extra = [(p, served.log.by_position[p].name) for p in sorted(got_year ^ want_year)]
    assert got_year == want_year, extra


def test_the_finance_board_agrees_with_the_log(served: Served) -> None:
    board = ok(served.client("sunli").get("/boards/finance/360403/2025"))
    today = datetime.now(CHINA).date()
    notices, applied, evaluations, blocks = finance_facts(served.log)
    open_notices = {str(k): v for k, v in notices.items() if v["status"] != "verified"}
    assert set(open_notices) == {str(served.year.notices["P4"])}
    assert {n["id"] if "id" in n else n["notice_id"] for n in board["rectifications"]} == set(
        open_notices
    )
    for n in board["rectifications"]:
        due = open_notices[n.get("id") or n["notice_id"]]["due"]
        assert n["due"] == due.isoformat()
        assert n["state"] == ("overdue" if today > due else n["state"])
    unapplied = unapplied_results(evaluations, applied)
    assert unapplied == {str(served.year.projects["P7"].self_evaluation_id)}
    assert {r["evaluation_id"] for r in board["unapplied_results"]} == unapplied
    assert {b["block_id"] if "block_id" in b else b["id"] for b in board["funding_blocks"]} == {
        str(k) for k, active in blocks.items() if active
    }
