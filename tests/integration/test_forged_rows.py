"""A row written straight into the events table (an owner can, with the triggers dropped)
never becomes proven history: the ledger chains only what its own recorder writes, in the
same transaction, so the forged row stays unlinked, whether it went in while the ledger was
stopped or running, at the end or in the middle, and whatever the ledger saved afterwards.
`jixiao verify` names its position every time, and reads without writing."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterator

import psycopg
import pytest
from typer.testing import CliRunner

from infrastructure.bootstrap import Services, bootstrap, cli_act
from infrastructure.cli.commands import app
from infrastructure.integrity.canonical import EventRecord
from infrastructure.integrity.chain import chain_next, iter_links, last_link
from infrastructure.integrity.heads import HeadSigner, SignedHead, latest_head
from infrastructure.integrity.merkle import leaf_hash
from infrastructure.integrity.readonly import verify_store
from infrastructure.integrity.verify import iter_records
from infrastructure.settings import Settings
from tests.conftest import TEST_INTEGRITY_KEY, TEST_KEY
from tests.fixtures_world import build_world
from tests.integration.test_tamper_detection import Tamper

TABLES = ("integrity_chain", "tree_heads")


@pytest.fixture
def world(services: Services) -> Iterator[tuple[Services, Tamper, list[EventRecord]]]:
    build_world(services)
    tamper = Tamper(services)
    tamper.disable_triggers()
    yield services, tamper, list(iter_records(services.ledger.recorder))


def forged_approval(template: EventRecord) -> EventRecord:
    """A record shaped like the ledger's own (a real topic and state), under a new id."""
    return EventRecord(0, str(uuid.uuid4()), 1, template.topic, template.state)


def save_more(services: Services, login: str) -> None:
    act = cli_act("after the forgery")
    services.ledger.registry.register_person(act, login, "后来者")


def fingerprint(tamper: Tamper) -> str:
    """Every row of the events and integrity tables, hashed: verify must change none."""
    digest = hashlib.sha256()
    for table in (tamper.table, *TABLES):
        for row in tamper.sql(f"SELECT * FROM {table} ORDER BY 1, 2"):
            digest.update(repr(row).encode())
    return digest.hexdigest()


