"""Tree-head keys rotate, on both stores: the ledger writes with key A, is restarted with key
B signing and A's public key listed as previous, writes more, and `jixiao verify` passes,
each head checked with the key it names. Without A among the trusted keys, verify names the
first head it cannot check; a head signed with a key nobody configured is named too, even
when its public key was slipped into the database's record of keys."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from infrastructure.bootstrap import Services, bootstrap, cli_act
from infrastructure.cli.commands import app
from infrastructure.integrity.chain import iter_links
from infrastructure.integrity.evidence import check_package
from infrastructure.integrity.heads import HeadSigner, latest_head
from infrastructure.integrity.keys import KeyRing, parse_public_keys, raw_base64
from infrastructure.integrity.readonly import readonly_cursor, verify_store
from infrastructure.settings import Settings
from tests.conftest import TEST_KEY
from tests.fixtures_world import build_world
from tests.integration.test_tamper_detection import Tamper

KEY_A = base64.b64encode(bytes(range(32))).decode()
KEY_B = base64.b64encode(bytes(range(1, 33))).decode()
KEY_C = base64.b64encode(bytes(range(2, 34))).decode()  # configured nowhere
A, B, C = (HeadSigner.from_text(k) for k in (KEY_A, KEY_B, KEY_C))


def with_keys(settings: Settings, signing: str, previous: str | None = None) -> Settings:
    return settings.model_copy(
        update={"integrity_signing_key": signing, "integrity_previous_public_keys": previous}
    )


def first_position(settings: Settings) -> int:
    with readonly_cursor(settings.store) as cur:
        return next(iter_links(cur)).position


@pytest.fixture
def rotated(settings: Settings) -> Iterator[tuple[Settings, Services]]:
    """Four events signed with A, then B signs (A previous) the ones after."""
    before = bootstrap(with_keys(settings, KEY_A))
    try:
        build_world(before)
    finally:
        before.close()
    after_settings = with_keys(settings, KEY_B, A.public_key_pem())
    after = bootstrap(after_settings)
    after.ledger.registry.register_person(cli_act("after the rotation"), "later", "后来者")
    yield after_settings, after
    after.close()


def test_verify_passes_across_a_rotation(rotated) -> None:
    settings, services = rotated
    report = services.integrity.verify()
    assert report.ok, report.finding and report.finding.describe()
    with services.views_db.transaction(write=False) as cur:
        ids = [r["key_id"] for r in cur.execute("SELECT key_id FROM tree_heads").fetchall()]
        recorded = cur.execute("SELECT * FROM integrity_keys ORDER BY first_tree_size").fetchall()
    assert {A.key_id, B.key_id} == set(ids)
    assert [r["key_id"] for r in recorded] == [A.key_id, B.key_id]
    assert recorded[0]["public_key"] == raw_base64(A.public_key)
    assert 0 < recorded[0]["first_tree_size"] < recorded[1]["first_tree_size"]
    assert report.heads_checked >= len(ids) - 1  # (the empty tree's head, if any, says nothing)
    # Outside, with both public keys given (base64 or PEM, comma separated).
    both = f"{raw_base64(A.public_key)},{B.public_key_pem()}"
    assert verify_store(settings.store, None, KeyRing(None, parse_public_keys(both))).ok


def test_without_the_old_key_verify_names_the_first_head_it_cannot_check(rotated) -> None:
    settings, _ = rotated
    only_b = KeyRing(B.public_key)
    finding = verify_store(settings.store, None, only_b).finding
    assert finding is not None and finding.kind == "head"
    assert finding.position == first_position(settings)  # the first head covers leaf 0
    assert A.key_id in finding.detail and "not among the trusted keys" in finding.detail


def test_a_head_signed_with_an_unknown_key_is_named(rotated) -> None:
    """Even with its public key in the database's record: trust is configured, not read."""
    _, services = rotated
    tamper = Tamper(services)
    with services.views_db.transaction(write=False) as cur:
        newest = latest_head(cur)
        last = list(iter_links(cur))[-1]
    forged = C.sign(newest.tree_size, newest.root).to_json()
    tamper.sql(
        "INSERT INTO tree_heads (tree_size, root_hash, signed_at, key_id, signature) "
        "VALUES (?, ?, ?, ?, ?)",
        tuple(forged[k] for k in ("tree_size", "root_hash", "signed_at", "key_id", "signature")),
    )
    tamper.sql(
        "INSERT INTO integrity_keys VALUES (?, ?, ?, ?)",
        (C.key_id, raw_base64(C.public_key), newest.tree_size, forged["signed_at"]),
    )
    finding = services.integrity.verify().finding
    assert finding is not None and finding.kind == "head"
    assert (finding.position, finding.event_id) == (last.position, last.event_id)
    assert C.key_id in finding.detail
    listed = {k["key_id"]: k for k in services.integrity.public_keys()}
    assert listed[B.key_id]["status"] == "current" and listed[A.key_id]["status"] == "previous"
    assert listed[C.key_id]["status"] == "recorded" and not listed[C.key_id]["trusted"]


