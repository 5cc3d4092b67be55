"""The indicator library (指标库) over real HTTP: an entry added, a goal drafted from it, the
entry revised afterwards while the goal keeps the version it read, both histories showing
it; refusals that record nothing; the picker with last year's target and actual."""

from __future__ import annotations

import pytest

from tests.conftest import LiveServer
from tests.evaluation_helpers import approved_object, self_evaluation_body
from tests.fixtures_world import INDICATORS, World, build_world, object_body
from tests.http_checks import assert_refused, client_for, log_head, ok

CODE = "CP-CX-001"


@pytest.fixture
def world(server: LiveServer) -> World:
    return build_world(server.services)


def entry_body(world: World, code: str = CODE, **fields: object) -> dict:
    body = {
        "mof_div_code": world.mof_div_code,
        "code": code,
        "level1": "产出",
        "level2": "数量",
        "name": "改造老旧小区数量",
        "comparator": "＞＝",  # full width, as the national tables write it
        "unit": "个",
        "explanation": "年内完成改造的老旧小区个数",
        "reference_value": "≥10",
        "industry_major": "城乡社区",
        "industry": "住房保障",
        "fund_use": "项目建设",
        "project_type": "基础设施",
        "valid_from": "2024-01-01",
        "keywords": ["老旧小区", "棚改"],
        "reason": "浔财绩〔2024〕1号 共性指标",
    }
    return body | fields


def add(server: LiveServer, world: World, login: str = "liuqiang", **fields: object) -> str:
    r = client_for(server, world, login).post(
        "/library/indicators", json=entry_body(world, **fields)
    )
    created = ok(r, 201)
    assert r.headers["location"] == f"/library/indicators/{created['id']}"
    return created["id"]


def drafted(entry_id: str, **changes: object) -> list[dict]:
    rows = [dict(row) for row in INDICATORS]
    rows[0] |= {"library_entry_id": entry_id, "comparator": "≥"} | changes
    return rows


def project(server: LiveServer, world: World, pro_code: str, fiscal_year: int = 2025) -> str:
    staff = client_for(server, world, "wangfang")
    body = object_body(world, pro_code, fiscal_year=fiscal_year)
    return ok(staff.post("/objects", json=body), 201)["id"]


def test_a_goal_keeps_the_library_version_it_was_drafted_from(server: LiveServer, world: World):
    entry_id = add(server, world)
    performance, staff = (
        client_for(server, world, "liuqiang"),
        client_for(server, world, "wangfang"),
    )
    oid = project(server, world, "LIB1")
    ok(staff.post(f"/objects/{oid}/goal/submit", json={"indicators": drafted(entry_id)}))

    revision = {
        "reason": "按2025年指标库口径修订",
        "changes": {"explanation": "竣工验收的小区个数"},
    }
    r = performance.post(
        f"/library/indicators/{entry_id}/revision", json=revision, headers={"If-Match": '"1"'}
    )
    assert ok(r)["version"] == 2 and r.headers["etag"] == '"2"'
    before = log_head(server)
    stale = performance.post(
        f"/library/indicators/{entry_id}/revision", json=revision, headers={"If-Match": '"1"'}
    )
    assert_refused(server, stale, 409, "version-conflict", before)

    # The goal as recorded: the entry, its code, and version 1, whatever the entry says now.
    recorded = {"entry_id": entry_id, "code": CODE, "version": 1}
    goal = ok(staff.get(f"/objects/{oid}"))
    assert goal["indicators"][0]["library"] == recorded
    assert [row["library"] for row in goal["indicators"][1:]] == [None, None, None]
    [submitted] = [
        h for h in ok(staff.get(f"/objects/{oid}/history")) if h["event"] == "GoalSubmitted"
    ]
    assert submitted["details"]["indicators"][0]["library"] == recorded

    # The entry's history shows both versions: who, when, why, and what each said.
    r = staff.get(f"/library/indicators/{entry_id}")
    entry = ok(r)
    assert r.headers["etag"] == '"2"' and entry["version"] == 2
    assert (entry["comparator"], entry["scoring_rule"], entry["is_common"]) == (
        "≥",
        "positive",
        True,
    )
    first, second = entry["history"]
    assert (first["version"], first["event"], first["actor_name"]) == (1, "Added", "刘强")
    assert first["details"]["definition"]["explanation"] == "年内完成改造的老旧小区个数"
    assert (second["version"], second["event"], second["reason"]) == (
        2,
        "Revised",
        "按2025年指标库口径修订",
    )
    assert second["details"]["changed"] == ["explanation"]
    assert second["details"]["definition"]["explanation"] == "竣工验收的小区个数"

    # Drafted again now, the goal would record version 2 (a resubmission after return).
    ok(client_for(server, world, "chenjing").post(
        f"/objects/{oid}/goal/reviews",
        json={"stage": "initial", "outcome": "returned", "comments": "请补充"},
    ))  # fmt: skip
    ok(staff.post(f"/objects/{oid}/goal/submit", json={"indicators": drafted(entry_id)}))
    assert ok(staff.get(f"/objects/{oid}"))["indicators"][0]["library"]["version"] == 2