def cli_verify(settings: Settings, monkeypatch: pytest.MonkeyPatch, *args: str):
    monkeypatch.setenv("JIXIAO_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("JIXIAO_TOKEN_SIGNING_KEY", TEST_KEY)
    monkeypatch.setenv("JIXIAO_INTEGRITY_SIGNING_KEY", TEST_INTEGRITY_KEY)
    monkeypatch.setenv("JIXIAO_ENVIRONMENT", "production")
    return CliRunner().invoke(app, ["verify", *args])


def assert_named(settings: Settings, monkeypatch, tamper: Tamper, position: int, event_id: str):
    before = fingerprint(tamper)
    result = cli_verify(settings, monkeypatch)
    assert result.exit_code == 1, result.output
    assert f"inserted at position {position} (event {event_id})" in result.stdout
    assert fingerprint(tamper) == before, "verify changed a row"


def test_forged_at_the_end_while_running_then_saved_after(world, settings, monkeypatch) -> None:
    services, tamper, records = world
    forged = forged_approval(records[-1])
    tamper.insert(forged)
    save_more(services, "after1")  # the ledger writes on, after the forged row
    save_more(services, "after2")
    assert_named(settings, monkeypatch, tamper, records[-1].position + 1, forged.event_id)
    assert not services.integrity.verify().ok


def test_forged_at_the_end_while_stopped_then_started_and_saved(
    world, settings, monkeypatch
) -> None:
    services, tamper, records = world
    services.close()  # the server is stopped
    forged = forged_approval(records[3])
    tamper.insert(forged)
    assert_named(settings, monkeypatch, tamper, records[-1].position + 1, forged.event_id)
    restarted = bootstrap(settings)  # start: nothing chains what it finds
    try:
        assert_named(settings, monkeypatch, tamper, records[-1].position + 1, forged.event_id)
        save_more(restarted, "after-restart")
        assert_named(settings, monkeypatch, tamper, records[-1].position + 1, forged.event_id)
    finally:
        restarted.close()


def test_forged_in_the_middle_is_named(world, settings, monkeypatch) -> None:
    """Between two chained entries: a gap the ledger left (PostgreSQL's sequence skips the
    ids of a refused write) or one the forger leaves ahead of the ledger's next id."""
    services, tamper, records = world
    act = cli_act("a refused duplicate")
    if tamper.dialect == "postgres":
        with pytest.raises(Exception, match="already"):
            services.ledger.registry.register_person(act, "wangfang", "重复")  # consumes an id
        gap = records[-1].position + 1
    else:
        gap = records[-1].position + 2
    forged = forged_approval(records[7])
    tamper.insert(forged, position=gap)
    save_more(services, "after-gap")
    after = list(iter_records(services.ledger.recorder))
    assert after[-1].position > gap  # chained entries on both sides
    assert_named(settings, monkeypatch, tamper, gap, forged.event_id)


def test_untouched_log_verifies_and_verify_writes_nothing(world, settings, monkeypatch) -> None:
    _, tamper, _ = world
    before = fingerprint(tamper)
    result = cli_verify(settings, monkeypatch)
    assert result.exit_code == 0, result.output
    assert fingerprint(tamper) == before


def test_forged_row_with_a_forged_link_is_past_the_newest_signed_head(world) -> None:
    """A forger who also writes a matching chain row cannot sign a head for it."""
    services, tamper, records = world
    tamper.disable_triggers("integrity_chain")
    forged = forged_approval(records[0])
    tamper.insert(forged)
    position = records[-1].position + 1
    with services.views_db.transaction(write=False) as cur:
        last = last_link(cur)
    leaf = leaf_hash(EventRecord(position, *forged_fields(forged)).leaf_data())
    tamper.sql(
        "INSERT INTO integrity_chain (leaf_index, position, event_id, leaf_hash, chain_hash, "
        "recorded_at) VALUES (?, ?, ?, ?, ?, ?)",
        (
            last.leaf_index + 1,
            position,
            forged.event_id,
            leaf.hex(),
            chain_next(last.chain_hash, leaf).hex(),
            "2026-01-01T00:00:00+00:00",
        ),
    )
    finding = services.integrity.verify().finding
    assert finding is not None
    assert (finding.kind, finding.position) == ("unsigned", position)


def forged_fields(record: EventRecord) -> tuple:
    return record.originator_id, record.originator_version, record.topic, record.state


def test_a_head_signed_with_another_key_is_refused(world) -> None:
    services, tamper, _ = world
    with services.views_db.transaction(write=False) as cur:
        newest = latest_head(cur)
    impostor = HeadSigner.from_text("AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=")
    forged = impostor.sign(newest.tree_size, newest.root)
    j = forged.to_json()
    tamper.sql(
        "INSERT INTO tree_heads (tree_size, root_hash, signed_at, key_id, signature) "
        "VALUES (?, ?, ?, ?, ?)",
        (j["tree_size"], j["root_hash"], j["signed_at"], j["key_id"], j["signature"]),
    )
    finding = services.integrity.verify().finding
    assert finding is not None and finding.kind == "head"
    assert f"names key {impostor.key_id}, which is not among the trusted keys" in finding.detail


def test_a_head_filed_under_the_ledgers_key_id_with_another_signature(world) -> None:
    services, tamper, _ = world
    with services.views_db.transaction(write=False) as cur:
        newest = latest_head(cur)
        last = list(iter_links(cur))[-1]
    impostor = HeadSigner.from_text("AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=")
    j = impostor.sign(newest.tree_size, newest.root).to_json()
    own = services.integrity.signer.key_id
    tamper.sql(
        "INSERT INTO tree_heads (tree_size, root_hash, signed_at, key_id, signature) "
        "VALUES (?, ?, ?, ?, ?)",
        (j["tree_size"], j["root_hash"], j["signed_at"], own, j["signature"]),
    )
    finding = services.integrity.verify().finding
    assert finding is not None and finding.kind == "head"
    assert (finding.position, finding.event_id) == (last.position, last.event_id)
    assert f"does not verify with the key it names ({own}" in finding.detail


def test_verify_against_a_head_held_outside(world, settings, monkeypatch, tmp_path) -> None:
    """The audit bureau keeps a head it was given. A forger who removes the newest entries
    together with their links and heads leaves a log that is consistent with itself; only
    the outside head shows what is missing."""
    services, tamper, records = world
    held = services.integrity.head()
    head_file = tmp_path / "head.json"
    head_file.write_text(json.dumps(held.to_json()), encoding="utf-8")
    ok = cli_verify(settings, monkeypatch, "--head", str(head_file))
    assert ok.exit_code == 0 and f"extends the head of size {held.tree_size}" in ok.stdout

    services.close()
    for table in TABLES:
        tamper.disable_triggers(table)
    cut = records[-4]
    tamper.sql(f"DELETE FROM {tamper.table} WHERE {tamper.id_column} >= ?", (cut.position,))
    tamper.sql("DELETE FROM integrity_chain WHERE position >= ?", (cut.position,))
    tamper.sql("DELETE FROM tree_heads WHERE tree_size > ?", (len(records) - 4,))
    alone = cli_verify(settings, monkeypatch)
    assert alone.exit_code == 0, "the truncated log is consistent with itself"
    against = cli_verify(settings, monkeypatch, "--head", str(head_file))
    assert against.exit_code == 1
    assert f"the tree head given is of size {held.tree_size}" in against.stdout


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_verify_runs_under_a_role_that_may_only_select(world) -> None:
    services, tamper, _ = world
    services.close()
    schema = tamper.location.parts["schema"]
    role = f"ro_{uuid.uuid4().hex[:10]}"
    for statement in (
        f"CREATE ROLE {role} LOGIN",
        f"GRANT USAGE ON SCHEMA {schema} TO {role}",
        f"GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {role}",
    ):
        tamper.sql(statement)
    try:
        location = Settings(
            database_url=services.settings.database_url.replace("postgres@", f"{role}@")
        ).store
        key = HeadSigner.from_text(TEST_INTEGRITY_KEY).public_key
        assert verify_store(location, None, key).ok
        with pytest.raises(psycopg.Error):  # the role indeed cannot write
            p = location.parts
            with psycopg.connect(
                host=p["host"], port=p["port"], user=role, dbname=p["dbname"]
            ) as c:
                c.execute(f"INSERT INTO {schema}.tree_heads VALUES (1, 'x', 'x', 'x', 'x')")
    finally:
        tamper.sql(f"DROP OWNED BY {role}")
        tamper.sql(f"DROP ROLE {role}")


def test_the_tree_head_is_there_from_the_first_event(settings: Settings) -> None:
    services = bootstrap(settings)
    try:
        empty = services.integrity.head()
        assert empty.tree_size == 0
        services.ledger.registry.register_jurisdiction(cli_act(), "360403", "浔阳区", "district")
        first = services.integrity.head()
        assert first.tree_size == 1 and first.verify(services.integrity.signer.public_key)
        assert SignedHead.from_json(first.to_json()) == first
    finally:
        services.close()


def test_nothing_unchained_is_written_without_the_chain_writer(services: Services) -> None:
    services.ledger.recorder.chain = None
    with pytest.raises(Exception, match="no chain writer"):
        services.ledger.registry.register_jurisdiction(cli_act(), "360403", "浔阳区", "district")
    assert list(iter_records(services.ledger.recorder)) == []
