"""Signing in keeps the token on the server: the browser holds a random session id in an
HttpOnly, SameSite=Strict cookie, no URL or page carries the token, signing out or revoking
the token ends the session, and the console is not part of the API's OpenAPI document."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from api.console.render import PAGES
from api.console.sessions import COOKIE, Sessions
from infrastructure.bootstrap import cli_act
from tests.conftest import LiveServer, issue_token


@contextmanager
def _signed_in(demo: LiveServer, token: str) -> Iterator[tuple[httpx.Client, httpx.Response]]:
    with httpx.Client(base_url=demo.url, timeout=30) as client:
        yield client, client.post("/console/sign-in", data={"token": token})


def test_the_token_stays_on_the_server(demo, tokens):
    with _signed_in(demo, tokens["auditor"]) as (client, reply):
        assert reply.status_code == 303 and reply.headers["location"] == "/console/"
        cookie = reply.headers["set-cookie"]
        assert cookie.startswith(f"{COOKIE}=")
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/console" in cookie
        assert tokens["auditor"] not in cookie
        for path in ("/console/", "/console/finance", "/console/log", "/console/cases"):
            page = client.get(path)
            assert page.status_code == 200, path
            assert tokens["auditor"] not in page.text and tokens["auditor"] not in str(page.url)
            assert page.headers["cache-control"] == "no-store"


def test_signing_out_ends_the_session_on_the_server(demo, tokens):
    with _signed_in(demo, tokens["npc"]) as (client, _):
        session = client.cookies[COOKIE]
        assert client.post("/console/sign-out").status_code == 303
        # The id the browser held no longer opens anything, even if it kept the cookie.
        client.cookies.set(COOKIE, session, path="/console")
        again = client.get("/console/npc", follow_redirects=False)
        assert again.status_code == 303 and again.headers["location"] == "/console/sign-in"


def test_signing_in_again_ends_the_browsers_earlier_session(demo, tokens):
    with _signed_in(demo, tokens["npc"]) as (client, _):
        first = client.cookies[COOKIE]
        assert client.post("/console/sign-in", data={"token": tokens["npc"]}).status_code == 303
        assert client.cookies[COOKIE] != first
        client.cookies.set(COOKIE, first, path="/console")
        old = client.get("/console/npc", follow_redirects=False)
        assert old.status_code == 303 and old.headers["location"] == "/console/sign-in"


def test_sign_ins_hold_a_bounded_number_of_sessions() -> None:
    """Each sign-in of one token beyond its cap ends its least recently used session, and
    the store as a whole keeps at most its cap: sign-ins cannot grow memory without end."""
    sessions = Sessions(per_token=3, in_all=5)
    mine = [sessions.open("token-a") for _ in range(4)]
    assert sessions.token(mine[0]) is None  # the oldest of four went
    assert all(sessions.token(s) == "token-a" for s in mine[1:])
    others = [sessions.open(f"token-{n}") for n in range(3)]
    assert len(sessions) == 5
    assert sessions.token(others[-1]) == "token-2"


def test_console_pages_load_only_from_the_app_and_cannot_be_framed(demo, tokens):
    with _signed_in(demo, tokens["auditor"]) as (client, _):
        policy = client.get("/console/").headers["content-security-policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy


def test_a_day_before_the_object_existed_keeps_its_history_in_view(demo, tokens):
    with _signed_in(demo, tokens["auditor"]) as (client, _):
        bearer = {"Authorization": f"Bearer {tokens['auditor']}"}
        listed = client.get("/objects", params={"fiscal_year": 2023}, headers=bearer).json()
        rows = listed["items"] if isinstance(listed, dict) else listed
        object_id = rows[0]["object_id"]
        reply = client.get(f"/console/objects/{object_id}", params={"as_of": "1900-01-01"})
    assert reply.status_code == 200
    assert "1900-01-01 当日结束时本项目尚未登记" in reply.text and 'id="state"' in reply.text


def test_a_revoked_token_ends_its_session(demo):
    token = issue_token(demo.services, "xy.guoping", "npc")
    with _signed_in(demo, token) as (client, _):
        assert client.get("/console/npc").status_code == 200
        claim = demo.services.signer.verify(token)
        demo.services.ledger.registry.revoke_token(cli_act(), claim.person_id, claim.token_id)
        reply = client.get("/console/npc", follow_redirects=False)
        assert reply.status_code == 303 and reply.headers["location"] == "/console/sign-in"


def test_root_opens_the_console_which_is_no_api_operation(demo):
    with httpx.Client(base_url=demo.url, timeout=30) as client:
        root = client.get("/", follow_redirects=False)
        assert root.status_code == 307 and root.headers["location"] == "/console/"
        signed_out = client.get("/console/", follow_redirects=False)
        assert signed_out.headers["location"] == "/console/sign-in"
        form = client.get("/console/sign-in")
        assert form.status_code == 200 and "访问令牌" in form.text
        paths = client.get("/openapi.json").json()["paths"]
        assert not [p for p in paths if p == "/" or p.startswith("/console")]


def test_a_page_read_is_in_the_access_log_as_the_apis_is(demo, tokens):
    """Reads the access table logs (a case's package names persons) are logged from the
    console too: who, the operation, and the console page it was read through."""
    case_id = demo.client(tokens["discipline"]).get("/cases").json()[0]["case_id"]
    with _signed_in(demo, tokens["discipline"]) as (client, _):
        assert client.get(f"/console/cases/{case_id}").status_code == 200
    person = demo.services.signer.verify(tokens["discipline"]).person_id
    log = demo.client(tokens["auditor"]).get("/access-log", params={"person_id": str(person)})
    read = [e for e in log.json() if e["path"] == f"/console/cases/{case_id}"]
    assert [e["operation"] for e in read] == ["GET /cases/{case_id}/package"]
    assert read[0]["request_id"]


def test_bad_input_is_a_chinese_page_not_a_crash(demo, tokens):
    with _signed_in(demo, tokens["auditor"]) as (client, _):
        for path, field in (
            ("/console/finance?year=1999", "year"),
            ("/console/log?object_id=" + "x" * 101, "object_id"),
            ("/console/objects/not-a-uuid", "object_id"),
            ("/console/objects/00000000-0000-0000-0000-000000000000?as_of=tomorrow", "as_of"),
            ("/console/proof?position=0", "position"),
        ):
            reply = client.get(path)
            assert reply.status_code == 422, (path, reply.text)
            assert "输入有误" in reply.text and field in reply.text
        # Empty fields, as a form sends them, are read as not given.
        assert client.get("/console/log?person_id=&organisation_id=&year=").status_code == 200
        missing = client.get("/console/objects/00000000-0000-0000-0000-000000000000")
        assert missing.status_code == 404 and "未找到" in missing.text


def test_a_form_posted_from_another_site_signs_no_one_in_or_out(demo, tokens):
    with _signed_in(demo, tokens["auditor"]) as (client, _):
        elsewhere = {"Origin": "http://example.org"}
        assert client.post("/console/sign-out", headers=elsewhere).status_code == 403
        assert client.get("/console/").status_code == 200  # still signed in
        other = client.post("/console/sign-in", data={"token": tokens["npc"]}, headers=elsewhere)
        assert other.status_code == 403 and "set-cookie" not in other.headers
        assert "冯军" in client.get("/console/").text


def test_no_page_answers_500_to_odd_input(demo, tokens):
    odd = ["'", "1 OR 1=1", "浔阳区" * 40, "%00", "-1", "99999999999999999999", "2023-02-30"]
    pages = [
        "/console/finance?year={}",
        "/console/monitoring?year={}",
        "/console/npc?year={}",
        "/console/log?person_id={}&event_type={}&year={}",
        "/console/objects?year={}",
        "/console/objects/{}",
        "/console/findings?department_id={}",
        "/console/ledgers?department_id={}",
        "/console/ledgers?person_id={}",
        "/console/red-flags?year={}",
        "/console/cases/{}",
        "/console/proof?position={}",
    ]
    for role in ("auditor", "discipline"):
        with _signed_in(demo, tokens[role]) as (client, _):
            for path in pages:
                for value in odd:
                    reply = client.get(path.replace("{}", value))
                    assert reply.status_code < 500, (role, path, value, reply.text[:300])
                    # The edge guard (api/limits.py) answers text no store can hold, such
                    # as NUL, before any page runs: its problem+json 422.
                    edge = reply.headers["content-type"].startswith("application/problem+json")
                    assert reply.headers["content-type"].startswith("text/html") or (
                        edge and reply.status_code == 422
                    ), (path, value, reply.text[:200])


def test_every_other_role_gets_its_pages_or_a_refusal_never_a_crash(demo):
    """The console is for four readers, but any token signs in: each role's home lists
    what the API lets it read, and every page answers 200 or a refusal page."""
    logins = {
        "administrator": "xy.chenlixin",
        "department_head": "xy.zhoujianguo",
        "unit_staff": "xy.yuqing",
        "business_section": "xy.zhangkai",
        "performance_section": "xy.wanglei",
        "treasury_section": "xy.sunhao",
        "third_party": "xy.lvning",
    }
    for role, login in logins.items():
        with _signed_in(demo, issue_token(demo.services, login, role)) as (client, _):
            home = client.get("/console/")
            assert home.status_code == 200
            for p in PAGES:
                reply = client.get(p.url)
                listed = f'href="{p.url}"' in home.text
                assert reply.status_code == (200 if listed else 403), (role, p.url)
