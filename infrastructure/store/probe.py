"""Is the store there? One query on a fresh connection, bounded in time, for /health and
/health/ready. The pools are not used: while PostgreSQL is down they wait (and retry) for
longer than a probe may, and a probe must say "no" rather than hang."""

from __future__ import annotations

import math
import sqlite3
from pathlib import Path

import psycopg

from infrastructure.settings import StoreLocation

# Reads the views' tracking table, so a reachable store without the ledger's tables is
# not reported ready either.
PROBE_QUERY = "SELECT 1 FROM projection_tracking LIMIT 1"


def probe_store(location: StoreLocation, timeout: float) -> str | None:
    """None when the store answered within about `timeout` seconds; otherwise why not."""
    try:
        if location.kind == "postgres":
            _probe_postgres(location, timeout)
        else:
            _probe_sqlite(location, timeout)
    except Exception as exc:  # any failure is the answer, not an error of the probe
        return f"{type(exc).__name__}: {exc}".strip()
    return None


def _probe_postgres(location: StoreLocation, timeout: float) -> None:
    kwargs = location.psycopg_kwargs()
    statement_ms = max(1, int(timeout * 1000))
    kwargs["options"] = f"{kwargs['options']} -c statement_timeout={statement_ms}"
    # libpq counts connect_timeout in whole seconds (at least 2); the caller bounds the
    # whole probe by `timeout` in any case.
    with psycopg.connect(
        **kwargs, connect_timeout=max(2, math.ceil(timeout)), autocommit=True
    ) as conn:
        conn.execute(PROBE_QUERY).fetchone()


def _probe_sqlite(location: StoreLocation, timeout: float) -> None:
    path = Path(location.parts["path"]).resolve()
    if not path.is_file():  # mode=ro would not create it, but say plainly what is wrong
        raise FileNotFoundError(f"no SQLite file at {path}")
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=timeout)
    try:
        conn.execute(PROBE_QUERY).fetchone()
    finally:
        conn.close()
