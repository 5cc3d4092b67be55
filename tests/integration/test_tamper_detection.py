"""Tampering with the stored log, directly in the database, on both stores: the triggers
refuse it; once they are dropped or disabled (as an owner could), `verify` names the first
bad position and event id. The untouched log verifies."""

from __future__ import annotations

import re
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from typer.testing import CliRunner

from infrastructure.bootstrap import Services
from infrastructure.cli.commands import app
from infrastructure.integrity.canonical import EventRecord
from infrastructure.integrity.chain import chain_size
from infrastructure.integrity.heads import all_heads
from infrastructure.integrity.service import IntegrityService
from infrastructure.integrity.verify import iter_records
from infrastructure.settings import Settings
from tests.conftest import TEST_KEY
from tests.fixtures_world import build_world

INTEGRITY_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="  # base64 of a 32-byte seed
REFUSED = (sqlite3.IntegrityError, sqlite3.OperationalError, psycopg.Error)


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        token_signing_key=TEST_KEY,
        integrity_signing_key=INTEGRITY_KEY,
        environment="production",
        follower_interval_seconds=0.05,
    )


class Tamper:
    """Raw SQL on the store, bypassing the application, as an intruder with a DB login."""

    def __init__(self, services: Services) -> None:
        self.location = services.settings.store
        self.dialect = self.location.kind
        self.table = services.ledger.recorder.events_table_name
        self.id_column = "rowid" if self.dialect == "sqlite" else "notification_id"

    def sql(self, statement: str, params: tuple = ()) -> list[tuple]:
        if self.dialect == "sqlite":
            with sqlite3.connect(self.location.parts["path"], isolation_level=None) as conn:
                rows = conn.execute(statement, params).fetchall()
            conn.close()
            return rows
        with psycopg.connect(**self.location.psycopg_kwargs(), autocommit=True) as conn:
            cur = conn.execute(statement.replace("?", "%s"), params)
            return cur.fetchall() if cur.description else []

    def disable_triggers(self, table: str | None = None) -> None:
        table = table or self.table
        if self.dialect == "sqlite":
            for (name,) in self.sql(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?", (table,)
            ):
                self.sql(f"DROP TRIGGER {name}")
        else:
            self.sql(f"ALTER TABLE {table} DISABLE TRIGGER USER")

    def set_state(self, position: int, state: bytes) -> None:
        self.sql(f"UPDATE {self.table} SET state = ? WHERE {self.id_column} = ?", (state, position))

    def delete(self, position: int) -> None:
        self.sql(f"DELETE FROM {self.table} WHERE {self.id_column} = ?", (position,))

    def swap(self, a: int, b: int) -> None:
        move = f"UPDATE {self.table} SET {self.id_column} = ? WHERE {self.id_column} = ?"
        self.sql(move, (-999, a))
        self.sql(move, (a, b))
        self.sql(move, (b, -999))

    def insert(self, record: EventRecord, position: int | None = None) -> None:
        columns = "originator_id, originator_version, topic, state"
        values: tuple[Any, ...] = (
            record.originator_id,
            record.originator_version,
            record.topic,
            record.state,
        )
        if position is not None:
            columns, values = f"{self.id_column}, {columns}", (position, *values)
        marks = ", ".join("?" * len(values))
        self.sql(f"INSERT INTO {self.table} ({columns}) VALUES ({marks})", values)


@pytest.fixture
def chained(services: Services) -> Iterator[tuple[IntegrityService, Tamper, list[EventRecord]]]:
    """A small jurisdiction's log, chained and signed by the recorder as each write commits."""
    build_world(services)
    records = list(iter_records(services.ledger.recorder))
    yield services.integrity, Tamper(services), records


def _finding(integrity: IntegrityService):
    report = integrity.verify()
    assert not report.ok, "verify missed the tampering"
    return report.finding


def test_untouched_log_verifies_with_every_signed_head(chained) -> None:
    integrity, _, records = chained
    report = integrity.verify()
    assert report.ok, report.finding
    assert report.checked == len(records) == 44
    with integrity.db.transaction(write=False) as cur:
        signed = [h.tree_size for h in all_heads(cur)]
    assert report.heads_checked == len(signed) > 1
    assert report.rate > 0


