"""The `jixiao` command: serve, demo, rebuild, tokens, and bootstrapping an administrator."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from domain import ids
from domain.registry.model import Person
from infrastructure.bootstrap import Services, bootstrap, cli_act
from infrastructure.cli.integrity import register as register_integrity
from infrastructure.cli.national import national_app
from infrastructure.cli.report import report_app
from infrastructure.cli.session import console, opened_services
from infrastructure.logging import configure_logging
from infrastructure.settings import Settings

if TYPE_CHECKING:
    from infrastructure.demo.context import DemoSummary

app = typer.Typer(help="jixiao 绩效 — budget performance ledger", no_args_is_help=True)
token_app = typer.Typer(help="Bearer tokens bound to a person", no_args_is_help=True)
admin_app = typer.Typer(help="Bootstrap the registry's administrators", no_args_is_help=True)
app.add_typer(token_app, name="token")
app.add_typer(admin_app, name="admin")
app.add_typer(national_app, name="national")
app.add_typer(report_app, name="report")
register_integrity(app)


@app.command()
def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    demo: Annotated[bool, typer.Option(help="load the demo jurisdiction first")] = False,
) -> None:
    """Create what is missing (tables, views), then serve the API."""
    import uvicorn

    from api.app import create_app

    settings = Settings()
    configure_logging(settings.log_format, settings.log_level)
    services = bootstrap(settings)
    try:
        if demo:
            summary = _load_demo_showing_progress(services)
            typer.echo(summary.describe())  # plain echo: rich would wrap the tokens
        _catch_up_showing_progress(services)
        for failure in services.follower.failures().values():  # also logged as view.failing
            console.print(f"[red]view failing[/red]: {escape(failure.describe())}", soft_wrap=True)
        console.print(
            f"jixiao on {settings.store.describe()} — http://{host}:{port}/docs, "
            f"console http://{host}:{port}/console",
            soft_wrap=True,
        )
        uvicorn.run(create_app(services), host=host, port=port, log_config=None)
    finally:
        services.close()


def _catch_up_showing_progress(services: Services) -> None:
    """Bring the views up to date before serving: a bar when there is much to read (a view
    whose version changed is rebuilt from the start of the log)."""
    follower = services.follower
    behind = max(follower.lag().values(), default=0)
    if behind < 1000:
        follower.catch_up()
        return
    label = "bringing the views up to date"
    if follower.rebuilding:
        label = f"rebuilding views whose version changed ({', '.join(follower.rebuilding)})"
    with Progress(
        TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=console
    ) as progress:
        task = progress.add_task("catch-up", total=behind)
        follower.catch_up(lambda n: progress.advance(task, n))


def _load_demo_showing_progress(services: Services) -> DemoSummary:
    """The demo loaded with a bar counting its stages (registry, people, each object's
    lifecycle, each stage of its year)."""
    from infrastructure.demo.load import load_demo

    with Progress(
        TextColumn("loading the demo"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    ) as progress:
        task = progress.add_task("demo", total=None)
        return load_demo(
            services.ledger,
            services.signer,
            services.settings,
            progress=lambda n: progress.advance(task, n),
            on_planned=lambda total: progress.update(task, total=total),
        )


@app.command()
def demo() -> None:
    """Load the demo jurisdictions (figures from the seed documents) through the commands.
    Idempotent: running it again records nothing new."""
    with opened_services() as services:
        summary = _load_demo_showing_progress(services)
        _catch_up_showing_progress(services)
        typer.echo(summary.describe())


@app.command()
def rebuild() -> None:
    """Drop every view and rebuild it from the log, with a progress bar."""
    with opened_services() as services:
        total = services.follower.head()
        with Progress(
            TextColumn("rebuilding views"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
        ) as progress:
            task = progress.add_task("rebuild", total=total or None)
            applied = services.follower.rebuild(lambda n: progress.advance(task, n))
        failures = services.follower.failures()
        if failures:
            # The others were rebuilt; each failing one holds the log up to the event
            # before the one its handler refused.
            for failure in failures.values():
                console.print(f"[red]failed[/red]: {escape(failure.describe())}", soft_wrap=True)
            console.print(
                f"[red]rebuild incomplete[/red]: {len(failures)} of {len(services.views)} "
                f"views failed ({', '.join(failures)}); {applied} log entries read",
                soft_wrap=True,
            )
            raise typer.Exit(1)
        typer.echo(f"rebuilt {len(services.views)} views from {applied} log entries")


@token_app.command("issue")
def token_issue(
    person: Annotated[str, typer.Option(help="the person's login")],
    role: Annotated[str | None, typer.Option(help="role to act in, if they hold several")] = None,
    days: Annotated[int | None, typer.Option(help="validity in days")] = None,
) -> None:
    """Print a new bearer token for a person (only its id is stored; it can be revoked)."""
    with opened_services() as services:
        holder = services.ledger.load(Person, ids.person_id(person))
        choices = [(r, o) for r, o in holder.roles if role in (None, r)]
        if len(choices) != 1:
            held = ", ".join(r for r, _ in holder.roles) or "none"
            console.print(f"[red]choose one role with --role[/red] (holds: {held})")
            raise typer.Exit(2)
        chosen_role, organisation_id = choices[0]
        token_id = services.signer.new_token_id()
        lifetime = timedelta(days=days or services.settings.token_days)
        services.ledger.registry.issue_token(
            cli_act("token issued from the command line"),
            holder.id,
            token_id,
            chosen_role,
            organisation_id,
            datetime.now(UTC) + lifetime,
        )
        typer.echo(services.signer.token(holder.id, token_id))


@token_app.command("revoke")
def token_revoke(token: str) -> None:
    """Revoke a token at once."""
    with opened_services() as services:
        claim = services.signer.verify(token)
        if claim is None:
            console.print("[red]not a token issued by this ledger[/red]")
            raise typer.Exit(2)
        services.ledger.registry.revoke_token(
            cli_act("revoked from the command line"), claim.person_id, claim.token_id
        )
        typer.echo("revoked")


@admin_app.command("create")
def admin_create(
    mof_div_code: Annotated[str, typer.Option(help="财政区划 code, e.g. 360403")],
    jurisdiction_name: Annotated[str, typer.Option(help="e.g. 浔阳区")],
    login: Annotated[str, typer.Option()],
    name: Annotated[str, typer.Option(help="the administrator's name")],
    level: str = "district",
) -> None:
    """Register a jurisdiction (if new), its administration office and an administrator."""
    from infrastructure.demo.load import ensure

    with opened_services() as services:
        ledger, act = services.ledger, cli_act("administrator bootstrap")
        ensure(
            lambda: ledger.registry.register_jurisdiction(
                act, mof_div_code, jurisdiction_name, level
            )
        )
        ensure(
            lambda: ledger.registry.register_organisation(
                act, mof_div_code, "ADMIN", f"{jurisdiction_name}绩效系统管理", "administration"
            )
        )
        ensure(lambda: ledger.registry.register_person(act, login, name))
        ensure(
            lambda: ledger.registry.grant_role(
                act,
                ids.person_id(login),
                "administrator",
                ids.organisation_id(mof_div_code, "ADMIN"),
            )
        )
        typer.echo(f"administrator {login} ready; next: jixiao token issue --person {login}")


if __name__ == "__main__":
    app()
