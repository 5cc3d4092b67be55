"""Findings over HTTP: an inflated self-score caught by a re-check names its preparer and its
rechecker with the records' hashes; back-dating is judged by each jurisdiction's tolerance;
a finding is dismissed (never by a person it names) or cited into a case; the accountability
ledgers count them; only the auditor, discipline and performance section of the jurisdiction
read them. The year-long scenario with every planted kind is tests/scenarios/test_findings_year.py.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.business_dates import today_in_china
from domain.citation.cited_event import record_sha256, stored_record
from projections.findings_queries import FindingFilters, findings_page
from tests.conftest import LiveServer
from tests.evaluation_helpers import approved_object, doc, self_evaluation_body
from tests.fixtures_world import World, build_world
from tests.http_checks import assert_refused as refused
from tests.http_checks import client_for, ok
from tests.http_checks import log_head as head


@pytest.fixture
def world(server: LiveServer) -> World:
    return build_world(server.services)


def _inflated(
    server: LiveServer,
    world: World,
    pro_code: str,
    recheck: str,
    fiscal_year: int = 2025,
    days_back: int = 0,
) -> str:
    """Self-evaluated at 100 by 王芳 (claiming a date `days_back` before today), rechecked
    by 刘强; returns the object id."""
    oid = approved_object(server.services, world, pro_code, fiscal_year)
    staff = client_for(server, world, "wangfang")
    claimed = today_in_china() - timedelta(days=days_back)
    body = {**self_evaluation_body(), "business_date": claimed.isoformat()}
    evaluation = ok(staff.post(f"/objects/{oid}/evaluations/self", json=body), 201)
    ok(
        client_for(server, world, "liuqiang").post(
            f"/evaluations/{evaluation['id']}/recheck",
            json={"score": recheck, "comments": "抽查复核：佐证材料不足", "business_date": None},
        ),
        201,
    )
    return str(oid)


def test_an_inflated_self_score_names_its_chain_and_pins_its_records(
    server: LiveServer, world: World
) -> None:
    caught = _inflated(server, world, "F1", "85.00")  # gap 15: 相差15分以上
    _inflated(server, world, "F2", "85.01")  # gap 14.99: no finding
    auditor = client_for(server, world, "fengshen")
    page = ok(auditor.get("/findings", params={"kind": "recheck_gap"}))
    assert [f["object_id"] for f in page["items"]] == [caught]
    assert page["total"] == 1 and page["lag"] == 0
    finding = page["items"][0]
    assert finding["falsification_trace"] is True
    assert finding["statistic"] == {
        "self_score": "100.00",
        "recheck_score": "85.00",
        "gap": "15.00",
        "threshold": ">= 15",
    }
    assert finding["policy"]["policy_id"] == "xunyang-2022"
    parts = {(p["part"], p["name"], p["role"]) for p in finding["persons"]}
    assert parts == {
        ("填报 prepared", "王芳", "department_staff"),
        ("审核 reviewed", "刘强", "performance_section"),
    }
    assert [e["event"] for e in finding["events"]] == [
        "SelfEvaluation.SelfEvaluationSubmitted",
        "SpotCheck.SpotCheckRecorded",
    ]
    for event in finding["events"]:  # the hash is the stored record's, as a case pins it
        record = stored_record(server.services.ledger, event["position"])
        assert record is not None and event["record_sha256"] == record_sha256(record)
        assert event["originator_id"] == str(record.originator_id)
    assert ok(auditor.get(f"/findings/{finding['finding_id']}")) == finding
    # Findings name persons: who read them is in the access log.
    looked = ok(auditor.get("/access-log", params={"resource_kind": "finding"}))
    assert [e["resource_id"] for e in looked] == [finding["finding_id"]]
    assert ok(auditor.get("/access-log", params={"resource_kind": "findings"}))

    # The accountability ledgers: 王芳 signed her acts and is named once; 住建局 has one trace.
    wangfang = world.person("wangfang")
    mine = ok(auditor.get(f"/ledgers/persons/{wangfang}/accountability"))
    assert mine["name"] == "王芳"
    assert [f["finding_id"] for f in mine["findings"]] == [finding["finding_id"]]
    assert mine["signed"]["by_event"]["SelfEvaluation.SelfEvaluationSubmitted"] == 2
    assert mine["signed"]["total"] == sum(mine["signed"]["by_event"].values())
    department = ok(auditor.get(f"/ledgers/departments/{world.org('D101')}/accountability"))
    assert department["by_kind"] == {"recheck_gap": 1}
    assert department["falsification_traces"] == 1
    assert {p["name"]: p["findings"] for p in department["persons"]} == {"王芳": 1, "刘强": 1}
    other = ok(auditor.get(f"/ledgers/departments/{world.org('D102')}/accountability"))
    assert other["findings_total"] == 0 and other["persons"] == []


def test_the_same_finding_year_after_year_is_named(server: LiveServer, world: World) -> None:
    _inflated(server, world, "R1", "80.00", fiscal_year=2023)
    _inflated(server, world, "R2", "80.00", fiscal_year=2025)
    auditor = client_for(server, world, "fengshen")
    path = f"/ledgers/departments/{world.org('D101')}/accountability"
    assert ok(auditor.get(path))["repeated"] == []  # 2023 and 2025: not consecutive
    _inflated(server, world, "R3", "80.00", fiscal_year=2024)
    summary = ok(auditor.get(path))
    assert summary["repeated"] == [{"kind": "recheck_gap", "years": [2023, 2024, 2025]}]
    assert summary["by_kind"] == {"recheck_gap": 3}


def test_dismissal_is_an_event_no_named_person_may_make(server: LiveServer, world: World) -> None:
    _inflated(server, world, "F3", "70.00")
    auditor = client_for(server, world, "fengshen")
    finding = ok(auditor.get("/findings", params={"kind": "recheck_gap"}))["items"][0]
    path = f"/findings/{finding['finding_id']}/dismissal"
    named = client_for(server, world, "liuqiang")  # the rechecker, named as 审核
    staff = client_for(server, world, "wangfang")
    before = head(server)
    body = refused(
        server, named.post(path, json={"reason": "复核口径不同"}), 403, "not-permitted", before
    )
    assert "named in this finding" in body["detail"]
    refused(server, auditor.post(path, json={}), 422, "invalid-input", before)
    refused(server, staff.post(path, json={"reason": "x"}), 403, "forbidden", before)
    ok(
        auditor.post(
            path,
            json={
                "reason": "复核时适用的评分标准有误，已重新核定",
                "evidence": [doc("核定说明.pdf")],
            },
        ),
        201,
    )
    assert head(server) == before + 1
    again = ok(auditor.get(f"/findings/{finding['finding_id']}"))
    assert again["status"] == "dismissed"
    assert again["dismissal"]["by"]["name"] == "冯慎"
    assert again["dismissal"]["reason"].startswith("复核时适用")
    # What is still open: 刘强's attempt to dismiss what names him (the security log's).
    (attempt,) = ok(auditor.get("/findings", params={"status": "open"}))["items"]
    assert attempt["kind"] == "segregation_attempt" and attempt["events"] == []
    assert [(p["part"], p["name"]) for p in attempt["persons"]] == [("尝试 attempted", "刘强")]
    assert attempt["statistic"]["message"].endswith("you are named in this finding")
    before = head(server)
    refused(server, auditor.post(path, json={"reason": "再次"}), 409, "invalid-transition", before)


def test_a_finding_is_cited_into_a_case_in_one_write(server: LiveServer, world: World) -> None:
    # The self-evaluation is back-dated too: its event rests under two findings.
    oid = _inflated(server, world, "F4", "60.00", days_back=60)
    auditor = client_for(server, world, "fengshen")
    found = ok(auditor.get("/findings", params={"object_id": oid}))["items"]
    assert sorted(f["kind"] for f in found) == ["back_dated", "recheck_gap"]
    (finding,) = [f for f in found if f["kind"] == "recheck_gap"]
    (other,) = [f for f in found if f["kind"] == "back_dated"]
    assert other["events"][0]["position"] == finding["events"][0]["position"]
    case = ok(
        auditor.post(
            "/cases",
            json={
                "mof_div_code": world.mof_div_code,
                "fiscal_year": 2025,
                "case_no": "审计〔2026〕F4",
                "finding_kind": "falsification",
                "object_ids": [oid],
                "description": "自评虚高",
            },
        ),
        201,
    )
    before = head(server)
    cited = ok(
        auditor.post(f"/findings/{finding['finding_id']}/citation", json={"case_id": case["id"]})
    )
    # One write: every event cited, and the finding's citation itself.
    assert head(server) == before + len(finding["events"]) + 1
    assert cited["id"] == case["id"]
    again = ok(auditor.get(f"/findings/{finding['finding_id']}"))
    assert (again["status"], again["cited_in"]) == ("cited", [case["id"]])
    filed = ok(auditor.get(f"/cases/{case['id']}"))
    positions = sorted(c["position"] for c in filed["citations"])
    assert positions == [e["position"] for e in finding["events"]]
    # Only the finding cited is: the other one resting on a cited event stays open.
    assert ok(auditor.get(f"/findings/{other['finding_id']}"))["status"] == "open"
    package = ok(auditor.get(f"/cases/{case['id']}/package"))
    assert [f["finding_id"] for f in package["findings"]] == [finding["finding_id"]]
    assert package["findings"][0]["persons"] == finding["persons"]
    before = head(server)
    r = auditor.post(f"/findings/{finding['finding_id']}/citation", json={"case_id": case["id"]})
    refused(server, r, 409, "already-exists", before)


def test_back_dating_is_judged_by_each_jurisdictions_tolerance(server: LiveServer) -> None:
    """南昌 tolerates 15 days, the national default (浔阳 inherits it) 31: an object registered
    today claiming a date 20 days back is a finding in 南昌 only; 40 days back, in both."""
    services = server.services
    xunyang = build_world(services)
    nanchang = build_world(services, "360100", "南昌市", prefix="nc.")
    today = today_in_china()
    found = {}
    for world in (xunyang, nanchang):
        staff = client_for(server, world, "wangfang")
        for days in (20, 40):
            body = {
                "mof_div_code": world.mof_div_code,
                "fiscal_year": today.year,
                "pro_code": f"BD{days}",
                "name": f"补录项目{days}",
                "kind": "project",
                "department_id": str(world.org("D101")),
                "unit_id": None,
                "fund_type": "general_public",
                "amount": "100000.00",
                "is_new": True,
                "last_year_amount": None,
                "business_date": (today - timedelta(days=days)).isoformat(),
            }
            ok(staff.post("/objects", json=body), 201)
        auditor = client_for(server, world, "fengshen")
        items = ok(auditor.get("/findings", params={"kind": "back_dated"}))["items"]
        found[world.mof_div_code] = sorted(f["statistic"]["days_late"] for f in items)
        for f in items:
            assert f["persons"][0]["name"] == "王芳"
            assert f["statistic"]["tolerance_days"] == (31 if world is xunyang else 15)
    assert found == {"360403": [40], "360100": [20, 40]}


def test_only_the_jurisdictions_auditor_discipline_and_performance_section_read_findings(
    server: LiveServer, world: World
) -> None:
    _inflated(server, world, "F5", "80.00")
    for login in ("fengshen", "jiangwei", "liuqiang"):
        assert ok(client_for(server, world, login).get("/findings"))["total"] == 1
    others = [client_for(server, world, login) for login in ("wangfang", "hexin", "chenjing")]
    auditor = client_for(server, world, "fengshen")
    before = head(server)
    for client in others:
        refused(server, client.get("/findings"), 403, "forbidden", before)
    r = auditor.get("/findings", params={"mof_div_code": "360100"})
    refused(server, r, 403, "out-of-scope", before)
    refused(server, auditor.get("/findings", params={"kind": "x"}), 422, "invalid-input", before)
    refused(server, auditor.get("/findings/not-a-finding"), 404, "not-found", before)


def test_a_page_holds_every_finding_its_last_position_made(services) -> None:
    """One event can make several findings; keyset paging by position loses none of them."""
    rows = [("a", 10), ("b", 10), ("c", 10), ("d", 11)]
    with services.views_db.transaction() as cur:
        for fid, position in rows:
            cur.execute(
                "INSERT INTO v_findings (finding_id, kind, title, mof_div_code, fiscal_year, "
                "department_id, object_id, policy, statistic, falsification_trace, "
                "found_at_position, updated_position) "
                "VALUES (?, 'back_dated', 't', '360403', 2025, NULL, NULL, NULL, '{}', 0, ?, ?)",
                (fid, position, position),
            )
    filters = FindingFilters(mof_div_code="360403")
    with services.views_db.transaction(write=False) as cur:
        first, total = findings_page(cur, filters, after=0, limit=2)
        second, _ = findings_page(cur, filters, after=first[-1]["found_at_position"], limit=2)
        _, capped = findings_page(cur, filters, after=0, limit=2, cap=3)
        _, at_cap = findings_page(cur, filters, after=0, limit=2, cap=4)
    assert (total.count, total.exact) == (4, True)
    assert (capped.count, capped.exact) == (3, False), "past the cap: at least the cap"
    assert (at_cap.count, at_cap.exact) == (4, True)
    assert [f["finding_id"] for f in first] == ["a", "b", "c"]
    assert [f["finding_id"] for f in second] == ["d"]
