"""The annual report of the demo year and an evaluation's report, over real HTTP, as real
PDF and Word files: the figures printed are the figures the API answers (GET /coverage and
GET /evaluations for the same jurisdiction and year), the annex names log positions that
hold the events counted, and the evaluation report carries the recorded score table."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from urllib.parse import unquote

import httpx
import pytest
from docx import Document as WordDocument
from pypdf import PdfReader

from domain.evaluation.model import EVALUATION_KINDS
from infrastructure.demo.load import load_demo
from tests.api.test_coverage import YEAR as COVERAGE_YEAR
from tests.api.test_coverage import _build_year as build_coverage_year
from tests.conftest import LiveServer
from tests.fixtures_world import build_world
from tests.http_checks import client_for

MOF, YEAR = "360403", 2023
PROBLEM = "application/problem+json"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
GRADES = ("优", "良", "中", "差")


@pytest.fixture
def demo(server: LiveServer) -> dict[str, httpx.Client]:
    """The demo year loaded through the commands; a client per demo login."""
    summary = load_demo(server.services.ledger, server.services.signer, server.services.settings)
    server.services.follower.catch_up()
    return {login: server.client(token) for login, (_, _, token) in summary.people.items()}


def _pdf_lines(path: Path) -> list[str]:
    text = "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)
    return [line.strip() for line in text.splitlines()]


def _table(word: object, first: str, column: str) -> list[list[str]]:
    """The rows of the Word table whose header starts with `first` and names `column`."""
    for table in word.tables:  # type: ignore[attr-defined]
        header = [c.text for c in table.rows[0].cells]
        if header[0] == first and column in header:
            return [[c.text for c in row.cells] for row in table.rows[1:]]
    raise AssertionError(f"no table headed {first} … {column}")


def _download(client: httpx.Client, url: str, tmp_path: Path, fmt: str, **params: object) -> Path:
    r = client.get(url, params={**params, "format": fmt})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == ("application/pdf" if fmt == "pdf" else DOCX)
    disposition = r.headers["content-disposition"]
    chinese = unquote(re.search(r"filename\*=UTF-8''(\S+)", disposition).group(1))
    assert chinese.endswith(f".{fmt}") and "报告" in chinese
    path = tmp_path / chinese
    path.write_bytes(r.content)
    return path


@pytest.mark.parametrize("database_url", ["sqlite", "postgres"], indirect=True)
def test_the_annual_report_states_the_figures_the_api_answers(
    server: LiveServer, demo: dict[str, httpx.Client], tmp_path: Path
) -> None:
    finance, auditor = demo["xy.wanglei"], demo["xy.fengjun"]
    year = {"mof_div_code": MOF, "fiscal_year": YEAR}
    targets = finance.get("/coverage", params=year).json()["targets"]
    listed = finance.get("/evaluations", params={**year, "limit": 1000}).json()
    assert targets and len(listed) > 10

    asked = {**year, "on": "2024-06-01"}
    lines = _pdf_lines(_download(finance, "/reports/annual", tmp_path, "pdf", **asked))
    word = WordDocument(str(_download(finance, "/reports/annual", tmp_path, "docx", **asked)))
    paragraphs = [p.text for p in word.paragraphs]
    assert f"{YEAR}年度预算绩效管理工作综合报告" in paragraphs
    headings = ("一、总体情况", "二、覆盖情况", "三、评价结果", "四、结果应用", "五、整改",
                "六、运行监控", "七、问题与问责", "附件：数据来源")  # fmt: skip
    assert [p for p in paragraphs if p in headings] == list(headings)
    body = lines[: lines.index(headings[-1]) + 1]  # the annex then names each figure's section
    assert [x for x in body if x in headings] == list(headings)

    _assert_coverage(word, lines, targets)
    _assert_grades(word, lines, listed)

    # The annex: each figure's positions hold the events counted.
    annex = {row[1]: row for row in _table(word, "章节", "日志位置")}
    with server.services.views_db.transaction(write=False) as cur:
        for kind, name in EVALUATION_KINDS.items():
            for grade in GRADES:
                cited = _positions(annex[f"{name}评为“{grade}”"][3])
                ids = {
                    e["evaluation_id"] for e in listed if (e["kind"], e["grade"]) == (kind, grade)
                }
                assert _originators(cur, cited) == ids, (kind, grade)
        every = {p for row in annex.values() for p in _positions(row[3])}
        known = cur.execute(
            "SELECT COUNT(*) AS n FROM v_log_index WHERE position IN "
            f"({', '.join(str(p) for p in every)})"
        ).fetchone()["n"]
    assert every and known == len(every)
    proof = auditor.get(f"/integrity/evidence/{min(every)}")
    assert proof.status_code == 200, proof.text


def _assert_coverage(word: object, lines: list[str], targets: list[dict]) -> None:
    """Each target the policy sets, as GET /coverage judges it, in the Word table, the PDF's
    coverage table and the PDF's annex."""
    coverage = {row[0]: row for row in _table(word, "目标", "政策要求")}
    assert len(coverage) == len(targets)
    for t in targets:
        percent = "%" if t["measure"] == "percent" else ""
        actual = f"{t['actual']}{percent}" if t["actual"] is not None else "—"
        base = "" if t["denominator"] is None else f"{t['numerator']} / {t['denominator']}"
        met = "达到" if t["met"] else "未达到"
        assert coverage[t["label"]][2:] == [actual, base, met], t["label"]
        at = lines.index(t["label"])  # the coverage table's row, then the annex's
        assert lines[at + 2 : at + 3 + bool(base)] == [actual, base][: 1 + bool(base)]
        annex = lines.index(t["label"], at + 1)
        assert lines[annex + 1] == (t["actual"] or "—")


