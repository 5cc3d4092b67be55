"""Supervision and disclosure over HTTP: 考核 judged by each jurisdiction's policy, the NPC
submission's minimum and its automatically proposed key projects, satisfaction ratings, and
publication; refusals are problem+json and record nothing."""

from __future__ import annotations

from decimal import Decimal

from domain import ids
from infrastructure.bootstrap import cli_act
from tests.api.test_cases import _events, _ok, _refused
from tests.conftest import LiveServer, issue_token
from tests.fixtures_world import World, build_world
from tests.http_checks import log_head as _head
from tests.scenarios.helpers import indicators
from tests.unit.test_accountability import reviewed_project


def test_work_score_judged_by_each_jurisdictions_policy(server: LiveServer) -> None:
    services = server.services
    xunyang = build_world(services)
    nanchang = build_world(services, "360100", "南昌市", prefix="nc.")
    for world in (xunyang, nanchang):
        performance = server.client(issue_token(services, world.login("liuqiang")))
        body = {
            "mof_div_code": world.mof_div_code,
            "fiscal_year": 2022,
            "department_id": str(world.org("D101")),
            "score": "90",  # 90分以下 includes 90
        }
        r = performance.post("/supervision/work-scores", json=body)
        assert _ok(r, 201)["id"] == r.headers["location"].rsplit("/", 1)[1]
    xy = server.client(issue_token(services, "liuqiang"))
    nc = server.client(issue_token(services, "nc.liuqiang"))
    rows = _ok(
        xy.get("/supervision/work-scores", params={"mof_div_code": "360403", "fiscal_year": 2022})
    )
    assert [
        (r["score"], r["budget_cut_proposed"], r["cut_budget_year"], r["policy_id"]) for r in rows
    ] == [("90.00", True, 2023, "xunyang-2022")]
    assert "90分以下" in rows[0]["rule"]
    rows = _ok(
        nc.get("/supervision/work-scores", params={"mof_div_code": "360100", "fiscal_year": 2022})
    )
    assert [(r["score"], r["budget_cut_proposed"], r["rule"], r["policy_id"]) for r in rows] == [
        ("90.00", False, None, "nanchang-2022")
    ]

    # Just above the line in Xunyang: no cut; revised down with a reason: cut, old score kept.
    body = {
        "mof_div_code": "360403",
        "fiscal_year": 2022,
        "department_id": str(xunyang.org("D102")),
    }
    assessment = _ok(xy.post("/supervision/work-scores", json={**body, "score": "90.01"}), 201)[
        "id"
    ]
    assert _ok(xy.get(f"/supervision/work-scores/{assessment}"))["budget_cut_proposed"] is False
    budget = server.client(issue_token(services, "sunli"))
    revision = f"/supervision/work-scores/{assessment}/revision"
    scores = "/supervision/work-scores"
    before = _head(server)
    for reply, status, slug in (
        (xy.post(revision, json={"score": "88"}), 422, "invalid-input"),  # no reason
        (xy.post(scores, json={**body, "score": "100.5"}), 422, "invalid-input"),
        (xy.post(scores, json={**body, "score": "80"}), 409, "already-exists"),
        (budget.post(scores, json={**body, "fiscal_year": 2021, "score": "8"}),
         403, "forbidden"),
    ):  # fmt: skip
        _refused(server, reply, status, slug, before)
    _ok(
        xy.post(
            f"/supervision/work-scores/{assessment}/revision",
            json={"score": "88.50", "reason": "抽查发现自评材料不实，扣分"},
            headers={"If-Match": '"1"'},
        )
    )
    cut = _ok(
        xy.get(
            "/supervision/work-scores",
            params={"mof_div_code": "360403", "fiscal_year": 2022, "budget_cut_only": True},
        )
    )
    assert sorted(r["score"] for r in cut) == ["88.50", "90.00"]
    assert all(r["policy_document"].startswith("2022年浔阳区") for r in cut)


def _more_departments(server: LiveServer, world: World, count: int) -> list[str]:
    made = [str(world.org("D101")), str(world.org("D102"))]
    for n in range(count):
        code = f"D2{n:02d}"
        server.services.ledger.registry.register_organisation(
            cli_act(), world.mof_div_code, code, f"浔阳区部门{n}", "department"
        )
        made.append(str(ids.organisation_id(world.mof_div_code, code)))
    return made