def test_cli_verify_and_verify_proof_across_a_rotation(rotated, monkeypatch, tmp_path) -> None:
    settings, services = rotated
    monkeypatch.setenv("JIXIAO_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("JIXIAO_TOKEN_SIGNING_KEY", TEST_KEY)
    monkeypatch.setenv("JIXIAO_INTEGRITY_SIGNING_KEY", KEY_B)
    monkeypatch.setenv("JIXIAO_ENVIRONMENT", "production")
    monkeypatch.setenv("JIXIAO_INTEGRITY_PREVIOUS_PUBLIC_KEYS", raw_base64(A.public_key))
    ok = CliRunner().invoke(app, ["verify"])
    assert ok.exit_code == 0, ok.output
    assert f"{B.key_id} (current), {A.key_id}" in ok.stdout
    monkeypatch.delenv("JIXIAO_INTEGRITY_PREVIOUS_PUBLIC_KEYS")
    refused = CliRunner().invoke(app, ["verify"])
    assert refused.exit_code == 1 and A.key_id in refused.stdout
    assert f"position {first_position(settings)}" in refused.stdout

    # Offline: an old head and a new one in one consistency package need both keys.
    with services.views_db.transaction(write=False) as cur:
        sizes = [int(r["tree_size"]) for r in cur.execute("SELECT * FROM tree_heads").fetchall()]
    old = min(s for s in sizes if s > 0)
    package = services.integrity.consistency(old, max(sizes))
    assert package["public_key_ids"] == sorted({A.key_id, B.key_id})
    assert check_package(package, [A.public_key, B.public_key]) == []
    assert any(A.key_id in p for p in check_package(package, [B.public_key]))
    file, key_a, key_b = tmp_path / "p.json", tmp_path / "a.pem", tmp_path / "b.pem"
    file.write_text(json.dumps(package))
    key_a.write_text(A.public_key_pem())
    key_b.write_text(B.public_key_pem())
    proof = ["verify-proof", str(file), "--public-key", str(key_b)]
    assert CliRunner().invoke(app, proof).exit_code == 1
    assert CliRunner().invoke(app, [*proof, "--public-key", str(key_a)]).exit_code == 0


def test_a_store_from_before_the_key_record_runs_and_verifies(settings: Settings) -> None:
    """Heads have always named their key; only `integrity_keys` is new. A role that may
    not create tables runs without it until the owner installs it."""
    first = bootstrap(with_keys(settings, KEY_A))
    build_world(first)
    first.close()
    tamper = Tamper(first)
    tamper.sql("DROP TABLE integrity_keys")
    as_app = bootstrap(with_keys(settings, KEY_A).model_copy(update={"create_tables": False}))
    try:
        as_app.ledger.registry.register_person(cli_act("no key record yet"), "later", "后来者")
        assert as_app.integrity.verify().ok
        assert as_app.integrity.public_keys()[0]["first_tree_size"] is None
    finally:
        as_app.close()
    owner = bootstrap(with_keys(settings, KEY_A))  # as `jixiao integrity-install` would
    try:
        owner.ledger.registry.register_person(cli_act("recorded now"), "later2", "后来者")
        [listed] = owner.integrity.public_keys()
        assert listed["key_id"] == A.key_id and listed["first_tree_size"] > 1
        assert owner.integrity.verify().ok
    finally:
        owner.close()