def test_refusals_are_problems_and_record_nothing(server: LiveServer, world: World):
    common = add(server, world)
    own = add(server, world, "zhaoyun", code="D102-01", department_id=str(world.org("D102")))
    performance = client_for(server, world, "liuqiang")
    staff, other = client_for(server, world, "wangfang"), client_for(server, world, "zhaoyun")
    oid = project(server, world, "LIB2")
    submit = f"/objects/{oid}/goal/submit"
    before = log_head(server)

    # Adding: a comparator no table writes, a scoring rule against the comparator, a common
    # indicator by a department, another department's own entry, the same code twice.
    body = assert_refused(
        server,
        performance.post("/library/indicators", json=entry_body(world, "X1", comparator="约等于")),
        422,
        "invalid-input",
        before,
    )
    assert body["field"] == "comparator"
    contradicting = entry_body(world, "X2", comparator="≤", scoring_rule="正向")
    body = assert_refused(
        server,
        performance.post("/library/indicators", json=contradicting),
        422,
        "invalid-input",
        before,
    )
    assert body["field"] == "scoring_rule"
    assert_refused(
        server,
        staff.post("/library/indicators", json=entry_body(world, "X3")),
        403,
        "not-permitted",
        before,
    )
    foreign = entry_body(world, "X4", department_id=str(world.org("D102")))
    assert_refused(
        server, staff.post("/library/indicators", json=foreign), 403, "out-of-scope", before
    )
    assert_refused(
        server,
        performance.post("/library/indicators", json=entry_body(world)),
        409,
        "already-exists",
        before,
    )

    # Drafting: a mismatch of unit, another department's own entry not granted, no such entry.
    body = assert_refused(
        server,
        staff.post(submit, json={"indicators": drafted(common, unit="处")}),
        422,
        "invalid-input",
        before,
    )
    assert body["field"] == "indicators.0.unit" and CODE in body["detail"]
    body = assert_refused(
        server, staff.post(submit, json={"indicators": drafted(own)}), 422, "invalid-input", before
    )
    assert body["field"] == "indicators.0.library_entry_id" and "not granted" in body["detail"]
    nobody = "00000000-0000-4000-8000-000000000001"
    body = assert_refused(
        server,
        staff.post(submit, json={"indicators": drafted(nobody)}),
        422,
        "invalid-input",
        before,
    )
    assert body["field"] == "indicators.0.library_entry_id"

    # Keeping: another department's entry; a grant by a department; retirement without reason.
    assert_refused(
        server,
        staff.post(f"/library/indicators/{own}/retirement", json={"reason": "停用"}),
        403,
        "out-of-scope",
        before,
    )
    grant = {"department_id": str(world.org("D101"))}
    assert_refused(
        server,
        other.post(f"/library/indicators/{own}/grants", json=grant),
        403,
        "forbidden",
        before,
    )
    assert_refused(
        server,
        other.post(f"/library/indicators/{own}/retirement", json={}),
        422,
        "invalid-input",
        before,
    )
    assert_refused(server, other.get(f"/library/indicators/{nobody}"), 404, "not-found", before)
    assert_refused(server, staff.get(f"/library/indicators/{own}"), 403, "out-of-scope", before)

    # A retried add with its Idempotency-Key answers what was recorded, once.
    key = {"Idempotency-Key": "lib-add-001"}
    first = ok(
        performance.post("/library/indicators", json=entry_body(world, "X5"), headers=key), 201
    )
    retry = performance.post("/library/indicators", json=entry_body(world, "X5"), headers=key)
    assert ok(retry, 201) == first and retry.headers["idempotent-replayed"] == "true"
    assert log_head(server) == first["position"]

    # Granted, the entry may be drafted from; retired, it may not.
    ok(performance.post(f"/library/indicators/{own}/grants", json=grant))
    assert ok(staff.get(f"/library/indicators/{own}"))["granted_to"] == [grant["department_id"]]
    ok(other.post(f"/library/indicators/{own}/retirement", json={"reason": "并入共性指标"}))
    before = log_head(server)
    body = assert_refused(
        server, staff.post(submit, json={"indicators": drafted(own)}), 422, "invalid-input", before
    )
    assert "retired" in body["detail"]
    ok(staff.post(submit, json={"indicators": drafted(common)}))


