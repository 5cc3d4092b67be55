"""The coverage report over HTTP (GET /coverage): figures counted from the views for one
jurisdiction and year, judged by that jurisdiction's policy; the finance bureau's
performance and budget sections, the auditor and the NPC read it, department staff may not,
and nobody reads another jurisdiction's. Reading records nothing."""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

from domain import ids
from infrastructure.bootstrap import Services, cli_act
from tests.conftest import LiveServer
from tests.evaluation_helpers import self_evaluation_body
from tests.fixtures_world import World, build_world
from tests.http_checks import assert_refused, client_for, log_head, ok
from tests.scenarios.helpers import indicators

YEAR = 2025
WEIGHTS = {"决策": Decimal(15), "过程": Decimal(25), "产出": Decimal(30), "效益": Decimal(30)}
SCORES = {"决策": Decimal(14), "过程": Decimal(22), "产出": Decimal(27), "效益": Decimal(25)}


def _approved(
    services: Services, world: World, pro_code: str, amount: str, *, kind="project", unit=None
) -> UUID:
    """A continuing object of 住建局 (no ex-ante needed), its goal reviewed and approved."""
    ledger = services.ledger
    oid = ledger.goals.register_object(
        world.act_as("wangfang"),
        mof_div_code=world.mof_div_code,
        fiscal_year=YEAR,
        pro_code=pro_code,
        name=f"覆盖面测试{pro_code}",
        kind=kind,
        department_id=world.org("D101"),
        unit_id=None if unit is None else world.org(unit),
        fund_type="general_public",
        amount=Decimal(amount),
        is_new=False,
        last_year_amount=Decimal(amount),
    ).aggregate_id
    ledger.goals.submit_goal(world.act_as("wangfang"), oid, indicators())
    for login, stage in (("chenjing", "initial"), ("liuqiang", "second"), ("sunli", "final")):
        ledger.goals.review_goal(world.act_as(login), oid, stage, "良", "同意")
    ledger.goals.approve_goal(world.act_as("sunli"), oid, Decimal(amount), f"批复{pro_code}")
    return oid


def _evaluate(services: Services, world: World, oid: UUID, kind: str, *, score=True) -> None:
    """A department (by 住建局) or finance key (by the performance section) evaluation."""
    login = "wangfang" if kind == "department" else "liuqiang"
    ledger = services.ledger
    eid = ledger.evaluation.open_evaluation(world.act_as(login), oid, kind, WEIGHTS).aggregate_id
    if score:
        ledger.evaluation.submit_evaluation_scores(world.act_as(login), eid, SCORES)


def _build_year(server: LiveServer, world: World) -> None:
    services, code = server.services, world.mof_div_code
    for n in range(1, 5):  # 5 units in all, with 甘棠街道 (D101001)
        services.ledger.registry.register_organisation(
            cli_act(), code, f"D10100{n + 1}", f"住建局下属单位{n}", "unit", world.org("D101")
        )
    p1 = _approved(services, world, "CV1", "1500000.00", unit="D101001")
    p2 = _approved(services, world, "CV2", "1500000.00", unit="D101002")
    p3 = _approved(services, world, "CV3", "500000.00", unit="D101003")
    p4 = _approved(services, world, "CV4", "1500000.00")
    overall = _approved(services, world, "CVD", "1800000.00", kind="department_overall")
    _evaluate(services, world, p1, "department")
    _evaluate(services, world, p2, "department")
    _evaluate(services, world, p3, "department", score=False)  # opened, not yet carried out
    _evaluate(services, world, overall, "department")  # not project funds; no unit
    _evaluate(services, world, overall, "finance_key")
    _evaluate(services, world, p4, "finance_key")
    _evaluate(services, world, p2, "finance_key", score=False)
    # One spot check (抽查复核) of a self-evaluation, over HTTP as the sections do it.
    r = client_for(server, world, "wangfang").post(
        f"/objects/{p1}/evaluations/self", json=self_evaluation_body()
    )
    self_id = ok(r, 201)["id"]
    r = client_for(server, world, "liuqiang").post(
        f"/evaluations/{self_id}/recheck",
        json={"score": "88", "comments": "抽查复核", "business_date": "2026-06-10"},
    )
    ok(r, 201)
    departments = [world.org("D101"), world.org("D102")]
    for n in range(3):  # the NPC minimum is 5 departments: exactly 5 go
        dept = f"D3{n:02d}"
        services.ledger.registry.register_organisation(
            cli_act(), code, dept, f"部门{n}", "department"
        )
        departments.append(ids.organisation_id(code, dept))
    services.ledger.supervision.submit_to_npc(
        world.act_as("liuqiang"),
        mof_div_code=code,
        fiscal_year=YEAR,
        department_ids=departments,
        key_project_ids=[],
        budget_draft_ref="浔阳区2025年预算草案",
    )
    services.follower.wait_for(services.follower.head())


