"""Hostile input at the edge, over real HTTP: text a store cannot hold, numbers a float
cannot carry, If-Match and Idempotency-Key that are not what they claim, bodies too large
or too slow, and business dates outside the jurisdiction's window. Each is refused with
problem+json (or, for what the HTTP parser itself refuses, a 400), records nothing, and
leaves the views following the log on both stores."""

from __future__ import annotations

import json
import os
import socket
import time
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from domain.policy import PolicyBook
from infrastructure.settings import Settings
from tests.conftest import LiveServer, settings_for
from tests.fixtures_world import INDICATORS, World, build_world, object_body
from tests.http_checks import assert_refused, client_for, log_head, ok

READ_TIMEOUT = 1.0
SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@pytest.fixture
def settings(database_url: str) -> Settings:
    """As conftest's, with a short body-read timeout (the body limit keeps its default)."""
    return settings_for(database_url, request_read_timeout_seconds=READ_TIMEOUT)


@pytest.fixture
def world(server: LiveServer) -> World:
    return build_world(server.services)


def _raw_json(client, path: str, text: str, headers: dict | None = None):
    """POST a body exactly as written (httpx's json= would re-encode it)."""
    return client.post(
        path, content=text.encode(), headers={"content-type": "application/json", **(headers or {})}
    )


