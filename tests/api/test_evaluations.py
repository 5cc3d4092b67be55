"""Evaluations over HTTP: scored and graded by policy, the 15-point gap, segregation of
duties, score revisions that keep the old score, result application; refusals record
nothing."""

from __future__ import annotations

import pytest

from domain.results.funding_block import funding_block_id
from infrastructure.bootstrap import cli_act
from tests.conftest import LiveServer
from tests.evaluation_helpers import APPROVED, approved_object, doc, self_evaluation_body
from tests.fixtures_world import World, build_world
from tests.http_checks import assert_refused as refused
from tests.http_checks import client_for as _client
from tests.http_checks import log_head as _head


@pytest.fixture
def world(server: LiveServer) -> World:
    return build_world(server.services)


def _self_evaluate(server, world, pro_code: str, quantity: str = "12", **kw) -> str:
    oid = approved_object(server.services, world, pro_code, **kw)
    r = _client(server, world, "wangfang").post(
        f"/objects/{oid}/evaluations/self", json=self_evaluation_body(quantity)
    )
    assert r.status_code == 201, r.text
    return r.json()["id"]


def _recheck(server, world, evaluation_id: str, score: str):
    return _recheck_as(_client(server, world, "liuqiang"), evaluation_id, score)


def _recheck_as(client, evaluation_id: str, score: str):
    return client.post(
        f"/evaluations/{evaluation_id}/recheck",
        json={"score": score, "comments": "抽查复核：佐证材料不足", "business_date": "2026-06-10"},
    )


def test_self_evaluation_is_computed_graded_and_names_its_policy(
    server: LiveServer, world: World
) -> None:
    staff = _client(server, world, "wangfang")
    evaluation_id = _self_evaluate(server, world, "E1", quantity="6", fiscal_year=2023)
    e = staff.get(f"/evaluations/{evaluation_id}")
    assert e.headers["etag"] == '"1"'
    body = e.json()
    # 10 (execution) + 产出 15 + 20 + 效益 30 + 满意度 10: the quantity met half its target.
    assert (body["score"], body["grade"]) == ("85.00", "良")
    assert body["policy"]["policy_id"] == "xunyang-2022"
    assert body["details"]["rows"][0]["attainment"] == "0.5000"
    # Fiscal 2023's self-evaluations were due 2024-03-31; this one is recorded today.
    assert (body["due"], body["late"]) == ("2024-03-31", True)
    [listed] = [r for r in staff.get("/evaluations").json() if r["evaluation_id"] == evaluation_id]
    assert (listed["due"], listed["late"]) == ("2024-03-31", True)
    assert [lv["score"] for lv in body["details"]["levels"]] == ["35.00", "30.00", "10.00"]

    oid = body["object_id"]
    other_department = _client(server, world, "zhaoyun")
    before = _head(server)
    # Twice; another department; a missing actual; a goal not yet approved.
    r = staff.post(f"/objects/{oid}/evaluations/self", json=self_evaluation_body())
    refused(server, r, 409, "already-exists", before)
    r = other_department.post(f"/objects/{oid}/evaluations/self", json=self_evaluation_body())
    refused(server, r, 403, "out-of-scope", before)
    pending = approved_object(server.services, world, "E1b", approve=False)
    before = _head(server)
    r = staff.post(f"/objects/{pending}/evaluations/self", json=self_evaluation_body())
    refused(server, r, 409, "invalid-transition", before)
    other = approved_object(server.services, world, "E1c")
    before = _head(server)
    short = {**self_evaluation_body(), "actuals": self_evaluation_body()["actuals"][:3]}
    body = refused(
        server,
        staff.post(f"/objects/{other}/evaluations/self", json=short),
        422,
        "invalid-input",
        before,
    )
    assert body["field"] == "actuals" and "居民满意度" in body["detail"]


