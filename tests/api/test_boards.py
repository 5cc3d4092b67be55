"""The NPC supervision board and the finance bureau board over HTTP, on both stores.

The NPC board shows exactly the departments submitted to the NPC (goals with indicators,
scores and grades as the evaluations themselves say, ratings, what was done about 中/差
objects); the NPC is out of scope on any other department and refused the finance board.
The finance board counts official working days left with the calendar that set the
deadline (checked against chinesecalendar directly), judges "due soon" by each
jurisdiction's policy (Xunyang 5 working days, Nanchang 3), and names every blocker the
domain gives for a pending approval."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import chinese_calendar

from domain import ids
from domain.values import Act, Actor
from infrastructure.bootstrap import cli_act
from tests.conftest import LiveServer
from tests.evaluation_helpers import (
    approved_object,
    self_evaluation_body,
    use_chinese_calendar,
)
from tests.fixtures_world import INDICATORS, World, build_world
from tests.http_checks import client_for
from tests.scenarios.helpers import indicators

PROBLEM = "urn:jixiao:problem:"
ISSUED, DUE = "2025-09-26", "2025-10-23"  # 15 working days across National Day


def _ok(reply, status: int = 200) -> dict:
    assert reply.status_code == status, reply.text
    return reply.json()


def _refused(reply, status: int, slug: str) -> None:
    assert reply.status_code == status, reply.text
    assert reply.json()["type"] == PROBLEM + slug


def _independent_days_left(on: date, due: date) -> int:
    """chinesecalendar itself: working days after `on` up to the due day; once past it,
    minus the working days after the due day up to `on` (at least one)."""
    lo, hi = (on, due) if on <= due else (due, on)
    days = [lo + timedelta(d) for d in range(1, (hi - lo).days + 1)]
    count = sum(chinese_calendar.is_workday(d) for d in days)
    return count if on <= due else -max(1, count)


def _self_evaluate(server: LiveServer, world: World, pro_code: str, quantity: str) -> str:
    oid = approved_object(server.services, world, pro_code)
    staff = client_for(server, world, "wangfang")
    return _ok(
        staff.post(f"/objects/{oid}/evaluations/self", json=self_evaluation_body(quantity)), 201
    )["id"]


def _recheck(server: LiveServer, world: World, evaluation_id: str, score: str) -> str:
    body = {"score": score, "comments": "抽查复核：佐证材料不足", "business_date": "2026-06-10"}
    performance = client_for(server, world, "liuqiang")
    return _ok(performance.post(f"/evaluations/{evaluation_id}/recheck", json=body), 201)["id"]


def _issue(server: LiveServer, world: World, object_id: str, ref: str) -> str:
    business = client_for(server, world, "chenjing")
    body = {"notice_ref": ref, "problems": ["绩效目标未完成"], "business_date": ISSUED}
    reply = business.post(f"/objects/{object_id}/rectifications", json=body)
    return _ok(reply, 201)["id"]


def _department(server: LiveServer, world: World, code: str, name: str) -> str:
    server.services.ledger.registry.register_organisation(
        cli_act(), world.mof_div_code, code, name, "department"
    )
    return str(ids.organisation_id(world.mof_div_code, code))


def _unsubmitted_goal(server: LiveServer, world: World) -> tuple[str, str]:
    """教育局 with a submitted goal: a department never sent to the NPC."""
    ledger = server.services.ledger
    dept = _department(server, world, "D103", "浔阳区教育局")
    ledger.registry.register_person(cli_act(), "jy.staff", "林教")
    dept_id = ids.organisation_id(world.mof_div_code, "D103")
    ledger.registry.grant_role(cli_act(), ids.person_id("jy.staff"), "department_staff", dept_id)
    act = Act(Actor(str(ids.person_id("jy.staff")), "林教", "department_staff", dept, "教育局"))
    oid = ledger.goals.register_object(
        act, mof_div_code=world.mof_div_code, fiscal_year=2025, pro_code="JY1",
        name="校舍维修", kind="project", department_id=dept_id, unit_id=None,
        fund_type="general_public", amount=Decimal("800000.00"), is_new=True,
    ).aggregate_id  # fmt: skip
    ledger.goals.submit_goal(act, oid, indicators())
    return dept, str(oid)


def test_npc_board_shows_exactly_the_submitted_departments(server: LiveServer) -> None:
    use_chinese_calendar(server.services)
    world = build_world(server.services)
    performance = client_for(server, world, "liuqiang")
    npc = client_for(server, world, "hexin")
    _self_evaluate(server, world, "N1", "12")  # 100, 优
    weak = _self_evaluate(server, world, "N2", "0")  # 70, 中
    recheck = _recheck(server, world, weak, "55")  # 差, gap 15: funding blocked
    weak_object = _ok(performance.get(f"/evaluations/{weak}"))["object_id"]
    proposal = _ok(performance.get(f"/evaluations/{recheck}/proposal"))
    _ok(performance.post(f"/evaluations/{recheck}/result", json={"measure": proposal["measure"]}),
        201)  # fmt: skip
    notice = _issue(server, world, weak_object, "浔财绩整〔2026〕9号")
    d102 = str(world.org("D102"))
    d102_goal = server.services.ledger.goals.register_object(
        world.act_as("zhaoyun"), mof_div_code=world.mof_div_code, fiscal_year=2025,
        pro_code="W1", name="基层医疗设备", kind="project", department_id=world.org("D102"),
        unit_id=None, fund_type="general_public", amount=Decimal("500000.00"), is_new=True,
    ).aggregate_id  # fmt: skip
    server.services.ledger.goals.submit_goal(world.act_as("zhaoyun"), d102_goal, indicators())
    extra = [_department(server, world, f"D2{n}", f"浔阳区部门{n}") for n in range(3)]
    unsubmitted, unsubmitted_object = _unsubmitted_goal(server, world)
    d101 = str(world.org("D101"))
    submitted = [d101, d102, *extra]
    key = server.services.ledger.goals.register_object(
        world.act_as("wangfang"), mof_div_code=world.mof_div_code, fiscal_year=2025,
        pro_code="K1", name="老旧小区改造（重点）", kind="project", department_id=world.org("D101"),
        unit_id=None, fund_type="government_fund", amount=Decimal("12000000.00"), is_new=True,
    ).aggregate_id  # fmt: skip
    server.services.ledger.goals.submit_goal(world.act_as("wangfang"), key, indicators())
    body = {
        "mof_div_code": world.mof_div_code,
        "fiscal_year": 2025,
        "department_ids": submitted,
        "key_project_ids": [str(key)],
        "budget_draft_ref": "浔阳区2025年预算草案",
    }
    submission = _ok(performance.post("/supervision/npc-submissions", json=body), 201)["id"]
    rating = {"department_id": d101, "rating": "基本满意", "comments": "指标需细化"}
    _ok(npc.post(f"/supervision/npc-submissions/{submission}/ratings", json=rating))

    listed = _ok(npc.get("/supervision/npc-submissions", params={"mof_div_code": "360403"}))
    assert [s["submission_id"] for s in listed] == [submission]
    board = _ok(npc.get("/boards/npc/360403/2025"))
    assert [s["submission_id"] for s in board["submissions"]] == [submission]
    assert [d["department_id"] for d in board["departments"]] == submitted
    assert unsubmitted_object not in str(board)
    assert [p["object_id"] for p in board["key_projects"]] == [str(key)]
    assert board["coverage"]["policy"]["policy_id"] == "xunyang-2022"
    housing = board["departments"][0]
    assert housing["name"] == "浔阳区住房和城乡建设局"
    assert [g["pro_code"] for g in housing["goals"]] == ["K1", "N1", "N2"]
    expected = [(r["name"], r["comparator"], r["value"], r["unit"]) for r in INDICATORS]
    for goal in housing["goals"]:
        rows = goal["indicators"]
        got = [(i["name"], i["comparator"], Decimal(i["value"]), i["unit"]) for i in rows]
        assert got == [(n, c, Decimal(v), u) for n, c, v, u in expected]
    # Scores and grades as the evaluations themselves say (read by the performance section).
    for e in housing["evaluations"]:
        own = _ok(performance.get(f"/evaluations/{e['evaluation_id']}"))
        assert (e["score"], e["grade"]) == (own["score"], own["grade"])
    grades = {(e["pro_code"], e["kind"]): e["grade"] for e in housing["evaluations"]}
    assert grades == {("N1", "self"): "优", ("N2", "self"): "中", ("N2", "spot_check"): "差"}
    assert [(r["rater_name"], r["rating"]) for r in housing["ratings"]] == [("何欣", "基本满意")]
    weak_rows = {w["evaluation_id"]: w for w in housing["weak"]}
    assert set(weak_rows) == {weak, recheck}
    done = weak_rows[weak]
    assert [r["evaluation_id"] for r in done["results_applied"]] == [recheck]
    assert [n["notice_id"] for n in done["rectifications"]] == [notice]
    assert [(b["pro_code"], b["active"], b["gap"]) for b in done["funding_blocks"]] == [
        ("N2", True, "15.00")
    ]
    health = board["departments"][1]
    assert [(g["pro_code"], g["goal_status"], len(g["indicators"])) for g in health["goals"]] == [
        ("W1", "under_review", 4)
    ]
    assert health["evaluations"] == [] and health["ratings"] == []

    # One submitted department; one that was not: out of the NPC's scope (404 to others).
    one = "/boards/npc/360403/2025/departments/"
    assert _ok(npc.get(one + d101))["goals"] == housing["goals"]
    _refused(npc.get(one + unsubmitted), 403, "out-of-scope")
    _refused(performance.get(one + unsubmitted), 404, "not-found")
    _ok(client_for(server, world, "fengshen").get("/boards/npc/360403/2025"))
    # Not its jurisdiction; not its board; not the department's own records.
    _refused(npc.get("/boards/npc/360100/2025"), 403, "out-of-scope")
    assert "goal_indicators" in _ok(npc.get("/health"))["views"]  # its lag is reported
    _refused(npc.get("/boards/finance/360403/2025"), 403, "forbidden")
    _refused(npc.get(f"/objects/{unsubmitted_object}"), 403, "forbidden")
    _refused(client_for(server, world, "wangfang").get("/boards/npc/360403/2025"), 403,
             "forbidden")  # fmt: skip


def _finance_world(server: LiveServer, world: World) -> dict[str, str]:
    """A 2025 project rechecked 15 points below its self-score (funding blocked), a notice
    on it, and the same project's 2026 goal awaiting approval."""
    evaluation = _self_evaluate(server, world, "F1", "12")  # 100
    recheck = _recheck(server, world, evaluation, "85")
    performance = client_for(server, world, "liuqiang")
    object_id = _ok(performance.get(f"/evaluations/{evaluation}"))["object_id"]
    notice = _issue(server, world, object_id, f"整改〔2025〕{world.mof_div_code}号")
    pending = approved_object(server.services, world, "F1", 2026, approve=False)
    return {"recheck": recheck, "notice": notice, "pending": str(pending)}