def test_each_write_commits_its_links_and_a_signed_head(services: Services) -> None:
    build_world(services)
    with services.views_db.transaction(write=False) as cur:
        sizes = [h.tree_size for h in all_heads(cur)]
        assert chain_size(cur) == services.follower.head() == 44
    assert sizes == sorted(set(sizes)) and sizes[-1] == 44  # one head per write, growing
    assert services.integrity.head().tree_size == 44
    assert services.integrity.verify().ok


def test_triggers_refuse_update_delete_and_truncate(chained) -> None:
    integrity, tamper, records = chained
    victim = records[9]
    with pytest.raises(REFUSED, match="append-only"):
        tamper.set_state(victim.position, b"{}")
    with pytest.raises(REFUSED, match="append-only"):
        tamper.delete(victim.position)
    for table in ("integrity_chain", "tree_heads"):
        with pytest.raises(REFUSED, match="append-only"):
            tamper.sql(f"DELETE FROM {table}")
        with pytest.raises(REFUSED, match="append-only"):
            tamper.sql(
                f"UPDATE {table} SET signed_at = 'x'"
                if table == "tree_heads"
                else f"UPDATE {table} SET leaf_hash = 'x'"
            )
    if tamper.dialect == "postgres":
        for table in (tamper.table, "integrity_chain", "tree_heads"):
            with pytest.raises(REFUSED, match="append-only"):
                tamper.sql(f"TRUNCATE {table}")
    assert list(iter_records(integrity.ledger.recorder)) == records
    assert integrity.verify().ok
    integrity.install()  # installing again is harmless


def test_altered_record_is_named(chained) -> None:
    integrity, tamper, records = chained
    victim = records[9]
    tamper.disable_triggers()
    tamper.set_state(victim.position, victim.state.replace(b"\xe6", b"\xe7", 1) + b" ")
    finding = _finding(integrity)
    assert (finding.kind, finding.position, finding.event_id) == (
        "altered",
        victim.position,
        victim.event_id,
    )
    assert finding.leaf_index == 9


def test_deleted_record_is_named(chained) -> None:
    integrity, tamper, records = chained
    victim = records[20]
    tamper.disable_triggers()
    tamper.delete(victim.position)
    finding = _finding(integrity)
    assert (finding.kind, finding.position, finding.event_id) == (
        "deleted",
        victim.position,
        victim.event_id,
    )


def test_swapped_records_name_the_first(chained) -> None:
    integrity, tamper, records = chained
    first, second = records[12], records[30]
    tamper.disable_triggers()
    tamper.swap(first.position, second.position)
    finding = _finding(integrity)
    assert (finding.kind, finding.position, finding.event_id) == (
        "altered",
        first.position,
        first.event_id,
    )
    assert second.event_id in finding.detail


def test_record_inserted_out_of_band_is_named(chained) -> None:
    integrity, tamper, records = chained
    forged = EventRecord(0, str(uuid.uuid4()), 1, records[0].topic, records[0].state)
    tamper.insert(forged)  # appended by the database: no trigger stops an INSERT
    finding = _finding(integrity)
    assert finding.kind == "inserted"
    assert finding.position == records[-1].position + 1
    assert finding.event_id == forged.event_id


def test_record_inserted_before_the_first_is_named(chained) -> None:
    """Ids <= 0 are never read by a follower starting at 0; verify reads from the start."""
    integrity, tamper, records = chained
    forged = EventRecord(0, str(uuid.uuid4()), 1, records[1].topic, records[1].state)
    tamper.insert(forged, position=0)
    finding = _finding(integrity)
    assert (finding.kind, finding.position, finding.event_id) == ("inserted", 0, forged.event_id)


def test_rewriting_the_chain_too_is_caught_by_the_signed_heads(chained) -> None:
    """An intruder who alters a record and rewrites the chain rows to match it cannot
    forge the signed heads."""
    integrity, tamper, records = chained
    victim = records[5]
    altered = EventRecord(
        victim.position, victim.originator_id, victim.originator_version, victim.topic, b"{}"
    )
    tamper.disable_triggers()
    tamper.disable_triggers("integrity_chain")
    tamper.set_state(victim.position, altered.state)
    from infrastructure.integrity.chain import GENESIS, chain_next
    from infrastructure.integrity.merkle import RootBuilder, leaf_hash

    previous, tree = GENESIS, RootBuilder()
    for index, record in enumerate(records):
        record = altered if index == 5 else record
        leaf = leaf_hash(record.leaf_data())
        previous = chain_next(previous, leaf)
        tamper.sql(
            "UPDATE integrity_chain SET leaf_hash = ?, chain_hash = ?, subtree_hash = ? "
            "WHERE leaf_index = ?",
            (leaf.hex(), previous.hex(), tree.add(leaf).hex(), index),
        )
    finding = _finding(integrity)
    assert finding.kind == "head" and "size 6 " in finding.detail  # the first head it breaks


