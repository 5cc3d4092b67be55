"""Ledgers and search of the log over HTTP, on both stores: each answer is checked against
what the test computes from the log itself (read with the recorder, decoded, filtered here),
pages walk without gaps or repeats, reads stay within reach, person-ledger reads are in the
access log, and a rebuilt index answers the same."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest

from infrastructure.bootstrap import cli_act
from tests.conftest import LiveServer
from tests.fixtures_world import World, build_world
from tests.http_checks import client_for, ok
from tests.scenarios.helpers import drive_goals, indicators

CST = timezone(timedelta(hours=8))


@dataclass
class Logged:
    position: int
    event: Any

    @property
    def actor(self) -> Any:
        return self.event.act.actor

    @property
    def type(self) -> str:
        return type(self.event).__qualname__


def _log(server: LiveServer) -> list[Logged]:
    ledger = server.services.ledger
    found = ledger.recorder.select_notifications(start=1, limit=1_000_000)
    return [Logged(n.id, ledger.mapper.to_domain_event(n)) for n in found]


def _register(server: LiveServer, world: World, login: str, dept: str, code: str, **act) -> Any:
    ledger = server.services.ledger
    outcome = ledger.goals.register_object(
        world.act_as(login, **act),
        mof_div_code=world.mof_div_code,
        fiscal_year=2023,
        pro_code=code,
        name=f"项目{code}",
        kind="project",
        department_id=world.org(dept),
        unit_id=world.org("D101001") if login == "lijun" else None,
        fund_type="government_fund",
        amount=Decimal("500000.00"),
        is_new=True,
    )
    return outcome.aggregate_id


@pytest.fixture
def world(server: LiveServer) -> World:
    """Two departments of 浔阳区 with acts by several people, a case on the second, and a
    neighbouring jurisdiction (南昌市) with its own acts."""
    services = server.services
    world = build_world(services)
    drive_goals(services, world, 4)  # D101: wangfang submits; chenjing, liuqiang, sunli review
    _register(server, world, "lijun", "D101", "U001")  # a unit's object (D101's)
    d102 = _register(server, world, "zhaoyun", "D102", "H001", business_date=date(2023, 3, 1))
    ledger = services.ledger
    submitted = ledger.goals.submit_goal(
        world.act_as("zhaoyun", business_date=date(2023, 3, 2)), d102, indicators()
    )
    ledger.goals.review_goal(world.act_as("wuhua"), d102, "initial", "良", "同意")
    ledger.goals.review_goal(world.act_as("liuqiang"), d102, "second", "良", "同意")
    case = ledger.accountability.open_case(
        world.act_as("fengshen"),
        mof_div_code=world.mof_div_code,
        fiscal_year=2023,
        case_no="SJ-1",
        finding_kind="falsification",
        object_ids=[d102],
        description="审计发现",
    ).aggregate_id
    # zhaoyun is named for the submission and the case referred to discipline (纪委监委).
    auditor = world.act_as("fengshen")
    ledger.accountability.cite_event_in_case(
        auditor, case, submitted.position, d102, submitted.version, "虚报"
    )
    ledger.accountability.name_responsible_person(
        auditor, case, str(world.person("zhaoyun")), [submitted.position], "填报"
    )
    referral = world.act_as("fengshen", business_date=date(2023, 6, 1))
    ledger.accountability.refer_case(referral, case, world.org("JW"), "浔审移〔2023〕1号")
    nc = build_world(services, "360100", "南昌市", prefix="nc.")
    ledger.goals.register_object(
        nc.act_as("wangfang"),
        mof_div_code=nc.mof_div_code,
        fiscal_year=2023,
        pro_code="NC001",
        name="南昌项目",
        kind="project",
        department_id=nc.org("D101"),
        unit_id=None,
        fund_type="government_fund",
        amount=Decimal("500000.00"),
        is_new=True,
    )
    world.nc = nc  # type: ignore[attr-defined]
    return world


def _walk(client, url: str, limit: int, **params: Any) -> tuple[list[dict], int]:
    """Every page of a ledger or search; checks each page's total and keyset."""
    entries: list[dict] = []
    after, totals = 0, set()
    while True:
        page = ok(client.get(url, params={**params, "after": after, "limit": limit}))
        totals.add(page["total"])
        entries += page["entries"]
        assert page["lag"] >= 0
        if page["next_after"] is None:
            break
        assert page["next_after"] == page["entries"][-1]["position"]
        after = page["next_after"]
    positions = [e["position"] for e in entries]
    assert positions == sorted(set(positions)), "pages overlap or are out of log order"
    assert totals == {len(entries)}, "total is not the count of every page's entries"
    return entries, len(entries)


