"""What the benchmarks share: the stores they run on, threads started together, and the
report each writes (date, machine, figures) as JSON."""

from __future__ import annotations

import json
import os
import platform
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg

from infrastructure.settings import Settings

KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="  # base64 Ed25519 seed, benchmarks only
PG_URL = os.environ.get("JIXIAO_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


def bench_settings(url: str) -> Settings:
    """The ledger's settings for a benchmark store: fixed keys, production checks on."""
    return Settings(
        database_url=url,
        token_signing_key="b" * 40,
        integrity_signing_key=KEY,
        environment="production",
    )


def stores(which: str) -> list[str]:
    return ["sqlite", "postgres"] if which == "both" else [which]


def store_url(store: str, folder: Path, name: str) -> str:
    """A fresh store: an SQLite file in `folder`, or a new PostgreSQL schema."""
    if store == "sqlite":
        return f"sqlite:///{folder}/{name}.sqlite"
    return f"{PG_URL}?schema=bench_{name}_{uuid.uuid4().hex[:8]}"


def drop_schema(url: str) -> None:
    if "schema=" in url:
        schema = url.split("schema=")[1]
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def run_threads(target: Callable[[int], None], count: int) -> float:
    """Run target(0..count-1) on as many threads at once; seconds taken. The first error
    of any thread is raised (a benchmark that failed measures nothing)."""
    errors: list[BaseException] = []

    def run(n: int) -> None:
        try:
            target(n)
        except BaseException as e:
            errors.append(e)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise errors[0]
    return elapsed


def machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def new_report(name: str, **fields: Any) -> dict[str, Any]:
    return {
        "bench": name,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        **fields,
        "stores": {},
    }


def write_report(report: dict[str, Any], out: str) -> None:
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"written: {path}")
