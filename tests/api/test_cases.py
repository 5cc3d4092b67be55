"""Accountability over HTTP, as the people who do it: a case opened from a finding, evidence
cited from the ledger, responsible persons named with the roles the ledger shows, referral to
the discipline commission, its outcome; refusals are problem+json and record nothing."""

from __future__ import annotations

import hashlib
from uuid import UUID

import pytest

from tests.conftest import LiveServer, issue_token
from tests.fixtures_world import World, build_world
from tests.http_checks import assert_refused as _refused
from tests.http_checks import log_head as _head
from tests.http_checks import ok as _ok
from tests.unit.test_accountability import reviewed_project

MINUTES_SHA = hashlib.sha256("审计发现问题底稿".encode()).hexdigest()


@pytest.fixture
def world(server: LiveServer) -> World:
    return build_world(server.services)


def _events(server: LiveServer, client, object_id: UUID) -> dict[str, dict]:
    """The object's history by event (and review stage), as a user reads it, once the views
    have caught up with commands run directly on the ledger."""
    assert server.services.follower.wait_for(server.services.follower.head(), 5)
    rows = _ok(client.get(f"/objects/{object_id}/history"))
    return {
        r["event"] + (f":{r['details']['stage']}" if "stage" in r["details"] else ""): r
        for r in rows
    }


def _cite(row: dict, note: str) -> dict:
    return {
        "position": row["position"],
        "originator_id": row["aggregate_id"],
        "version": row["version"],
        "note": note,
    }


def _tamper(server: LiveServer, position: int) -> None:
    """Alter one stored record behind the ledger's back (what an attacker with DB access does)."""
    recorder = server.services.ledger.recorder
    n = recorder.select_notifications(start=position, limit=1)[0]
    if server.services.views_db.dialect == "postgres":
        table = f'"{recorder.datastore.schema}".{recorder.events_table_name}'
        sql = f"UPDATE {table} SET state = %s WHERE originator_id = %s AND originator_version = %s"
        params = (bytes(n.state) + b" ", n.originator_id, n.originator_version)
    else:  # SQLite numbers the log by rowid
        sql = f"UPDATE {recorder.events_table_name} SET state = ? WHERE rowid = ?"
        params = (bytes(n.state) + b" ", position)
    # The attacker first gets past the append-only triggers (as an owner could).
    if server.services.views_db.dialect == "postgres":
        disable = [f"ALTER TABLE {table} DISABLE TRIGGER USER"]
    else:
        disable = [f"DROP TRIGGER {recorder.events_table_name}_refuse_update"]
    with recorder.datastore.transaction(commit=True) as cur:
        for statement in disable:
            cur.execute(statement)
        cur.execute(sql, params)


