"""Time travel over HTTP on both stores: an object, its goal and a monitoring task read as
they stood at an instant of recorded time (with the log position that state reflects), and
the diff of an object between two instants naming each changed field, both values and the
act that changed it; naive instants, instants before the record, and reach refused."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from tests.conftest import LiveServer
from tests.evaluation_helpers import approved_object, doc, self_evaluation_body
from tests.fixtures_world import INDICATORS, World, build_world, object_body
from tests.http_checks import PROBLEM, ok
from tests.http_checks import assert_refused as refused
from tests.http_checks import client_for as client
from tests.http_checks import log_head as head

HOUSES = "indicators.产出指标/数量指标/改造老旧小区数量.target"


def _instant() -> str:
    """Now, with a few ms either side so that no event shares it."""
    time.sleep(0.01)
    now = datetime.now(UTC).isoformat()
    time.sleep(0.01)
    return now


def _position(reply) -> int:
    assert reply.status_code in (200, 201), reply.text
    return int(reply.headers["x-log-position"])


def _approved(server: LiveServer, world: World) -> tuple[str, int]:
    """A goal registered, submitted, reviewed 初审/复核/终审 and approved, over HTTP; its id
    and the approval's log position."""
    staff, business, performance, budget = (
        client(server, world, x) for x in ("wangfang", "chenjing", "liuqiang", "sunli")
    )
    body = object_body(world, "TT1", amount="1000000.00", unit_id=None, fund_type="general_public")
    object_id = ok(staff.post("/objects", json=body), 201)["id"]
    ok(staff.post(f"/objects/{object_id}/goal/submit", json={"indicators": INDICATORS}))
    for who, stage in ((business, "initial"), (performance, "second"), (budget, "final")):
        review = {"stage": stage, "outcome": "良"}
        ok(who.post(f"/objects/{object_id}/goal/reviews", json=review))
    approval = {"approved_amount": "1000000.00", "approval_ref": "浔财预〔2023〕1号"}
    return object_id, _position(budget.post(f"/objects/{object_id}/goal/approve", json=approval))


def _houses(reply) -> str:
    row = next(i for i in ok(reply)["indicators"] if i["name"] == "改造老旧小区数量")
    return row["value"]


@pytest.fixture
def world(server: LiveServer) -> World:
    return build_world(server.services)


def test_as_of_between_approval_and_adjustment_and_the_diff(server, world) -> None:
    before_all = _instant()
    object_id, approved_at = _approved(server, world)
    between = _instant()
    staff, auditor = client(server, world, "wangfang"), client(server, world, "fengshen")
    business, budget = client(server, world, "chenjing"), client(server, world, "sunli")
    adjusted = [{**i, "value": "10"} if i["value"] == "12" else i for i in INDICATORS]
    application = {
        "indicators": adjusted,
        "reason": "征迁受阻，调减改造数量",
        "evidence": [doc("绩效目标调整申请.pdf")],
    }
    adjustment = f"/objects/{object_id}/goal/adjustment"
    ok(staff.post(adjustment, json=application))
    ok(business.post(f"{adjustment}/review", json={"outcome": "agreed"}))
    applied = _instant()  # applied and reviewed: the approved goal still stands
    approval = {"approval_ref": "浔财预〔2023〕9号", "reason": "按预算调整程序批复"}
    adjusted_at = _position(budget.post(f"{adjustment}/approval", json=approval))
    after = _instant()
    assert _houses(auditor.get(f"/objects/{object_id}", params={"as_of": applied})) == "12"
    read = f"/objects/{object_id}"

    then = auditor.get(read, params={"as_of": between})
    assert _houses(then) == "12" and then.json()["goal_status"] == "approved"
    assert int(then.headers["x-log-position"]) == approved_at
    assert (
        then.json()["goal_revision"] == 1 and then.headers["etag"] == f'"{then.json()["version"]}"'
    )
    now = auditor.get(read, params={"as_of": after})
    assert _houses(now) == "10" and int(now.headers["x-log-position"]) == adjusted_at
    assert now.json() == ok(auditor.get(read))  # the latest instant is today's state
    same_in_cst = datetime.fromisoformat(between).astimezone().isoformat()
    assert _houses(auditor.get(read, params={"as_of": same_in_cst})) == "12"

    first = auditor.get(read, params={"as_of": before_all})
    assert first.status_code == 404 and first.headers["content-type"].startswith(PROBLEM)
    assert "did not exist yet" in first.json()["detail"]

    diff = ok(auditor.get(f"{read}/diff", params={"from": between, "to": after}))
    assert (diff["from_version"], diff["to_version"]) == (
        then.json()["version"],
        now.json()["version"],
    )
    changes = {c["path"]: c for c in diff["changes"]}
    assert set(changes) == {HOUSES, "goal_revision"}
    houses = changes[HOUSES]
    assert (houses["before"], houses["after"]) == ("12", "10")
    (event,) = houses["events"]
    assert event["position"] == adjusted_at == diff["to_position"]
    assert event["event"] == "PerformanceObject.GoalAdjusted"
    assert (event["actor_id"], event["actor_name"], event["actor_role"]) == (
        str(world.person("sunli")),
        "孙丽",
        "budget_section",
    )
    assert event["reason"] == "按预算调整程序批复"

    whole = ok(auditor.get(f"{read}/diff", params={"from": before_all, "to": between}))
    assert whole["from_version"] == 0 and whole["from_position"] is None
    paths = {c["path"]: c for c in whole["changes"]}
    assert paths["goal_status"]["before"] is None and paths["goal_status"]["after"] == "approved"
    assert [e["event"] for e in paths["goal_status"]["events"]][
        -1
    ] == "PerformanceObject.GoalApproved"
    assert paths[HOUSES]["after"] == "12"


