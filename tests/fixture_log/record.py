"""Record the fixture log: the demo jurisdictions loaded through the commands of the code of
the day, on SQLite, with the tests' keys, and every view's rows after catching up.

Run once, before a change that moves or re-versions events (issue 10), and committed:
tests/integration/test_fixture_log.py then proves the code after the change still loads,
verifies, replays and rebuilds this log to the same view rows. Re-record only on purpose.

    .venv/bin/python -m tests.fixture_log.record
"""

from __future__ import annotations

import gzip
import json
import sqlite3
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
ABOUT = HERE / "about.json"


def log_file(name: str) -> Path:
    return HERE / f"{name}-log.sqlite.gz"


def rows_file(name: str) -> Path:
    return HERE / f"{name}-view-rows.json.gz"


def _demo(services: Any) -> None:
    from infrastructure.demo.load import load_demo

    load_demo(services.ledger, services.signer, services.settings)


def _year(services: Any) -> None:
    from tests.scenarios.year_of_activity import build_year

    build_year(services)


# The demo jurisdictions (浔阳区 2023, …) and the findings year (浔阳区 2025, with its
# planted cases): between them most of the event types the ledger records.
LOGS = {"demo": _demo, "year": _year}


def view_rows(services: Any) -> dict[str, list[list[Any]]]:
    """Every row of every view's tables, as text, in a stable order."""
    dumped: dict[str, list[list[Any]]] = {}
    with services.views_db.transaction(write=False) as cur:
        for view in services.views:
            for table in view.tables:
                rows = cur.execute(f"SELECT * FROM {table}").fetchall()
                dumped[table] = sorted(
                    [[None if v is None else str(v) for v in row.values()] for row in rows],
                    key=lambda r: [("" if v is None else v) for v in r],
                )
    return dumped


def _pack(data: bytes, to: Path) -> None:
    # mtime=0: the same bytes recorded twice pack to the same file.
    with to.open("wb") as file, gzip.GzipFile(fileobj=file, mode="wb", mtime=0) as packed:
        packed.write(data)


def record(name: str) -> dict[str, Any]:
    from infrastructure.bootstrap import bootstrap
    from tests.conftest import settings_for

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{name}.sqlite"
        services = bootstrap(settings_for(f"sqlite:///{path}"))
        try:
            LOGS[name](services)
            services.follower.catch_up()
            assert not services.follower.failures(), services.follower.failures()
            head = services.follower.head()
            rows = view_rows(services)
            views = [v.name for v in services.views]
        finally:
            services.close()
        # Only the log and what the ledger keeps beside it: the views are what the test
        # rebuilds, so their tables and tracking go.
        db = sqlite3.connect(path)
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            if table.startswith("v_") or table == "projection_tracking":
                db.execute(f'DROP TABLE "{table}"')
        db.commit()
        db.execute("PRAGMA journal_mode=DELETE")
        db.execute("VACUUM")
        db.close()
        _pack(path.read_bytes(), log_file(name))
    _pack(json.dumps(rows, ensure_ascii=False, sort_keys=True).encode(), rows_file(name))
    print(f"{name}: {head} log entries, {len(rows)} view tables")
    return {"head": head, "views": views}


def main() -> None:
    about = {
        "recorded": datetime.now(UTC).isoformat(timespec="seconds"),
        "by": "tests/fixture_log/record.py",
        "python": sys.version.split()[0],
        "logs": {name: record(name) for name in LOGS},
    }
    ABOUT.write_text(json.dumps(about, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
