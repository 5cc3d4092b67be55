"""The rules every command obeys at the HTTP edge: refusals record nothing, If-Match,
Idempotency-Key, authentication, and the actor always being the token's person."""

from __future__ import annotations

import hashlib

import pytest

from tests.conftest import LiveServer, issue_token
from tests.fixtures_world import INDICATORS, World, build_world, object_body
from tests.http_checks import assert_refused as _assert_refused
from tests.http_checks import log_head as _head


@pytest.fixture
def world(server: LiveServer) -> World:
    return build_world(server.services)


def _register(server: LiveServer, world: World, client) -> str:
    r = client.post("/objects", json=object_body(world))
    assert r.status_code == 201, r.text
    return r.json()["id"]


def test_refused_commands_record_nothing(server: LiveServer, world: World) -> None:
    staff = server.client(issue_token(server.services, "wangfang"))
    performance = server.client(issue_token(server.services, "liuqiang"))
    other = server.client(issue_token(server.services, "zhaoyun"))
    object_id = _register(server, world, staff)
    before = _head(server)

    # Applying to adjust a goal that was never approved.
    document = {"name": "调整申请.pdf", "sha256": hashlib.sha256(b"adjust").hexdigest()}
    r = staff.post(
        f"/objects/{object_id}/goal/adjustment",
        json={"indicators": INDICATORS, "reason": "内容变化", "evidence": [document]},
    )
    _assert_refused(server, r, 409, "invalid-transition", before)

    # A goal without effect indicators is missing core indicators.
    outputs_only = [i for i in INDICATORS if i["level1"] != "效益"]
    r = staff.post(f"/objects/{object_id}/goal/submit", json={"indicators": outputs_only})
    body = _assert_refused(server, r, 422, "invalid-input", before)
    assert "核心绩效指标缺失" in body["detail"] and body["field"] == "indicators"

    # Reviewing out of order: 复核 before 初审.
    assert (
        staff.post(f"/objects/{object_id}/goal/submit", json={"indicators": INDICATORS}).status_code
        == 200
    )
    before = _head(server)
    r = performance.post(
        f"/objects/{object_id}/goal/reviews", json={"stage": "second", "outcome": "优"}
    )
    body = _assert_refused(server, r, 409, "invalid-transition", before)
    assert "初审" in body["detail"]

    # Malformed: an amount below the fen, an unknown level, a float-like extra digit.
    r = staff.post("/objects", json=object_body(world, pro_code="X2", amount="100.001"))
    body = _assert_refused(server, r, 422, "invalid-input", before)
    assert body["field"] == "amount"
    bad_level = [{**INDICATORS[0], "level1": "其他"}]
    r = staff.post(f"/objects/{object_id}/goal/submit", json={"indicators": bad_level})
    _assert_refused(server, r, 422, "invalid-input", before)
    r = staff.post("/objects", content=b"{not json", headers={"content-type": "application/json"})
    _assert_refused(server, r, 422, "invalid-input", before)

    # The wrong role for the stage: department staff cannot do 初审.
    r = staff.post(f"/objects/{object_id}/goal/reviews", json={"stage": "initial", "outcome": "优"})
    _assert_refused(server, r, 403, "forbidden", before)

    # Another department's staff cannot act on this object.
    r = other.post("/objects", json=object_body(world, pro_code="X3"))
    _assert_refused(server, r, 403, "not-permitted", before)

    # Unknown object.
    r = staff.post(
        "/objects/00000000-0000-0000-0000-000000000000/goal/submit", json={"indicators": INDICATORS}
    )
    _assert_refused(server, r, 404, "not-found", before)

    # Registering the same project twice.
    r = staff.post("/objects", json=object_body(world))
    _assert_refused(server, r, 409, "already-exists", before)


def test_stale_if_match_is_a_conflict(server: LiveServer, world: World) -> None:
    staff = server.client(issue_token(server.services, "wangfang"))
    business = server.client(issue_token(server.services, "chenjing"))
    object_id = _register(server, world, staff)
    etag = staff.get(f"/objects/{object_id}").headers["etag"]
    assert etag == '"1"'
    r = staff.post(
        f"/objects/{object_id}/goal/submit",
        json={"indicators": INDICATORS},
        headers={"If-Match": etag},
    )
    assert r.status_code == 200 and r.headers["etag"] == '"2"'
    before = _head(server)
    # The business section read version 1 and acts on it after the submission.
    r = business.post(
        f"/objects/{object_id}/goal/reviews",
        json={"stage": "initial", "outcome": "良"},
        headers={"If-Match": etag},
    )
    body = _assert_refused(server, r, 409, "version-conflict", before)
    assert "version 2" in body["detail"]
    r = business.post(
        f"/objects/{object_id}/goal/reviews",
        json={"stage": "initial", "outcome": "良"},
        headers={"If-Match": "soon"},
    )
    _assert_refused(server, r, 400, "invalid-if-match", before)


