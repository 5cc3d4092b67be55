"""Record the fixture log: the demo jurisdictions loaded through the commands of the code of
the day, on SQLite, with the tests' keys, and every view's rows after catching up.

Run once, before a change that moves or re-versions events (issue 10), and committed:
tests/integration/test_fixture_log.py then proves the code after the change still loads,
verifies, replays and rebuilds this log to the same view rows (a column a view adds later is
not compared; every recorded column is). Never re-record the logs: they are what an older
deployment wrote. When a view changes what it writes on purpose (and raises its version),
re-answer from the same logs and commit the new rows beside the change:

    .venv/bin/python -m tests.fixture_log.record --answers-only
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


def view_rows(services: Any) -> dict[str, dict[str, list[Any]]]:
    """Every row of every view's tables, as text, with the table's columns, in a stable
    order."""
    dumped: dict[str, dict[str, list[Any]]] = {}
    with services.views_db.transaction(write=False) as cur:
        for view in services.views:
            for table in view.tables:
                found = cur.execute(f"SELECT * FROM {table}").fetchall()
                columns = list(found[0]) if found else _columns(cur, table)
                dumped[table] = {"columns": columns, "rows": on_columns(found, columns)}
    return dumped


def on_columns(rows: list[dict[str, Any]], columns: list[str]) -> list[list[Any]]:
    """The rows' values in these columns, as text, sorted."""
    values = [[None if r[c] is None else str(r[c]) for c in columns] for r in rows]
    return sorted(values, key=lambda r: [("" if v is None else v) for v in r])


def _columns(cur: Any, table: str) -> list[str]:
    return [r["name"] for r in cur.execute(f"PRAGMA table_info({table})").fetchall()]


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
            if table.startswith("v_") or table in ("projection_tracking", "view_versions"):
                db.execute(f'DROP TABLE "{table}"')
        db.commit()
        db.execute("PRAGMA journal_mode=DELETE")
        db.execute("VACUUM")
        db.close()
        _pack(path.read_bytes(), log_file(name))
    _pack(json.dumps(rows, ensure_ascii=False, sort_keys=True).encode(), rows_file(name))
    print(f"{name}: {head} log entries, {len(rows)} view tables")
    return {"head": head, "views": views}


def answers(name: str) -> dict[str, dict[str, list[Any]]]:
    """The view rows today's code rebuilds from the committed log."""
    from infrastructure.bootstrap import bootstrap
    from tests.conftest import settings_for

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{name}.sqlite"
        path.write_bytes(gzip.decompress(log_file(name).read_bytes()))
        services = bootstrap(settings_for(f"sqlite:///{path}"))
        try:
            services.follower.catch_up()
            assert not services.follower.failures(), services.follower.failures()
            return view_rows(services)
        finally:
            services.close()


def main() -> None:
    if "--answers-only" in sys.argv:
        for name in LOGS:
            rows = answers(name)
            _pack(json.dumps(rows, ensure_ascii=False, sort_keys=True).encode(), rows_file(name))
            print(f"{name}: answers for {len(rows)} view tables from the committed log")
        return
    about = {
        "recorded": datetime.now(UTC).isoformat(timespec="seconds"),
        "by": "tests/fixture_log/record.py",
        "python": sys.version.split()[0],
        "logs": {name: record(name) for name in LOGS},
    }
    ABOUT.write_text(json.dumps(about, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
