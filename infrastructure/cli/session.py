"""What every `jixiao` command shares: the console it reports on, and the services it opens
for one command (a domain refusal printed and exit code 2)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console

from domain.errors import DomainError
from infrastructure.bootstrap import Services, bootstrap
from infrastructure.logging import configure_logging
from infrastructure.settings import Settings

console = Console(stderr=True)


@contextmanager
def opened_services() -> Iterator[Services]:
    settings = Settings()
    configure_logging(settings.log_format, "WARNING")
    services = bootstrap(settings)
    try:
        yield services
    except DomainError as e:
        console.print(f"[red]{e.title}[/red]: {e.detail}")
        raise typer.Exit(2) from None
    finally:
        services.close()