def test_a_gap_of_15_either_way_blocks_later_funding_and_14_99_does_not(
    server: LiveServer, world: World
) -> None:
    budget = _client(server, world, "sunli")
    cases = {
        "G15": ("12", "85.00", True),
        "G1499": ("12", "85.01", False),
        "GNEG": ("0", "85.00", True),
    }  # self 100, 100, 70
    for pro_code, (quantity, recheck, blocks) in cases.items():
        evaluation_id = _self_evaluate(server, world, pro_code, quantity, fiscal_year=2025)
        r = _recheck(server, world, evaluation_id, recheck)
        assert r.status_code == 201, r.text
        check = budget.get(f"/evaluations/{r.json()['id']}").json()
        assert check["details"]["gap_rule_met"] is blocks
        assert check["policy"]["policy_id"] == "xunyang-2022"
        block_id = str(funding_block_id(world.mof_div_code, pro_code))
        listed = budget.get("/funding-blocks", params={"pro_code": pro_code}).json()
        assert [b["block_id"] for b in listed] == ([block_id] if blocks else [])

        # The next year's object with the same pro_code: its goal approval is refused.
        nxt = approved_object(server.services, world, pro_code, 2026, approve=False)
        before = _head(server)
        reply = budget.post(
            f"/objects/{nxt}/goal/approve",
            json={"approved_amount": str(APPROVED), "approval_ref": "批复2026"},
        )
        if blocks:
            body = refused(server, reply, 409, "invalid-transition", before)
            assert "整改到位前不予安排" in body["detail"] and "xunyang-2022 v2" in body["detail"]
        else:
            assert reply.status_code == 200, reply.text
    gaps = {b["pro_code"]: b["gap"] for b in budget.get("/funding-blocks").json()}
    assert gaps == {"G15": "15.00", "GNEG": "-15.00"}


def test_no_one_rechecks_their_own_self_evaluation(server: LiveServer, world: World) -> None:
    ledger = server.services.ledger
    ledger.registry.grant_role(
        cli_act(), world.person("liuqiang"), "department_staff", world.org("D101")
    )
    oid = approved_object(server.services, world, "SOD")
    as_department = _client(server, world, "liuqiang", "department_staff")
    r = as_department.post(f"/objects/{oid}/evaluations/self", json=self_evaluation_body())
    assert r.status_code == 201, r.text
    # Tokens are events too: issue them before counting.
    performance = _client(server, world, "liuqiang", "performance_section")
    staff = _client(server, world, "wangfang")
    evaluation_id = r.json()["id"]
    before = _head(server)
    body = refused(
        server, _recheck_as(performance, evaluation_id, "60"), 403, "not-permitted", before
    )
    assert body["detail"].startswith("segregation of duties")
    # The department cannot recheck at all.
    refused(server, _recheck_as(staff, evaluation_id, "60"), 403, "forbidden", before)


def test_revisions_keep_the_old_score(server: LiveServer, world: World) -> None:
    staff = _client(server, world, "wangfang")
    evaluation_id = _self_evaluate(server, world, "REV")
    revision = {**self_evaluation_body(quantity="9"), "reason": "按初审意见更正实际完成数"}
    before = _head(server)
    no_doc = {**revision, "evidence": []}
    r = staff.post(f"/evaluations/{evaluation_id}/self-revision", json=no_doc)
    refused(server, r, 422, "invalid-input", before)
    r = staff.post(f"/evaluations/{evaluation_id}/self-revision", json={**revision, "reason": ""})
    refused(server, r, 422, "invalid-input", before)
    r = staff.post(
        f"/evaluations/{evaluation_id}/self-revision", json=revision, headers={"If-Match": '"1"'}
    )
    assert r.status_code == 200, r.text
    assert staff.get(f"/evaluations/{evaluation_id}").json()["score"] == "92.50"

    r = _recheck(server, world, evaluation_id, "88")
    check_id = r.json()["id"]
    before = _head(server)
    r = staff.post(f"/evaluations/{evaluation_id}/self-revision", json=revision)
    body = refused(server, r, 409, "invalid-transition", before)
    assert "rechecked" in body["detail"]
    performance = _client(server, world, "liuqiang")
    r = performance.post(
        f"/evaluations/{check_id}/score-revisions",
        json={"score": "90", "reason": "补充佐证后复核", "evidence": [doc("补充材料.pdf")]},
    )
    assert r.status_code == 200, r.text

    oid = staff.get(f"/evaluations/{evaluation_id}").json()["object_id"]
    history = staff.get(f"/objects/{oid}/history").json()
    events = [
        (h["event"], h["details"].get("previous_score"), h["details"].get("score"))
        for h in history
        if h["aggregate_type"] in ("SelfEvaluation", "SpotCheck")
    ]
    assert events == [
        ("SelfEvaluationSubmitted", None, None),
        ("SelfEvaluationRevised", "100.00", "92.50"),
        ("SpotCheckRecorded", None, "88.00"),
        ("ScoreRevised", "88.00", "90.00"),
    ]
    revised = next(h for h in history if h["event"] == "SelfEvaluationRevised")
    assert revised["reason"] == "按初审意见更正实际完成数" and revised["actor_name"] == "王芳"
    assert revised["details"]["policy"]["policy_id"] == "xunyang-2022"


