"""Dual monitoring over HTTP on both stores: the schedule per policy, an entry judged serious
and listed as such, a correction that keeps the old entry, follow-ups, refusals."""

from __future__ import annotations

import pytest

from tests.conftest import LiveServer
from tests.fixtures_world import INDICATORS, World, build_world
from tests.http_checks import assert_refused as _refused
from tests.http_checks import client_for as _client
from tests.http_checks import log_head as _head
from tests.unit.lifecycle_helpers import approved_object


@pytest.fixture
def worlds(server: LiveServer) -> tuple[World, World]:
    return build_world(server.services), build_world(
        server.services, "360100", "南昌市", prefix="nc."
    )


def _entry(executed: str, houses: str = "12", **act: str) -> dict:
    rows = []
    for row in INDICATORS:
        forecast = houses if row["name"] == "改造老旧小区数量" else row["value"]
        short = forecast != row["value"]
        rows.append(
            {
                "name": row["name"],
                "actual": str(int(forecast) // 2),
                "forecast": forecast,
                "likelihood": "有可能完成" if short else "确定能完成",
                "deviation_cause": "征迁协调滞后" if short else "无偏差",
                "corrective_measures": "倒排工期" if short else "",
            }
        )
    return {
        "budget_executed": executed,
        "budget_forecast": "60000000.00",
        "indicators": rows,
        "business_date": "2023-06-30",
        **act,
    }


def test_schedule_differs_by_jurisdiction(server, worlds) -> None:
    staff = _client(server, worlds[0], "wangfang")
    nanchang = staff.get(
        "/monitoring/schedule", params={"mof_div_code": "360100", "fiscal_year": 2023}
    )
    xunyang = staff.get(
        "/monitoring/schedule", params={"mof_div_code": "360403", "fiscal_year": 2023}
    )
    assert [p["code"] for p in nanchang.json()["periods"]] == [
        "Q1",
        "Q2",
        "Q3",
        "M10",
        "M11",
        "M12",
    ]
    assert nanchang.json()["policy"]["document"] == "洪财绩〔2022〕4号"
    assert [p["code"] for p in xunyang.json()["periods"]] == ["H1", "M10", "M12"]
    assert xunyang.json()["periods"][0]["as_of"] == "2023-06-30"

    xy_object = approved_object(server.services.ledger, worlds[0])
    nc_object = approved_object(server.services.ledger, worlds[1])
    nc_business = _client(server, worlds[1], "chenjing")
    r = nc_business.post(f"/objects/{nc_object}/monitoring/tasks", json={"period_code": "Q1"})
    assert r.status_code == 201, r.text
    assert r.headers["location"] == f"/monitoring/tasks/{r.json()['id']}"
    xy_business = _client(server, worlds[0], "chenjing")
    before = _head(server)
    r = xy_business.post(f"/objects/{xy_object}/monitoring/tasks", json={"period_code": "Q1"})
    assert "xunyang-2022" in _refused(server, r, 422, "invalid-input", before)["detail"]


def test_serious_deviation_corrected_and_followed_up(server, worlds) -> None:
    world = worlds[0]
    staff, business, budget, treasury = (
        _client(server, world, login) for login in ("wangfang", "chenjing", "sunli", "zhengyi")
    )
    object_id = str(approved_object(server.services.ledger, world))
    before = _head(server)
    r = staff.post(f"/objects/{object_id}/monitoring/tasks", json={"period_code": "H1"})
    _refused(server, r, 403, "forbidden", before)
    r = business.post(f"/objects/{object_id}/monitoring/tasks", json={"period_code": "H1"})
    task = f"/monitoring/tasks/{r.json()['id']}"

    before = _head(server)
    r = business.post(f"{task}/follow-ups", json={"kind": "correction_ordered", "reason": "纠偏"})
    _refused(server, r, 409, "invalid-transition", before)
    r = business.post(f"{task}/entry", json=_entry("12000000.00", "8"))
    _refused(server, r, 403, "forbidden", before)
    no_cause = _entry("12000000.00", "8")
    no_cause["indicators"][0]["deviation_cause"] = "无偏差"
    _refused(server, staff.post(f"{task}/entry", json=no_cause), 422, "invalid-input", before)
    r = staff.post(f"{task}/entry", json={**_entry("12000000.00"), "budget_executed": "1.001"})
    _refused(server, r, 422, "invalid-input", before)

    r = staff.post(f"{task}/entry", json=_entry("12000000.00", "8"))
    assert r.status_code == 200, r.text
    serious = staff.get(
        "/monitoring/tasks", params={"mof_div_code": "360403", "judgement": "serious"}
    ).json()
    assert [row["object_id"] for row in serious] == [object_id]
    row = serious[0]
    assert (row["execution_pct"], row["lag_points"], row["policy_id"]) == (
        "20.00",
        "29.59",
        "xunyang-2022",
    )
    assert "严重偏离" in row["reasons"][0] and row["business_date"] == "2023-06-30"

    before = _head(server)
    r = staff.post(f"{task}/entry", json=_entry("27000000.00"))
    _refused(server, r, 409, "invalid-transition", before)
    r = staff.post(f"{task}/entry/correct", json=_entry("27000000.00"))
    _refused(server, r, 422, "invalid-input", before)
    r = treasury.post(
        f"{task}/follow-ups", json={"kind": "budget_reduced", "amount": "1.00", "reason": "x"}
    )
    _refused(server, r, 403, "not-permitted", before)

    for client, body in (
        (business, {"kind": "correction_ordered", "reason": "执行严重滞后，限期纠偏"}),
        (treasury, {"kind": "payments_suspended", "reason": "暂停拨付至纠偏到位"}),
    ):
        assert client.post(f"{task}/follow-ups", json=body).status_code == 200
    r = budget.post(
        f"{task}/follow-ups",
        json={"kind": "budget_reduced", "amount": "5000000.00", "reason": "政策调整"},
    )
    assert r.status_code == 200, r.text
    etag = staff.get(task).headers["etag"]
    r = staff.post(
        f"{task}/entry/correct",
        json=_entry("27000000.00", reason="6月支付数据漏填国库直付部分"),
        headers={"If-Match": etag},
    )
    assert r.status_code == 200, r.text

    current = staff.get(task).json()
    assert current["judgement"]["status"] == "on_track" and current["entry_revision"] == 2
    assert current["budget_now"] == "55000000.00" and current["suspended"] is True
    listed = staff.get("/monitoring/tasks", params={"object_id": object_id}).json()[0]
    assert listed["judgement"] == "on_track" and listed["entry_revision"] == 2
    assert [f["kind"] for f in listed["follow_ups"]] == [
        "correction_ordered",
        "payments_suspended",
        "budget_reduced",
    ]
    assert listed["reduced"] == "5000000.00" and listed["suspended"] is True
    history = staff.get(f"/objects/{object_id}/history").json()
    monitoring = [h for h in history if h["aggregate_type"] == "MonitoringTask"]
    assert [h["event"] for h in monitoring] == [
        "Opened",
        "EntrySubmitted",
        "EntryJudged",
        "CorrectionOrdered",
        "PaymentsSuspended",
        "BudgetReduced",
        "EntryCorrected",
        "EntryJudged",
    ]
    corrected = monitoring[6]
    assert corrected["reason"] == "6月支付数据漏填国库直付部分"
    assert corrected["details"]["previous"]["budget_executed"] == "12000000.00"
    assert corrected["details"]["entry"]["budget_executed"] == "27000000.00"
    assert monitoring[2]["details"]["judgement"]["status"] == "serious"
    assert monitoring[7]["details"]["judgement"]["policy"]["policy_id"] == "xunyang-2022"


def test_round_opens_all_or_nothing(server, worlds) -> None:
    world = worlds[1]
    ledger = server.services.ledger
    first = approved_object(ledger, world, pro_code="NC1")
    second = approved_object(ledger, world, pro_code="NC2")
    performance = _client(server, world, "liuqiang")
    body = {
        "mof_div_code": "360100",
        "fiscal_year": 2023,
        "period_code": "Q3",
        "mode": "finance_key",
        "object_ids": [str(first), str(second)],
    }
    assert performance.post("/monitoring/rounds", json=body).status_code == 201
    before = _head(server)
    r = performance.post(
        "/monitoring/rounds",
        json={**body, "period_code": "M10"} | {"object_ids": [str(first), str(first)]},
    )
    _refused(server, r, 422, "invalid-input", before)
    r = performance.post("/monitoring/rounds", json=body)
    _refused(server, r, 409, "already-exists", before)
    rows = performance.get("/monitoring/tasks", params={"period_code": "Q3"}).json()
    assert {(r["mode"], r["purpose"], r["status"]) for r in rows} == {
        ("finance_key", "correction", "open")
    }