def test_coverage_figures_judged_by_the_jurisdictions_policy(server: LiveServer) -> None:
    xunyang = build_world(server.services)
    nanchang = build_world(server.services, "360100", "南昌市", prefix="nc.")
    _build_year(server, xunyang)
    query = {"mof_div_code": "360403", "fiscal_year": YEAR}
    readers = [client_for(server, xunyang, login) for login in ("liuqiang", "sunli", "fengshen")]
    npc = client_for(server, xunyang, "hexin")
    nc_npc = client_for(server, nanchang, "hexin")
    before = log_head(server)
    reports = [ok(c.get("/coverage", params=query)) for c in (*readers, npc)]
    assert all(r == reports[0] for r in reports)
    report = reports[0]
    assert report["policy"]["policy_id"] == "xunyang-2022" and report["all_met"] is False
    assert report["sources"]["coverage"].startswith("洪财绩〔2022〕4号")
    figures = {
        t["target"]: (t["numerator"], t["denominator"], t["actual"], t["met"])
        for t in report["targets"]
    }
    assert figures == {
        # 甘棠街道 and D101002 have a scored department evaluation; D101003's is only opened.
        "department_evaluation_units_pct": ("2", "5", "40.00", False),
        # CV1 + CV2 of CV1..CV4 (5,000,000 approved project funds): exactly 60% is 不少于60%.
        "department_evaluation_funds_pct": ("3000000.00", "5000000.00", "60.00", True),
        "spot_checks_min": ("1", None, "1", False),
        "key_evaluations_department_min": ("1", None, "1", False),
        "key_evaluations_policy_min": ("1", None, "1", False),  # CV2's is not scored
        "npc_departments_min": ("5", None, "5", True),
    }
    for t in report["targets"]:
        assert t["policy"] == {
            "policy_id": "xunyang-2022",
            "version": 2,
            "document": report["policy"]["document"],
        }
        assert t["required"]["op"] == ">=" and "xunyang-2022 v2" in t["reason"]
    assert log_head(server) == before, "reading the report recorded something"

    # Nanchang's year is empty, and judged by Nanchang's own policy.
    empty = ok(nc_npc.get("/coverage", params={"mof_div_code": "360100", "fiscal_year": YEAR}))
    assert empty["policy"]["document"] == "洪财绩〔2022〕4号"
    by_target = {t["target"]: t for t in empty["targets"]}
    assert by_target["department_evaluation_units_pct"]["actual"] == "0.00"
    assert by_target["department_evaluation_funds_pct"]["actual"] is None
    assert "no NPC submission" in by_target["npc_departments_min"]["reason"]
    assert not any(t["met"] for t in empty["targets"])


def test_who_may_read_the_coverage_report(server: LiveServer) -> None:
    world = build_world(server.services)
    nanchang = build_world(server.services, "360100", "南昌市", prefix="nc.")
    query = {"mof_div_code": "360403", "fiscal_year": YEAR}
    others = ("wangfang", "zhoujie", "lijun", "chenjing", "zhengyi", "qianlin", "jiangwei")
    refused = [client_for(server, world, login) for login in others]
    performance = client_for(server, world, "liuqiang")
    nanchang_performance = client_for(server, nanchang, "liuqiang")
    before = log_head(server)
    for client in refused:  # department staff and heads, units, 归口 sections, ...
        assert_refused(server, client.get("/coverage", params=query), 403, "forbidden", before)
    r = nanchang_performance.get("/coverage", params=query)
    assert_refused(server, r, 403, "out-of-scope", before)
    r = performance.get("/coverage", params={"mof_div_code": "360403"})
    assert_refused(server, r, 422, "invalid-input", before)
    assert server.client().get("/coverage", params=query).status_code == 401
    assert ok(performance.get("/coverage", params=query))["all_met"] is False
    assert log_head(server) == before