def test_the_picker_shows_what_a_department_may_use_with_last_years_figures(
    server: LiveServer, world: World
):
    common = add(server, world)
    satisfaction = {
        "level1": "满意度",
        "level2": "满意度",
        "name": "居民满意度",
        "unit": "%",
        "keywords": ["满意度"],
        "explanation": "受益居民的满意程度",
        "project_type": "公共服务",
        "valid_from": "2026-01-01",
    }
    add(server, world, code="CP-MY-001", **satisfaction)
    own_entry = {"department_id": str(world.org("D102")), "name": "家庭医生签约率", "unit": "%"}
    own = add(server, world, "zhaoyun", code="D102-01", level2="质量", **own_entry)
    staff, other = client_for(server, world, "wangfang"), client_for(server, world, "zhaoyun")
    auditor = client_for(server, world, "fengshen")

    def codes(client, **query) -> list[str]:
        return [e["code"] for e in ok(client.get("/library/indicators", params=query))]

    assert codes(staff) == ["CP-CX-001", "CP-MY-001"]  # not 卫健委's own
    assert codes(other) == ["CP-CX-001", "CP-MY-001", "D102-01"]
    assert codes(auditor) == ["CP-CX-001", "CP-MY-001", "D102-01"]
    assert codes(auditor, department_id=str(world.org("D101"))) == ["CP-CX-001", "CP-MY-001"]
    assert codes(staff, fiscal_year=2025) == ["CP-CX-001"]  # the other is in force from 2026
    assert codes(staff, level1="满意度") == ["CP-MY-001"]
    assert codes(staff, keyword="棚改") == ["CP-CX-001"]  # a keyword
    assert codes(staff, keyword="竣工") == []
    assert codes(staff, keyword="完成改造") == ["CP-CX-001"]  # the explanation
    assert codes(staff, industry_major="城乡社区", project_type="基础设施") == ["CP-CX-001"]
    assert codes(other, keyword="%") == []  # a wildcard is a character like any other
    assert codes(other, keyword='", "') == []  # keywords are searched as words, not as JSON
    r = staff.get("/library/indicators", params={"department_id": str(world.org("D102"))})
    assert_refused(server, r, 403, "out-of-scope", log_head(server))
    assert own in [e["entry_id"] for e in ok(other.get("/library/indicators"))]

    # Last year's goal and self-evaluation of the same project code, beside the entry.
    last = approved_object(server.services, world, "LIB3", fiscal_year=2024)
    ok(staff.post(f"/objects/{last}/evaluations/self", json=self_evaluation_body("11")), 201)
    [entry] = ok(staff.get(
        "/library/indicators", params={"fiscal_year": 2025, "pro_code": "LIB3", "level2": "数量"}
    ))  # fmt: skip
    assert entry["entry_id"] == common
    figures = entry["last_year"]
    assert (figures["fiscal_year"], figures["object_id"]) == (2024, str(last))
    assert (figures["target"]["comparator"], figures["target"]["value"]) == ("≥", "12")
    assert figures["actual"] == "11"
    # 卫健委 may use the same entry, but not read 住建局's project through the picker.
    [entry] = ok(other.get(
        "/library/indicators", params={"fiscal_year": 2025, "pro_code": "LIB3", "level2": "数量"}
    ))  # fmt: skip
    assert entry["entry_id"] == common and entry["last_year"] is None
    [entry] = ok(auditor.get(
        "/library/indicators", params={"fiscal_year": 2025, "pro_code": "LIB3", "level2": "数量"}
    ))  # fmt: skip
    assert entry["last_year"]["actual"] == "11"
    [entry] = ok(staff.get(
        "/library/indicators", params={"fiscal_year": 2025, "pro_code": "NEW1", "level2": "数量"}
    ))  # fmt: skip
    assert entry["last_year"] is None


def test_goal_indicators_take_the_signs_forms_write(server: LiveServer, world: World):
    """＞ and 定性 as a form or the national tables write them are kept as > and qualitative;
    an unknown sign is a problem and records nothing."""
    staff = client_for(server, world, "wangfang")
    oid = project(server, world, "SIGNS")
    rows = [dict(row) for row in INDICATORS]
    rows[0] |= {"comparator": "＞"}
    rows[1] |= {"comparator": "定性", "value": None, "qualitative_target": "按期完工"}
    ok(staff.post(f"/objects/{oid}/goal/submit", json={"indicators": rows}))
    shown = ok(staff.get(f"/objects/{oid}"))["indicators"]
    assert [i["comparator"] for i in shown[:2]] == [">", "qualitative"]

    other = project(server, world, "SIGNS2")
    before = log_head(server)
    rows[0] |= {"comparator": "≈"}
    reply = staff.post(f"/objects/{other}/goal/submit", json={"indicators": rows})
    assert_refused(server, reply, 422, "invalid-input", before)
