"""CLI commands of the integrity chain (to be built)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the integrity commands to the `jixiao` app."""