def test_refusals_naive_before_and_out_of_reach(server, world) -> None:
    object_id, _ = _approved(server, world)
    later = _instant()
    auditor, other = client(server, world, "fengshen"), client(server, world, "zhaoyun")
    before = head(server)
    read, diff = f"/objects/{object_id}", f"/objects/{object_id}/diff"
    for bad in ("2025-06-30T12:00:00", "1700000000", "2025-06-30"):
        r = auditor.get(read, params={"as_of": bad})
        assert refused(server, r, 422, "invalid-input", before)
    r = auditor.get(diff, params={"from": "2025-06-30T12:00:00", "to": later})
    refused(server, r, 422, "invalid-input", before)
    r = auditor.get(diff, params={"from": later, "to": "2020-01-01T00:00:00+08:00"})
    refused(server, r, 422, "invalid-input", before)  # from after to
    r = auditor.get(diff, params={"from": "2020-01-01T00:00:00Z", "to": "2020-01-02T00:00:00Z"})
    assert "did not exist yet" in refused(server, r, 404, "not-found", before)["detail"]
    r = auditor.get(read, params={"as_of": "9999-12-31T23:59:59-12:00"})
    assert ok(r)["goal_status"] == "approved"  # the far future is today's state
    # The department next door reads neither the past nor the diff; its own auditor does.
    refused(server, other.get(read, params={"as_of": later}), 403, "out-of-scope", before)
    r = other.get(diff, params={"from": later, "to": later})
    refused(server, r, 403, "out-of-scope", before)
    assert auditor.get(diff, params={"from": later, "to": later}).json()["changes"] == []
    missing = "/objects/00000000-0000-0000-0000-000000000000"
    refused(server, auditor.get(missing, params={"as_of": later}), 404, "not-found", before)


