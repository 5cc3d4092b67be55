"""CLI commands of the integrity chain: verify the log, sign a tree head, print the public
key, check an evidence package offline, and install the append-only tables and triggers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from infrastructure.bootstrap import Services
    from infrastructure.integrity.service import IntegrityService


def register(app: typer.Typer) -> None:
    """Add the integrity commands to the `jixiao` app."""
    app.command("verify")(verify)
    app.command("verify-proof")(verify_proof)
    app.command("tree-head")(tree_head)
    app.command("public-key")(public_key)
    app.command("integrity-install")(integrity_install)


def _integrity(services: Services) -> IntegrityService:
    from infrastructure.integrity.service import IntegrityService

    return IntegrityService.from_services(services)


def verify(
    grace: Annotated[
        float, typer.Option(help="seconds to let a running server chain its newest events")
    ] = 0.5,
) -> None:
    """Recompute the whole log against the integrity chain and the signed tree heads.
    Exits 1 naming the first position and event id that differ."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    from infrastructure.cli import _services, console

    with _services() as services:
        integrity = _integrity(services)
        with Progress(
            TextColumn("verifying the log"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
        ) as progress:
            task = progress.add_task("verify", total=services.follower.head() or None)
            report = integrity.verify(lambda n: progress.advance(task, n), grace=grace)
        rate = f"{report.checked} entries, {report.heads_checked} signed heads in "
        rate += f"{report.seconds:.2f}s ({report.rate:,.0f} entries/s)"
        if report.ok:
            typer.echo(f"OK: {rate}")
            return
        typer.echo(f"TAMPERED: {report.finding.describe()}")
        typer.echo(f"checked before the difference: {rate}")
        raise typer.Exit(1)


def verify_proof(
    file: Annotated[Path, typer.Argument(help="an evidence package (JSON) from the API")],
    public_key: Annotated[
        Path, typer.Option("--public-key", help="the ledger's Ed25519 public key (PEM)")
    ],
) -> None:
    """Check an evidence package offline, with only the ledger's public key. Exits 1 if it
    does not prove what it claims."""
    from infrastructure.integrity.evidence import check_package
    from infrastructure.integrity.heads import load_public_key

    try:
        key = load_public_key(public_key.read_bytes())
        package = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        typer.echo(f"cannot read the package or key: {e}", err=True)
        raise typer.Exit(2) from None
    problems = check_package(package, key) if isinstance(package, dict) else ["not a package"]
    if problems:
        for problem in problems:
            typer.echo(f"FAILED: {problem}")
        raise typer.Exit(1)
    if package["kind"] == "inclusion":
        event, head = package["event"], package["tree_head"]
        typer.echo(
            f"OK: event {event['event_id']} at position {event['position']} is leaf "
            f"{package['leaf_index']} of the signed tree of size {head['tree_size']} "
            f"(root {head['root_hash']}, signed {head['signed_at']})"
        )
    else:
        old, new = package["old_head"], package["new_head"]
        typer.echo(
            f"OK: the signed tree of size {old['tree_size']} is a prefix of the signed tree "
            f"of size {new['tree_size']} (root {new['root_hash']})"
        )


def tree_head() -> None:
    """Chain the newest events and sign a tree head now; print it as JSON."""
    from infrastructure.cli import _services

    with _services() as services:
        head = _integrity(services).sign_head()
        typer.echo(json.dumps(head.to_json(), indent=2))


def public_key() -> None:
    """Print the public key that checks the signed tree heads (PEM), for outside parties."""
    from infrastructure.cli import _services

    with _services() as services:
        integrity = _integrity(services)
        typer.echo(integrity.signer.public_key_pem(), nl=False)
        typer.echo(f"# key id {integrity.signer.key_id}", err=True)


def integrity_install() -> None:
    """As the owner role: create the event store and integrity tables and their append-only
    triggers, and nothing else (see docs/production-database-role.md)."""
    from infrastructure.bootstrap import LoggedLedger
    from infrastructure.integrity.heads import HeadSigner
    from infrastructure.integrity.service import IntegrityService
    from infrastructure.settings import Settings
    from infrastructure.viewdb import ViewDatabase, ensure_postgres_schema

    settings = Settings()
    location = settings.store
    if location.kind == "postgres":
        ensure_postgres_schema(location)
    ledger = LoggedLedger(env=location.eventsourcing_env())
    db = ViewDatabase(location)
    try:
        key, _ = settings.integrity_key()
        IntegrityService(ledger, db, HeadSigner.from_text(key)).install()
        typer.echo(f"installed: {ledger.recorder.events_table_name}, integrity_chain, tree_heads")
    finally:
        db.close()
        ledger.close()
