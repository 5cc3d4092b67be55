"""The console over PostgreSQL: the same pages, charts and refusals as over SQLite (the
views' SQL and the gate run on the other store)."""

from __future__ import annotations

import pytest

from tests.console.conftest import screenshot, sign_in

BACKEND = "postgres"
pytestmark = pytest.mark.postgres
MAIN = {  # role → a page it reads (with its chart count), a page it is refused
    "auditor": ("/console/findings", 1, None),
    "npc": ("/console/npc", 1, "/console/log"),
    "budget_section": ("/console/monitoring", 2, "/console/npc"),
    "discipline": ("/console/cases", 0, "/console/finance"),
}


def test_each_role_reads_its_page_and_is_refused_another_over_postgres(browser, demo, tokens):
    for role, (url, charts, refused) in MAIN.items():
        context, page = sign_in(browser, demo, tokens[role])
        try:
            assert page.goto(url).status == 200, (role, url, page.inner_text("main"))
            drawn = page.locator("svg.chart")
            assert drawn.count() == charts
            for i in range(charts):
                assert drawn.nth(i).locator("rect.bar").count() > 0
            screenshot(page, f"postgres-{role}")
            if refused:
                assert page.goto(refused).status == 403
                assert page.locator("h1").inner_text() == "无权查看"
        finally:
            context.close()


def test_the_auditors_other_pages_over_postgres(browser, demo, tokens):
    context, page = sign_in(browser, demo, tokens["auditor"])
    try:
        for url in ("/console/log", "/console/ledgers", "/console/red-flags", "/console/finance"):
            assert page.goto(url).status == 200, (url, page.inner_text("main"))
        page.goto("/console/objects")
        page.locator("#objects a").first.click()
        page.locator("#history a[title=验证包含证明]").last.click()
        page.wait_for_selector("#verdict-summary[data-verified=yes]")
    finally:
        context.close()
