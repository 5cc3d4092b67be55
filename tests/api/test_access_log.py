"""Who looked: reads of person ledgers, case files and evidence packages are recorded
(who, what, when) in an append-only log the audit bureau queries; and tokens that expired
are refused like revoked ones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.registry.model import Person
from infrastructure.access_log import TABLE, access_log_of
from infrastructure.bootstrap import cli_act
from tests.conftest import LiveServer, issue_token
from tests.fixtures_world import World, build_world, object_body


@pytest.fixture
def world(server: LiveServer) -> World:
    return build_world(server.services)


def test_reads_of_ledgers_cases_and_evidence_are_logged(server: LiveServer, world: World) -> None:
    services = server.services
    staff = server.client(issue_token(services, "wangfang"))
    assert staff.post("/objects", json=object_body(world)).status_code == 201
    object_id = staff.get("/objects").json()[0]["object_id"]
    performance = server.client(issue_token(services, "liuqiang"))
    auditor = server.client(issue_token(services, "fengshen"))
    r = performance.post(
        "/cases",
        json={
            "mof_div_code": world.mof_div_code,
            "fiscal_year": 2023,
            "case_no": "C1",
            "finding_kind": "falsification",
            "object_ids": [object_id],
            "description": "虚报",
        },
    )
    case_id = r.json()["id"]
    started = datetime.now(UTC)
    person = str(world.person("wangfang"))

    assert performance.get(f"/cases/{case_id}").status_code == 200
    assert performance.get(f"/cases/{case_id}/package").status_code == 200
    assert auditor.get(f"/cases/naming/{person}").status_code == 200
    assert auditor.get(f"/persons/{person}").status_code == 200
    assert auditor.post("/integrity/tree-heads").status_code == 201
    r = auditor.get("/integrity/evidence/3", headers={"X-Request-ID": "look-3"})
    assert r.status_code == 200, r.text
    assert performance.get(f"/objects/{object_id}").status_code == 200  # not a logged read

    entries = auditor.get("/access-log", params={"since": started.isoformat()}).json()
    assert [(e["person_name"], e["operation"], e["resource_kind"], e["resource_id"])
            for e in entries] == [
        ("刘强", "GET /cases/{case_id}", "case", case_id),
        ("刘强", "GET /cases/{case_id}/package", "case", case_id),
        ("冯慎", "GET /cases/naming/{person_id}", "person", person),
        ("冯慎", "GET /persons/{person_id}", "person", person),
        ("冯慎", "GET /integrity/evidence/{position}", "event", "3"),
        ("冯慎", "GET /access-log", "access_log", None),
    ]  # fmt: skip
    evidence = entries[4]
    assert evidence["request_id"] == "look-3" and evidence["path"] == "/integrity/evidence/3"
    assert (evidence["role"], evidence["organisation_name"]) == ("auditor", "浔阳区审计局")
    assert datetime.fromisoformat(evidence["at"]) >= started

    # Filters: one person's reads, one resource's readers.
    mine = auditor.get("/access-log", params={"person_id": str(world.person("liuqiang"))}).json()
    assert {e["resource_id"] for e in mine} == {case_id}
    readers = auditor.get("/access-log", params={"resource_id": person}).json()
    assert {e["person_name"] for e in readers} == {"冯慎"}

    # Only the audit bureau reads the log, and only its own jurisdiction's entries.
    r = performance.get("/access-log")
    assert r.status_code == 403 and r.json()["type"] == "urn:jixiao:problem:forbidden"
    nc = build_world(services, "360100", "南昌市", prefix="nc.")
    other = server.client(issue_token(services, nc.login("fengshen")))
    assert [e["person_name"] for e in other.get("/access-log").json()] == ["冯慎"]  # itself

    # Append-only in the database.
    log = access_log_of(services.views_db)
    with pytest.raises(Exception, match="append-only"), log.db.transaction() as cur:
        cur.execute(f"UPDATE {TABLE} SET person_name = 'x'")
    with pytest.raises(Exception, match="append-only"), log.db.transaction() as cur:
        cur.execute(f"DELETE FROM {TABLE}")
    assert len(log.query(limit=1000)) == 9


def test_an_expired_token_is_refused(server: LiveServer, world: World) -> None:
    services = server.services
    person = services.ledger.load(Person, world.person("wangfang"))
    role, org = person.roles[0]
    token_id = services.signer.new_token_id()
    services.ledger.registry.issue_token(
        cli_act(), person.id, token_id, role, org, datetime.now(UTC) - timedelta(seconds=1)
    )
    r = server.client(services.signer.token(person.id, token_id)).get("/objects")
    assert r.status_code == 401 and r.json()["type"] == "urn:jixiao:problem:unauthenticated"
    assert server.client(issue_token(services, "wangfang")).get("/objects").status_code == 200