def test_finance_board_counts_working_days_and_names_every_blocker(server: LiveServer) -> None:
    use_chinese_calendar(server.services)
    xunyang = build_world(server.services)
    nanchang = build_world(server.services, "360100", "南昌市", prefix="nc.")
    made = {w.mof_div_code: (w, _finance_world(server, w)) for w in (xunyang, nanchang)}
    due = date.fromisoformat(DUE)
    # 2025-10-17: 4 working days left — due soon under Xunyang's 5, not under Nanchang's 3.
    for on, states in (
        ("2025-09-30", {"360403": "open", "360100": "open"}),
        ("2025-10-17", {"360403": "due_soon", "360100": "open"}),
        ("2025-10-21", {"360403": "due_soon", "360100": "due_soon"}),
        ("2025-10-23", {"360403": "due_soon", "360100": "due_soon"}),
        ("2025-10-27", {"360403": "overdue", "360100": "overdue"}),
    ):
        left = _independent_days_left(date.fromisoformat(on), due)
        for code, (world, ids_) in made.items():
            board = _ok(client_for(server, world, "liuqiang").get(
                f"/boards/finance/{code}/2026", params={"on": on}))  # fmt: skip
            [row] = board["rectifications"]
            assert (row["notice_id"], row["due"]) == (ids_["notice"], DUE)
            assert (row["working_days_left"], row["state"]) == (left, states[code]), (on, code)
            assert board["due_soon_working_days"] == {"360403": 5, "360100": 3}[code]
            read = _ok(client_for(server, world, "chenjing").get(
                f"/rectifications/{ids_['notice']}", params={"as_of": on}))  # fmt: skip
            assert read["working_days_left"] == left
    assert _independent_days_left(date(2025, 10, 17), due) == 4
    assert _independent_days_left(date(2025, 10, 27), due) == -2

    xy_world, xy = made["360403"]
    board = _ok(client_for(server, xy_world, "fengshen").get(
        "/boards/finance/360403/2026", params={"on": "2025-10-17"}))  # fmt: skip
    [tally] = board["rectifications_by_department"]
    assert (tally["name"], tally["due_soon"], tally["open"]) == ("浔阳区住房和城乡建设局", 1, 0)
    [section] = board["rectifications_by_section"]
    assert (section["name"], section["due_soon"]) == ("浔阳区财政局经济建设股", 1)
    [blocked] = board["blocked_approvals"]
    [obj] = blocked["objects"]
    assert obj["object_id"] == xy["pending"]
    assert len(obj["blockers"]) == 1 and "整改到位前不予安排" in obj["blockers"][0]
    assert [r["evaluation_id"] for r in board["unapplied_results"]] == [xy["recheck"]]
    assert board["unapplied_results"][0]["proposal"]["grade"] == "良"
    assert [(b["pro_code"], b["gap"]) for b in board["funding_blocks"]] == [("F1", "15.00")]

    # Nanchang: the same block, and its unrectified-department rule — both named.
    nc_world, nc = made["360100"]
    board = _ok(client_for(server, nc_world, "sunli").get("/boards/finance/360100/2026"))
    [blocked] = board["blocked_approvals"]
    [obj] = blocked["objects"]
    assert obj["object_id"] == nc["pending"] and len(obj["blockers"]) == 2
    assert "整改到位前不予安排" in obj["blockers"][0]
    assert "整改〔2025〕360100号" in obj["blockers"][1] and "nanchang-2022" in obj["blockers"][1]

    # Reach: a department sees its own rows only; another department none; another
    # jurisdiction's finance section is out of scope.
    own = _ok(client_for(server, xy_world, "wangfang").get("/boards/finance/360403/2026"))
    assert [r["notice_id"] for r in own["rectifications"]] == [xy["notice"]]
    other = _ok(client_for(server, xy_world, "zhaoyun").get("/boards/finance/360403/2026"))
    assert other["rectifications"] == other["blocked_approvals"] == other["funding_blocks"] == []
    assert other["unapplied_results"] == []
    supervising = _ok(client_for(server, xy_world, "chenjing").get("/boards/finance/360403/2026"))
    assert [r["notice_id"] for r in supervising["rectifications"]] == [xy["notice"]]
    _refused(client_for(server, nc_world, "liuqiang").get("/boards/finance/360403/2026"), 403,
             "out-of-scope")  # fmt: skip
    _refused(client_for(server, xy_world, "lijun").get("/boards/finance/360403/2026"), 403,
             "forbidden")  # fmt: skip
