"""The console works with the network cable pulled: every request a page makes, from the
sign-in page to each page an auditor reads (all of them) and a case's PDF, goes to the
server's own loopback address; anything else is blocked in the browser and recorded."""

from __future__ import annotations

from urllib.parse import urlsplit

from api.console.render import PAGES
from tests.console.conftest import screenshot, sign_in


def test_no_request_leaves_the_machine(browser, demo, tokens):
    own = urlsplit(demo.url).netloc
    local, outside = [], []

    def guard(route):
        url = route.request.url
        if urlsplit(url).netloc == own:
            local.append(url)
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context = browser.new_context(base_url=demo.url)
    context.route("**/*", guard)
    try:
        page = context.new_page()
        page.goto("/console/sign-in")
        page.fill("#token", tokens["auditor"])
        page.click("form.sign-in button")
        page.wait_for_url("**/console/")
        for p in PAGES:
            assert page.goto(p.url).status == 200, p.url
            page.wait_for_load_state("networkidle")
        page.locator("#cases a", has_text="移送材料").first.click()
        page.wait_for_load_state("networkidle")
        # The stylesheet, the script and the icon came from the server and took effect.
        assert (
            page.evaluate("getComputedStyle(document.querySelector('header')).backgroundColor")
            == "rgb(139, 30, 30)"
        )
    finally:
        context.close()
    assert outside == []
    assert any(u.endswith("/console/static/console.css") for u in local)
    assert any(u.endswith("/console/static/console.js") for u in local)


def test_a_page_names_no_outside_address(browser, demo, tokens):
    """No src, href or CSS url() in any page points off the machine (a blocked request
    would only show when it is made; this catches one a page would make later)."""
    context, page = sign_in(browser, demo, tokens["auditor"])
    try:
        for p in PAGES:
            page.goto(p.url)
            addresses = page.evaluate(
                """() => [...document.querySelectorAll('[src],[href],[action]')]
                    .map(e => e.getAttribute('src') || e.getAttribute('href') ||
                              e.getAttribute('action'))"""
            )
            same_site = all(a.startswith("/") and not a.startswith("//") for a in addresses)
            assert addresses and same_site, (p.url, addresses)
    finally:
        context.close()


def test_the_api_documentation_renders_with_the_network_cut(browser, demo):
    """/docs (Swagger UI) and /redoc draw the API's operations in the browser with every
    outside request blocked: their scripts, styles and the OpenAPI document are the app's."""
    own = urlsplit(demo.url).netloc
    outside: list[str] = []

    def guard(route):
        if urlsplit(route.request.url).netloc == own:
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context = browser.new_context(base_url=demo.url)
    context.route("**/*", guard)
    try:
        page = context.new_page()
        page.goto("/docs")
        page.wait_for_selector(".opblock-summary", timeout=20_000)  # drawn by Swagger UI
        assert page.locator(".opblock-summary").count() > 50
        assert page.get_by_text("登记绩效对象").first.is_visible()
        screenshot(page, "api-docs")
        page.goto("/redoc")
        page.wait_for_selector("h2", timeout=20_000)  # drawn by ReDoc from the document
        assert "登记绩效对象" in page.content()
    finally:
        context.close()
    assert outside == []
    # ReDoc's own footer logo is the one load its page's policy refuses, as it should.
    refused = [e for e in browser.errors if "cdn.redoc.ly" in e]
    assert refused and all("Content Security Policy" in e for e in refused)
    browser.errors[:] = [e for e in browser.errors if e not in refused]
