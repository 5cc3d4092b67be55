"""Fixtures: a store on each backend, services built by the real composition root, and a
real HTTP server in a thread.

SQLite always runs. PostgreSQL runs when JIXIAO_TEST_POSTGRES_URL is set (each test gets
its own schema, dropped afterwards); under CI=true a missing URL is a failure, not a skip.
"""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import psycopg
import pytest
import structlog
import uvicorn

from api.app import create_app
from domain import ids
from domain.registry.model import Person
from infrastructure.bootstrap import Services, bootstrap, cli_act
from infrastructure.settings import Settings

PG_URL = os.environ.get("JIXIAO_TEST_POSTGRES_URL")
TEST_KEY = "test-signing-key-0123456789abcdefghijklmnop"
TEST_INTEGRITY_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="  # base64 Ed25519 seed


def _backends() -> list:
    params = [pytest.param("sqlite", id="sqlite")]
    params.append(pytest.param("postgres", id="postgres", marks=pytest.mark.postgres))
    return params


@pytest.fixture(autouse=True)
def _logging_as_configured_by_nobody() -> Iterator[None]:
    """A test that runs a command in process configures structlog (e.g. at WARNING); the
    next test starts from structlog's defaults again, so log captures see every level."""
    yield
    structlog.reset_defaults()


@pytest.fixture(params=_backends())
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/jixiao.sqlite"
        return
    if not PG_URL:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but JIXIAO_TEST_POSTGRES_URL is not set")
        pytest.skip("set JIXIAO_TEST_POSTGRES_URL to run the PostgreSQL tests")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    sep = "&" if "?" in PG_URL else "?"
    yield f"{PG_URL}{sep}schema={schema}"
    with psycopg.connect(PG_URL.split("?")[0], autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def settings_for(database_url: str, **overrides: object) -> Settings:
    """Production settings with the test keys, a quick follower, and any overrides."""
    return Settings(
        database_url=database_url,
        token_signing_key=TEST_KEY,
        integrity_signing_key=TEST_INTEGRITY_KEY,
        environment="production",
        follower_interval_seconds=0.05,
        **overrides,
    )


@pytest.fixture
def settings(database_url: str) -> Settings:
    return settings_for(database_url)


@pytest.fixture
def services(settings: Settings) -> Iterator[Services]:
    built = bootstrap(settings)
    yield built
    built.close()


@dataclass
class LiveServer:
    url: str
    services: Services

    def client(self, token: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=30)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(services: Services) -> Iterator[LiveServer]:
    """The real app served by uvicorn on a loopback port, until the block ends."""
    port = _free_port()
    config = uvicorn.Config(
        create_app(services), host="127.0.0.1", port=port, log_config=None, log_level="warning"
    )
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uv.started:
        if time.monotonic() > deadline:
            raise RuntimeError("test server did not start")
        time.sleep(0.02)
    try:
        yield LiveServer(f"http://127.0.0.1:{port}", services)
    finally:
        uv.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def server(services: Services) -> Iterator[LiveServer]:
    """The real app served by uvicorn on a loopback port."""
    with serving(services) as live:
        yield live


def issue_token(services: Services, login: str, role: str | None = None) -> str:
    """A bearer token for a registered person (their full login, prefix included)."""
    person = services.ledger.load(Person, ids.person_id(login))
    role_name, org_id = next((r, o) for r, o in person.roles if role in (None, r))
    token_id = services.signer.new_token_id()
    services.ledger.registry.issue_token(
        cli_act(), person.id, token_id, role_name, org_id, datetime.now(UTC) + timedelta(days=1)
    )
    return services.signer.token(person.id, token_id)
