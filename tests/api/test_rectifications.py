"""Rectification over HTTP: deadlines in official working days (and which calendar said so),
written answers with evidence, verification or rejection, overdue, and Nanchang's rule that
an unrectified department gets no budget approval (Xinfeng has no such rule)."""

from __future__ import annotations

import pytest

from tests.conftest import LiveServer, issue_token
from tests.evaluation_helpers import APPROVED, approved_object, doc, use_chinese_calendar
from tests.fixtures_world import World, build_world
from tests.http_checks import assert_refused as refused
from tests.http_checks import log_head as _head

NOTICE_2027 = "国务院办公厅关于2027年部分节假日安排的通知（假设）"


def _clients(server: LiveServer, world: World, *logins: str):
    return [server.client(issue_token(server.services, world.login(x))) for x in logins]


def _issue(client, object_id, ref: str, on: str, **extra):
    return client.post(
        f"/objects/{object_id}/rectifications",
        json={
            "notice_ref": ref,
            "problems": ["绩效目标设置不合理", "佐证材料不全"],
            "business_date": on,
            **extra,
        },
    )


def test_deadline_across_national_day_counts_official_working_days(server: LiveServer) -> None:
    use_chinese_calendar(server.services)
    world = build_world(server.services)
    oid = approved_object(server.services, world, "R1")
    business, staff = _clients(server, world, "chenjing", "wangfang")
    r = _issue(business, oid, "浔财绩整〔2025〕1号", "2025-09-26")
    assert r.status_code == 201, r.text
    notice = business.get(r.headers["location"]).json()
    # 9-28 and 10-11 are adjusted working days, 10-01…10-08 the holiday: due 10-23, not 10-17.
    assert (notice["issued_on"], notice["due"]) == ("2025-09-26", "2025-10-23")
    assert notice["calendar"].startswith("chinesecalendar ")
    assert notice["policy"]["policy_id"] == "xunyang-2022" and notice["status"] == "open"
    assert (
        business.get(r.headers["location"], params={"as_of": "2025-10-23"}).json()["overdue"]
        is False
    )
    listed = business.get("/rectifications", params={"overdue": True, "as_of": "2025-10-24"})
    assert [n["notice_ref"] for n in listed.json()] == ["浔财绩整〔2025〕1号"]
    preview = staff.get("/working-days/deadline", params={"start": "2025-09-26", "days": 15})
    assert preview.json()["due"] == "2025-10-23"


def test_beyond_the_package_a_loaded_table_or_weekdays_and_the_notice_says_which(
    server: LiveServer,
) -> None:
    use_chinese_calendar(server.services)
    world = build_world(server.services)
    oid = approved_object(server.services, world, "R2")
    admin, business = _clients(server, world, "admin", "chenjing")
    table = {
        "holidays": [f"2027-10-0{d}" for d in range(1, 8)],
        "workdays": ["2027-09-26", "2027-10-09"],
        "document": NOTICE_2027,
        "evidence": [doc("国办发明电2027.pdf")],
    }
    before = _head(server)
    r = business.put("/holiday-tables/2027", json=table)
    refused(server, r, 403, "forbidden", before)
    r = admin.put("/holiday-tables/2027", json={**table, "workdays": ["2027-09-27"]})
    refused(server, r, 422, "invalid-input", before)  # 9-27 is a Monday
    assert admin.put("/holiday-tables/2027", json=table).status_code == 200

    loaded = business.get(_issue(business, oid, "整改2027-1", "2027-09-24").headers["location"])
    assert loaded.json()["due"] == "2027-10-20"
    assert loaded.json()["calendar"] == f"weekdays + holiday table 2027 v1 ({NOTICE_2027})"
    plain = business.get(_issue(business, oid, "整改2028-1", "2028-09-22").headers["location"])
    assert plain.json()["calendar"] == "weekdays only for 2028 (no holiday table loaded)"
    assert plain.json()["due"] == "2028-10-13"