def test_retried_idempotency_key_records_once(server: LiveServer, world: World) -> None:
    staff = server.client(issue_token(server.services, "wangfang"))
    body = object_body(world)
    headers = {"Idempotency-Key": "reg-36040323P001"}
    first = staff.post("/objects", json=body, headers=headers)
    assert first.status_code == 201
    after_first = _head(server)
    retry = staff.post("/objects", json=body, headers=headers)
    assert retry.status_code == 201
    assert retry.json() == first.json()
    assert retry.headers["idempotent-replayed"] == "true"
    assert retry.headers["etag"] == first.headers["etag"]
    assert _head(server) == after_first

    object_id = first.json()["id"]
    submit = {"indicators": INDICATORS}
    key = {"Idempotency-Key": "submit-1"}
    assert (
        staff.post(f"/objects/{object_id}/goal/submit", json=submit, headers=key).status_code == 200
    )
    assert (
        staff.post(f"/objects/{object_id}/goal/submit", json=submit, headers=key).status_code == 200
    )
    history = staff.get(f"/objects/{object_id}/history").json()
    assert [h["event"] for h in history] == ["Registered", "RequirementJudged", "GoalSubmitted"]

    # The same key with a different request is refused rather than silently replayed.
    before = _head(server)
    r = staff.post("/objects", json=object_body(world, pro_code="OTHER"), headers=headers)
    _assert_refused(server, r, 422, "idempotency-key-reused", before)

    # A refused command releases its key: the corrected retry goes through.
    r = staff.post(
        "/objects",
        json=object_body(world, pro_code="P9", amount="1.001"),
        headers={"Idempotency-Key": "k9"},
    )
    assert r.status_code == 422
    r = staff.post(
        "/objects",
        json=object_body(world, pro_code="P9", amount="1.00"),
        headers={"Idempotency-Key": "k9"},
    )
    assert r.status_code == 201, r.text


def test_unauthenticated_calls_get_401(server: LiveServer, world: World) -> None:
    anonymous = server.client()
    before = _head(server)
    for reply in (
        anonymous.post("/objects", json=object_body(world)),
        anonymous.get("/objects"),
        server.client("jx1.not-a-token").post("/objects", json=object_body(world)),
    ):
        body = _assert_refused(server, reply, 401, "unauthenticated", before)
        assert reply.headers["www-authenticate"] == "Bearer"
        assert body["detail"]

    # A token signed with another key is refused.
    token = issue_token(server.services, "wangfang")
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    assert server.client(forged).get("/objects").status_code == 401


def test_revoked_token_is_refused_at_once(server: LiveServer, world: World) -> None:
    from domain import ids
    from infrastructure.bootstrap import cli_act

    token = issue_token(server.services, "wangfang")
    staff = server.client(token)
    assert staff.get("/objects").status_code == 200
    claim = server.services.signer.verify(token)
    server.services.ledger.registry.revoke_token(
        cli_act("lost laptop"), ids.person_id("wangfang"), claim.token_id
    )
    assert staff.get("/objects").status_code == 401


def test_actor_is_the_tokens_person_whatever_the_body_says(
    server: LiveServer, world: World
) -> None:
    staff = server.client(issue_token(server.services, "wangfang"))
    before = _head(server)
    impersonating = object_body(
        world, actor={"person_id": "someone-else", "name": "孙丽", "role": "budget_section"}
    )
    r = staff.post("/objects", json=impersonating)
    body = _assert_refused(server, r, 422, "invalid-input", before)
    assert body["field"] == "actor"

    object_id = _register(server, world, staff)
    r = staff.post(
        f"/objects/{object_id}/goal/submit",
        json={"indicators": INDICATORS, "person_id": str(world.person("sunli"))},
    )
    assert r.status_code == 422
    assert (
        staff.post(f"/objects/{object_id}/goal/submit", json={"indicators": INDICATORS}).status_code
        == 200
    )

    wangfang = str(world.person("wangfang"))
    history = staff.get(f"/objects/{object_id}/history").json()
    assert [
        (h["actor_id"], h["actor_name"], h["actor_role"], h["actor_org_name"]) for h in history
    ] == [(wangfang, "王芳", "department_staff", "浔阳区住房和城乡建设局")] * 3
    # The stored events themselves, not only the view, carry that actor.
    ledger = server.services.ledger
    events = [
        ledger.mapper.to_domain_event(n)
        for n in ledger.recorder.select_notifications(start=before + 1, limit=100)
    ]
    assert events and all(e.act.actor.person_id == wangfang for e in events)


def test_every_response_carries_a_request_id(server: LiveServer, world: World) -> None:
    client = server.client()
    assert len(client.get("/health").headers["x-request-id"]) == 32
    assert (
        client.get("/health", headers={"X-Request-ID": "abc-123"}).headers["x-request-id"]
        == "abc-123"
    )
    assert client.get("/objects").headers["x-request-id"]


def test_openapi_lists_the_slice(server: LiveServer) -> None:
    client = server.client()
    assert client.get("/docs").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/objects",
        "/objects/{object_id}",
        "/objects/{object_id}/history",
        "/objects/{object_id}/goal/submit",
        "/objects/{object_id}/goal/reviews",
        "/objects/{object_id}/goal/approve",
        "/objects/{object_id}/goal/adjustment",
        "/objects/{object_id}/goal/adjustment/review",
        "/objects/{object_id}/goal/adjustment/approval",
        "/persons",
        "/organisations",
        "/jurisdictions",
        "/health",
    ):
        assert path in paths
