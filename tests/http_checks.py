"""Checks shared by the HTTP tests: a refusal is problem+json and records nothing."""

from __future__ import annotations

from tests.conftest import LiveServer, issue_token
from tests.fixtures_world import World

PROBLEM = "application/problem+json"


def log_head(server: LiveServer) -> int:
    return server.services.follower.head()


def assert_refused(server: LiveServer, reply, status: int, slug: str, before: int) -> dict:
    """The reply is a problem+json refusal of this type, and the log did not move."""
    assert reply.status_code == status, reply.text
    assert reply.headers["content-type"].startswith(PROBLEM)
    body = reply.json()
    assert body["type"] == f"urn:jixiao:problem:{slug}"
    assert body["status"] == status and body["title"] and body["detail"]
    assert log_head(server) == before, "a refused command recorded something"
    return body


def ok(reply, status: int = 200) -> dict:
    assert reply.status_code == status, reply.text
    return reply.json()


def client_for(server: LiveServer, world: World, login: str, role: str | None = None):
    """A client with a token for one of the world's people."""
    return server.client(issue_token(server.services, world.login(login), role))
