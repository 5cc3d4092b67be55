"""Monitoring lights over HTTP, on both stores: an entry is lit when it is judged, under its
jurisdiction's policy and period (浔阳 inherits the national default's H1, 6 months; 南昌 its
own Q1, 3 months), and the task, the list and the light filter show it."""

from __future__ import annotations

import pytest

from tests.conftest import LiveServer
from tests.fixtures_world import World, build_world
from tests.http_checks import client_for as _client
from tests.unit.lifecycle_helpers import approved_object

# tests.fixtures_world.INDICATORS: 数量 ≥ 12, 年底完工率 ≥ 95, 户数 ≥ 3000, 满意度 ≥ 90.
NAMES = ("改造老旧小区数量", "年底完工率", "受益居民户数", "居民满意度")
TARGETS = ("12", "95", "3000", "90")


@pytest.fixture
def worlds(server: LiveServer) -> tuple[World, World]:
    return build_world(server.services), build_world(
        server.services, "360100", "南昌市", prefix="nc."
    )


def _entry(date: str, executed: str, actuals: tuple[str, ...]) -> dict:
    return {
        "budget_executed": executed,
        "budget_forecast": "60000000.00",
        "business_date": date,
        "indicators": [
            {"name": n, "actual": a, "forecast": t, "likelihood": "确定能完成"}
            for n, a, t in zip(NAMES, actuals, TARGETS, strict=True)
        ],
    }


def _task(server, world: World, period: str) -> tuple[str, str]:
    object_id = str(approved_object(server.services.ledger, world))
    business = _client(server, world, "chenjing")
    r = business.post(f"/objects/{object_id}/monitoring/tasks", json={"period_code": period})
    assert r.status_code == 201, r.text
    return object_id, f"/monitoring/tasks/{r.json()['id']}"


def test_an_entry_is_lit_per_its_policy_and_shown_in_the_task_and_the_list(server, worlds):
    xunyang, nanchang = worlds
    # 浔阳 H1 (6/12): expected to date 6, 47.5, 1500, 45.
    #   7.2 ÷ 6 = 120% blue; 45.6 ÷ 47.5 = 96% green; 899 ÷ 1500 = 59.93% red; 45 ÷ 45 green.
    #   budget 60,000,000: 18,000,000 ÷ 60,000,000 = 30% ÷ 50% = 60% yellow.
    xy_object, xy_task = _task(server, xunyang, "H1")
    staff = _client(server, xunyang, "wangfang")
    r = staff.post(
        f"{xy_task}/entry", json=_entry("2023-06-30", "18000000.00", ("7.2", "45.6", "899", "45"))
    )
    assert r.status_code == 200, r.text
    # 南昌 Q1 (3/12): expected 3, 23.75, 750, 22.5.
    #   3 green (100%); 19 ÷ 23.75 = 80% green; 750 green; 18 ÷ 22.5 = 80% green.
    #   budget: 8,999,400 ÷ 60,000,000 = 14.999% ÷ 25% = 59.996% → 60.00% yellow.
    nc_object, nc_task = _task(server, nanchang, "Q1")
    nc_staff = _client(server, nanchang, "wangfang")
    r = nc_staff.post(
        f"{nc_task}/entry", json=_entry("2023-03-31", "8999400.00", ("3", "19", "750", "18"))
    )
    assert r.status_code == 200, r.text

    lights = staff.get(xy_task).json()["judgement"]["lights"]
    assert (lights["months_elapsed"], lights["time_progress_pct"]) == (6, "50.00")
    assert [(row["name"], row["progress_pct"], row["light"]) for row in lights["indicators"]] == [
        ("改造老旧小区数量", "120.00", "blue"),
        ("年底完工率", "96.00", "green"),
        ("受益居民户数", "59.93", "red"),
        ("居民满意度", "100.00", "green"),
    ]
    assert (lights["light"], lights["budget_progress_pct"], lights["budget_light"]) == (
        "red",
        "60.00",
        "yellow",
    )

    (listed,) = staff.get("/monitoring/tasks", params={"object_id": xy_object}).json()
    assert (listed["light"], listed["budget_light"], listed["time_progress_pct"]) == (
        "red",
        "yellow",
        "50.00",
    )
    assert listed["indicator_lights"][2]["basis"] == "实际 899 ÷ (3000 × 6/12) = 59.93%"
    (nc_listed,) = nc_staff.get("/monitoring/tasks", params={"object_id": nc_object}).json()
    assert (nc_listed["light"], nc_listed["budget_light"], nc_listed["budget_progress_pct"]) == (
        "green",
        "yellow",
        "60.00",
    )
    assert nc_listed["time_progress_pct"] == "25.00"
    assert nc_listed["policy_id"] == "nanchang-2022"

    red = staff.get("/monitoring/tasks", params={"mof_div_code": "360403", "light": "red"})
    assert [row["object_id"] for row in red.json()] == [xy_object]
    green = staff.get("/monitoring/tasks", params={"mof_div_code": "360403", "light": "green"})
    assert green.json() == []
    bad = staff.get("/monitoring/tasks", params={"light": "purple"})
    assert bad.status_code == 422
    assert bad.headers["content-type"].startswith("application/problem+json")
