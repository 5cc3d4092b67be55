"""A self-evaluation over HTTP scored by its jurisdiction's rules: 南昌 (the national default's
auto-score: reverse linear to 2 × target, a qualitative score stated inside its grade's band,
refused outside it) and 浔阳 (the earlier rules: target ÷ actual, fixed percentages)."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from uuid import UUID

import pytest

from domain.indicators import Indicator
from domain.ledger import Ledger
from tests.conftest import LiveServer
from tests.fixtures_world import World, build_world
from tests.http_checks import assert_refused, log_head
from tests.http_checks import client_for as _client
from tests.unit.lifecycle_helpers import pass_ex_ante, register

D = Decimal
AMOUNT = "60000000.00"
# One indicator per level: 产出 50 points, 效益 30, 满意度 10 (and 10 for execution).
GOAL = [
    Indicator("产出", "成本", "户均改造成本", "≤", D("2.00"), unit="万元"),
    Indicator("效益", "可持续影响", "长效管护机制", "qualitative", qualitative_target="建立"),
    Indicator("满意度", "满意度", "居民满意度", "≥", D(90), unit="%"),
]


@pytest.fixture
def worlds(server: LiveServer) -> tuple[World, World]:
    return build_world(server.services), build_world(
        server.services, "360100", "南昌市", prefix="nc."
    )


def _approved(ledger: Ledger, world: World) -> UUID:
    object_id = register(ledger, world, AMOUNT)
    pass_ex_ante(ledger, world, object_id)
    ledger.goals.submit_goal(world.act_as("wangfang"), object_id, GOAL)
    for login, stage in (("chenjing", "initial"), ("liuqiang", "second"), ("sunli", "final")):
        ledger.goals.review_goal(world.act_as(login), object_id, stage, "良", "同意")
    ledger.goals.approve_goal(world.act_as("sunli"), object_id, D(AMOUNT), "批复")
    return object_id


def _body(grade: str, score: str | None) -> dict:
    qualitative = {"level1": "效益", "level2": "可持续影响", "name": "长效管护机制"}
    qualitative["grade"] = grade
    if score is not None:
        qualitative["score"] = score
    return {
        "actuals": [
            {"level1": "产出", "level2": "成本", "name": "户均改造成本", "actual": "2.50"},
            qualitative,
            {"level1": "满意度", "level2": "满意度", "name": "居民满意度", "actual": "95"},
        ],
        "executed_amount": AMOUNT,
        "business_date": "2024-03-20",
        "evidence": [
            {"name": "自评表.pdf", "sha256": hashlib.sha256(b"self").hexdigest()},
        ],
    }


def test_each_jurisdiction_scores_the_same_table_by_its_own_rules(server, worlds) -> None:
    xunyang, nanchang = worlds
    nc_object = _approved(server.services.ledger, nanchang)
    nc_staff = _client(server, nanchang, "wangfang")
    part = "部分达成年度指标并具有一定效果"  # [0.6 × 30, 0.8 × 30) = [18.00, 24.00)
    before = log_head(server)
    for grade, score in ((part, "24.00"), (part, None), ("部分达成", "20.00")):
        problem = assert_refused(
            server,
            nc_staff.post(f"/objects/{nc_object}/evaluations/self", json=_body(grade, score)),
            422,
            "invalid-input",
            before,
        )
        assert problem["field"] == "actuals" and "长效管护机制" in problem["detail"]
    r = nc_staff.post(f"/objects/{nc_object}/evaluations/self", json=_body(part, "20.00"))
    assert r.status_code == 201, r.text
    national = nc_staff.get(f"/evaluations/{r.json()['id']}").json()
    # 10 + (1 − (2.50 − 2.00) ÷ 2.00) × 50 = 37.50 + stated 20.00 + 10 = 77.50 → 中
    assert [(row["rule"], row["score"]) for row in national["details"]["rows"]] == [
        ("reverse:linear_to_double", "37.50"),
        ("qualitative:bands", "20.00"),
        ("positive", "10.00"),
    ]
    assert (national["score"], national["grade"]) == ("77.50", "中")
    assert national["policy"]["policy_id"] == "nanchang-2022"

    xy_object = _approved(server.services.ledger, xunyang)
    xy_staff = _client(server, xunyang, "wangfang")
    r = xy_staff.post(f"/objects/{xy_object}/evaluations/self", json=_body("部分达成", None))
    assert r.status_code == 201, r.text
    earlier = xy_staff.get(f"/evaluations/{r.json()['id']}").json()
    # 10 + 2.00 ÷ 2.50 × 50 = 40.00 + 60% × 30 = 18.00 + 10 = 78.00 → 中
    assert [(row["rule"], row["score"]) for row in earlier["details"]["rows"]] == [
        ("reverse:ratio", "40.00"),
        ("qualitative:fixed_percentages", "18.00"),
        ("positive", "10.00"),
    ]
    assert (earlier["score"], earlier["grade"]) == ("78.00", "中")
