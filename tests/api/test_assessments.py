"""Ex-ante assessment over HTTP on both stores: the requirement judged per jurisdiction and
recorded with its policy, the gates on 入库 and 批复, finance review and commission."""

from __future__ import annotations

import hashlib

import pytest

from projections.objects_view import get_object
from tests.conftest import LiveServer
from tests.fixtures_world import INDICATORS, World, build_world, object_body
from tests.http_checks import assert_refused as _refused
from tests.http_checks import client_for as _client
from tests.http_checks import log_head as _head

REPORT = {"name": "事前绩效评估报告.pdf", "sha256": hashlib.sha256(b"ex-ante").hexdigest()}
SCORES = {
    "立项必要性": 18,
    "投入经济性": 16,
    "绩效目标合理性": 17,
    "实施方案可行性": 18,
    "筹资合规性": 19,
}


@pytest.fixture
def worlds(server: LiveServer) -> tuple[World, World]:
    return build_world(server.services), build_world(
        server.services, "360100", "南昌市", prefix="nc."
    )


def _register(client, world: World, amount: str) -> str:
    r = client.post("/objects", json=object_body(world, amount=amount))
    assert r.status_code == 201, r.text
    return r.json()["id"]


def test_five_million_needs_assessment_in_xunyang_not_nanchang(server, worlds) -> None:
    for world, required, policy_id in (
        (worlds[0], True, "xunyang-2022"),
        (worlds[1], False, "nanchang-2022"),
    ):
        staff = _client(server, world, "wangfang")
        # The requirement is judged at registration, in the same write as the object.
        object_id = _register(staff, world, "5000000.00")
        file = staff.get(f"/objects/{object_id}/ex-ante")
        assert file.headers["etag"] == '"1"'
        body = file.json()
        assert body["required"] is required and body["policy"]["policy_id"] == policy_id
        assert "5,000,000.00 元" in body["reasons"][0]
        history = staff.get(f"/objects/{object_id}/history").json()
        assert [h["event"] for h in history] == ["Registered", "RequirementJudged"]
        assert history[0]["position"] + 1 == history[1]["position"]
        judged = history[-1]
        assert (judged["event"], judged["aggregate_type"]) == (
            "RequirementJudged",
            "ExAnteAssessment",
        )
        assert judged["details"]["policy"]["policy_id"] == policy_id
        assert judged["details"]["required"] is required


