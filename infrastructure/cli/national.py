"""`jixiao national import|export`: a year moved in from the national system's tables, and
the ledger's current state written out in them (infrastructure/national)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from domain.errors import DomainError
from infrastructure.cli.session import console, opened_services
from infrastructure.national.export import export_year
from infrastructure.national.importer import import_year
from infrastructure.national.problems import ImportRefused
from infrastructure.national.signer import signer_for
from infrastructure.national.writers import FORMATS

national_app = typer.Typer(
    help="The national system's performance tables (预算管理一体化): import and export",
    no_args_is_help=True,
)

Jurisdiction = Annotated[str, typer.Option("--jurisdiction", help="财政区划 code (mof_div_code)")]
Year = Annotated[int, typer.Option("--year", help="fiscal year")]


@national_app.command("import")
def import_command(
    paths: Annotated[list[Path], typer.Argument(help="a directory of .csv/.xlsx files, or files")],
    jurisdiction: Jurisdiction,
    year: Year,
    person: Annotated[
        str, typer.Option(help="login of the person running the import (an administrator here)")
    ],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="check only, record nothing")] = False,
) -> None:
    """Check every file, then record each row's acts signed by --person and marked as
    migrated (file SHA-256, table, row). Nothing is recorded if any row is invalid; a
    re-run records nothing."""
    with opened_services() as services:
        try:
            signer = signer_for(services.ledger, person, jurisdiction)
        except DomainError as refused:
            console.print(f"[red]{escape(refused.detail)}[/red]: nothing recorded")
            raise typer.Exit(1) from None
        with Progress(
            TextColumn("importing rows"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
        ) as progress:
            task = progress.add_task("import", total=None)
            try:
                report = import_year(
                    services.ledger,
                    paths,
                    jurisdiction,
                    year,
                    signer,
                    dry_run=dry_run,
                    progress=lambda n: progress.advance(task, n),
                    on_planned=lambda total: progress.update(task, total=total),
                )
            except ImportRefused as refused:
                progress.stop()
                for problem in refused.problems:
                    console.print(f"[red]{escape(problem.describe())}[/red]", soft_wrap=True)
                console.print(f"{len(refused.problems)} problem(s): nothing recorded")
                raise typer.Exit(1) from None
            except DomainError as refused:
                # Checked whole beforehand, so only a change made meanwhile gets here: the
                # acts recorded before it stay (each its own write) and a re-run carries on.
                progress.stop()
                console.print(f"[red]{escape(refused.detail)}[/red]", soft_wrap=True)
                console.print("stopped: acts recorded before this stay; a re-run carries on")
                raise typer.Exit(1) from None
        services.follower.catch_up()
        if dry_run:
            typer.echo(
                f"dry run: {len(report.files)} files, {report.rows} rows checked, no problem; "
                "nothing recorded"
            )
        else:
            typer.echo(report.describe())


@national_app.command("export")
def export_command(
    directory: Path,
    jurisdiction: Jurisdiction,
    year: Year,
    fmt: Annotated[str, typer.Option("--format", help="csv (UTF-8 with BOM) or xlsx")] = "csv",
) -> None:
    """Write the ledger's current state of the jurisdiction-year in the national layouts."""
    if fmt not in FORMATS:
        console.print(f"[red]--format is one of {', '.join(FORMATS)}[/red]")
        raise typer.Exit(2)
    with opened_services() as services:
        services.follower.catch_up()  # the object list comes from the objects view
        with Progress(
            TextColumn("exporting"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
        ) as progress:
            task = progress.add_task("export", total=None)
            written = export_year(
                services.ledger,
                services.views_db,
                jurisdiction,
                year,
                directory,
                (fmt,),
                progress=lambda n: progress.advance(task, n),
                on_planned=lambda total: progress.update(task, total=total),
            )
        for path in written:
            typer.echo(str(path))
