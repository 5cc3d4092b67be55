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

VIEW_SCHEMA_LOCK = 7_411_036_001  # pg_advisory_xact_lock key: the views' schema

VERSIONS_SCHEMA = """CREATE TABLE IF NOT EXISTS view_versions (
    view_name TEXT PRIMARY KEY,
    version INTEGER NOT NULL
)"""


def create_tables(cur: Cursor, views: Sequence[View]) -> list[tuple[View, int]]:
    """Create what is missing, and start again each view another version wrote; returns
    those views with the version their tables held."""
    if cur.dialect == "postgres":
        # Processes starting together must not both drop and rebuild a view (each would
        # read the old version, and their rebuilds deadlock): one decides, the others wait
        # and then find the version recorded. SQLite's writer lock already serialises this.
        cur.execute("SELECT pg_advisory_xact_lock(?)", (VIEW_SCHEMA_LOCK,))
    cur.execute(TRACKING_SCHEMA)
    cur.execute(VERSIONS_SCHEMA)
    held = {
        row["view_name"]: int(row["version"])
        for row in cur.execute("SELECT view_name, version FROM view_versions").fetchall()
    }
    tracked = {
        row["view_name"]
        for row in cur.execute("SELECT view_name FROM projection_tracking").fetchall()
    }
    # A view tracked before versions were kept was written by version 1; one never built
    # is created at its version.
    changed = [
        (v, held.get(v.name, 1))
        for v in views
        if held.get(v.name, 1 if v.name in tracked else v.version) != v.version
    ]
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