def test_gates_refuse_without_a_passing_assessment_then_allow(server, worlds) -> None:
    world = worlds[0]
    staff, business, performance, budget = (
        _client(server, world, login) for login in ("wangfang", "chenjing", "liuqiang", "sunli")
    )
    object_id = _register(staff, world, "5000000.00")
    assert staff.post(
        f"/objects/{object_id}/goal/submit", json={"indicators": INDICATORS}
    ).is_success
    for client, stage in ((business, "initial"), (performance, "second"), (budget, "final")):
        r = client.post(
            f"/objects/{object_id}/goal/reviews",
            json={"stage": stage, "outcome": "良", "comments": "同意"},
        )
        assert r.status_code == 200, r.text
    before = _head(server)
    r = business.post(f"/objects/{object_id}/library/admit", json={})
    detail = _refused(server, r, 409, "invalid-transition", before)["detail"]
    assert "xunyang-2022 v2" in detail and "200万元以上的新增项目" in detail
    approve = {"approved_amount": "5000000.00", "approval_ref": "浔财预〔2023〕1号"}
    r = budget.post(f"/objects/{object_id}/goal/approve", json=approve)
    assert "事前绩效评估" in _refused(server, r, 409, "invalid-transition", before)["detail"]

    # Malformed and unauthorised ex-ante commands record nothing either.
    r = staff.post(
        f"/objects/{object_id}/ex-ante/submit", json={"scores": SCORES, "conclusion": "予以支持"}
    )
    _refused(server, r, 422, "invalid-input", before)
    over = {**SCORES, "筹资合规性": 25}
    r = staff.post(
        f"/objects/{object_id}/ex-ante/submit",
        json={"scores": over, "conclusion": "予以支持", "report": REPORT},
    )
    assert _refused(server, r, 422, "invalid-input", before)["field"] == "scores"
    r = business.post(
        f"/objects/{object_id}/ex-ante/submit",
        json={"scores": SCORES, "conclusion": "予以支持", "report": REPORT},
    )
    _refused(server, r, 403, "forbidden", before)  # refused by the access table
    r = business.post(f"/objects/{object_id}/ex-ante/review", json={"outcome": "accepted"})
    _refused(server, r, 409, "invalid-transition", before)

    r = staff.post(
        f"/objects/{object_id}/ex-ante/submit",
        json={"scores": SCORES, "conclusion": "予以支持", "report": REPORT},
    )
    assert r.status_code == 200, r.text
    before = _head(server)
    r = staff.post(f"/objects/{object_id}/ex-ante/review", json={"outcome": "accepted"})
    _refused(server, r, 403, "forbidden", before)
    etag = staff.get(f"/objects/{object_id}/ex-ante").headers["etag"]
    r = business.post(
        f"/objects/{object_id}/ex-ante/review",
        json={"outcome": "accepted", "comments": "论证充分"},
        headers={"If-Match": etag},
    )
    assert r.status_code == 200, r.text
    assert staff.get(f"/objects/{object_id}/ex-ante").json()["passes"] is True

    etag = business.get(f"/objects/{object_id}").headers["etag"]
    r = business.post(f"/objects/{object_id}/library/admit", json={}, headers={"If-Match": etag})
    assert r.status_code == 200, r.text
    assert budget.post(f"/objects/{object_id}/goal/approve", json=approve).status_code == 200
    with server.services.views_db.transaction(write=False) as cur:
        row = get_object(cur, object_id)
    assert (row["ex_ante_required"], row["ex_ante_state"], row["in_library"]) == (
        1,
        "accepted",
        1,
    )
    assert row["ex_ante_policy"] == "xunyang-2022 v2" and row["goal_status"] == "approved"
    events = [h["event"] for h in staff.get(f"/objects/{object_id}/history").json()]
    assert events[:2] == ["Registered", "RequirementJudged"]
    assert events[-4:] == [
        "Submitted",
        "Reviewed",
        "AdmittedToLibrary",
        "GoalApproved",
    ]


def test_exemption_and_commissioned_third_party(server, worlds) -> None:
    world = worlds[1]  # Nanchang: 1000万元以上 (boundary included)
    staff, performance, third_party, business = (
        _client(server, world, login) for login in ("wangfang", "liuqiang", "qianlin", "chenjing")
    )
    exempt = _register(staff, world, "10000000.00")
    before = _head(server)
    r = staff.post(f"/objects/{exempt}/ex-ante/declare", json={"exemption": "emergency"})
    assert _refused(server, r, 422, "invalid-input", before)["field"] == "reason"
    r = staff.post(
        f"/objects/{exempt}/ex-ante/declare",
        json={"exemption": "disaster_relief", "reason": "洪涝灾后重建"},
    )
    assert r.status_code == 200, r.text
    assert staff.get(f"/objects/{exempt}/ex-ante").json()["required"] is False
    assert business.post(f"/objects/{exempt}/library/admit", json={}).status_code == 200

    body = object_body(world, pro_code="NC002", amount="10000000.00")
    object_id = staff.post("/objects", json=body).json()["id"]
    r = performance.post(
        f"/objects/{object_id}/ex-ante/commission",
        json={"assessor": "third_party", "organisation_id": str(world.org("TP01"))},
    )
    assert r.status_code == 200, r.text
    file = staff.get(f"/objects/{object_id}/ex-ante").json()
    assert file["required"] and file["state"] == "commissioned"
    assert "10,000,000.00 元 ≥ 10,000,000.00 元" in file["reasons"][0]
    submission = {"scores": SCORES, "conclusion": "调整后支持", "report": REPORT}
    before = _head(server)
    r = staff.post(f"/objects/{object_id}/ex-ante/submit", json=submission)
    _refused(server, r, 403, "not-permitted", before)
    r = third_party.post(f"/objects/{object_id}/ex-ante/submit", json=submission)
    assert r.status_code == 200, r.text
    file = staff.get(f"/objects/{object_id}/ex-ante").json()
    assert (file["state"], file["total"], file["passes"]) == ("concluded", "88", True)
    assert business.post(f"/objects/{object_id}/library/admit", json={}).status_code == 200
