"""Fixtures of the console's browser tests: the demo jurisdiction served once per module,
and Debian's Chromium driven by playwright (`playwright install` cannot download a browser
on these machines). Under CI=true a missing Chromium fails the tests; elsewhere they skip."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from infrastructure.bootstrap import bootstrap
from infrastructure.demo.load import load_demo
from tests.conftest import PG_URL, LiveServer, issue_token, serving, settings_for

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"  # gitignored
MOF, YEAR = "360403", 2023  # the demo's jurisdiction and year
# One demo person of each role the console is for.
PEOPLE = {
    "auditor": "xy.fengjun",
    "npc": "xy.guoping",
    "budget_section": "xy.zhaomin",
    "discipline": "xy.hejian",
}


def _postgres_url() -> Iterator[str]:
    """A schema of its own on the test PostgreSQL (as tests/conftest.py's database_url)."""
    if not PG_URL:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but JIXIAO_TEST_POSTGRES_URL is not set")
        pytest.skip("set JIXIAO_TEST_POSTGRES_URL to run the PostgreSQL tests")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    yield f"{PG_URL}{'&' if '?' in PG_URL else '?'}schema={schema}"
    with psycopg.connect(PG_URL.split("?")[0], autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture(scope="module")
def demo_url(request: pytest.FixtureRequest, tmp_path_factory) -> Iterator[str]:
    """SQLite, unless the module sets `BACKEND = "postgres"`."""
    if getattr(request.module, "BACKEND", "sqlite") == "postgres":
        yield from _postgres_url()
        return
    yield f"sqlite:///{tmp_path_factory.mktemp('console')}/jixiao.sqlite"


@pytest.fixture(scope="module")
def demo(demo_url: str) -> Iterator[LiveServer]:
    """The demo year loaded through the real commands, views caught up, served on loopback."""
    settings = settings_for(demo_url)
    services = bootstrap(settings)
    try:
        load_demo(services.ledger, services.signer, settings)
        services.follower.catch_up()
        with serving(services) as live:
            yield live
    finally:
        services.close()


@pytest.fixture(scope="module")
def tokens(demo: LiveServer) -> dict[str, str]:
    return {role: issue_token(demo.services, login, role) for role, login in PEOPLE.items()}


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {CHROMIUM} is missing (.ci/run installs Debian's chromium)")
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium to run the browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        try:
            yield ScriptWatchingBrowser(launched)
        finally:
            launched.close()


class ScriptWatchingBrowser:
    """The browser, with every page's script errors and refused loads (a Content-Security-
    Policy violation is logged to the console) recorded, so that a test fails on them."""

    def __init__(self, browser) -> None:
        self._browser, self.errors = browser, []

    def new_context(self, **kwargs):
        context = self._browser.new_context(**kwargs)
        context.on("page", self._watch)
        return context

    def _watch(self, page) -> None:
        page.on("pageerror", lambda e: self.errors.append(f"{page.url}: {e}"))
        page.on("console", lambda m: self._refused_load(page, m))

    def _refused_load(self, page, message) -> None:
        # Not "Failed to load resource: 403": tests visit refused pages on purpose.
        if message.type == "error" and "Content Security Policy" in message.text:
            self.errors.append(f"{page.url}: {message.text}")

    def __getattr__(self, name: str):
        return getattr(self._browser, name)


@pytest.fixture(autouse=True)
def no_script_errors(request: pytest.FixtureRequest) -> Iterator[None]:
    if "browser" not in request.fixturenames:
        yield
        return
    watching = request.getfixturevalue("browser")
    watching.errors.clear()
    yield
    assert watching.errors == [], "script errors or refused loads in the console"


def sign_in(browser, server: LiveServer, token: str):
    """A fresh browser context signed in through the sign-in page, as a person would."""
    context = browser.new_context(base_url=server.url, locale="zh-CN")
    page = context.new_page()
    page.goto("/console/")
    assert page.url.endswith("/console/sign-in")
    page.fill("#token", token)
    page.click("form.sign-in button")
    page.wait_for_url("**/console/")
    return context, page


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    print(f"screenshot: {path}")
    return path