def test_a_monitoring_task_as_it_stood(server, world) -> None:
    object_id, _ = _approved(server, world)
    before_task = _instant()
    business, staff = client(server, world, "chenjing"), client(server, world, "wangfang")
    r = business.post(f"/objects/{object_id}/monitoring/tasks", json={"period_code": "H1"})
    opened_at, task = _position(r), f"/monitoring/tasks/{r.json()['id']}"
    opened = _instant()
    rows = [
        {
            "name": i["name"],
            "actual": i["value"],
            "forecast": i["value"],
            "likelihood": "确定能完成",
            "deviation_cause": "无偏差",
            "corrective_measures": "",
        }
        for i in INDICATORS
    ]
    entry = {
        "budget_executed": "500000.00",
        "budget_forecast": "1000000.00",
        "indicators": rows,
        "business_date": "2023-06-30",
    }
    entered_at = _position(staff.post(f"{task}/entry", json=entry))
    entered = _instant()

    then = business.get(task, params={"as_of": opened})
    assert ok(then)["entry"] is None and int(then.headers["x-log-position"]) == opened_at
    now = business.get(task, params={"as_of": entered})
    assert ok(now)["entry"]["budget_executed"] == "500000.00"
    assert int(now.headers["x-log-position"]) == entered_at
    r = business.get(task, params={"as_of": before_task})
    assert r.status_code == 404 and "did not exist yet" in r.json()["detail"]
    other = client(server, world, "zhaoyun")
    r = other.get(task, params={"as_of": entered})
    assert r.status_code == 403 and r.json()["type"].endswith("out-of-scope")


def test_ex_ante_file_and_rectification_as_they_stood(server, world) -> None:
    before_all = _instant()
    object_id, _ = _approved(server, world)
    business, staff = client(server, world, "chenjing"), client(server, world, "wangfang")
    approved = _instant()
    ex_ante = business.get(f"/objects/{object_id}/ex-ante", params={"as_of": approved})
    assert ok(ex_ante)["version"] == 1 and ex_ante.headers["x-log-position"]
    r = business.get(f"/objects/{object_id}/ex-ante", params={"as_of": before_all})
    assert r.status_code == 404 and "did not exist yet" in r.json()["detail"]

    notice = {"notice_ref": "浔财绩整〔2025〕7号", "problems": ["佐证材料不全"]}
    r = business.post(f"/objects/{object_id}/rectifications", json=notice)
    issued_at, location = _position(r), r.headers["location"]
    issued = _instant()
    answer = {"response": "已补充佐证材料", "evidence": [doc("整改情况报告.pdf")]}
    ok(staff.post(f"{location}/response", json=answer))
    then = business.get(location, params={"as_of": issued})
    # The issuing write also listed the notice on the department's register (later positions).
    assert ok(then)["status"] == "open" and int(then.headers["x-log-position"]) <= issued_at
    assert ok(business.get(location))["status"] != "open"
    assert "x-log-position" not in business.get(location, params={"as_of": "2025-01-01"}).headers
    r = business.get(location, params={"as_of": approved})
    assert r.status_code == 404 and "did not exist yet" in r.json()["detail"]


def test_an_evaluation_and_its_proposal_as_they_stood(server, world) -> None:
    oid = approved_object(server.services, world, "TE1")
    staff, budget = client(server, world, "wangfang"), client(server, world, "sunli")
    before_evaluation = _instant()
    r = staff.post(f"/objects/{oid}/evaluations/self", json=self_evaluation_body("0"))
    scored_at, read = _position(r), f"/evaluations/{r.json()['id']}"
    scored = _instant()
    revision = {**self_evaluation_body("12"), "reason": "补录改造数量"}
    ok(staff.post(f"{read}/self-revision", json=revision))
    revised = _instant()

    then, now = budget.get(read, params={"as_of": scored}), ok(budget.get(read))
    assert int(then.headers["x-log-position"]) <= scored_at
    assert Decimal(ok(then)["score"]) == Decimal(now["score"]) - 30  # quantity 0 lost 30 points
    assert budget.get(read, params={"as_of": revised}).json() == now
    proposal = f"{read}/proposal"
    assert ok(budget.get(proposal, params={"as_of": scored}))["grade"] == then.json()["grade"]
    assert ok(budget.get(proposal, params={"as_of": revised})) == ok(budget.get(proposal))
    for path in (read, proposal):
        r = budget.get(path, params={"as_of": before_evaluation})
        assert r.status_code == 404 and "did not exist yet" in r.json()["detail"]
    other = client(server, world, "zhaoyun")
    r = other.get(proposal, params={"as_of": revised})
    assert r.status_code == 403 and r.json()["type"].endswith("out-of-scope")
