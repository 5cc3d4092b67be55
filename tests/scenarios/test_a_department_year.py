"""A whole year of one Nanchang department's project, over HTTP, each act by the person whose
job it is: ex-ante assessment → goal → six monitoring rounds (one serious deviation, ordered
corrected) → self-evaluation → spot check 17 points lower → next year's funding blocked →
rectification due 15 working days later across National Day → verified → result applied →
an accountability case referred to the discipline commission. Then the history tells it all.
"""

from __future__ import annotations

import hashlib

from tests.conftest import LiveServer, issue_token
from tests.fixtures_world import INDICATORS, build_world, object_body

PRO = "36010025P101"
AMOUNT = "12000000.00"  # 1200万元: a new project Nanchang requires to be assessed ex ante
PERIODS = ("Q1", "Q2", "Q3", "M10", "M11", "M12")
# Budget executed by each period's as-of date; Q2 is far behind the time-proportional pace.
EXECUTED = {
    "Q1": "2400000.00",
    "Q2": "2600000.00",
    "Q3": "8400000.00",
    "M10": "9800000.00",
    "M11": "10900000.00",
    "M12": "11880000.00",
}
AS_OF = {
    "Q1": "2025-03-31",
    "Q2": "2025-06-30",
    "Q3": "2025-09-30",
    "M10": "2025-10-31",
    "M11": "2025-11-30",
    "M12": "2025-12-31",
}


def doc(name: str) -> dict:
    return {"name": name, "sha256": hashlib.sha256(name.encode()).hexdigest()}