def test_case_from_finding_to_discipline_outcome(server: LiveServer, world: World) -> None:
    services = server.services
    oid, _ = reviewed_project(services.ledger, world)
    performance = server.client(issue_token(services, "liuqiang"))
    auditor = server.client(issue_token(services, "fengshen"))
    discipline = server.client(issue_token(services, "jiangwei"))
    business = server.client(issue_token(services, "chenjing"))
    staff = server.client(issue_token(services, "wangfang"))
    events = _events(server, auditor, oid)

    r = performance.post(
        "/cases",
        json={
            "mof_div_code": world.mof_div_code,
            "fiscal_year": 2023,
            "case_no": "浔财绩问〔2023〕1号",
            "finding_kind": "falsification",
            "object_ids": [str(oid)],
            "description": "监控报告虚报完工进度，与国库支付不符",
            "business_date": "2023-05-20",
        },
    )
    case_id = _ok(r, 201)["id"]
    assert r.headers["location"] == f"/cases/{case_id}"

    # Evidence must exist in the ledger: a position beyond the log is refused.
    before = _head(server)
    bogus = {**_cite(events["GoalSubmitted"], ""), "position": before + 100}
    body = _refused(
        server,
        auditor.post(f"/cases/{case_id}/evidence/events", json=bogus),
        422,
        "invalid-input",
        before,
    )
    assert body["field"] == "position"

    submitted, initial = events["GoalSubmitted"], events["GoalReviewed:initial"]
    _ok(auditor.post(f"/cases/{case_id}/evidence/events", json=_cite(submitted, "虚报的目标")))
    _ok(auditor.post(f"/cases/{case_id}/evidence/events", json=_cite(initial, "初审未核实")))
    _ok(
        auditor.post(
            f"/cases/{case_id}/evidence/documents",
            json={"documents": [{"name": "审计底稿.pdf", "sha256": MINUTES_SHA}]},
        )
    )
    for login, row, what in (
        ("wangfang", submitted, "填报虚假目标"),
        ("chenjing", initial, "初审失察"),
    ):
        body = {
            "person_id": str(world.person(login)),
            "positions": [row["position"]],
            "description": what,
        }
        _ok(auditor.post(f"/cases/{case_id}/responsible-persons", json=body))

    # Refusals before referral: outcome first, a non-discipline organisation, a named person.
    before = _head(server)
    decide = {"outcome": "追责问责", "reason": "查实"}
    # Not yet referred to the commission: outside its reach (cases sent to it only).
    _refused(
        server, discipline.post(f"/cases/{case_id}/outcome", json=decide), 403,
        "out-of-scope", before,
    )  # fmt: skip
    refer = {
        "organisation_id": str(world.org("JW")),
        "referral_ref": "浔财绩移〔2023〕1号",
        "business_date": "2023-06-01",
    }
    body = _refused(
        server,
        performance.post(
            f"/cases/{case_id}/referral", json={**refer, "organisation_id": str(world.org("AUD"))}
        ),
        422,
        "invalid-input",
        before,
    )
    assert body["field"] == "organisation_id"
    body = _refused(
        server,
        business.post(f"/cases/{case_id}/evidence/documents",
                      json={"documents": [{"name": "x.pdf", "sha256": "0" * 64}]}),
        403, "not-permitted", before,
    )  # fmt: skip
    assert body["detail"].startswith("segregation of duties")
    _refused(server, staff.get(f"/cases/{case_id}"), 403, "forbidden", before)

    _ok(performance.post(f"/cases/{case_id}/referral", json=refer))
    referred = _ok(discipline.get("/cases", params={"referred_to": str(world.org("JW"))}))
    assert [c["case_id"] for c in referred] == [case_id]
    assert referred[0]["referred_by_name"] == "刘强"
    assert referred[0]["referral_date"] == "2023-06-01" and referred[0]["referred_at"]
    assert referred[0]["referred_to_name"] == "浔阳区纪委监委"

    package = _ok(discipline.get(f"/cases/{case_id}/package"))
    assert [
        (e["cited_position"], e["actor_name"], e["actor_role"]) for e in package["evidence"]
    ] == [
        (submitted["position"], "王芳", "department_staff"),
        (initial["position"], "陈静", "business_section"),
    ]
    assert {p["name"]: p["acts"][0]["role"] for p in package["persons"]} == {
        "王芳": "department_staff",
        "陈静": "business_section",
    }
    assert package["documents"][0]["sha256"] == MINUTES_SHA
    assert all(p["policy_id"] == "xunyang-2022" for p in package["persons"])

    _ok(discipline.post(f"/cases/{case_id}/receipt", json={}))
    etag = discipline.get(f"/cases/{case_id}").headers["etag"]
    _ok(discipline.post(f"/cases/{case_id}/outcome", json=decide, headers={"If-Match": etag}))
    case = _ok(discipline.get(f"/cases/{case_id}"))
    assert (case["status"], case["outcome"]) == ("closed", "追责问责")

    before = _head(server)
    body = _refused(
        server, discipline.post(f"/cases/{case_id}/outcome", json=decide), 409,
        "invalid-transition", before,
    )  # fmt: skip
    assert "closed" in body["detail"]

    # The person ledger, and the object's own history, show the case.
    named = _ok(auditor.get(f"/cases/naming/{world.person('wangfang')}"))
    assert [(c["case_id"], c["outcome"]) for c in named] == [(case_id, "追责问责")]
    history = [h["event"] for h in _ok(auditor.get(f"/objects/{oid}/history"))]
    assert history[-3:] == ["Opened", "EventCited", "EventCited"]

    # The cited records are intact; altered behind the ledger's back, the check says so.
    checks = _ok(discipline.get(f"/cases/{case_id}/evidence-check"))
    assert [c["intact"] for c in checks] == [True, True]
    _tamper(server, submitted["position"])
    checks = _ok(discipline.get(f"/cases/{case_id}/evidence-check"))
    assert [c["intact"] for c in checks] == [False, True]


