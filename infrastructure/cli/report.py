"""`jixiao report annual|evaluation`: the reports of infrastructure/reports written to a
file, the same documents `GET /reports/annual` and `GET /evaluations/{id}/report` answer."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated
from uuid import UUID

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from domain.business_dates import today_in_china
from infrastructure.cli.session import console, opened_services
from infrastructure.reports.annual import build_annual_report
from infrastructure.reports.annual_document import annual_document
from infrastructure.reports.document import Document
from infrastructure.reports.evaluation_report import evaluation_document
from infrastructure.reports.pdf import render_pdf
from infrastructure.reports.word import render_docx

report_app = typer.Typer(help="Reports: the annual 综合报告, an evaluation's 绩效评价报告")

Format = Annotated[str, typer.Option("--format", help="pdf or docx (Word)")]
Out = Annotated[Path | None, typer.Option("--out", help="file or directory (default: here)")]
On = Annotated[
    str | None, typer.Option("--on", help="day overdue rectifications are judged by (CST)")
]


def _write(make: Callable[[], Document], fmt: str, out: Path | None) -> None:
    """Build with a spinner (a big year reads many rows), render, write, print the path."""
    if fmt not in ("pdf", "docx"):
        console.print("[red]--format is pdf or docx[/red]")
        raise typer.Exit(2)
    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=console
    ) as progress:
        task = progress.add_task("reading the ledger", total=None)
        document = make()
        progress.update(task, description=f"rendering {fmt}")
        body = render_pdf(document) if fmt == "pdf" else render_docx(document)
    path = out or Path(".")
    if path.is_dir():
        path = path / f"{document.file_stem}.{fmt}"
    path.write_bytes(body)
    typer.echo(str(path))


def _day(on: str | None) -> date:
    return date.fromisoformat(on) if on else today_in_china()


@report_app.command("annual")
def annual(
    jurisdiction: Annotated[str, typer.Option("--jurisdiction", help="财政区划 mof_div_code")],
    year: Annotated[int, typer.Option("--year", help="fiscal year")],
    fmt: Format = "pdf",
    out: Out = None,
    on: On = None,
) -> None:
    """The 年度预算绩效管理工作综合报告 of a jurisdiction's year."""
    with opened_services() as services:
        services.follower.catch_up()
        _write(
            lambda: annual_document(build_annual_report(services, jurisdiction, year, _day(on))),
            fmt,
            out,
        )


@report_app.command("evaluation")
def evaluation(evaluation_id: UUID, fmt: Format = "pdf", out: Out = None, on: On = None) -> None:
    """The 绩效评价报告 of one evaluation (财预〔2020〕10号 outline)."""
    with opened_services() as services:
        services.follower.catch_up()
        # The operator holds the database itself: every section is filled.
        every = {"with_findings": True, "with_results": True, "with_notices": True}
        _write(
            lambda: evaluation_document(services, evaluation_id, _day(on), **every),
            fmt,
            out,
        )