def entry(period: str) -> dict:
    behind = period == "Q2"
    rows = [
        {
            "name": row["name"],
            "actual": str(int(row["value"]) // (3 if behind else 1)),
            "forecast": row["value"] if not behind else str(int(row["value"]) * 6 // 10),
            "likelihood": "有可能完成" if behind else "确定能完成",
            "deviation_cause": "征迁协调滞后，两个小区未开工" if behind else "无偏差",
            "corrective_measures": "倒排工期，分片包干推进征迁" if behind else "",
        }
        for row in INDICATORS
    ]
    return {
        "budget_executed": EXECUTED[period],
        "budget_forecast": AMOUNT,
        "indicators": rows,
        "business_date": AS_OF[period],
    }


def test_a_year_of_one_department(server: LiveServer) -> None:
    services = server.services
    world = build_world(services, "360100", "南昌市", prefix="nc.")

    def client(login: str):
        return server.client(issue_token(services, world.login(login)))

    staff, business, performance, budget, discipline = (
        client(x) for x in ("wangfang", "chenjing", "liuqiang", "sunli", "jiangwei")
    )

    def ok(reply, status: int = 200) -> dict:
        assert reply.status_code == status, reply.text
        return reply.json()

    # --- before the year: ex-ante assessment, library, goal ------------------------------
    body = object_body(
        world,
        pro_code=PRO,
        fiscal_year=2025,
        amount=AMOUNT,
        name="八一大道沿线老旧小区改造项目",
        business_date="2024-09-10",
    )
    object_id = ok(staff.post("/objects", json=body), 201)["id"]
    file = ok(staff.get(f"/objects/{object_id}/ex-ante"))
    assert file["required"] is True and file["policy"]["document"] == "洪财绩〔2022〕4号"
    scores = {
        "立项必要性": 18,
        "投入经济性": 16,
        "绩效目标合理性": 17,
        "实施方案可行性": 18,
        "筹资合规性": 19,
    }
    ok(
        staff.post(
            f"/objects/{object_id}/ex-ante/submit",
            json={
                "scores": scores,
                "conclusion": "予以支持",
                "report": doc("事前绩效评估报告.pdf"),
                "business_date": "2024-09-20",
            },
        )
    )
    ok(
        performance.post(
            f"/objects/{object_id}/ex-ante/review",
            json={"outcome": "accepted", "comments": "论证充分"},
        )
    )
    ok(business.post(f"/objects/{object_id}/library/admit", json={}))
    ok(
        staff.post(
            f"/objects/{object_id}/goal/submit",
            json={"indicators": INDICATORS, "business_date": "2024-10-15"},
        )
    )
    for reviewer, stage in ((business, "initial"), (performance, "second"), (budget, "final")):
        ok(
            reviewer.post(
                f"/objects/{object_id}/goal/reviews",
                json={"stage": stage, "outcome": "良", "comments": "同意"},
            )
        )
    ok(
        budget.post(
            f"/objects/{object_id}/goal/approve",
            json={
                "approved_amount": AMOUNT,
                "approval_ref": "洪财预〔2025〕3号",
                "business_date": "2025-01-20",
            },
        )
    )

    # --- during the year: six monitoring rounds ------------------------------------------
    judgements = {}
    for period in PERIODS:
        task = ok(
            business.post(f"/objects/{object_id}/monitoring/tasks", json={"period_code": period}),
            201,
        )["id"]
        ok(staff.post(f"/monitoring/tasks/{task}/entry", json=entry(period)))
        judgements[period] = ok(staff.get(f"/monitoring/tasks/{task}"))
        if period == "Q2":
            ok(
                business.post(
                    f"/monitoring/tasks/{task}/follow-ups",
                    json={
                        "kind": "correction_ordered",
                        "reason": "执行进度严重滞后，限期纠偏",
                        "business_date": "2025-07-08",
                    },
                )
            )
            # The department finds a payment it left out: a new signed entry keeps the old.
            corrected = {
                **entry("Q2"),
                "budget_executed": "2900000.00",
                "reason": "漏报6月28日国库支付30万元",
            }
            ok(staff.post(f"/monitoring/tasks/{task}/entry/correct", json=corrected))
            judgements["Q2"] = ok(staff.get(f"/monitoring/tasks/{task}"))
    statuses = {p: t["judgement"]["status"] for p, t in judgements.items()}
    assert statuses["Q2"] == "serious" and statuses["Q3"] == "on_track"
    assert "严重偏离" in judgements["Q2"]["judgement"]["reasons"][-1]
    assert judgements["Q2"]["judgement"]["policy"]["policy_id"] == "nanchang-2022"
    serious = ok(
        business.get("/monitoring/tasks", params={"mof_div_code": "360100", "judgement": "serious"})
    )
    assert [t["period_code"] for t in serious] == ["Q2"]

    # --- after the year: self-evaluation, spot check, blocked funding --------------------
    actuals = [
        {"level1": r["level1"], "level2": r["level2"], "name": r["name"], "actual": r["value"]}
        for r in INDICATORS
    ]
    self_id = ok(
        staff.post(
            f"/objects/{object_id}/evaluations/self",
            json={
                "actuals": actuals,
                "executed_amount": EXECUTED["M12"],
                "business_date": "2026-03-20",
                "evidence": [doc("项目支出绩效自评表.pdf")],
            },
        ),
        201,
    )["id"]
    self_score = ok(staff.get(f"/evaluations/{self_id}"))
    assert self_score["grade"] == "优"
    check_id = ok(
        performance.post(
            f"/evaluations/{self_id}/recheck",
            json={
                "score": "82",
                "comments": "受益户数缺少入户台账佐证",
                "business_date": "2026-06-15",
                "evidence": [doc("抽查复核工作底稿.pdf")],
            },
        ),
        201,
    )["id"]
    check = ok(performance.get(f"/evaluations/{check_id}"))
    assert check["details"]["gap_rule_met"] is True
    [block] = ok(budget.get("/funding-blocks", params={"pro_code": PRO}))
    assert block["active"]

    next_year = ok(
        staff.post(
            "/objects",
            json=object_body(
                world,
                pro_code=PRO,
                fiscal_year=2026,
                amount="3000000.00",
                is_new=False,
                last_year_amount=AMOUNT,
                name="八一大道沿线老旧小区改造项目",
            ),
        ),
        201,
    )["id"]
    ok(staff.post(f"/objects/{next_year}/goal/submit", json={"indicators": INDICATORS}))
    for reviewer, stage in ((business, "initial"), (performance, "second"), (budget, "final")):
        ok(
            reviewer.post(
                f"/objects/{next_year}/goal/reviews",
                json={"stage": stage, "outcome": "良", "comments": "同意"},
            )
        )
    before = services.follower.head()
    approve = {"approved_amount": "3000000.00", "approval_ref": "洪财预〔2026〕5号"}
    refused = budget.post(f"/objects/{next_year}/goal/approve", json=approve)
    assert refused.status_code == 409
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert "整改到位前不予安排" in refused.json()["detail"]
    assert services.follower.head() == before

    # --- rectification across National Day 2026 -----------------------------------------
    notice = business.post(
        f"/objects/{object_id}/rectifications",
        json={
            "notice_ref": "洪财绩整〔2026〕7号",
            "evaluation_id": check_id,
            "problems": ["自评得分与抽查复核结果相差15分以上", "受益户数缺少佐证"],
            "business_date": "2026-09-25",
        },
    )
    notice_url = notice.headers["location"]
    due = ok(business.get(notice_url))
    # Fri 25 Sep + 15 working days: 1–7 Oct are holidays, Sat 10 Oct is a working day.
    assert due["due"] == "2026-10-22" and due["calendar"].startswith("chinesecalendar")
    ok(
        staff.post(
            f"{notice_url}/response",
            json={
                "response": "已补充入户台账并更正自评，建立自评复核机制",
                "business_date": "2026-10-20",
                "evidence": [doc("整改情况书面报告.pdf")],
            },
        )
    )
    ok(business.post(f"{notice_url}/verification", json={"comments": "整改到位"}))
    [block] = ok(budget.get("/funding-blocks", params={"pro_code": PRO}))
    assert block["active"] is False
    ok(
        budget.post(
            f"/evaluations/{check_id}/result",
            json={"measure": "no_funding_until_rectified", "amount": "120000.00"},
        ),
        201,
    )
    ok(budget.post(f"/objects/{next_year}/goal/approve", json=approve))

    # --- accountability: the inflated self-score is referred -----------------------------
    history = ok(staff.get(f"/objects/{object_id}/history"))
    cited = {h["event"]: h for h in history}
    case_id = ok(
        performance.post(
            "/cases",
            json={
                "mof_div_code": "360100",
                "fiscal_year": 2025,
                "case_no": "洪财绩问〔2026〕2号",
                "finding_kind": "falsification",
                "object_ids": [object_id],
                "description": "自评得分虚高17分，受益户数无佐证",
                "business_date": "2026-10-28",
            },
        ),
        201,
    )["id"]
    for event in ("SelfEvaluationSubmitted", "SpotCheckRecorded"):
        row = cited[event]
        ok(
            performance.post(
                f"/cases/{case_id}/evidence/events",
                json={
                    "position": row["position"],
                    "originator_id": row["aggregate_id"],
                    "version": row["version"],
                    "note": event,
                },
            )
        )
    ok(
        performance.post(
            f"/cases/{case_id}/responsible-persons",
            json={
                "person_id": str(world.person("wangfang")),
                "positions": [cited["SelfEvaluationSubmitted"]["position"]],
                "description": "填报虚高的自评得分",
            },
        )
    )
    ok(
        performance.post(
            f"/cases/{case_id}/referral",
            json={
                "organisation_id": str(world.org("JW")),
                "referral_ref": "洪财绩移〔2026〕1号",
                "business_date": "2026-11-02",
            },
        )
    )
    ok(discipline.post(f"/cases/{case_id}/receipt", json={}))
    ok(
        discipline.post(
            f"/cases/{case_id}/outcome",
            json={"outcome": "责令改正", "reason": "查实自评数据不实，责令改正并通报"},
        )
    )
    package = ok(discipline.get(f"/cases/{case_id}/package"))
    assert {p["name"]: p["acts"][0]["role"] for p in package["persons"]} == {
        "王芳": "department_staff"
    }

    # --- the history tells the year, each step signed -------------------------------------
    rows = ok(staff.get(f"/objects/{object_id}/history"))
    events = [f"{h['aggregate_type']}.{h['event']}" for h in rows]
    expected_in_order = [
        "PerformanceObject.Registered",
        "ExAnteAssessment.RequirementJudged",
        "ExAnteAssessment.Submitted",
        "ExAnteAssessment.Reviewed",
        "PerformanceObject.AdmittedToLibrary",
        "PerformanceObject.GoalSubmitted",
        "PerformanceObject.GoalApproved",
        "MonitoringTask.EntryJudged",
        "MonitoringTask.CorrectionOrdered",
        "SelfEvaluation.SelfEvaluationSubmitted",
        "SpotCheck.SpotCheckRecorded",
        "FundingBlock.FundingBlocked",
        "RectificationNotice.RectificationNoticeIssued",
        "RectificationNotice.RectificationVerified",
        "FundingBlock.FundingBlockLifted",
        "ResultApplication.ResultApplied",
        "AccountabilityCase.Opened",
        "AccountabilityCase.EventCited",
    ]
    positions = [events.index(name) for name in expected_in_order]
    assert positions == sorted(positions), events
    assert events.count("MonitoringTask.EntryJudged") == 7  # six rounds and the re-judged Q2
    corrected = next(h for h in rows if h["event"] == "EntryCorrected")
    assert corrected["reason"] == "漏报6月28日国库支付30万元"
    assert corrected["details"]["previous"]["budget_executed"] == EXECUTED["Q2"]
    assert all(r["actor_id"] and r["recorded_at"] for r in rows)
    assert {r["actor_name"] for r in rows} >= {"王芳", "陈静", "刘强", "孙丽"}
