"""After the year, in Nanchang: a self-evaluation the finance bureau's spot check finds 17
points too high, the project's next funding blocked, a rectification notice due 15 working
days later across the National Day holiday, the answer verified, the result applied — and
the next year's goal approved only then."""

from __future__ import annotations

from tests.conftest import LiveServer, issue_token
from tests.evaluation_helpers import (
    APPROVED,
    approved_object,
    doc,
    self_evaluation_body,
    use_chinese_calendar,
)
from tests.fixtures_world import build_world

PRO = "36010025P017"


def test_self_evaluation_to_applied_result(server: LiveServer) -> None:
    services = server.services
    use_chinese_calendar(services)
    world = build_world(services, "360100", "南昌市", prefix="nc.")
    evaluated = approved_object(services, world, PRO, 2024)
    next_year = approved_object(services, world, PRO, 2025, approve=False)

    def client(login: str):
        return server.client(issue_token(services, world.login(login)))

    staff, business, performance, budget = (
        client(x) for x in ("wangfang", "chenjing", "liuqiang", "sunli")
    )

    # 1. The department self-evaluates: everything met, 100 points, 优.
    r = staff.post(f"/objects/{evaluated}/evaluations/self", json=self_evaluation_body())
    assert r.status_code == 201, r.text
    self_id = r.json()["id"]
    assert staff.get(f"/evaluations/{self_id}").json()["grade"] == "优"

    # 2. The performance section's spot check finds 83: 17 points apart.
    r = performance.post(
        f"/evaluations/{self_id}/recheck",
        json={
            "score": "83",
            "comments": "受益户数缺少入户台账佐证，完工率与验收报告不符",
            "business_date": "2025-06-12",
            "evidence": [doc("抽查复核工作底稿.pdf")],
        },
    )
    assert r.status_code == 201, r.text
    check_id = r.json()["id"]
    check = performance.get(f"/evaluations/{check_id}").json()
    assert check["details"]["gap"] == "17.00" and check["details"]["gap_rule_met"] is True
    assert check["policy"]["document"] == "洪财绩〔2022〕4号"

    # 3. Blocked: the next year's funding of the project waits for rectification.
    [block] = budget.get("/funding-blocks", params={"pro_code": PRO}).json()
    assert block["active"] and block["measure"] == "no_funding_until_rectified"
    approve = {"approved_amount": str(APPROVED), "approval_ref": "洪财预〔2025〕8号"}
    r = budget.post(f"/objects/{next_year}/goal/approve", json=approve)
    assert r.status_code == 409 and "整改到位前不予安排" in r.json()["detail"]
    proposal = budget.get(f"/evaluations/{check_id}/proposal").json()
    assert (proposal["measure"], proposal["basis"]) == ("no_funding_until_rectified", "recheck_gap")
    assert proposal["recover_unspent"] is True

    # 4. Rectification notice on Friday 26 September 2025: 15 working days → 23 October.
    r = business.post(
        f"/objects/{evaluated}/rectifications",
        json={
            "notice_ref": "洪财绩整〔2025〕12号",
            "problems": ["自评得分与抽查复核结果相差15分以上", "受益户数缺少佐证"],
            "evaluation_id": check_id,
            "business_date": "2025-09-26",
        },
    )
    assert r.status_code == 201, r.text
    notice_url = r.headers["location"]
    notice = business.get(notice_url, params={"as_of": "2025-10-24"}).json()
    assert notice["due"] == "2025-10-23" and notice["calendar"].startswith("chinesecalendar")
    assert notice["funding_block_ids"] == [block["block_id"]]
    assert notice["overdue"] is True  # had nobody answered by the 24th
    # Nanchang's rule now stands beside the block: an unrectified department.
    r = budget.post(f"/objects/{next_year}/goal/approve", json=approve)
    assert "洪财绩整〔2025〕12号" in r.json()["detail"]

    # 5. The department answers in writing on 20 October; the business section verifies.
    r = staff.post(
        f"{notice_url}/response",
        json={
            "response": "已补充入户台账，按验收报告更正完工率，并完善自评复核机制",
            "business_date": "2025-10-20",
            "evidence": [doc("整改情况书面报告.pdf"), doc("入户台账.xlsx")],
        },
    )
    assert r.status_code == 200, r.text
    r = business.post(f"{notice_url}/verification", json={"comments": "整改到位"})
    assert r.status_code == 200, r.text
    [block] = budget.get("/funding-blocks", params={"pro_code": PRO}).json()
    assert block["active"] is False and block["lifted_by_notice"] == notice["id"]

    # 6. The result is applied as proposed, with the unspent funds recovered.
    r = budget.post(
        f"/evaluations/{check_id}/result",
        json={"measure": "no_funding_until_rectified", "amount": "120000.00"},
    )
    assert r.status_code == 201, r.text

    # 7. The next year's goal is approved now.
    r = budget.post(f"/objects/{next_year}/goal/approve", json=approve)
    assert r.status_code == 200, r.text

    history = staff.get(f"/objects/{evaluated}/history").json()
    mine = {
        "SelfEvaluation",
        "SpotCheck",
        "FundingBlock",
        "RectificationNotice",
        "ResultApplication",
    }
    after = [(h["event"], h["actor_name"]) for h in history if h["aggregate_type"] in mine]
    assert after == [
        ("SelfEvaluationSubmitted", "王芳"),
        ("SpotCheckRecorded", "刘强"),
        ("FundingBlocked", "刘强"),
        ("RectificationNoticeIssued", "陈静"),
        ("RectificationReported", "王芳"),
        ("RectificationVerified", "陈静"),
        ("FundingBlockLifted", "陈静"),
        ("ResultApplied", "孙丽"),
    ]
    blocked = next(h for h in history if h["event"] == "FundingBlocked")
    assert blocked["details"]["policy"]["policy_id"] == "nanchang-2022"
    assert blocked["details"]["recover_unspent"] is True
