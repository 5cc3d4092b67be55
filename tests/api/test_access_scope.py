"""Reach: a permitted role still sees and acts only on its own records — its unit, its
department, the departments it supervises, its jurisdiction, the cases referred to it, the
evaluations assigned to it — and lists simply leave the rest out."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import pytest

from infrastructure.bootstrap import cli_act
from tests.conftest import LiveServer, issue_token
from tests.evaluation_helpers import approved_object
from tests.fixtures_world import INDICATORS, World, build_world, object_body

OUT = "urn:jixiao:problem:out-of-scope"
FORBIDDEN = "urn:jixiao:problem:forbidden"
NOBODY = "00000000-0000-4000-8000-000000000001"


@pytest.fixture
def worlds(server: LiveServer) -> tuple[World, World]:
    return build_world(server.services), build_world(
        server.services, "360100", "南昌市", prefix="nc."
    )


def _as(server: LiveServer, world: World, login: str):
    return server.client(issue_token(server.services, world.login(login)))


def _refused(reply, kind: str) -> None:
    assert reply.status_code == 403, reply.text
    assert reply.headers["content-type"].startswith("application/problem+json")
    assert reply.json()["type"] == kind


def _listed(client, path: str = "/objects", key: str = "object_id", **params) -> set[str]:
    r = client.get(path, params=params)
    assert r.status_code == 200, r.text
    return {row[key] for row in r.json()}


def _register(client, world: World, pro_code: str, **overrides) -> str:
    r = client.post("/objects", json=object_body(world, pro_code=pro_code, **overrides))
    assert r.status_code == 201, r.text
    return r.json()["id"]


def test_departments_units_and_sections_see_their_own(server, worlds) -> None:
    xy, _ = worlds
    ledger, act = server.services.ledger, cli_act("another unit")
    ledger.registry.register_organisation(
        act, xy.mof_div_code, "D101002", "白水湖街道", "unit", xy.org("D101")
    )
    ledger.registry.register_person(act, "linfeng", "林峰")
    ledger.registry.grant_role(act, xy.person("linfeng"), "unit_staff", xy.org("D101002"))

    housing, health = _as(server, xy, "wangfang"), _as(server, xy, "zhaoyun")
    unit, other_unit = _as(server, xy, "lijun"), _as(server, xy, "linfeng")
    b01, b02 = _as(server, xy, "chenjing"), server.client(issue_token(server.services, "wuhua"))
    mine = _register(housing, xy, "P1")  # 甘棠街道 (D101001) under 住建局 (D101)
    dept_only = _register(housing, xy, "P2", unit_id=None)
    theirs = _register(
        health, xy, "P3", department_id=str(xy.org("D102")), unit_id=None, name="卫健项目"
    )

    assert _listed(housing) == {mine, dept_only}
    assert _listed(health) == {theirs}
    assert _listed(unit) == {mine}
    assert _listed(other_unit) == set()
    assert _listed(b01) == _listed(b02) == {mine, dept_only}  # both in 经济建设股, 归口 D101
    # Asking for another department's rows gives none rather than a refusal.
    assert _listed(housing, department_id=str(xy.org("D102"))) == set()

    for client, object_id in (
        (health, mine),
        (unit, dept_only),
        (other_unit, mine),
        (b01, theirs),
        (housing, theirs),
    ):
        _refused(client.get(f"/objects/{object_id}"), OUT)
        _refused(client.get(f"/objects/{object_id}/history"), OUT)
    assert unit.get(f"/objects/{mine}").status_code == 200
    assert b01.get(f"/objects/{mine}/history").status_code == 200

    # Acting is bounded the same way, and a refusal records nothing.
    before = server.services.follower.head()
    _refused(health.post(f"/objects/{mine}/goal/submit", json={"indicators": INDICATORS}), OUT)
    review = {"stage": "initial", "outcome": "良"}
    _refused(b01.post(f"/objects/{theirs}/goal/reviews", json=review), OUT)
    assert server.services.follower.head() == before


def test_auditor_reads_its_jurisdiction_only_and_writes_no_goals(server, worlds) -> None:
    xy, nc = worlds
    object_id = _register(_as(server, xy, "wangfang"), xy, "P1")
    auditor, other_auditor = _as(server, xy, "fengshen"), _as(server, nc, "fengshen")
    performance_nc = _as(server, nc, "liuqiang")

    assert auditor.get(f"/objects/{object_id}").status_code == 200
    assert auditor.get(f"/objects/{object_id}/history").status_code == 200
    assert _listed(auditor) == {object_id}
    for client in (other_auditor, performance_nc):
        _refused(client.get(f"/objects/{object_id}/history"), OUT)
        assert _listed(client) == set()
        assert _listed(client, mof_div_code=xy.mof_div_code) == set()
    before = server.services.follower.head()
    _refused(auditor.post(f"/objects/{object_id}/goal/submit", json={"indicators": INDICATORS}),
             FORBIDDEN)  # fmt: skip
    assert server.services.follower.head() == before


def test_npc_sees_supervision_only_and_administrators_no_budget_data(server, worlds) -> None:
    xy, nc = worlds
    object_id = _register(_as(server, xy, "wangfang"), xy, "P1")
    npc, admin = _as(server, xy, "hexin"), _as(server, xy, "admin")
    for client in (npc, admin):
        for path in ("/objects", f"/objects/{object_id}", "/evaluations", "/monitoring/tasks"):
            _refused(client.get(path), FORBIDDEN)
    scores = {"mof_div_code": xy.mof_div_code, "fiscal_year": 2023}
    assert npc.get("/supervision/work-scores", params=scores).status_code == 200
    assert npc.get("/supervision/publications").status_code == 200
    # A list: another jurisdiction's rows are simply absent.
    elsewhere = {**scores, "mof_div_code": nc.mof_div_code}
    assert npc.get("/supervision/work-scores", params=elsewhere).json() == []
    # Administrators keep the registry.
    assert admin.get(f"/organisations/{xy.org('D101')}").status_code == 200
    _refused(admin.get(f"/organisations/{nc.org('D101')}"), OUT)


def _open_case(server: LiveServer, world: World, object_id: str, case_no: str) -> dict:
    """Open a case (as the performance section): its id and the position of its event."""
    performance = _as(server, world, "liuqiang")
    r = performance.post(
        "/cases",
        json={
            "mof_div_code": world.mof_div_code,
            "fiscal_year": 2025,
            "case_no": case_no,
            "finding_kind": "falsification",
            "object_ids": [object_id],
            "description": "自评虚报",
        },
    )
    assert r.status_code == 201, r.text
    return r.json()


def _case(server: LiveServer, world: World, object_id: str, case_no: str) -> str:
    return _open_case(server, world, object_id, case_no)["id"]


def test_discipline_sees_only_cases_referred_to_it(server, worlds) -> None:
    xy, _ = worlds
    ledger = server.services.ledger
    object_id = str(approved_object(server.services, xy, "P1"))
    referred, kept = _case(server, xy, object_id, "C1"), _case(server, xy, object_id, "C2")
    discipline, performance = _as(server, xy, "jiangwei"), _as(server, xy, "liuqiang")
    # Build and refer C1 with the real commands (evidence: the goal's submission).
    history = performance.get(f"/objects/{object_id}/history").json()
    submitted = next(h for h in history if h["event"] == "GoalSubmitted")
    case_id, act = UUID(referred), xy.act_as("liuqiang")
    ledger.accountability.cite_event_in_case(act, case_id, submitted["position"], UUID(object_id),
                              submitted["version"], "虚报")  # fmt: skip
    ledger.accountability.name_responsible_person(act, case_id, str(xy.person("wangfang")),
                                   [submitted["position"]], "填报")  # fmt: skip
    ledger.accountability.refer_case(
        xy.act_as("liuqiang", business_date=date(2025, 6, 1)),
        case_id,
        xy.org("JW"),
        "浔财绩移〔2025〕1号",
    )
    server.services.follower.catch_up()

    assert [c["case_id"] for c in discipline.get("/cases").json()] == [referred]
    assert {c["case_id"] for c in performance.get("/cases").json()} == {referred, kept}
    assert discipline.get(f"/cases/{referred}/package").status_code == 200
    for path in (f"/cases/{kept}", f"/cases/{kept}/package", f"/cases/{kept}/evidence-check"):
        _refused(discipline.get(path), OUT)
    named = discipline.get(f"/cases/naming/{xy.person('wangfang')}").json()
    assert [c["case_id"] for c in named] == [referred]


def test_third_party_sees_an_evaluation_only_while_assigned(server, worlds) -> None:
    xy, _ = worlds
    ledger, act = server.services.ledger, cli_act("second agency")
    ledger.registry.register_organisation(
        act, xy.mof_div_code, "TP02", "另一咨询公司", "third_party"
    )
    object_id = str(approved_object(server.services, xy, "P1"))
    performance, agency = _as(server, xy, "liuqiang"), _as(server, xy, "qianlin")
    weights = {"决策": "15", "过程": "25", "产出": "30", "效益": "30"}
    r = performance.post(
        f"/objects/{object_id}/evaluations", json={"kind": "finance_key", "weights": weights}
    )
    assert r.status_code == 201, r.text
    evaluation = r.json()["id"]

    def sees() -> bool:
        listed = evaluation in _listed(agency, "/evaluations", "evaluation_id")
        reply = agency.get(f"/evaluations/{evaluation}")
        if reply.status_code != 200:
            _refused(reply, OUT)
            _refused(agency.get(f"/objects/{object_id}"), OUT)
        assert listed == (reply.status_code == 200)
        return listed

    assert not sees()
    assign = f"/evaluations/{evaluation}/third-party"
    r = performance.post(assign, json={"organisation_id": str(xy.org("TP01"))})
    assert r.status_code == 200, r.text
    assert sees() and agency.get(f"/objects/{object_id}").status_code == 200
    r = performance.post(
        assign, json={"organisation_id": str(xy.org("TP02")), "reason": "利益冲突，更换机构"}
    )
    assert r.status_code == 200, r.text
    assert not sees()


def _evidence(client, position: int):
    return client.get(f"/integrity/evidence/{position}")


def _inclusion(client, event_id: str):
    return client.get("/integrity/proofs/inclusion", params={"event_id": event_id})


def test_an_event_and_its_proof_reach_as_far_as_its_record(server, worlds) -> None:
    """Evidence by position and inclusion proofs by event id: each role reaches the events
    of the records it may read, and a discipline commission the events of, and cited by,
    the cases referred to it; everyone else gets 403 out-of-scope."""
    xy, nc = worlds
    ledger = server.services.ledger
    object_id = str(approved_object(server.services, xy, "P1"))
    first, second = _open_case(server, xy, object_id, "C1"), _open_case(server, xy, object_id, "C2")
    referred, referred_position = first["id"], first["position"]
    kept_position = second["position"]
    performance = _as(server, xy, "liuqiang")
    history = performance.get(f"/objects/{object_id}/history").json()
    submitted = next(h for h in history if h["event"] == "GoalSubmitted")
    registered = history[0]
    assert registered["position"] != submitted["position"]
    case_id, act = UUID(referred), xy.act_as("liuqiang")
    ledger.accountability.cite_event_in_case(act, case_id, submitted["position"], UUID(object_id),
                              submitted["version"], "虚报")  # fmt: skip
    ledger.accountability.name_responsible_person(act, case_id, str(xy.person("wangfang")),
                                   [submitted["position"]], "填报")  # fmt: skip
    discipline = _as(server, xy, "jiangwei")
    cited = submitted["position"]
    _refused(_evidence(discipline, cited), OUT)  # cited, but not yet referred
    ledger.accountability.refer_case(
        xy.act_as("liuqiang", business_date=date(2025, 6, 1)), case_id, xy.org("JW"), "移〔1〕"
    )
    server.services.follower.catch_up()

    inside = {
        "wangfang": (cited, registered["position"]),  # the object's department
        "chenjing": (cited,),  # the business section that supervises the department
        "fengshen": (cited, referred_position, kept_position),  # audit: the jurisdiction
        "jiangwei": (cited, referred_position),  # cited by / belonging to a referred case
    }
    outside = {
        "zhaoyun": (cited,),  # another department
        "lijun": (cited,),  # a unit of the department: the object is the department's own
        "jiangwei": (registered["position"], kept_position),  # not cited; a case not referred
        "hexin": (cited, referred_position),  # the NPC: no department records, no cases
    }
    for login, positions in inside.items():
        client = _as(server, xy, login)
        for position in positions:
            r = _evidence(client, position)
            assert r.status_code == 200, (login, position, r.text)
            assert r.json()["event"]["position"] == position
    for login, positions in outside.items():
        client = _as(server, xy, login)
        for position in positions:
            _refused(_evidence(client, position), OUT)
            # written as the route would still read it, the position is the same event
            for spelled in (f"{position}.0", f"{position}.00"):
                _refused(client.get(f"/integrity/evidence/{spelled}"), OUT)
                proof = client.get("/integrity/proofs/inclusion", params={"position": spelled})
                _refused(proof, OUT)
    for login in ("fengshen", "liuqiang", "jiangwei", "wangfang"):  # another jurisdiction's
        _refused(_evidence(_as(server, nc, login), cited), OUT)

    # The same reach by event id, through the inclusion proof.
    cited_id = f"{object_id}@{submitted['version']}"
    uncited_id = f"{object_id}@{registered['version']}"
    assert _inclusion(discipline, cited_id).status_code == 200
    assert _inclusion(_as(server, xy, "wangfang"), uncited_id).status_code == 200
    _refused(_inclusion(discipline, uncited_id), OUT)
    _refused(_inclusion(_as(server, xy, "zhaoyun"), cited_id), OUT)


def test_the_npc_reaches_the_events_of_what_is_submitted_to_it(server, worlds) -> None:
    xy, _ = worlds
    performance = _as(server, xy, "liuqiang")
    body = {
        "mof_div_code": xy.mof_div_code,
        "fiscal_year": 2022,
        "department_id": str(xy.org("D101")),
        "score": "88.5",
    }
    r = performance.post("/supervision/work-scores", json=body)
    assert r.status_code == 201, r.text
    scored, position = r.json()["id"], r.json()["position"]
    npc, scored_department = _as(server, xy, "hexin"), _as(server, xy, "wangfang")
    assert npc.get(f"/supervision/work-scores/{scored}").status_code == 200
    for client in (npc, scored_department, performance):
        assert _evidence(client, position).status_code == 200
    _refused(_evidence(_as(server, xy, "zhaoyun"), position), OUT)  # another department
    _refused(_evidence(_as(server, xy, "jiangwei"), position), OUT)  # no case cites it
    organisation_event = 1  # the registry (the jurisdiction's first act)
    assert _evidence(performance, organisation_event).status_code == 200
    for login in ("hexin", "wangfang", "chenjing", "jiangwei"):
        _refused(_evidence(_as(server, xy, login), organisation_event), OUT)


def test_event_reads_answer_hostile_positions_without_a_server_error(server, worlds) -> None:
    xy, _ = worlds
    auditor = _as(server, xy, "fengshen")
    for position, status in ((2**70, 422), (2**63, 422), (-(2**63), 404), (10**12, 404)):
        r = _evidence(auditor, position)
        assert r.status_code == status, (position, r.text)
    for event_id in (f"{NOBODY}@9999999999999999999", f"{NOBODY}@0", f"{NOBODY}@1"):
        r = _inclusion(auditor, event_id)
        assert r.status_code in (404, 422), (event_id, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
