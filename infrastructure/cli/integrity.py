"""CLI commands of the integrity chain: verify the log, sign a tree head, print the public
key, check an evidence package offline, and install the append-only tables and triggers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from infrastructure.bootstrap import Services
    from infrastructure.integrity.keys import KeyRing
    from infrastructure.integrity.service import IntegrityService

PublicKeyFiles = Annotated[
    list[Path] | None,
    typer.Option(
        "--public-key",
        help="a public key to trust (PEM or base64); repeat it for the keys before and after "
        "a rotation. Default: the configured signing key's and "
        "JIXIAO_INTEGRITY_PREVIOUS_PUBLIC_KEYS",
    ),
]


def register(app: typer.Typer) -> None:
    """Add the integrity commands to the `jixiao` app."""
    app.command("verify")(verify)
    app.command("verify-proof")(verify_proof)
    app.command("package-pdf")(package_pdf)
    app.command("tree-head")(tree_head)
    app.command("public-key")(public_key)
    app.command("integrity-install")(integrity_install)


def _integrity(services: Services) -> IntegrityService:
    from infrastructure.integrity.service import IntegrityService

    return IntegrityService.from_services(services)


def _given_keys(files: list[Path]) -> KeyRing:
    from infrastructure.integrity.keys import KeyRing, parse_public_keys

    return KeyRing(None, [k for f in files for k in parse_public_keys(f.read_text())])


def _trusted_keys(files: list[Path] | None) -> KeyRing:
    """The keys that check the heads: the files given (those alone), else the public half of
    the configured signing key (or of the development key file, if one exists; none is
    generated here) and the previous public keys configured. Never the database's record."""
    from infrastructure.integrity.heads import HeadSigner
    from infrastructure.integrity.keys import KeyRing
    from infrastructure.settings import DEV_INTEGRITY_KEY_FILE, Settings

    if files:
        return _given_keys(files)
    settings = Settings()
    signer = None
    dev_key = settings.store.var_dir / DEV_INTEGRITY_KEY_FILE
    if settings.integrity_signing_key:
        signer = HeadSigner.from_text(settings.integrity_signing_key)
    elif dev_key.exists():
        signer = HeadSigner.from_text(dev_key.read_text())
    trusted = KeyRing.configured(signer, settings.integrity_previous_public_keys)
    if not len(trusted):
        raise ValueError("no signing key is configured: give --public-key FILE")
    return trusted