def _positions(client, url: str, **params: Any) -> list[int]:
    return [e["position"] for e in _walk(client, url, 1000, **params)[0]]


@dataclass
class Coordinates:
    """From the events: each aggregate's department, fiscal year and jurisdiction (an
    aggregate that names an object takes the object's), and the case aggregates."""

    department: dict[str, str]
    year: dict[str, int]
    jurisdiction: dict[str, str]
    cases: set[str]

    def jurisdiction_of(self, item: Logged) -> str | None:
        """The aggregate's, else the actor's organisation's (none for the command line)."""
        found = self.jurisdiction.get(str(item.event.originator_id))
        return found or self.jurisdiction.get(item.actor.organisation_id or "")


def _coordinates(log: list[Logged]) -> Coordinates:
    department: dict[str, str] = {}
    year: dict[str, int] = {}
    jurisdiction: dict[str, str] = {}
    cases: set[str] = set()
    for item in log:
        e, agg = item.event, str(item.event.originator_id)
        if item.type.startswith("AccountabilityCase."):
            cases.add(agg)
        named = getattr(e, "object_id", None)
        source = str(named) if named is not None else None
        if getattr(e, "department_id", None) is not None:
            department.setdefault(agg, str(e.department_id))
        elif source in department:
            department.setdefault(agg, department[source])
        if isinstance(getattr(e, "fiscal_year", None), int):
            year.setdefault(agg, e.fiscal_year)
        elif source in year:
            year.setdefault(agg, year[source])
        if getattr(e, "mof_div_code", None):
            jurisdiction.setdefault(agg, e.mof_div_code)
        elif source in jurisdiction:
            jurisdiction.setdefault(agg, jurisdiction[source])
    return Coordinates(department, year, jurisdiction, cases)


