"""Who reads what in the reports, over real HTTP on the demo year: the evaluation report
leaves out the sections its reader may not read through the API (results, notices,
findings); text stored with a control character (Word's manual line break) downloads as
Word and PDF alike."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import httpx
import pytest
from docx import Document as WordDocument

from domain import ids
from domain.registry.model import Person
from domain.results.model import MEASURES
from infrastructure.bootstrap import cli_act
from infrastructure.demo.load import load_demo
from tests.api.test_boards import _department
from tests.api.test_reports import MOF, YEAR, _download, _pdf_lines, _table
from tests.conftest import LiveServer, issue_token
from tests.evaluation_helpers import approved_object, self_evaluation_body, use_chinese_calendar
from tests.fixtures_world import build_world
from tests.http_checks import client_for

KEY = "360403233040001"  # 云创科技产业园: the finance key evaluation the third party scored
NOTICE = "浔财绩整〔2024〕9号"


@pytest.fixture
def demo(server: LiveServer) -> dict[str, httpx.Client]:
    summary = load_demo(server.services.ledger, server.services.signer, server.services.settings)
    server.services.follower.catch_up()
    return {login: server.client(token) for login, (_, _, token) in summary.people.items()}


def _key_evaluation(client: httpx.Client) -> dict:
    query = {"mof_div_code": MOF, "fiscal_year": YEAR, "kind": "finance_key"}
    return next(e for e in client.get("/evaluations", params=query).json() if e["pro_code"] == KEY)


def _result_of(client: httpx.Client, evaluation: dict) -> dict:
    listed = client.get("/results", params={"object_id": evaluation["object_id"]}).json()
    return next(r for r in listed if r["evaluation_id"] == evaluation["evaluation_id"])


def _absent(word: object, first: str, column: str) -> bool:
    """No such table: the document says （无记录） instead of an empty frame."""
    try:
        _table(word, first, column)
    except AssertionError:
        return True
    return False


def _text(path: Path) -> str:
    if path.suffix == ".pdf":
        return "\n".join(_pdf_lines(path))
    word = WordDocument(str(path))
    cells = [c.text for t in word.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in word.paragraphs] + cells)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_text_pasted_with_a_manual_line_break_downloads_as_word_and_pdf(
    demo: dict[str, httpx.Client], tmp_path: Path
) -> None:
    """A notice's problem pasted from Word (U+000B, and a stray U+0001), recorded by the
    real command, stored as written."""
    budget, performance = demo["xy.zhaomin"], demo["xy.wanglei"]
    key = _key_evaluation(budget)
    problem = "专项债券额度已下达\x0b园区入驻企业数据未经核实\x01"
    notice = {"notice_ref": NOTICE, "problems": [problem], "business_date": "2024-05-20"}
    r = performance.post(f"/objects/{key['object_id']}/rectifications", json=notice)
    assert r.status_code == 201, r.text
    [stored] = budget.get("/rectifications", params={"object_id": key["object_id"]}).json()
    assert stored["problems"] == [problem]
    url = f"/evaluations/{key['evaluation_id']}/report"
    word = _text(_download(budget, url, tmp_path, "docx"))
    assert "专项债券额度已下达\n园区入驻企业数据未经核实 " in word  # a line break in Word
    assert "专项债券额度已下达" in _text(_download(budget, url, tmp_path, "pdf"))


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_third_party_reads_no_results_nor_notices_in_the_evaluation_report(
    demo: dict[str, httpx.Client], tmp_path: Path, fmt: str
) -> None:
    """The third party reads the evaluation it scored but not GET /results nor GET
    /rectifications: the report leaves 建议措施 and the notices out and says why; the
    budget section (a reader of both) finds them."""
    budget, third, performance = demo["xy.zhaomin"], demo["xy.lvning"], demo["xy.wanglei"]
    key = _key_evaluation(budget)
    notice = {"notice_ref": NOTICE, "problems": ["园区入驻企业数据未经核实"],
              "business_date": "2024-05-20"}  # fmt: skip
    r = performance.post(f"/objects/{key['object_id']}/rectifications", json=notice)
    assert r.status_code == 201, r.text
    assert third.get("/results").status_code == 403
    assert third.get("/rectifications").status_code == 403
    applied = _result_of(budget, key)

    url = f"/evaluations/{key['evaluation_id']}/report"
    (tmp_path / "t").mkdir(), (tmp_path / "b").mkdir()
    hidden = _text(_download(third, url, tmp_path / "t", fmt))
    seen = _text(_download(budget, url, tmp_path / "b", fmt))
    shown = ["建议措施", MEASURES[applied["measure"]][:4], NOTICE, "园区入驻企业"]
    if fmt == "docx":  # a PDF's table cells wrap their lines
        shown += [MEASURES[applied["measure"]], applied["reason"], "园区入驻企业数据未经核实"]
    for text in shown:
        assert text in seen and text not in hidden, text
    assert "整改通知书" not in hidden
    said = [line for line in hidden.splitlines() if "您的角色不能查阅" in line]
    assert [
        r
        for r in ("GET /rectifications", "GET /results", "GET /findings")
        if any(r in line for line in said)
    ] == ["GET /rectifications", "GET /results", "GET /findings"]
    assert "综合得分" in hidden  # the evaluation itself is the third party's to read


def _refused_recheck(server: LiveServer, demo: dict[str, httpx.Client]) -> None:
    """程丽 filled in 民政局's self-evaluation and, wrongly, also holds a post in the
    performance section: her spot check of it is refused (the security log keeps it)."""
    ledger, act = server.services.ledger, cli_act("test: one person, two incompatible roles")
    wanglei = ledger.load(Person, ids.person_id("xy.wanglei"))
    [section] = [org for role, org in wanglei.roles if role == "performance_section"]
    ledger.registry.grant_role(act, ids.person_id("xy.chengli"), "performance_section", section)
    token = issue_token(server.services, "xy.chengli", "performance_section")
    query = {"mof_div_code": MOF, "fiscal_year": YEAR, "kind": "self"}
    own = next(
        e
        for e in demo["xy.wanglei"].get("/evaluations", params=query).json()
        if e["pro_code"] == "360403233050001"
    )
    body = {"score": "60", "comments": "抽查复核", "business_date": "2024-06-01"}
    r = server.client(token).post(f"/evaluations/{own['evaluation_id']}/recheck", json=body)
    assert r.status_code == 403 and "segregation of duties" in r.json()["detail"], r.text


@pytest.mark.parametrize("database_url", ["sqlite", "postgres"], indirect=True)
def test_the_annual_report_counts_the_findings_get_findings_lists(
    server: LiveServer, demo: dict[str, httpx.Client], tmp_path: Path
) -> None:
    """A refused segregation-of-duties attempt is a finding GET /findings lists: the annual
    report counts it under its title too, beside the view's findings."""
    auditor = demo["xy.fengjun"]
    _refused_recheck(server, demo)
    year = {"mof_div_code": MOF, "fiscal_year": YEAR, "on": "2024-06-01"}
    listed = auditor.get("/findings", params={**year, "limit": 1000}).json()["items"]
    assert "segregation_attempt" in {f["kind"] for f in listed}
    word = WordDocument(str(_download(auditor, "/reports/annual", tmp_path, "docx", **year)))
    annex = {row[1]: row[2] for row in _table(word, "章节", "日志位置")}
    counted = {
        k.removeprefix("问责线索："): v for k, v in annex.items() if k.startswith("问责线索：")
    }
    assert counted == {t: str(n) for t, n in Counter(f["title"] for f in listed).items()}