def verify(
    head: Annotated[
        Path | None,
        typer.Option(
            "--head", help="a signed tree head held outside (JSON): the log must extend it"
        ),
    ] = None,
    public_key: PublicKeyFiles = None,
) -> None:
    """Recompute the whole log against the integrity chain and the signed tree heads, on a
    read-only connection (it writes nothing); each head is checked with the trusted key it
    names. Exits 1 naming the first position and event id that differ (a head naming an
    untrusted key included), 2 if there is nothing to verify or no key."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    from infrastructure.cli.session import console
    from infrastructure.integrity.heads import SignedHead
    from infrastructure.integrity.readonly import NothingToVerify, count_events, verify_store
    from infrastructure.settings import Settings

    try:
        key = _trusted_keys(public_key)
        outside = None
        if head is not None:
            outside = SignedHead.from_json(json.loads(head.read_text(encoding="utf-8")))
        location = Settings().store
        total = count_events(location)
        with Progress(
            TextColumn("verifying the log"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
        ) as progress:
            task = progress.add_task("verify", total=total or None)
            report = verify_store(location, None, key, lambda n: progress.advance(task, n), outside)
    except (OSError, ValueError, KeyError, NothingToVerify) as e:
        typer.echo(f"cannot verify: {e}", err=True)
        raise typer.Exit(2) from None
    rate = f"{report.checked} entries, {report.heads_checked} signed heads in "
    rate += f"{report.seconds:.2f}s ({report.rate:,.0f} entries/s)"
    typer.echo(f"trusted keys: {key.describe()}")
    if report.ok:
        extends = f"; extends the head of size {outside.tree_size}" if outside else ""
        typer.echo(f"OK: {rate}{extends}")
        return
    typer.echo(f"TAMPERED: {report.finding.describe()}")
    typer.echo(f"checked before the difference: {rate}")
    raise typer.Exit(1)


def verify_proof(
    file: Annotated[Path, typer.Argument(help="an evidence package (JSON) from the API")],
    public_key: Annotated[
        list[Path],
        typer.Option(
            "--public-key",
            help="the ledger's Ed25519 public key (PEM or base64); repeat it when the package's "
            "heads were signed by keys before and after a rotation",
        ),
    ],
) -> None:
    """Check an evidence package offline, with only the ledger's public key(s): each head is
    checked with the key it names, among those given. Exits 1 if it does not prove what it
    claims."""
    from infrastructure.integrity.case_package_check import is_case_package
    from infrastructure.integrity.evidence import check_package

    try:
        key = _given_keys(public_key)
        package = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        typer.echo(f"cannot read the package or key: {e}", err=True)
        raise typer.Exit(2) from None
    if is_case_package(package):
        _verify_case_package(package, key)
        return
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
            f"(root {head['root_hash']}, signed {head['signed_at']} with key {head['key_id']})"
        )
    else:
        old, new = package["old_head"], package["new_head"]
        typer.echo(
            f"OK: the signed tree of size {old['tree_size']} is a prefix of the signed tree "
            f"of size {new['tree_size']} (root {new['root_hash']}; keys {old['key_id']}, "
            f"{new['key_id']})"
        )


def _verify_case_package(package: dict, key: KeyRing) -> None:
    """A case's referral package: every cited record and the case's own events."""
    from infrastructure.integrity.case_package import package_sha256
    from infrastructure.integrity.case_package_check import check_case_package

    problems = check_case_package(package, key)
    for problem in problems:
        typer.echo(f"FAILED: {problem}")
    if problems:
        raise typer.Exit(1)
    head = package["tree_head"]
    typer.echo(
        f"OK: case {package['case_no']}: {len(package['evidence'])} cited events and "
        f"{len(package['case_events'])} events of the case are leaves of the signed tree of "
        f"size {head['tree_size']} (root {head['root_hash']}, signed {head['signed_at']} with "
        f"key {head['key_id']}); package SHA-256 {package_sha256(package)}"
    )


def package_pdf(
    case_id: Annotated[str, typer.Argument(help="the case's id")],
    out: Annotated[Path, typer.Argument(help="where to write the PDF")],
    json_out: Annotated[
        Path | None, typer.Option("--json", help="also write the package's JSON file here")
    ] = None,
) -> None:
    """Write a case's referral package as a PDF in Chinese (and, with --json, the JSON file
    whose SHA-256 it prints), from the views and the integrity chain of the configured store."""
    from infrastructure.cli.session import opened_services
    from infrastructure.integrity.case_package import build_case_package, canonical_json
    from infrastructure.integrity.case_pdf import render_case_pdf
    from projections.case_view import case_package

    with opened_services() as services:
        with services.views_db.transaction(write=False) as cur:
            found = case_package(cur, case_id)
        if found is None:
            typer.echo(f"no case {case_id} in the views (run jixiao rebuild?)", err=True)
            raise typer.Exit(2)
        package = build_case_package(services.ledger, _integrity(services), found)
    out.write_bytes(render_case_pdf(package))
    if json_out is not None:
        json_out.write_bytes(canonical_json(package))
    typer.echo(f"wrote {out} ({package['case_no']}, {len(package['evidence'])} cited events)")


def tree_head() -> None:
    """Sign, now, a head over what the ledger last committed (it signs one with every
    write); print it as JSON, for an outside party to keep and later give `verify --head`."""

    from infrastructure.cli.session import opened_services

    with opened_services() as services:
        head = _integrity(services).sign_head()
        typer.echo(json.dumps(head.to_json(), indent=2))


def public_key() -> None:
    """Print the public key that signs new tree heads (PEM), for outside parties; the ids of
    the previous keys still trusted go to stderr (`GET /integrity/public-keys` lists all)."""

    from infrastructure.cli.session import opened_services

    with opened_services() as services:
        integrity = _integrity(services)
        typer.echo(integrity.signer.public_key_pem(), nl=False)
        typer.echo(f"# key id {integrity.signer.key_id}", err=True)
        for key in integrity.trusted:
            if not key.current:
                typer.echo(f"# previous key id {key.key_id} (still trusted)", err=True)


def integrity_install() -> None:
    """As the owner role: create the event store and integrity tables and their append-only
    triggers, and nothing else (see docs/production-database-role.md)."""
    from infrastructure.bootstrap import LoggedLedger
    from infrastructure.integrity.heads import HeadSigner
    from infrastructure.integrity.service import IntegrityService
    from infrastructure.settings import Settings
    from infrastructure.views.viewdb import ViewDatabase, ensure_postgres_schema

    settings = Settings()
    location = settings.store
    if location.kind == "postgres":
        ensure_postgres_schema(location)
    ledger = LoggedLedger(env=location.eventsourcing_env())
    db = ViewDatabase(location)
    try:
        key, _ = settings.integrity_key()
        IntegrityService(ledger, db, HeadSigner.from_text(key)).install()
        typer.echo(
            f"installed: {ledger.recorder.events_table_name}, integrity_chain, tree_heads, "
            "integrity_keys"
        )
    finally:
        db.close()
        ledger.close()
