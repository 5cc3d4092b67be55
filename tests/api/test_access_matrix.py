"""Every role against every operation, generated from the access table (api/access/rules.py):
a role the table allows gets past the access layer (whatever the command then says), any
other role gets 403 problem+json of type `forbidden`, and nothing is recorded. The table
itself must cover exactly the operations of the OpenAPI document."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from api.access import RULES, Scope
from api.access.doc import table_markdown
from api.app import create_app
from domain.roles import Role
from infrastructure.bootstrap import cli_act
from tests.conftest import LiveServer, issue_token
from tests.fixtures_world import PEOPLE, World, build_world

PROBLEM = "application/problem+json"
FORBIDDEN = "urn:jixiao:problem:forbidden"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "access-control.md"
# Path parameters: ids that name nothing (an allowed role then meets 404 or 422, never 403).
FILLERS = {"year": "2024", "position": "1"}
NOBODY = "00000000-0000-4000-8000-000000000001"


def openapi_operations() -> set[tuple[str, str]]:
    paths = create_app().openapi()["paths"]
    return {(method.upper(), path) for path, item in paths.items() for method in item}


def test_the_table_has_exactly_one_row_per_openapi_operation() -> None:
    operations = openapi_operations()
    assert set(RULES) - operations == set(), "rows naming no operation"
    assert operations - set(RULES) == set(), "operations without a row"


def test_the_document_shows_the_table_as_it_is() -> None:
    text = DOCS.read_text(encoding="utf-8")
    assert all(f"`{m} {p}`" in text for m, p in RULES)
    assert table_markdown() in text, "regenerate it: python -m api.access.doc --write"


def _url(path: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: FILLERS.get(m.group(1), NOBODY), path)


def role_holders(server: LiveServer, world: World) -> dict[Role, str]:
    """A token for a person in each role (the shared world has no unit head: add one)."""
    ledger, act = server.services.ledger, cli_act("matrix test")
    ledger.registry.register_person(act, "huangmin", "黄敏")
    ledger.registry.grant_role(act, world.person("huangmin"), "unit_head", world.org("D101001"))
    logins = {Role(role): login for login, (_, role, _) in PEOPLE.items()}
    logins[Role.UNIT_HEAD] = "huangmin"
    assert set(logins) == set(Role)
    return {role: issue_token(server.services, login) for role, login in logins.items()}


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_every_role_against_every_operation(server: LiveServer) -> None:
    world = build_world(server.services)
    clients = {role: server.client(token) for role, token in role_holders(server, world).items()}
    anonymous = server.client()
    before = server.services.follower.head()
    wrong: list[str] = []
    for (method, path), rule in sorted(RULES.items()):
        url = _url(path)
        body = {} if method in ("POST", "PUT") else None
        if rule.scope == Scope.PUBLIC:
            assert anonymous.request(method, url).status_code == 200
            continue
        if anonymous.request(method, url, json=body).status_code != 401:
            wrong.append(f"{method} {path}: answers without a token")
        for role, client in clients.items():
            r = client.request(method, url, json=body)
            refused = r.status_code == 403 and r.json().get("type") == FORBIDDEN
            if refused:
                assert r.headers["content-type"].startswith(PROBLEM)
            if refused == (role in rule.roles):
                wrong.append(f"{method} {path} as {role}: {r.status_code} {r.text[:120]}")
    assert wrong == [], "\n".join(wrong)
    assert server.services.follower.head() == before, "a refused or empty call recorded"
