"""What the console shows is what the API answers the same person: the charts' numbers,
the finance board's countdown, an object's state as of a date and the diff between two
dates picked in the page, and a referred case's package and PDF."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from api.time_travel import CHINA
from tests.console.conftest import MOF, YEAR, sign_in


def _bars(page, chart: str) -> list[tuple[str, str]]:
    rects = page.locator(f"{chart} rect.bar")
    return [
        (rects.nth(i).get_attribute("data-value"), rects.nth(i).locator("title").text_content())
        for i in range(rects.count())
    ]


def test_monitoring_lights_and_grades_are_the_apis(browser, demo, tokens):
    tasks = demo.client(tokens["auditor"]).get(
        "/monitoring/tasks", params={"mof_div_code": MOF, "fiscal_year": YEAR, "limit": 1000}
    )
    lights = Counter(t["light"] for t in tasks.json() if t["light"])
    board = demo.client(tokens["npc"]).get(f"/boards/npc/{MOF}/{YEAR}").json()
    grades = Counter(
        (d["name"], e["grade"])
        for d in board["departments"]
        for e in d["evaluations"]
        if e["grade"]
    )
    assert len(lights) >= 3 and len(grades) >= 3, "the demo lights and grades several ways"

    context, page = sign_in(browser, demo, tokens["auditor"])
    try:
        page.goto("/console/monitoring")
        shown = dict((t.split("：")[0], int(v)) for v, t in _bars(page, "#lights-chart"))
        names = {"red": "红灯", "yellow": "黄灯", "green": "绿灯", "blue": "蓝灯"}
        assert shown == {names[k]: lights.get(k, 0) for k in names}
        assert len(page.locator("#tasks tr").all()) == len(tasks.json()) + 1
        months = _bars(page, "#execution-chart")
        assert months and all(0 <= float(v) <= 200 for v, _ in months)
    finally:
        context.close()
    context, page = sign_in(browser, demo, tokens["npc"])
    try:
        page.goto("/console/npc")
        shown = Counter()
        for value, title in _bars(page, "#grades-chart"):
            name, grade = title.split("：")[0].rsplit(" ", 1)
            shown[(name, grade)] = int(value)
        assert shown == grades
    finally:
        context.close()


def test_finance_board_counts_working_days_as_the_api(browser, demo, tokens):
    answer = demo.client(tokens["budget_section"]).get(f"/boards/finance/{MOF}/{YEAR}").json()
    context, page = sign_in(browser, demo, tokens["budget_section"])
    try:
        page.goto("/console/finance")
        rows = page.locator("#rectifications tr").all()[1:]
        assert answer["rectifications"], "the demo has notices not yet verified"
        assert len(rows) == len(answer["rectifications"])
        for row, notice in zip(rows, answer["rectifications"], strict=True):
            cells = row.locator("td").all_inner_texts()
            assert cells[0] == notice["notice_ref"]
            left = notice["working_days_left"]
            assert cells[6] == (str(left) if left is not None else "—")
    finally:
        context.close()


def test_object_as_of_a_date_and_the_diff_between_two(browser, demo, tokens):
    context, page = sign_in(browser, demo, tokens["auditor"])
    try:
        page.goto("/console/objects")
        page.locator("#objects a").first.click()
        object_url = page.url
        history = page.locator("#history tr").all()[1:]
        assert len(history) > 1
        # The day (China Standard Time) the demo recorded the object on.
        first = datetime.fromisoformat(history[0].locator("td").nth(1).inner_text())
        today = first.astimezone(CHINA).date()
        page.fill("input[name=as_of]", today.isoformat())
        page.click("#as-of-form button")
        assert page.locator("h2").first.inner_text() == f"{today} 当日结束时的状态"
        page.fill("input[name=from]", today.isoformat())
        page.fill("input[name=to]", today.isoformat())
        page.click("#as-of-form button")
        changes = page.locator("#diff tr").count() - 1
        assert changes > 3  # the object was made today: every field is new
        # The day before the demo was loaded the object did not exist: said in Chinese, with
        # its history and current state still in view.
        yesterday = (today - timedelta(days=1)).isoformat()
        reply = page.goto(f"{object_url}?as_of={yesterday}")
        assert reply.status == 200
        notice = page.locator("#not-yet").inner_text()
        assert notice.startswith(f"{yesterday} 当日结束时本项目尚未登记")
        assert page.locator("h2").first.inner_text() == "当前状态"
    finally:
        context.close()


def test_discipline_reads_the_referred_case_its_package_and_pdf(browser, demo, tokens):
    listed = demo.client(tokens["discipline"]).get("/cases").json()
    assert listed
    context, page = sign_in(browser, demo, tokens["discipline"])
    try:
        page.goto("/console/cases")
        assert page.locator("#cases tr").count() == len(listed) + 1
        page.locator("#cases a", has_text="移送材料").first.click()
        assert page.locator("h1").inner_text().startswith("移送材料")
        assert page.locator("#case-evidence tr").count() > 1
        assert page.locator("#persons tr").count() > 1
        pdf = page.request.get(page.locator("#pdf-link").get_attribute("href"))
        assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
        assert pdf.body().startswith(b"%PDF")
    finally:
        context.close()


def test_ledgers_and_red_flags_name_the_signers(browser, demo, tokens):
    api = demo.client(tokens["auditor"])
    flags = api.get(f"/red-flags/{MOF}/{YEAR}").json()["flags"]
    fired = [f for f in flags if f["fired"]]
    assert fired, "the demo's figures fire red flags"
    context, page = sign_in(browser, demo, tokens["auditor"])
    try:
        page.goto("/console/red-flags")
        rows = page.locator("#flags tr").all()[1:]
        assert len(rows) == len(flags)
        shown = [r.locator("td").nth(0).inner_text() for r in rows if "预警" in r.inner_text()]
        assert sorted(shown) == sorted(f["title"] for f in fired)
        # A signer's name opens their ledger: everything they signed.
        signer = fired[0]["signers"][0]
        page.locator("#flags a", has_text=signer["name"]).first.click()
        person = api.get(f"/ledgers/persons/{signer['person_id']}", params={"limit": 500}).json()
        assert page.locator("#entries tr").count() == len(person["entries"]) + 1 > 1
        # A department's ledger, picked by name.
        page.goto("/console/ledgers")
        page.select_option("select[name=department_id]", label="浔阳区住房和城乡建设局")
        page.wait_for_url("**department_id=*")
        org = page.locator("select[name=department_id]").input_value()
        department = api.get(f"/ledgers/departments/{org}", params={"limit": 500}).json()
        assert page.locator("#entries tr").count() == len(department["entries"]) + 1 > 1
    finally:
        context.close()


def test_log_search_by_organisation_is_the_apis(browser, demo, tokens):
    context, page = sign_in(browser, demo, tokens["auditor"])
    try:
        page.goto("/console/log")
        page.select_option("select[name=organisation_id]", label="浔阳区财政局预算股")
        page.click("form.filters button")
        org = page.locator("select[name=organisation_id]").input_value()
        api = demo.client(tokens["auditor"]).get(
            "/log/search", params={"organisation_id": org, "limit": 200}
        )
        entries = api.json()["entries"]
        assert entries and page.locator("#entries tr").count() == len(entries) + 1
        assert {e["actor"]["organisation_name"] for e in entries} == {"浔阳区财政局预算股"}
    finally:
        context.close()


def test_discipline_opens_the_ledger_of_a_person_named_in_its_case(browser, demo, tokens):
    context, page = sign_in(browser, demo, tokens["discipline"])
    try:
        page.goto("/console/cases")
        page.locator("#cases a", has_text="移送材料").first.click()
        named = page.locator("#persons a").first
        name = named.inner_text()
        named.click()
        assert page.locator("h2").inner_text().startswith("个人台账")
        signers = page.locator("#entries tr td:nth-child(5) a").all_inner_texts()
        assert signers and set(signers) == {name}
        # Its ledger page is a person's only: a department's is not discipline's to read.
        assert page.goto("/console/ledgers").status == 403
    finally:
        context.close()