def test_ledgers_and_search_answer_what_the_log_says(server: LiveServer, world: World) -> None:
    nc: World = world.nc  # type: ignore[attr-defined]
    auditor = client_for(server, world, "fengshen")
    performance = client_for(server, world, "liuqiang")
    section = client_for(server, world, "chenjing")  # supervises D101
    d102_staff = client_for(server, world, "zhaoyun")
    npc = client_for(server, world, "hexin")
    unit = client_for(server, world, "lijun")
    nc_auditor = client_for(server, nc, "fengshen")
    discipline = client_for(server, world, "jiangwei")
    services = server.services
    assert services.follower.wait_for(services.follower.head(), 10)
    log = _log(server)
    code = world.mof_div_code
    known = _coordinates(log)
    department, year, cases = known.department, known.year, known.cases
    d101, d102 = str(world.org("D101")), str(world.org("D102"))
    units = {str(world.org("D101001")): d101}

    def in_department(item: Logged, dept: str) -> bool:
        org, agg = item.actor.organisation_id, str(item.event.originator_id)
        return (
            department.get(agg) == dept
            or agg == dept  # the registry's acts on the department and its units
            or units.get(agg) == dept
            or org == dept
            or units.get(org or "") == dept
        )

    def expected(keep) -> list[int]:
        return [item.position for item in log if keep(item)]

    answers: dict[str, Any] = {}

    # A department's ledger: its people's acts and every act on its and its units' records.
    url = f"/ledgers/departments/{d101}"
    answers["d101"] = _positions(auditor, url)
    assert answers["d101"] == expected(lambda i: in_department(i, d101))
    lijun = str(world.person("lijun"))
    assert any(i.position in answers["d101"] and i.actor.person_id == lijun for i in log)
    assert _positions(section, url) == answers["d101"]  # its supervising section
    entries, _ = _walk(auditor, url, 3)  # small pages walk the same ledger
    assert [e["position"] for e in entries] == answers["d101"]
    first = entries[0]
    assert datetime.fromisoformat(first["recorded_at"]).utcoffset() == timedelta(0)
    assert first["event_id"] == f"{first['originator_id']}@{first['originator_version']}"

    # A department reads its own ledger without the case against it; not another's.
    url = f"/ledgers/departments/{d102}"
    answers["d102"] = _positions(auditor, url)
    assert answers["d102"] == expected(lambda i: in_department(i, d102))
    case_rows = expected(lambda i: str(i.event.originator_id) in cases)
    assert case_rows and set(case_rows) <= set(answers["d102"])
    own = _positions(d102_staff, url)
    assert own == [p for p in answers["d102"] if p not in case_rows]
    _out_of_scope(d102_staff.get(f"/ledgers/departments/{d101}"))
    _out_of_scope(section.get(f"/ledgers/departments/{d102}"))
    _forbidden(unit.get(url))
    _forbidden(npc.get(url))

    # A person's ledger: everything they signed, in any role; the read is logged.
    liuqiang = str(world.person("liuqiang"))
    url = f"/ledgers/persons/{liuqiang}"
    answers["liuqiang"] = _positions(auditor, url)
    assert answers["liuqiang"] == expected(lambda i: i.actor.person_id == liuqiang)
    assert _positions(performance, url) == answers["liuqiang"]  # one's own
    # Another department sees only the acts on its own records.
    assert _positions(d102_staff, url) == [p for p in answers["liuqiang"] if p in own]
    assert 0 < len([p for p in answers["liuqiang"] if p in own]) < len(answers["liuqiang"])
    hexin = str(world.person("hexin"))
    assert _positions(npc, f"/ledgers/persons/{hexin}") == []  # their own: nothing signed
    _out_of_scope(npc.get(url))
    _out_of_scope(nc_auditor.get(url))  # a person of another jurisdiction
    # Discipline reads the ledgers of persons named in cases referred to it, no other.
    _out_of_scope(discipline.get(url))
    zhaoyun = str(world.person("zhaoyun"))
    named = _positions(discipline, f"/ledgers/persons/{zhaoyun}")
    assert named == expected(lambda i: i.actor.person_id == zhaoyun) and named
    _forbidden(discipline.get(f"/ledgers/departments/{d102}"))
    readers = ok(auditor.get("/access-log", params={"resource_id": liuqiang}))
    operations = {(e["person_name"], e["operation"]) for e in readers}
    for name in ("冯慎", "刘强", "赵云"):
        assert (name, "GET /ledgers/persons/{person_id}") in operations

    # A jurisdiction-year.
    url = f"/ledgers/jurisdictions/{code}/2023"
    answers["year"] = _positions(auditor, url)
    assert answers["year"] == expected(
        lambda i: year.get(str(i.event.originator_id)) == 2023 and known.jurisdiction_of(i) == code
    )
    assert _positions(d102_staff, url) == [p for p in answers["year"] if p in own]
    _out_of_scope(nc_auditor.get(url))
    assert _positions(nc_auditor, f"/ledgers/jurisdictions/{nc.mof_div_code}/2023")

    # Searches: by event type, role, organisation, object, time and business date.
    search = "/log/search"
    answers["reviews"] = _positions(auditor, search, event_type="PerformanceObject.GoalReviewed")
    assert answers["reviews"] == expected(lambda i: i.type == "PerformanceObject.GoalReviewed")
    answers["sections"] = _positions(auditor, search, role="business_section")
    assert answers["sections"] == expected(
        lambda i: i.actor.role == "business_section" and known.jurisdiction_of(i) == code
    )
    b01 = str(world.org("B01"))
    answers["b01"] = _positions(performance, search, organisation_id=b01, fiscal_year=2023)
    assert answers["b01"] == expected(lambda i: i.actor.organisation_id == b01)
    d102_object = next(
        str(i.event.originator_id) for i in log if i.type == "PerformanceObject.Registered"
        and str(i.event.department_id) == d102
    )  # fmt: skip
    answers["object"] = _positions(auditor, search, object_id=d102_object)
    # An event names its object, or its aggregate's first event did (or it is the object).
    first_named: dict[str, str] = {}
    for item in log:
        named = getattr(item.event, "object_id", None)
        if named is not None:
            first_named.setdefault(str(item.event.originator_id), str(named))
    assert answers["object"] == expected(
        lambda i: (
            d102_object
            in (
                str(i.event.originator_id),
                str(
                    getattr(i.event, "object_id", None)
                    or first_named.get(str(i.event.originator_id))
                ),
            )
        )
    )
    answers["dated"] = _positions(
        auditor, search, business_from="2023-03-01", business_to="2023-03-01"
    )
    assert answers["dated"] == expected(lambda i: i.event.act.business_date == date(2023, 3, 1))
    assert answers["dated"]
    middle = log[len(log) // 2]
    since = middle.event.timestamp.astimezone(CST).isoformat()  # any offset names the instant
    answers["since"] = _positions(auditor, search, recorded_from=since, mof_div_code=code)
    assert answers["since"] == expected(
        lambda i: i.event.timestamp >= middle.event.timestamp and known.jurisdiction_of(i) == code
    )
    until = middle.event.timestamp.isoformat()
    before = _positions(auditor, search, recorded_to=until)
    assert before == expected(
        lambda i: i.event.timestamp < middle.event.timestamp and known.jurisdiction_of(i) == code
    )
    r = auditor.get(search, params={"recorded_from": "2023-01-01T00:00:00"})
    assert r.status_code == 422  # an instant without its offset names no instant

    # Searches are narrowed to reach: a jurisdiction, a department, supervised departments.
    everything = set(_positions(auditor, search))
    assert everything == set(expected(lambda i: known.jurisdiction_of(i) == code))
    narrowed = _positions(d102_staff, search)
    assert narrowed == own
    assert _positions(section, search) == answers["d101"]
    assert _positions(auditor, search, mof_div_code=nc.mof_div_code) == []
    assert not set(_positions(nc_auditor, search)) & everything
    _forbidden(npc.get(search))
    _forbidden(discipline.get(search))
    _forbidden(unit.get(search))

    assert all(answers.values()), [k for k, v in answers.items() if not v]
    assert before and len(before) < len(everything)

    # Rebuilt from zero, the index answers the same.
    services.follower.rebuild()
    assert _positions(auditor, f"/ledgers/departments/{d101}") == answers["d101"]
    assert _positions(auditor, f"/ledgers/departments/{d102}") == answers["d102"]
    assert _positions(auditor, f"/ledgers/persons/{liuqiang}") == answers["liuqiang"]
    assert _positions(auditor, f"/ledgers/jurisdictions/{code}/2023") == answers["year"]
    assert (
        _positions(auditor, search, event_type="PerformanceObject.GoalReviewed")
        == answers["reviews"]
    )
    assert _positions(auditor, search, recorded_from=since, mof_div_code=code) == answers["since"]

    # A section supervising two departments searches both (an event counted once).
    services.ledger.registry.assign_supervisor(cli_act("test"), world.org("D102"), world.org("B01"))
    assert services.follower.wait_for(services.follower.head(), 10)
    both = set(_positions(auditor, f"/ledgers/departments/{d101}"))
    both |= set(_positions(auditor, f"/ledgers/departments/{d102}"))
    assert _positions(section, search) == sorted(both)
    entries, _ = _walk(section, search, 7)
    assert [e["position"] for e in entries] == sorted(both)


def _out_of_scope(reply) -> None:
    assert reply.status_code == 403, reply.text
    assert reply.json()["type"] == "urn:jixiao:problem:out-of-scope"


def _forbidden(reply) -> None:
    assert reply.status_code == 403, reply.text
    assert reply.json()["type"] == "urn:jixiao:problem:forbidden"