def _exchange(server: LiveServer, request: bytes, *, wait: float = 10.0) -> tuple[bytes, bool]:
    """Send raw bytes on a fresh connection; the bytes answered, and whether the server
    closed the connection afterwards."""
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=wait) as sock:
        sock.sendall(request)
        answer = b""
        while True:
            try:
                chunk = sock.recv(65536)
            except TimeoutError:
                return answer, False
            if not chunk:
                return answer, True
            answer += chunk
            head, _, body = answer.partition(b"\r\n\r\n")
            length = next(
                (
                    int(line.split(b":")[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length:")
                ),
                None,
            )
            if length is not None and len(body) >= length:
                sock.settimeout(2.0)  # answered: does the server also close?


def _status(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])


def _problem(answer: bytes) -> dict:
    head, _, body = answer.partition(b"\r\n\r\n")
    assert b"content-type: application/problem+json" in head.lower(), head
    return json.loads(body)


def test_text_a_store_cannot_hold_is_refused_at_the_edge(server: LiveServer, world: World) -> None:
    staff = client_for(server, world, "wangfang")
    before = log_head(server)

    r = staff.post("/objects", json=object_body(world, name="a\u0000b"))
    body = assert_refused(server, r, 422, "invalid-input", before)
    assert body["field"] == "name" and "NUL" in body["detail"]

    # A lone surrogate, escaped in JSON and as raw (CESU-style) bytes.
    text = json.dumps(object_body(world, name="X")).replace('"X"', '"\\ud800"')
    body = assert_refused(server, _raw_json(staff, "/objects", text), 422, "invalid-input", before)
    assert body["field"] == "name" and "surrogate" in body["detail"]
    raw = json.dumps(object_body(world, name="X")).encode().replace(b'"X"', b'"\xed\xa0\x80"')
    r = staff.post("/objects", content=raw, headers={"content-type": "application/json"})
    body = assert_refused(server, r, 422, "invalid-input", before)
    assert body["field"] == "body" and "not UTF-8" in body["detail"]
    # Only UTF-8 is read: a UTF-16 or UTF-32 body (which json.loads would decode) is refused.
    for encoding in ("utf-16", "utf-16-le", "utf-32"):
        text = json.dumps(object_body(world, name="a\u0000b"), ensure_ascii=False)
        r = staff.post(
            "/objects", content=text.encode(encoding), headers={"content-type": "application/json"}
        )
        assert assert_refused(server, r, 422, "invalid-input", before)["field"] == "body"

    # Nested and in lists: every field named by its path; a key counts as text too.
    object_id = ok(staff.post("/objects", json=object_body(world)), 201)["id"]
    before = log_head(server)
    indicators = [dict(i) for i in INDICATORS]
    indicators[2]["unit"] = "户\u0000"
    evidence = [{"name": "报告\u0000.pdf", "sha256": "a" * 64}]
    r = staff.post(
        f"/objects/{object_id}/goal/submit", json={"indicators": indicators, "evidence": evidence}
    )
    body = assert_refused(server, r, 422, "invalid-input", before)
    assert {e["field"] for e in body["errors"]} == {"indicators.2.unit", "evidence.0.name"}
    r = staff.post("/objects", json={**object_body(world, pro_code="K1"), "na\u0000me": "x"})
    assert assert_refused(server, r, 422, "invalid-input", before)["field"] == "na\ufffdme"

    # Nested deeper than a parser recurses: refused as not JSON, never a 500.
    r = staff.post("/objects", content=b"[" * 100_000, headers={"content-type": "application/json"})
    assert assert_refused(server, r, 422, "invalid-input", before)["field"] == "body"

    # Query and path parameters, as the app decodes them.
    r = staff.get("/objects", params={"goal_status": "a\u0000b"})
    assert assert_refused(server, r, 422, "invalid-input", before)["field"] == "goal_status"
    r = staff.get("/objects/a%00b/history")
    assert assert_refused(server, r, 422, "invalid-input", before)["field"] == "path"

    # An id far longer than any, logged before the route validates it: refused, not a 500.
    auditor = client_for(server, world, "fengshen")  # whose reads of evidence are logged
    r = auditor.get(
        "/integrity/proofs/inclusion", params={"event_id": os.urandom(4000).hex() + "@1"}
    )
    assert r.status_code in (403, 422), r.text
    before = log_head(server)  # the auditor's token was recorded

    # Headers: NUL never reaches the app (the HTTP parser answers 400); other bytes that
    # are not printable ASCII in an Idempotency-Key are refused by the app.
    answer, _ = _exchange(
        server, b"GET /objects HTTP/1.1\r\nHost: x\r\nIdempotency-Key: a\x00b\r\n\r\n"
    )
    assert _status(answer) == 400
    r = staff.post(
        "/objects", json=object_body(world, pro_code="K2"), headers={"Idempotency-Key": b"k\xb2"}
    )
    assert_refused(server, r, 400, "invalid-idempotency-key", before)

    # Nothing half-stored: the views still follow the log on this store.
    r = staff.post("/objects", json=object_body(world, pro_code="K3"))
    assert ok(r, 201)["views_current"] is True
    names = {o["pro_code"] for o in ok(staff.get("/objects"))}
    assert names == {"36040323P001", "K3"}


@SQLITE_ONLY
def test_amounts_are_exact_or_refused_never_rounded(server: LiveServer, world: World) -> None:
    staff = client_for(server, world, "wangfang")
    before = log_head(server)
    template = json.dumps(object_body(world, amount="AMOUNT")).replace('"AMOUNT"', "AMOUNT")
    for written in [
        "1e-400",  # a float reads it as 0.0
        "1e400",  # infinity
        "NaN",
        "12345678901234567.5",  # more digits than a float carries
        "0.001",
        '"1e-400"',
        '"0.001"',
        '"-0.01"',
        '"NaN"',
        '"Infinity"',
        '"100000000000000.00"',  # 15 digits before the point
    ]:
        r = _raw_json(staff, "/objects", template.replace("AMOUNT", written))
        body = assert_refused(server, r, 422, "invalid-input", before)
        assert body["field"] in ("amount", "body"), (written, body)
        assert body["field"] == "amount" or written == "NaN", (written, body)

    object_id = ok(_raw_json(staff, "/objects", template.replace("AMOUNT", "60000000.5")), 201)[
        "id"
    ]
    assert ok(staff.get(f"/objects/{object_id}"))["amount"] == "60000000.50"
    # Points (scores, weights) keep two places the same way.
    indicators = [{**INDICATORS[0], "weight": "30.005"}, *INDICATORS[1:]]
    before = log_head(server)
    r = staff.post(f"/objects/{object_id}/goal/submit", json={"indicators": indicators})
    assert assert_refused(server, r, 422, "invalid-input", before)["field"] == "indicators.0.weight"


@SQLITE_ONLY
def test_if_match_is_an_ascii_version_or_refused(server: LiveServer, world: World) -> None:
    staff = client_for(server, world, "wangfang")
    business = client_for(server, world, "chenjing")
    object_id = ok(staff.post("/objects", json=object_body(world)), 201)["id"]
    ok(staff.post(f"/objects/{object_id}/goal/submit", json={"indicators": INDICATORS}))
    review = {"stage": "initial", "outcome": "良"}
    path = f"/objects/{object_id}/goal/reviews"
    before = log_head(server)
    for bad in [b'"\xb2"', b'"' + b"9" * 5000 + b'"', b'"9223372036854775808"', b'"1", "2"', b""]:
        r = business.post(path, json=review, headers={"If-Match": bad})
        assert_refused(server, r, 400, "invalid-if-match", before)
    # The same connection still answers (no 500, no reset), and a stale version stays 409.
    r = business.post(path, json=review, headers={"If-Match": '"1"'})
    assert "version 2" in assert_refused(server, r, 409, "version-conflict", before)["detail"]
    assert ok(business.post(path, json=review, headers={"If-Match": 'W/"2"'}))["version"] == 3
    # `*`: any version of a record that exists.
    performance = client_for(server, world, "liuqiang")
    r = performance.post(
        path,
        json={"stage": "second", "outcome": "良", "comments": "同意"},
        headers={"If-Match": "*"},
    )
    assert ok(r)["version"] == 4


@SQLITE_ONLY
def test_bodies_over_the_limit_are_refused_before_or_while_they_arrive(
    server: LiveServer, world: World
) -> None:
    staff = client_for(server, world, "wangfang")
    limit = server.services.settings.max_body_bytes
    assert limit == 1_048_576  # the default
    before = log_head(server)
    # Declared too large: answered at once, without reading a byte of it.
    started = time.monotonic()
    answer, closed = _exchange(
        server,
        b"POST /objects HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Content-Length: 100000000\r\n\r\n",
    )
    assert time.monotonic() - started < READ_TIMEOUT
    assert _status(answer) == 413 and closed
    assert _problem(answer)["type"] == "urn:jixiao:problem:body-too-large"
    # Chunked, so nothing declared: counted as it arrives.
    chunks = (b" " * 65536 for _ in range(2 * limit // 65536))
    r = staff.post("/objects", content=chunks, headers={"content-type": "application/json"})
    assert_refused(server, r, 413, "body-too-large", before)
    # Just under the limit is read as usual.
    body = json.dumps(object_body(world)).encode()
    padded = body + b" " * (limit - len(body))
    r = staff.post("/objects", content=padded, headers={"content-type": "application/json"})
    assert ok(r, 201)["views_current"] is True


@SQLITE_ONLY
def test_a_body_that_stops_arriving_is_answered_408_and_the_connection_freed(
    server: LiveServer, world: World
) -> None:
    staff = client_for(server, world, "wangfang")
    token = staff.headers["authorization"].encode()
    started = time.monotonic()
    answer, closed = _exchange(
        server,
        b"POST /objects HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Authorization: " + token + b'\r\nContent-Length: 500\r\n\r\n{"name": ',
        wait=READ_TIMEOUT + 10,
    )
    waited = time.monotonic() - started
    assert _status(answer) == 408 and closed, answer
    assert READ_TIMEOUT * 0.9 <= waited < READ_TIMEOUT + 5
    assert _problem(answer)["type"] == "urn:jixiao:problem:request-timeout"
    assert ok(staff.get("/objects")) == []  # still serving

    # A body dripping in a byte at a time is held to the same deadline, not reset by each.
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=0.2) as sock:
        sock.sendall(b"POST /objects HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n")
        started, answer = time.monotonic(), b""
        while not answer and time.monotonic() - started < READ_TIMEOUT + 5:
            try:
                sock.sendall(b" ")
                answer = sock.recv(65536)
            except TimeoutError:
                continue
        assert _status(answer) == 408
        assert time.monotonic() - started < READ_TIMEOUT + 3


def _county_policy(tmp_path: Path) -> PolicyBook:
    """A jurisdiction whose policy sets its own window: 2020 to the end of this year."""
    policy = {
        "id": "test-county-2020",
        "version": 1,
        "name": "测试县",
        "document": "测财绩〔2020〕1号",
        "jurisdictions": ["369999"],
        "effective_from_year": 2020,
        "inherits": "national-default",
        "rules": {
            "business_dates": {
                "source": "test",
                "earliest_year": 2020,
                "latest_years_after_this_year": 0,
            }
        },
    }
    (tmp_path / "county.json").write_text(json.dumps(policy, ensure_ascii=False))
    return PolicyBook.shipped(extra_dir=tmp_path)


def test_business_dates_stay_in_the_jurisdictions_window(
    server: LiveServer, world: World, tmp_path: Path
) -> None:
    server.services.ledger.policies = _county_policy(tmp_path)
    county = build_world(server.services, "369999", "测试县", prefix="tc.")
    this_year = datetime.now(ZoneInfo("Asia/Shanghai")).year
    xunyang = client_for(server, world, "wangfang")
    other = client_for(server, county, "wangfang")

    def register(client, where: World, code: str, claimed: date):
        body = object_body(where, pro_code=code, business_date=claimed.isoformat())
        return client.post("/objects", json=body)

    before = log_head(server)
    for claimed in (
        date(1, 1, 1),
        date(1999, 12, 31),
        date(this_year + 3, 1, 1),
        date(9999, 12, 31),
    ):
        body = assert_refused(
            server, register(xunyang, world, "X", claimed), 422, "invalid-input", before
        )
        assert body["field"] == "business_date"
        assert f"2000-01-01 to {this_year + 2}-12-31" in body["detail"]
        assert "xunyang-2022 v2" in body["detail"]  # inherits the national window
    ok(register(xunyang, world, "X1", date(2000, 1, 1)), 201)
    ok(register(xunyang, world, "X2", date(this_year + 2, 12, 31)), 201)

    # The county's own policy: what 浔阳区 accepts, the county refuses, and says whose rule.
    before = log_head(server)
    for claimed in (date(2019, 12, 31), date(this_year + 1, 1, 1)):
        body = assert_refused(
            server, register(other, county, "C", claimed), 422, "invalid-input", before
        )
        assert f"2020-01-01 to {this_year}-12-31" in body["detail"]
        assert "test-county-2020 v1" in body["detail"]
    ok(register(other, county, "C1", date(2020, 1, 1)), 201)
    ok(register(xunyang, world, "X3", date(2019, 12, 31)), 201)
