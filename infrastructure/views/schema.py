"""The views' tables, their tracking rows, and which version of each view the tables hold.

A view declares its `version`; where the one recorded in `view_versions` differs, its tables
are dropped and its tracking set back to the start, so the follower rebuilds it from the log
(`jixiao serve` shows the progress) rather than serve rows another version of its code wrote.
A database from before versions were kept holds none: its views are taken to be version 1,
the version every view started at."""

from __future__ import annotations

from collections.abc import Sequence

from projections.view import Cursor, View

TRACKING_SCHEMA = """CREATE TABLE IF NOT EXISTS projection_tracking (
    view_name TEXT PRIMARY KEY,
    position BIGINT NOT NULL
)"""

VERSIONS_SCHEMA = """CREATE TABLE IF NOT EXISTS view_versions (
    view_name TEXT PRIMARY KEY,
    version INTEGER NOT NULL
)"""


def create_tables(cur: Cursor, views: Sequence[View]) -> list[tuple[View, int]]:
    """Create what is missing, and start again each view another version wrote; returns
    those views with the version their tables held."""
    cur.execute(TRACKING_SCHEMA)
    cur.execute(VERSIONS_SCHEMA)
    held = {
        row["view_name"]: int(row["version"])
        for row in cur.execute("SELECT view_name, version FROM view_versions").fetchall()
    }
    changed = [(v, held[v.name]) for v in views if held.get(v.name, v.version) != v.version]
    for view, _ in changed:
        start_again(cur, view)
    for view in views:
        for statement in view.schema:
            cur.execute(statement)
        cur.execute(
            "INSERT INTO projection_tracking (view_name, position) VALUES (?, 0) "
            "ON CONFLICT (view_name) DO NOTHING",
            (view.name,),
        )
        cur.execute(
            "INSERT INTO view_versions (view_name, version) VALUES (?, ?) "
            "ON CONFLICT (view_name) DO UPDATE SET version = excluded.version",
            (view.name, view.version),
        )
    return changed


def start_again(cur: Cursor, view: View) -> None:
    """Drop a view's tables (created anew, empty) and set its tracking to the start."""
    for table in view.tables:
        cur.execute(f"DROP TABLE IF EXISTS {table}")
    for statement in view.schema:
        cur.execute(statement)
    cur.execute("UPDATE projection_tracking SET position = 0 WHERE view_name = ?", (view.name,))