@pytest.mark.parametrize("database_url", ["sqlite", "postgres"], indirect=True)
def test_the_npc_reads_the_annual_report_of_the_departments_submitted_to_it(
    server: LiveServer, tmp_path: Path
) -> None:
    """住建局 (D101) has an evaluation and an overdue notice but was not submitted to the NPC
    (卫健委 D102 was): its rows are in the budget section's report, not in the NPC's; the
    coverage figures, the jurisdiction's, are in both. Section 七 counts for everyone; the
    log positions of findings go only to a reader of GET /findings (the auditor)."""
    use_chinese_calendar(server.services)
    world = build_world(server.services)
    oid = approved_object(server.services, world, "R1")
    staff = client_for(server, world, "wangfang")
    r = staff.post(f"/objects/{oid}/evaluations/self", json=self_evaluation_body("12"))
    assert r.status_code == 201, r.text
    notice = {"notice_ref": "浔财绩整〔2025〕7号", "problems": ["绩效目标未完成"],
              "business_date": "2025-09-26"}  # fmt: skip
    r = client_for(server, world, "chenjing").post(f"/objects/{oid}/rectifications", json=notice)
    assert r.status_code == 201, r.text
    others = [_department(server, world, f"D2{n}", f"浔阳区部门{n}") for n in range(4)]
    submission = {"mof_div_code": world.mof_div_code, "fiscal_year": 2025,
                  "department_ids": [str(world.org("D102")), *others], "key_project_ids": [],
                  "budget_draft_ref": "浔阳区2025年预算草案"}  # fmt: skip
    r = client_for(server, world, "liuqiang").post("/supervision/npc-submissions", json=submission)
    assert r.status_code == 201, r.text

    year = {"mof_div_code": world.mof_div_code, "fiscal_year": 2025, "on": "2026-01-10"}
    reports = {}
    for login in ("hexin", "sunli", "fengshen"):  # the NPC, the budget section, the auditor
        (tmp_path / login).mkdir()
        path = _download(client_for(server, world, login), "/reports/annual", tmp_path / login,
                         "docx", **year)  # fmt: skip
        reports[login] = WordDocument(str(path))
    npc, budget, auditor = reports["hexin"], reports["sunli"], reports["fengshen"]
    housing = "浔阳区住房和城乡建设局"
    assert [r[1] for r in _table(budget, "评价类型", "部门")] == [housing]
    assert _absent(npc, "评价类型", "部门")
    assert [r[1] for r in _table(budget, "项目编码", "文号")] == ["浔财绩整〔2025〕7号"]
    assert _absent(npc, "项目编码", "文号")
    assert _table(npc, "目标", "政策要求") == _table(budget, "目标", "政策要求")

    def found(word: object) -> dict[str, list[str]]:
        return {r[1]: r[2:] for r in _table(word, "章节", "日志位置") if r[0] == "七、问题与问责"}

    late = "问责线索：整改逾期"
    assert found(budget)[late][1] == "不列示" and found(budget)[late][0] == "1"
    assert found(auditor)[late][0] == "1" and found(auditor)[late][1][0].isdigit()
    assert late not in found(npc)  # 住建局's finding is outside the NPC's reach
    assert found(npc)["问责案件（件）"] == ["0", "不列示"]
    assert found(budget)["问责案件（件）"] == ["0", "（无）"]  # the budget section reads cases