def test_malformed_case_commands_are_refused(server: LiveServer, world: World) -> None:
    performance = server.client(issue_token(server.services, "liuqiang"))
    discipline = server.client(issue_token(server.services, "jiangwei"))
    before = _head(server)
    base = {
        "mof_div_code": world.mof_div_code,
        "fiscal_year": 2023,
        "case_no": "X1",
        "finding_kind": "falsification",
        "description": "x",
    }
    for bad in (
        {**base, "finding_kind": "laziness"},
        {**base, "object_ids": ["not-a-uuid"]},
        {**base, "actor": {"name": "someone"}},
        {**base, "object_ids": ["00000000-0000-0000-0000-000000000000"]},
    ):
        _refused(server, performance.post("/cases", json=bad), 422, "invalid-input", before)
    r = discipline.post("/cases/00000000-0000-0000-0000-000000000000/receipt", json={})
    _refused(server, r, 404, "not-found", before)


def test_a_case_closed_without_referral(server: LiveServer, world: World) -> None:
    """不予移送: the bureau that built a case closes it without referring it, saying why; the
    case then changes no more, and those who may not close it are refused."""
    services = server.services
    oid, _ = reviewed_project(services.ledger, world)
    auditor = server.client(issue_token(services, "fengshen"))
    staff = server.client(issue_token(services, "wangfang"))
    discipline = server.client(issue_token(services, "jiangwei"))
    events = _events(server, auditor, oid)
    case_id = _ok(
        auditor.post(
            "/cases",
            json={
                "mof_div_code": world.mof_div_code,
                "fiscal_year": 2023,
                "case_no": "浔审问〔2023〕7号",
                "finding_kind": "falsification",
                "object_ids": [str(oid)],
                "description": "初审意见与附件不符",
            },
        ),
        201,
    )["id"]
    cited = _cite(events["GoalSubmitted"], "")
    _ok(auditor.post(f"/cases/{case_id}/evidence/events", json=cited))

    before = _head(server)
    closure = f"/cases/{case_id}/closure"
    _refused(server, auditor.post(closure, json={}), 422, "invalid-input", before)
    _refused(server, auditor.post(closure, json={"reason": ""}), 422, "invalid-input", before)
    _refused(server, staff.post(closure, json={"reason": "x"}), 403, "forbidden", before)
    _refused(server, discipline.post(closure, json={"reason": "x"}), 403, "forbidden", before)

    why = "经核实系填报笔误，已当场更正，情节轻微，不予移送"
    assert _ok(auditor.post(closure, json={"reason": why}))["views_current"] is True
    case = _ok(auditor.get(f"/cases/{case_id}"))
    assert (case["status"], case["outcome"]) == ("closed", "不予移送")
    listed = _ok(auditor.get("/cases", params={"status": "closed"}))
    assert [
        (c["outcome"], c["outcome_reason"], c["decided_by_name"])
        for c in listed
        if c["case_id"] == case_id
    ] == [("不予移送", why, "冯慎")]

    before = _head(server)
    refer = {
        "organisation_id": str(world.org("JW")),
        "referral_ref": "R1",
        "business_date": "2023-06-01",
    }
    for late in (
        auditor.post(f"/cases/{case_id}/referral", json=refer),
        auditor.post(closure, json={"reason": why}),
        auditor.post(f"/cases/{case_id}/evidence/events", json=cited),
    ):
        _refused(server, late, 409, "invalid-transition", before)
    closings = _ok(
        auditor.get(
            "/log/search",
            params={
                "person_id": str(world.person("fengshen")),
                "event_type": "AccountabilityCase.ClosedWithoutReferral",
            },
        )
    )["entries"]
    assert [(e["topic"], e["originator_id"]) for e in closings] == [
        ("jixiao:AccountabilityCase.ClosedWithoutReferral", case_id)
    ]