def test_chain_rows_changed_are_caught(chained) -> None:
    integrity, tamper, _ = chained
    tamper.disable_triggers("integrity_chain")
    tamper.sql("UPDATE integrity_chain SET chain_hash = ? WHERE leaf_index = 7", ("00" * 32,))
    finding = _finding(integrity)
    assert finding.kind == "chain" and finding.leaf_index == 7


def test_cli_verify_exits_nonzero_naming_the_position(
    chained, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, tamper, records = chained
    monkeypatch.setenv("JIXIAO_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("JIXIAO_TOKEN_SIGNING_KEY", TEST_KEY)
    monkeypatch.setenv("JIXIAO_INTEGRITY_SIGNING_KEY", INTEGRITY_KEY)
    monkeypatch.setenv("JIXIAO_ENVIRONMENT", "production")
    runner = CliRunner()
    ok = runner.invoke(app, ["verify"])
    assert ok.exit_code == 0, ok.output
    assert re.search(r"OK: 44 entries, \d+ signed heads .* entries/s", ok.stdout)

    victim = records[17]
    tamper.disable_triggers()
    tamper.delete(victim.position)
    bad = runner.invoke(app, ["verify"])
    assert bad.exit_code == 1, bad.output
    assert f"deleted at position {victim.position} (event {victim.event_id})" in bad.stdout


# --- the production role (PostgreSQL) -----------------------------------------------------

ROLE_DOC = Path(__file__).parents[2] / "docs" / "production-database-role.md"


def _role_sql(schema: str, role: str) -> list[str]:
    text = ROLE_DOC.read_text(encoding="utf-8")
    block = re.search(r"```sql\n(.*?)```", text, re.S).group(1)
    block = block.replace("jixiao_app", role).replace("jixiao.", f"{schema}.")
    block = block.replace("SCHEMA jixiao", f"SCHEMA {schema}")
    block = re.sub(r"--[^\n]*", "", block)
    return [s.strip() for s in block.split(";") if s.strip()]


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_production_role_can_append_and_read_but_not_change(chained) -> None:
    integrity, tamper, _ = chained
    schema = tamper.location.parts["schema"]
    role = f"app_{uuid.uuid4().hex[:10]}"
    for statement in _role_sql(schema, role):
        tamper.sql(statement)
    p = tamper.location.parts
    try:
        with psycopg.connect(
            host=p["host"], port=p["port"], user=p["user"], dbname=p["dbname"]
        ) as conn:
            conn.execute(f"SET search_path = {schema}")
            conn.execute(f"SET ROLE {role}")

            def refused(statement: str, message: str) -> None:
                with pytest.raises(psycopg.Error, match=message), conn.transaction():
                    conn.execute(statement)

            table = tamper.table
            refused(f"UPDATE {table} SET topic = 'x'", "append-only")
            refused(f"DELETE FROM {table}", "permission denied")
            refused(f"TRUNCATE {table}", "permission denied")
            refused(f"ALTER TABLE {table} DISABLE TRIGGER USER", "must be owner")
            refused("UPDATE integrity_chain SET leaf_hash = 'x'", "permission denied")
            refused("DELETE FROM tree_heads", "permission denied")
            # What the event store does to append: lock, insert (rolled back here).
            with conn.transaction(force_rollback=True):
                conn.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
                conn.execute(
                    f"INSERT INTO {table} (originator_id, originator_version, topic, state) "
                    "VALUES (%s, 1, 't', 'x')",
                    (uuid.uuid4(),),
                )
                assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 45
            conn.execute("RESET ROLE")
    finally:
        tamper.sql(f"DROP OWNED BY {role}")
        tamper.sql(f"DROP ROLE {role}")
    assert integrity.verify().ok