def _assert_grades(word: object, lines: list[str], listed: list[dict]) -> None:
    """优/良/中/差 (and not yet graded) per kind, as GET /evaluations lists them."""
    graded = Counter((e["kind"], e["grade"]) for e in listed)
    by_kind = {row[0]: row for row in _table(word, "评价类型", "合计")}
    for kind, name in EVALUATION_KINDS.items():
        counts = [graded[(kind, g)] for g in (*GRADES, None)]
        if sum(counts):
            assert by_kind[name][1:] == [str(n) for n in (*counts, sum(counts))], name
        else:
            assert name not in by_kind
        for grade, n in zip(GRADES, counts, strict=False):
            label = f"{name}评为“{grade}”"
            assert lines[lines.index(label) + 1] == str(n), label


def _positions(cell: str) -> list[int]:
    return [int(p) for p in cell.split("、")] if cell != "（无）" else []


def _originators(cur: object, positions: list[int]) -> set[str]:
    if not positions:
        return set()
    rows = cur.execute(  # type: ignore[attr-defined]
        "SELECT DISTINCT originator_id FROM v_log_index WHERE position IN "
        f"({', '.join(str(p) for p in positions)})"
    ).fetchall()
    return {r["originator_id"] for r in rows}


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_another_jurisdiction_is_reported_under_its_own_policy(
    server: LiveServer, tmp_path: Path
) -> None:
    """南昌's year (the coverage test's year: evaluations opened and scored, a spot check, an
    NPC submission) under 洪财绩〔2022〕4号, beside the demo's 浔阳 under its own."""
    nanchang = build_world(server.services, "360100", "南昌市", prefix="nc.")
    build_coverage_year(server, nanchang)
    reader = client_for(server, nanchang, "liuqiang")
    year = {"mof_div_code": "360100", "fiscal_year": COVERAGE_YEAR}
    coverage = reader.get("/coverage", params=year).json()
    listed = reader.get("/evaluations", params={**year, "limit": 1000}).json()
    assert coverage["policy"]["policy_id"] == "nanchang-2022"
    assert any(e["grade"] is None for e in listed)  # an evaluation opened, not carried out

    lines = _pdf_lines(_download(reader, "/reports/annual", tmp_path, "pdf", **year))
    word = WordDocument(str(_download(reader, "/reports/annual", tmp_path, "docx", **year)))
    assert any("南昌市（360100）" in p.text and "nanchang-2022" in p.text for p in word.paragraphs)
    _assert_coverage(word, lines, coverage["targets"])
    _assert_grades(word, lines, listed)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_evaluation_report_carries_the_recorded_score_table(
    demo: dict[str, httpx.Client], tmp_path: Path
) -> None:
    finance = demo["xy.wanglei"]
    listed = finance.get("/evaluations", params={"mof_div_code": MOF, "fiscal_year": YEAR}).json()
    key = next(e for e in listed if e["kind"] == "finance_key")
    own = next(e for e in listed if e["kind"] == "self")
    details = finance.get(f"/evaluations/{key['evaluation_id']}").json()["details"]

    url = f"/evaluations/{key['evaluation_id']}/report"
    lines = _pdf_lines(_download(finance, url, tmp_path, "pdf"))
    outline = ("一、基本情况", "二、绩效评价工作开展情况", "三、综合评价情况及评价结论（附评分表）",
               "四、绩效评价指标分析", "五、主要经验及做法、存在的问题及原因分析", "六、有关建议",
               "七、其他需要说明的问题")  # fmt: skip
    assert [x for x in lines if x in outline] == list(outline)
    assert f"综合得分 {key['score']} 分，评价等级为“{key['grade']}”。" in lines
    at = lines.index("评分表")
    for level, weight in details["weights"].items():
        row = lines.index(level, at)
        assert lines[row + 1 : row + 3] == [weight, details["scores"][level]]
    assert (
        "账本未记录此项内容。" in lines
    )  # 主要经验及做法: nothing in the ledger, nothing invented

    word = WordDocument(str(_download(finance, f"/evaluations/{own['evaluation_id']}/report",
                                      tmp_path, "docx")))  # fmt: skip
    scoring = finance.get(f"/evaluations/{own['evaluation_id']}").json()["details"]
    table = _table(word, "一级指标", "实际完成值")
    rows = {r[2]: r for r in table if r[2]}
    for r in scoring["rows"]:
        assert rows[r["name"]][5:] == [r["points"], r["score"]], r["name"]
    assert table[-1][-1] == scoring["total"] == own["score"]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_findings_on_an_object_go_only_to_their_readers(
    demo: dict[str, httpx.Client], tmp_path: Path
) -> None:
    """甘棠's spot check: the performance section (a reader of GET /findings) sees the
    findings on the object; the budget section reads the report without them."""
    performance, budget = demo["xy.wanglei"], demo["xy.zhaomin"]
    query = {"mof_div_code": MOF, "fiscal_year": YEAR, "kind": "spot_check"}
    checks = performance.get("/evaluations", params=query).json()
    spot = next(e for e in checks if e["pro_code"] == "360403233010001")
    found = performance.get("/findings", params={"object_id": spot["object_id"]}).json()
    assert budget.get("/findings").status_code == 403
    url = f"/evaluations/{spot['evaluation_id']}/report"
    (tmp_path / "p").mkdir(), (tmp_path / "b").mkdir()
    seen = "\n".join(_pdf_lines(_download(performance, url, tmp_path / "p", "pdf")))
    hidden = "\n".join(_pdf_lines(_download(budget, url, tmp_path / "b", "pdf")))
    titles = {f["title"] for f in found["items"]}
    assert titles and all(t in seen for t in titles) and "账本发现的问责线索" in seen
    assert "账本发现的问责线索" not in hidden and not any(t in hidden for t in titles)
    assert "浔财绩整〔2024〕2号" in hidden  # the rectification notice is the budget's to read


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_bad_requests_are_problems_and_readers_are_limited(
    demo: dict[str, httpx.Client],
) -> None:
    finance = demo["xy.wanglei"]
    r = finance.get("/reports/annual", params={"mof_div_code": MOF, "fiscal_year": YEAR,
                                               "format": "xls"})  # fmt: skip
    assert r.status_code == 422 and r.headers["content-type"].startswith(PROBLEM)
    assert "format" in r.text
    r = finance.get("/reports/annual", params={"mof_div_code": MOF})
    assert r.status_code == 422 and "fiscal_year" in r.text
    r = finance.get("/evaluations/00000000-0000-4000-8000-000000000001/report")
    assert r.status_code == 404 and r.headers["content-type"].startswith(PROBLEM)
    # The NPC reads its own jurisdiction's report; another's is out of its scope; a
    # department does not read the annual report at all.
    npc = demo["xy.guoping"]
    assert (
        npc.get("/reports/annual", params={"mof_div_code": MOF, "fiscal_year": YEAR}).status_code
        == 200
    )
    r = npc.get("/reports/annual", params={"mof_div_code": "360100", "fiscal_year": YEAR})
    assert r.status_code == 403 and r.json()["type"].endswith("out-of-scope")
    r = demo["xy.huangmin"].get(
        "/reports/annual", params={"mof_div_code": MOF, "fiscal_year": YEAR}
    )
    assert r.status_code == 403 and r.json()["type"].endswith("forbidden")
