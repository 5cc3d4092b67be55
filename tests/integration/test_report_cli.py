"""`jixiao demo` counts its stages on a progress bar; `jixiao report annual` writes the
annual report of the demo year as a real PDF and Word file with the figures the report
model holds; `jixiao national export` shows a bar too."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from docx import Document as WordDocument
from pypdf import PdfReader
from typer.testing import CliRunner

from infrastructure.bootstrap import bootstrap
from infrastructure.cli.commands import app
from infrastructure.reports.annual import build_annual_report
from infrastructure.settings import Settings
from projections.evaluation_view import list_evaluations


@pytest.fixture
def cli_env(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("JIXIAO_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("JIXIAO_TOKEN_SIGNING_KEY", settings.token_signing_key)
    monkeypatch.setenv("JIXIAO_INTEGRITY_SIGNING_KEY", settings.integrity_signing_key)
    monkeypatch.setenv("JIXIAO_ENVIRONMENT", "production")
    monkeypatch.setenv("COLUMNS", "200")
    return CliRunner()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_demo_shows_its_stages_and_the_report_is_written(
    cli_env: CliRunner, settings: Settings, tmp_path: Path
) -> None:
    loaded = cli_env.invoke(app, ["demo"])
    assert loaded.exit_code == 0, loaded.output
    # 3 stages (registry, people, library) + 9 objects + 6 stages of the year.
    assert "loading the demo" in loaded.stderr and "18/18" in loaded.stderr

    year = ["--jurisdiction", "360403", "--year", "2023", "--on", "2024-06-01"]
    for fmt in ("pdf", "docx"):
        done = cli_env.invoke(
            app, ["report", "annual", *year, "--format", fmt, "--out", str(tmp_path)]
        )
        assert done.exit_code == 0, done.output
    [pdf] = tmp_path.glob("*.pdf")
    [docx] = tmp_path.glob("*.docx")
    assert pdf.name == "360403_2023年度预算绩效管理工作综合报告.pdf"

    services = bootstrap(settings)
    try:
        report = build_annual_report(services, "360403", 2023, date(2024, 6, 1))
        with services.views_db.transaction(write=False) as cur:
            evaluations = list_evaluations(cur, mof_div_code="360403", fiscal_year=2023)
    finally:
        services.close()
    text = "\n".join(p.extract_text() for p in PdfReader(str(pdf)).pages).splitlines()
    # The annex, each figure once with its positions; a long cell wraps onto lines.
    annex = "".join(text[text.index("附件：数据来源") :])
    [table] = [t for t in WordDocument(str(docx)).tables if t.rows[0].cells[-1].text == "日志位置"]
    rows = {r.cells[1].text: [c.text for c in r.cells] for r in table.rows[1:]}
    for figure in report.figures:
        assert f"{figure.section}{figure.label}{figure.value}" in annex, figure.label
        positions = "、".join(map(str, figure.sources)) or "（无）"
        assert rows[figure.label] == [figure.section, figure.label, figure.value, positions]

    key = next(e for e in evaluations if e["kind"] == "finance_key")
    written = tmp_path / "key.pdf"
    done = cli_env.invoke(
        app, ["report", "evaluation", key["evaluation_id"], "--out", str(written)]
    )
    assert done.exit_code == 0, done.output
    text = "".join(p.extract_text() for p in PdfReader(str(written)).pages)
    assert "评分表" in text and f"综合得分 {key['score']} 分" in text

    refused = cli_env.invoke(app, ["report", "annual", *year, "--format", "xls"])
    assert refused.exit_code == 2 and "pdf or docx" in refused.stderr

    exported = cli_env.invoke(
        app, ["national", "export", str(tmp_path / "national"), "--jurisdiction", "360403",
              "--year", "2023"]
    )  # fmt: skip
    assert exported.exit_code == 0, exported.output
    # 9 objects read, 8 tables written.
    assert "exporting" in exported.stderr and "17/17" in exported.stderr
