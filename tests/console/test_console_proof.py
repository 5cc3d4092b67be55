"""An event's inclusion proof is checked by the browser itself: the page's script hashes the
event into its leaf, follows the path to the signed root and checks the head's signature.
A package altered on its way to the page fails the check (the script really computes)."""

from __future__ import annotations

import json

from tests.console.conftest import screenshot, sign_in


def _verdict(page) -> dict[str, str]:
    page.wait_for_selector("#verdict-summary[data-verified]")
    items = page.locator("#verdict li").all()
    return {i.get_attribute("data-check"): i.get_attribute("data-ok") for i in items}


def test_an_auditor_verifies_an_events_inclusion_in_the_page(browser, demo, tokens):
    context, page = sign_in(browser, demo, tokens["auditor"])
    try:
        page.goto("/console/objects")
        page.locator("#objects a").first.click()
        page.locator("#history a[title=验证包含证明]").last.click()
        assert _verdict(page) == {"leaf": "yes", "root": "yes", "signature": "yes"}
        assert page.locator("#verdict-summary").inner_text().startswith("验证通过")
        screenshot(page, "auditor-proof")
        # The same page with one byte of the event changed before the script reads it.
        url = page.url

        def altered(route):
            reply = route.fetch()
            html = reply.text()
            start = html.index('id="evidence">') + len('id="evidence">')
            end = html.index("</script>", start)
            package = json.loads(html[start:end])
            data = package["leaf_data_hex"]
            package["leaf_data_hex"] = data[:-2] + ("00" if data[-2:] != "00" else "01")
            route.fulfill(response=reply, body=html[:start] + json.dumps(package) + html[end:])

        page.route(url, altered)
        page.goto(url)
        verdict = _verdict(page)
        assert verdict["leaf"] == "no" and verdict["signature"] == "yes"
        assert page.locator("#verdict-summary").inner_text() == "验证未通过。"
    finally:
        context.close()


def test_the_npc_may_not_prove_a_budget_event(browser, demo, tokens):
    position = (
        demo.client(tokens["auditor"])
        .get("/log/search", params={"event_type": "PerformanceObject.GoalApproved", "limit": 1})
        .json()["entries"][0]["position"]
    )
    context, page = sign_in(browser, demo, tokens["npc"])
    try:
        reply = page.goto(f"/console/proof?position={position}")
        assert reply.status == 403 and page.locator("h1").inner_text() == "无权查看"
    finally:
        context.close()
