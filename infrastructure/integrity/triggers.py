"""Append-only in the database: triggers that refuse UPDATE and DELETE (and TRUNCATE on
PostgreSQL) on the events table and on the integrity tables.

Installing is idempotent and cheap, so it runs at start-up. A trigger only stops honest
mistakes and roles that do not own the table; an owner can drop it, which is why `verify`
compares the log with the recorded chain and the signed heads.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

PG_FUNCTION = """CREATE OR REPLACE FUNCTION jixiao_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = 'jixiao: ' || TG_TABLE_NAME || ' is append-only; ' || TG_OP || ' refused',
        ERRCODE = 'insufficient_privilege';
END
$$"""


def trigger_names(table: str) -> tuple[str, str]:
    return f"{table}_refuse_change", f"{table}_refuse_truncate"


def install_append_only(cur: Any, tables: Iterable[str]) -> None:
    """Create the refusing triggers on each table (in the cursor's schema) if missing."""
    for table in tables:
        if cur.dialect == "postgres":
            _install_postgres(cur, table)
        else:
            _install_sqlite(cur, table)


def _install_sqlite(cur: Any, table: str) -> None:
    for op in ("UPDATE", "DELETE"):
        cur.execute(
            f"CREATE TRIGGER IF NOT EXISTS {table}_refuse_{op.lower()} "
            f"BEFORE {op} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, 'jixiao: {table} is append-only; {op} refused'); END"
        )


def _install_postgres(cur: Any, table: str) -> None:
    row_trigger, truncate_trigger = trigger_names(table)
    present = {
        r["tgname"]
        for r in cur.execute(
            "SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relname = ? AND n.nspname = current_schema()",
            (table,),
        ).fetchall()
    }
    if {row_trigger, truncate_trigger} <= present:
        return  # nothing to do, and nothing that needs the table's owner
    cur.execute(PG_FUNCTION)
    if row_trigger not in present:
        cur.execute(
            f"CREATE TRIGGER {row_trigger} BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION jixiao_refuse_change()"
        )
    if truncate_trigger not in present:
        cur.execute(
            f"CREATE TRIGGER {truncate_trigger} BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION jixiao_refuse_change()"
        )