def test_npc_submission_ratings_and_publication(server: LiveServer) -> None:
    services = server.services
    world = build_world(services)
    performance = server.client(issue_token(services, "liuqiang"))
    npc = server.client(issue_token(services, "hexin"))
    staff = server.client(issue_token(services, "wangfang"))
    big, _ = reviewed_project(services.ledger, world, "12000000.00")
    submit = {
        "mof_div_code": world.mof_div_code,
        "fiscal_year": 2023,
        "department_ids": [str(world.org("D101")), str(world.org("D102"))],
        "budget_draft_ref": "浔阳区2023年预算草案",
    }
    # Two departments: fewer than the policy's minimum of 5.
    before = _head(server)
    body = _refused(
        server, performance.post("/supervision/npc-submissions", json=submit), 422,
        "invalid-input", before,
    )  # fmt: skip
    assert "at least 5" in body["detail"] and "xunyang-2022" in body["detail"]
    assert body["field"] == "department_ids"

    departments = _more_departments(server, world, 3)
    proposal = _ok(
        performance.get(
            "/supervision/key-projects",
            params={
                "mof_div_code": world.mof_div_code,
                "fiscal_year": 2023,
                "department_id": departments,
            },
        )
    )
    assert [p["object_id"] for p in proposal["projects"]] == [str(big)]
    assert proposal["policy"]["key_project_amount"] == {"op": ">=", "value": "10000000.00"}
    r = performance.post(
        "/supervision/npc-submissions", json={**submit, "department_ids": departments}
    )
    submission = _ok(r, 201)["id"]
    read = performance.get(f"/supervision/npc-submissions/{submission}")
    assert read.headers["etag"] == '"1"'
    row = _ok(read)
    assert [p["object_id"] for p in row["key_projects"]] == [str(big)]
    assert (row["departments_min"], row["policy_id"]) == (5, "xunyang-2022")

    rating = {"department_id": departments[0], "rating": "基本满意", "comments": "指标需细化"}
    before = _head(server)
    ratings = f"/supervision/npc-submissions/{submission}/ratings"
    _refused(server, performance.post(ratings, json=rating), 403, "forbidden", before)
    _ok(npc.post(ratings, json=rating))
    row = _ok(npc.get(f"/supervision/npc-submissions/{submission}"))
    assert [(r["rater_name"], r["rating"]) for r in row["ratings"]] == [("何欣", "基本满意")]

    # Publication (信息公开) of an approved goal, citing its GoalApproved record.
    oid = services.ledger.goals.register_object(
        world.act_as("wangfang"), mof_div_code=world.mof_div_code, fiscal_year=2023,
        pro_code="PUB1", name="社区养老服务", kind="project", department_id=world.org("D101"),
        unit_id=None, fund_type="general_public", amount=Decimal("1500000.00"), is_new=True,
    ).aggregate_id  # fmt: skip
    services.ledger.goals.submit_goal(world.act_as("wangfang"), oid, indicators())
    for login, stage in (("chenjing", "initial"), ("liuqiang", "second"), ("sunli", "final")):
        services.ledger.goals.review_goal(world.act_as(login), oid, stage, "良", "同意")
    services.ledger.goals.approve_goal(
        world.act_as("sunli"), oid, Decimal("1500000.00"), "浔财预〔2023〕1号"
    )
    events = _events(server, staff, oid)
    approved = events["GoalApproved"]
    publication = {
        "object_id": str(oid),
        "subject": "goal",
        "position": approved["position"],
        "originator_id": approved["aggregate_id"],
        "version": approved["version"],
        "channel": "浔阳区人民政府网 政府信息公开",
        "url": "https://www.xunyang.gov.cn/zfxxgk/2023/1",
        "business_date": "2023-02-10",
    }
    before = _head(server)
    submitted = events["GoalSubmitted"]
    _refused(server, staff.post("/supervision/publications", json={
        **publication, "position": submitted["position"], "version": submitted["version"]}),
        409, "invalid-transition", before)  # fmt: skip
    beyond = {**publication, "position": before + 50}
    _refused(
        server, staff.post("/supervision/publications", json=beyond), 422, "invalid-input", before
    )
    _ok(staff.post("/supervision/publications", json=publication), 201)
    published = _ok(staff.get("/supervision/publications", params={"object_id": str(oid)}))
    assert [(p["channel"], p["published_on"], p["cited_event"]) for p in published] == [
        ("浔阳区人民政府网 政府信息公开", "2023-02-10", "PerformanceObject.GoalApproved")
    ]
    assert _events(server, staff, oid)["Published"]["actor_name"] == "王芳"
