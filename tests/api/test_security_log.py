"""The security log: a command refused for segregation of duties (不相容职务) records nothing in
the ledger but is kept, append-only, with who, what and when and where its target sits; the
audit bureau and the discipline commission read their jurisdiction's, no one else does."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import structlog

from infrastructure import security_log
from infrastructure.bootstrap import cli_act
from tests.conftest import LiveServer
from tests.evaluation_helpers import approved_object, self_evaluation_body
from tests.fixtures_world import INDICATORS, World, build_world, object_body
from tests.http_checks import assert_refused, client_for, log_head, ok

SOD = "segregation of duties"
INITIAL = {"stage": "initial", "outcome": "优", "comments": "同意"}
RECHECK = {"score": "60", "comments": "抽查复核", "business_date": "2026-06-10"}


@pytest.fixture
def world(server: LiveServer) -> World:
    return build_world(server.services)


def _submitted_goal(server: LiveServer, world: World) -> str:
    """A 2023 project of 住建局 whose goal 王芳 submitted, over HTTP."""
    staff = client_for(server, world, "wangfang")
    object_id = ok(staff.post("/objects", json=object_body(world)), 201)["id"]
    ok(staff.post(f"/objects/{object_id}/goal/submit", json={"indicators": INDICATORS}))
    return object_id


def _self_evaluation_by(server: LiveServer, world: World, login: str) -> tuple[str, str]:
    """A 2025 project of 住建局 and its self-evaluation, prepared by `login` as its staff."""
    oid = approved_object(server.services, world, "SOD25")
    preparer = client_for(server, world, login, "department_staff")
    reply = preparer.post(f"/objects/{oid}/evaluations/self", json=self_evaluation_body())
    return str(oid), ok(reply, 201)["id"]


def _rows(server: LiveServer, **filters: object) -> list[dict]:
    with server.services.views_db.transaction(write=False) as cur:
        return security_log.segregation_attempts(cur, **filters)


def test_refused_segregation_attempts_are_kept_with_who_what_when_and_where(
    server: LiveServer, world: World
) -> None:
    ledger, act = server.services.ledger, cli_act("test: one person, two incompatible roles")
    # 王芳 prepares goals for 住建局 and, wrongly, also holds a post in its business section;
    # 刘强 of the performance section also prepares 住建局's self-evaluations.
    ledger.registry.grant_role(act, world.person("wangfang"), "business_section", world.org("B01"))
    ledger.registry.grant_role(act, world.person("liuqiang"), "department_staff", world.org("D101"))
    object_id = _submitted_goal(server, world)
    evaluated_object, evaluation_id = _self_evaluation_by(server, world, "liuqiang")
    # Tokens are events too: issue them before counting.
    wangfang_as_section = client_for(server, world, "wangfang", "business_section")
    liuqiang_as_performance = client_for(server, world, "liuqiang", "performance_section")
    staff = client_for(server, world, "wangfang", "department_staff")
    auditor = client_for(server, world, "fengshen")
    discipline = client_for(server, world, "jiangwei")
    started = datetime.now(UTC)
    before = log_head(server)

    review = wangfang_as_section.post(
        f"/objects/{object_id}/goal/reviews", json=INITIAL, headers={"X-Request-ID": "sod-review"}
    )
    body = assert_refused(server, review, 403, "not-permitted", before)
    assert body["detail"] == "segregation of duties: you submitted this goal"
    recheck = liuqiang_as_performance.post(f"/evaluations/{evaluation_id}/recheck", json=RECHECK)
    body = assert_refused(server, recheck, 403, "not-permitted", before)
    assert body["detail"].startswith(SOD)

    # Ordinary refusals are not kept: the wrong role at the gate, the wrong role in the domain.
    assert_refused(
        server, staff.post(f"/objects/{object_id}/goal/reviews", json=INITIAL), 403, "forbidden",
        before,
    )  # fmt: skip
    body = assert_refused(
        server, liuqiang_as_performance.post(f"/objects/{object_id}/goal/reviews", json=INITIAL),
        403, "not-permitted", before,
    )  # fmt: skip
    assert not body["detail"].startswith(SOD)

    page = ok(auditor.get("/security-log"))
    assert page["next_after"] is None
    first, second = page["entries"]
    assert first["actor"] == {
        "person_id": str(world.person("wangfang")),
        "name": "王芳",
        "role": "business_section",
        "organisation_id": str(world.org("B01")),
        "organisation_name": "浔阳区财政局经济建设股",
        "mof_div_code": world.mof_div_code,
    }
    assert (first["method"], first["path"], first["operation"]) == (
        "POST",
        f"/objects/{object_id}/goal/reviews",
        "POST /objects/{object_id}/goal/reviews",
    )
    assert first["refusal"] == "segregation of duties: you submitted this goal"
    assert first["request_id"] == "sod-review"
    assert first["target"] == {
        "kind": "object",
        "id": object_id,
        "mof_div_code": world.mof_div_code,
        "fiscal_year": 2023,
        "department_id": str(world.org("D101")),
        "object_id": object_id,
    }
    assert started <= datetime.fromisoformat(first["at"]) <= datetime.fromisoformat(second["at"])
    assert datetime.fromisoformat(first["at"]).utcoffset() is not None
    assert (second["actor"]["name"], second["actor"]["role"]) == ("刘强", "performance_section")
    assert second["operation"] == "POST /evaluations/{evaluation_id}/recheck"
    assert second["target"] == {
        "kind": "evaluation",
        "id": evaluation_id,
        "mof_div_code": world.mof_div_code,
        "fiscal_year": 2025,
        "department_id": str(world.org("D101")),
        "object_id": evaluated_object,
    }

    # The findings engine's query: by the target's coordinates and by person, oldest first.
    assert [r["entry_id"] for r in _rows(server)] == [first["entry_id"], second["entry_id"]]
    assert [r["target_id"] for r in _rows(server, fiscal_year=2025)] == [evaluation_id]
    assert len(_rows(server, mof_div_code=world.mof_div_code, department_id=str(world.org("D101"))))
    assert _rows(server, department_id=str(world.org("D102"))) == []
    liuqiang = str(world.person("liuqiang"))
    assert [r["person_name"] for r in _rows(server, person_id=liuqiang)] == ["刘强"]

    # The route: one person's, keyset pages, and the discipline commission reads it too.
    mine = ok(auditor.get("/security-log", params={"person_id": liuqiang}))["entries"]
    assert [e["entry_id"] for e in mine] == [second["entry_id"]]
    one = ok(auditor.get("/security-log", params={"limit": 1}))
    assert [e["entry_id"] for e in one["entries"]] == [first["entry_id"]]
    assert one["next_after"] == first["entry_id"]
    rest = ok(auditor.get("/security-log", params={"after": one["next_after"], "limit": 1}))
    assert [e["entry_id"] for e in rest["entries"]] == [second["entry_id"]]
    assert ok(discipline.get("/security-log"))["entries"] == page["entries"]
    r = auditor.get("/security-log", params={"after": "0" * 32})
    assert_refused(server, r, 422, "invalid-input", log_head(server))


def test_only_audit_and_discipline_of_the_jurisdiction_read_it(
    server: LiveServer, world: World
) -> None:
    services = server.services
    services.ledger.registry.grant_role(cli_act(), world.person("wangfang"), "business_section",
                               world.org("B01"))  # fmt: skip
    object_id = _submitted_goal(server, world)
    wangfang_as_section = client_for(server, world, "wangfang", "business_section")
    r = wangfang_as_section.post(f"/objects/{object_id}/goal/reviews", json=INITIAL)
    assert r.status_code == 403 and r.json()["detail"].startswith(SOD)

    for login in ("wangfang", "chenjing", "liuqiang", "hexin"):
        r = client_for(server, world, login).get("/security-log")
        assert_refused(server, r, 403, "forbidden", log_head(server))
    nc = build_world(services, "360100", "南昌市", prefix="nc.")
    assert ok(client_for(server, nc, "fengshen").get("/security-log"))["entries"] == []
    assert len(ok(client_for(server, world, "fengshen").get("/security-log"))["entries"]) == 1
    # Reading it is itself a logged read (who looked).
    readers = services.views_db
    with readers.transaction(write=False) as cur:
        looked = cur.execute(
            "SELECT person_name FROM access_log WHERE resource_kind = 'security_log'"
        ).fetchall()
    assert sorted(r["person_name"] for r in looked) == ["冯慎", "冯慎"]


def test_append_only_and_kept_through_a_view_rebuild(server: LiveServer, world: World) -> None:
    services = server.services
    services.ledger.registry.grant_role(cli_act(), world.person("liuqiang"), "department_staff",
                               world.org("D101"))  # fmt: skip
    _, evaluation_id = _self_evaluation_by(server, world, "liuqiang")
    performance = client_for(server, world, "liuqiang", "performance_section")
    r = performance.post(f"/evaluations/{evaluation_id}/recheck", json=RECHECK)
    assert r.status_code == 403 and r.json()["detail"].startswith(SOD)
    kept = _rows(server)
    assert [row["target_id"] for row in kept] == [evaluation_id]

    table = security_log.TABLE
    with pytest.raises(Exception, match="append-only"), services.views_db.transaction() as cur:
        cur.execute(f"UPDATE {table} SET person_name = 'x'")
    with pytest.raises(Exception, match="append-only"), services.views_db.transaction() as cur:
        cur.execute(f"DELETE FROM {table}")
    # Every view dropped and rebuilt from the log (the server's follower may apply some).
    services.follower.rebuild()
    assert services.follower.wait_for(log_head(server))
    assert _rows(server) == kept
    r = performance.post(f"/evaluations/{evaluation_id}/recheck", json=RECHECK)
    assert r.status_code == 403
    after = _rows(server)
    assert after[:1] == kept and after[1]["fiscal_year"] == 2025  # coordinates rebuilt too


def test_a_security_log_that_cannot_be_written_still_answers_403(
    server: LiveServer, world: World
) -> None:
    services = server.services
    services.ledger.registry.grant_role(cli_act(), world.person("wangfang"), "business_section",
                               world.org("B01"))  # fmt: skip
    object_id = _submitted_goal(server, world)
    wangfang_as_section = client_for(server, world, "wangfang", "business_section")
    with services.views_db.transaction() as cur:
        cur.execute(f"DROP TABLE {security_log.TABLE}")  # an owner can; the table is gone
    before = log_head(server)
    with structlog.testing.capture_logs() as logs:
        r = wangfang_as_section.post(f"/objects/{object_id}/goal/reviews", json=INITIAL)
    body = assert_refused(server, r, 403, "not-permitted", before)
    assert body["detail"].startswith(SOD)
    failed = [e for e in logs if e["event"] == "security_log.write_failed"]
    assert [(e["log_level"], e["target_id"]) for e in failed] == [("error", object_id)]
