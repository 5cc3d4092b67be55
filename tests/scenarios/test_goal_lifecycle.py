"""One project's goal from registration to adjustment, over HTTP, as the people who do it."""

from __future__ import annotations

import hashlib

from tests.conftest import LiveServer, issue_token
from tests.fixtures_world import INDICATORS, build_world, object_body

REPORT_SHA = hashlib.sha256("事前绩效评估报告".encode()).hexdigest()


def test_goal_walks_from_registration_to_adjustment(server: LiveServer) -> None:
    services = server.services
    world = build_world(services)
    staff = server.client(issue_token(services, "wangfang"))
    business = server.client(issue_token(services, "chenjing"))
    performance = server.client(issue_token(services, "liuqiang"))
    budget = server.client(issue_token(services, "sunli"))

    r = staff.post(
        "/objects",
        json=object_body(
            world,
            business_date="2022-10-15",
            evidence=[{"name": "可研批复.pdf", "sha256": REPORT_SHA}],
        ),
    )
    assert r.status_code == 201, r.text
    object_id = r.json()["id"]
    assert r.headers["location"] == f"/objects/{object_id}"

    def step(client, path: str, body: dict) -> dict:
        etag = client.get(f"/objects/{object_id}").headers["etag"]
        reply = client.post(
            f"/objects/{object_id}/goal/{path}", json=body, headers={"If-Match": etag}
        )
        assert reply.status_code == 200, reply.text
        return reply.json()

    step(staff, "submit", {"indicators": INDICATORS, "business_date": "2022-10-20"})
    step(business, "reviews", {"stage": "initial", "outcome": "良"})
    step(
        performance,
        "reviews",
        {
            "stage": "second",
            "outcome": "returned",
            "comments": "满意度指标缺少调查方式，时效指标需量化到月",
        },
    )
    assert staff.get(f"/objects/{object_id}").json()["goal_status"] == "returned"

    revised = [*INDICATORS[:3], {**INDICATORS[3], "name": "居民满意度（问卷调查）"}]
    step(staff, "submit", {"indicators": revised, "reason": "按复核意见修改"})
    # 6000万元 ≥ 1000万元: a key review (重点审核), so 复核 writes its opinion down.
    for client, stage, outcome, comments in (
        (business, "initial", "良", None),
        (performance, "second", "优", "重点审核：指标已细化，同意"),
        (budget, "final", "良", None),
    ):
        step(client, "reviews", {"stage": stage, "outcome": outcome, "comments": comments})
    # 60,000,000.00 元 ≥ 200万元: Xunyang requires a passing ex-ante assessment first.
    scores = dict.fromkeys(
        ("立项必要性", "投入经济性", "绩效目标合理性", "实施方案可行性", "筹资合规性"), 18
    )
    report = {"name": "事前绩效评估报告.pdf", "sha256": REPORT_SHA}
    ex_ante = {"scores": scores, "conclusion": "予以支持", "report": report}
    assert staff.post(f"/objects/{object_id}/ex-ante/submit", json=ex_ante).status_code == 200
    r = business.post(f"/objects/{object_id}/ex-ante/review", json={"outcome": "accepted"})
    assert r.status_code == 200, r.text
    step(
        budget,
        "approve",
        {
            "approved_amount": "60000000.00",
            "approval_ref": "浔财预〔2023〕1号",
            "business_date": "2023-01-20",
        },
    )

    # Adjusted by procedure (财预〔2015〕88号 第二十八条): applied, reviewed, approved.
    adjusted = [{**revised[0], "value": "10"}, *revised[1:]]
    application = {"name": "绩效目标调整申请.pdf", "sha256": REPORT_SHA}
    step(
        staff,
        "adjustment",
        {
            "indicators": adjusted,
            "amount": "58000000.00",
            "reason": "两个小区并入2024年城市更新项目",
            "evidence": [application],
            "business_date": "2023-06-28",
        },
    )
    pending = staff.get(f"/objects/{object_id}").json()
    assert pending["indicators"][0]["value"] == "12" and pending["goal_revision"] == 2
    under_way = pending["adjustment"]
    assert (under_way["stage"], under_way["amount"]) == ("applied", "58000000.00")
    assert under_way["indicators"][0]["value"] == "10"
    step(business, "adjustment/review", {"outcome": "agreed", "business_date": "2023-06-30"})
    assert staff.get(f"/objects/{object_id}").json()["adjustment"]["stage"] == "reviewed"
    step(
        budget,
        "adjustment/approval",
        {"approval_ref": "浔财预〔2023〕45号", "business_date": "2023-07-03"},
    )

    current = staff.get(f"/objects/{object_id}").json()
    assert current["goal_status"] == "approved" and current["adjustment"] is None
    assert current["goal_revision"] == 3
    assert current["indicators"][0]["value"] == "10"
    assert current["approved_amount"] == "58000000.00"

    everything = staff.get(f"/objects/{object_id}/history").json()
    assert [h["event"] for h in everything if h["aggregate_type"] == "ExAnteAssessment"] == [
        "RequirementJudged",
        "Submitted",
        "Reviewed",
    ]
    history = [h for h in everything if h["aggregate_type"] == "PerformanceObject"]
    steps = [
        (h["event"], h["actor_name"], h["details"].get("stage"), h["details"].get("outcome"))
        for h in history
    ]
    assert steps == [
        ("Registered", "王芳", None, None),
        ("GoalSubmitted", "王芳", None, None),
        ("GoalReviewed", "陈静", "initial", "良"),
        ("GoalReviewed", "刘强", "second", "returned"),
        ("GoalResubmitted", "王芳", None, None),
        ("GoalReviewed", "陈静", "initial", "良"),
        ("GoalReviewed", "刘强", "second", "优"),
        ("GoalReviewed", "孙丽", "final", "良"),
        ("GoalApproved", "孙丽", None, None),
        ("GoalAdjustmentApplied", "王芳", None, None),
        ("GoalAdjustmentReviewed", "陈静", None, "agreed"),
        ("GoalAdjusted", "孙丽", None, None),
    ]
    assert all(h["recorded_at"] for h in history)
    assert [h["version"] for h in history] == list(range(1, 13))
    assert history[0]["business_date"] == "2022-10-15"
    assert history[0]["evidence"] == [{"name": "可研批复.pdf", "sha256": REPORT_SHA}]
    assert history[3]["details"]["comments"].startswith("满意度指标")
    assert history[4]["reason"] == "按复核意见修改"
    applied, adjustment = history[-3], history[-1]
    assert applied["reason"] == "两个小区并入2024年城市更新项目"
    assert applied["evidence"] == [application]
    assert adjustment["business_date"] == "2023-07-03"
    assert adjustment["details"]["approval_ref"] == "浔财预〔2023〕45号"
    assert adjustment["details"]["previous"][0]["value"] == "12"
    assert adjustment["details"]["indicators"][0]["value"] == "10"
    assert (adjustment["details"]["previous_amount"], adjustment["details"]["approved_amount"]) == (
        "60000000.00",
        "58000000.00",
    )
    assert {h["actor_role"] for h in history} == {
        "department_staff",
        "business_section",
        "performance_section",
        "budget_section",
    }

    listed = staff.get("/objects", params={"fiscal_year": 2023}).json()
    assert [(o["object_id"], o["goal_status"], o["goal_revision"]) for o in listed] == [
        (object_id, "approved", 3)
    ]
    assert listed[0]["department_name"] == "浔阳区住房和城乡建设局"
    assert (listed[0]["ex_ante_required"], listed[0]["ex_ante_state"]) == (True, "accepted")
    assert listed[0]["ex_ante_policy"] == "xunyang-2022 v2" and listed[0]["in_library"] is False