def test_finance_key_evaluation_by_an_assigned_third_party(
    server: LiveServer, world: World
) -> None:
    oid = approved_object(server.services, world, "KEY")
    performance = _client(server, world, "liuqiang")
    third = _client(server, world, "qianlin")
    weights = {"决策": "15", "过程": "25", "产出": "30", "效益": "30"}
    before = _head(server)
    r = performance.post(
        f"/objects/{oid}/evaluations",
        json={"kind": "finance_key", "weights": {**weights, "效益": "29"}},
    )
    refused(server, r, 422, "invalid-input", before)
    r = performance.post(
        f"/objects/{oid}/evaluations", json={"kind": "finance_key", "weights": weights}
    )
    assert r.status_code == 201, r.text
    eid = r.json()["id"]
    r = performance.post(
        f"/evaluations/{eid}/third-party", json={"organisation_id": str(world.org("TP01"))}
    )
    assert r.status_code == 200, r.text
    scores = {"决策": "14", "过程": "22", "产出": "27", "效益": "25"}
    before = _head(server)
    r = performance.post(f"/evaluations/{eid}/scores", json={"scores": scores})
    refused(server, r, 403, "not-permitted", before)
    r = third.post(f"/evaluations/{eid}/scores", json={"scores": {**scores, "决策": "16"}})
    refused(server, r, 422, "invalid-input", before)  # above its weight
    assert third.post(f"/evaluations/{eid}/scores", json={"scores": scores}).status_code == 200
    e = third.get(f"/evaluations/{eid}").json()
    assert (e["score"], e["grade"]) == ("88.00", "良")

    proposal = third.get(f"/evaluations/{eid}/proposal").json()
    assert proposal["measure"] == "zero_growth" and proposal["table"] == "finance_evaluation"
    budget = _client(server, world, "sunli")
    staff = _client(server, world, "wangfang")
    before = _head(server)
    r = budget.post(f"/evaluations/{eid}/result", json={"measure": "reduce", "percentage": "10"})
    body = refused(server, r, 422, "invalid-input", before)
    assert body["field"] == "reason"
    r = budget.post(f"/evaluations/{eid}/result", json={"measure": "reduce"})
    refused(server, r, 422, "invalid-input", before)
    r = staff.post(f"/evaluations/{eid}/result", json={"measure": "zero_growth"})
    refused(server, r, 403, "forbidden", before)
    r = budget.post(
        f"/evaluations/{eid}/result",
        json={"measure": "reduce", "percentage": "10", "reason": "财力紧张，按10%核减"},
    )
    assert r.status_code == 201, r.text
    [applied] = budget.get("/results", params={"object_id": oid}).json()
    assert (applied["proposed_measure"], applied["measure"]) == ("zero_growth", "reduce")
    assert applied["follows_proposal"] is False and applied["percentage"] == "10.00"
    assert applied["reason"] == "财力紧张，按10%核减" and applied["applied_by"] == "孙丽"
    assert applied["policy_id"] == "xunyang-2022"

    # Corrected: a new event that keeps what it replaces; the list shows the result in force.
    correction = f"/evaluations/{eid}/result/correction"
    before = _head(server)
    back = {"measure": "zero_growth", "reason": "复核后按政策建议执行"}
    refused(server, staff.post(correction, json=back), 403, "forbidden", before)
    r = budget.post(correction, json={"measure": "zero_growth"})
    refused(server, r, 422, "invalid-input", before)
    same = {"measure": "reduce", "percentage": "10", "reason": "再次确认"}
    body = refused(server, budget.post(correction, json=same), 422, "invalid-input", before)
    assert "changes nothing" in body["detail"]
    r = budget.post(correction, json={"measure": "reduce", "reason": "x"})
    refused(server, r, 422, "invalid-input", before)  # reduce states its percentage
    assert budget.post(correction, json=back).status_code == 200
    [corrected] = budget.get("/results", params={"object_id": oid}).json()
    assert (corrected["measure"], corrected["percentage"]) == ("zero_growth", None)
    assert corrected["follows_proposal"] is True and corrected["corrected_by"] == "孙丽"
    assert corrected["applied_by"] == "孙丽" and corrected["reason"] == "财力紧张，按10%核减"
    history = budget.get(f"/objects/{oid}/history").json()
    [kept] = [h for h in history if h["event"] == "ResultCorrected"]
    assert kept["details"]["previous"] == {
        "measure": "reduce",
        "percentage": "10.00",
        "amount": None,
    }
    assert kept["details"]["measure"] == "zero_growth" and kept["reason"] == back["reason"]
