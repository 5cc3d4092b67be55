"""Each of the four readers the console is for signs in through the page, sees its pages
with their charts drawn, and is refused the pages its role may not read (403, in Chinese),
as the API refuses the reads behind them. A screenshot of each page is kept in
var/screenshots/ for the record."""

from __future__ import annotations

import pytest

from api.console.render import PAGES
from tests.console.conftest import screenshot, sign_in

URL = {p.title: p.url for p in PAGES}
ALL = set(URL)
# What each role reads through the API (api/access/rules.py), so what its console shows.
# The audit bureau reads all of these: nothing in the console is refused to it.
SEES = {
    "auditor": ALL,
    "npc": {"人大监督看板"},
    "budget_section": {
        "财政看板",
        "监控亮灯",
        "日志检索",
        "项目历史",
        "台账",
        "统计预警",
        "移送案件",
    },
    "discipline": {"统计预警", "问责线索", "移送案件"},
}
CHARTS = {
    "财政看板": 1,
    "监控亮灯": 2,
    "人大监督看板": 1,
    "问责线索": 1,
}  # inline SVG charts per page


def _charts_drawn(page, expected: int) -> None:
    charts = page.locator("svg.chart")
    assert charts.count() == expected
    for i in range(expected):
        chart = charts.nth(i)
        box = chart.bounding_box()
        assert box and box["width"] > 100 and box["height"] > 50
        bars = chart.locator("rect.bar")
        assert bars.count() > 0, f"chart {i} has no bars"
        assert any(
            (bars.nth(j).bounding_box() or {}).get("height", 0) > 0 for j in range(bars.count())
        )


@pytest.mark.parametrize("role", sorted(SEES))
def test_each_role_sees_its_pages_and_is_refused_the_others(browser, demo, tokens, role):
    context, page = sign_in(browser, demo, tokens[role])
    try:
        listed = set(page.locator("ul.pages a").all_inner_texts())
        assert listed == SEES[role]
        assert set(page.locator("header nav a").all_inner_texts()) == SEES[role]
        screenshot(page, f"{role}-home")
        for title in sorted(SEES[role]):
            reply = page.goto(URL[title])
            assert reply.status == 200, (title, page.inner_text("main"))
            assert page.locator("h1").inner_text()
            _charts_drawn(page, CHARTS.get(title, 0))
            screenshot(page, f"{role}-{URL[title].rsplit('/', 1)[-1]}")
        for title in sorted(ALL - SEES[role]):
            reply = page.goto(URL[title])
            assert reply.status == 403, title
            assert page.locator("h1").inner_text() == "无权查看"
            assert "无权访问" in page.inner_text("main") or "超出" in page.inner_text("main")
        if role == "npc":
            screenshot(page, "npc-refused")
    finally:
        context.close()


def test_signed_out_reader_is_sent_to_sign_in_and_a_bad_token_is_refused(browser, demo):
    context = browser.new_context(base_url=demo.url)
    page = context.new_page()
    try:
        page.goto("/console/finance")
        assert page.url.endswith("/console/sign-in")
        page.fill("#token", "jx1.not-a-token")
        page.click("form.sign-in button")
        assert "令牌无效" in page.inner_text("p.error")
        assert not context.cookies()
    finally:
        context.close()