def test_answer_verify_reject_and_refusals_record_nothing(server: LiveServer) -> None:
    world = build_world(server.services)
    oid = approved_object(server.services, world, "R3")
    business, staff, other, performance = _clients(
        server, world, "chenjing", "wangfang", "zhaoyun", "liuqiang"
    )
    before = _head(server)
    refused(server, _issue(staff, oid, "X1", "2025-03-03"), 403, "forbidden", before)
    r = _issue(business, oid, "X1", "2025-03-03", problems=[])
    refused(server, r, 422, "invalid-input", before)
    location = _issue(business, oid, "X1", "2025-03-03").headers["location"]
    before = _head(server)
    refused(server, _issue(business, oid, "X1", "2025-03-04"), 409, "already-exists", before)
    answer = {"response": "已修订绩效目标并补充佐证材料", "business_date": "2025-03-20"}
    r = staff.post(f"{location}/response", json=answer)
    assert refused(server, r, 422, "invalid-input", before)["field"] == "evidence"
    answer["evidence"] = [doc("整改情况报告.pdf")]
    refused(server, other.post(f"{location}/response", json=answer), 403, "out-of-scope", before)
    refused(
        server,
        business.post(f"{location}/verification", json={}),
        409,
        "invalid-transition",
        before,
    )
    assert staff.post(f"{location}/response", json=answer).status_code == 200
    before = _head(server)
    r = performance.post(f"{location}/verification", json={})
    refused(server, r, 403, "forbidden", before)  # the business section verifies
    refused(
        server,
        business.post(f"{location}/rejection", json={"comments": ""}),
        422,
        "invalid-input",
        before,
    )
    r = business.post(f"{location}/rejection", json={"comments": "佐证材料仍缺少验收报告"})
    assert r.status_code == 200
    assert business.get(location).json()["status"] == "open"
    answer["business_date"] = "2025-03-28"
    assert staff.post(f"{location}/response", json=answer).status_code == 200
    assert (
        business.post(f"{location}/verification", json={"comments": "整改到位"}).status_code == 200
    )
    assert business.get(location).json()["status"] == "verified"
    [row] = business.get("/rectifications", params={"object_id": oid}).json()
    assert (row["status"], row["responded_on"], row["late"]) == ("verified", "2025-03-28", True)


@pytest.mark.parametrize(
    ("code", "name", "prefix", "blocks"),
    [("360100", "南昌市", "nc.", True), ("360734", "信丰县", "xf.", False)],
)
def test_an_open_notice_blocks_approval_only_where_the_policy_says_so(
    server: LiveServer, code: str, name: str, prefix: str, blocks: bool
) -> None:
    world = build_world(server.services, code, name, prefix=prefix)
    evaluated = approved_object(server.services, world, "R4", 2025)
    pending = approved_object(server.services, world, "R5", 2026, approve=False)
    business, staff, budget = _clients(server, world, "chenjing", "wangfang", "sunli")
    location = _issue(business, evaluated, "整改〔2026〕3号", "2026-04-01").headers["location"]
    approve = {"approved_amount": str(APPROVED), "approval_ref": "批复2026"}
    before = _head(server)
    r = budget.post(f"/objects/{pending}/goal/approve", json=approve)
    if not blocks:
        assert r.status_code == 200, r.text
        return
    body = refused(server, r, 409, "invalid-transition", before)
    assert (
        "整改〔2026〕3号" in body["detail"]
        and "nanchang-2022 v2 洪财绩〔2022〕4号" in body["detail"]
    )
    # Answered but not verified is still not rectified.
    answer = {"response": "已整改", "evidence": [doc("整改报告.pdf")]}
    assert staff.post(f"{location}/response", json=answer).status_code == 200
    before = _head(server)
    refused(
        server,
        budget.post(f"/objects/{pending}/goal/approve", json=approve),
        409,
        "invalid-transition",
        before,
    )
    assert business.post(f"{location}/verification", json={}).status_code == 200
    assert budget.post(f"/objects/{pending}/goal/approve", json=approve).status_code == 200
