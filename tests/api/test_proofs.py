"""Proofs from the API check offline with only the public key (`jixiao verify-proof`), and
stop checking after any tampering: with the package, with the stored event, or with the
recorded chain."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from infrastructure.cli.commands import app
from infrastructure.integrity.evidence import check_package
from infrastructure.integrity.heads import load_public_key
from infrastructure.settings import Settings
from tests.conftest import TEST_KEY, LiveServer, issue_token
from tests.fixtures_world import World, build_world, object_body
from tests.integration.test_tamper_detection import INTEGRITY_KEY, Tamper

PROBLEM = "application/problem+json"


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        token_signing_key=TEST_KEY,
        integrity_signing_key=INTEGRITY_KEY,
        environment="production",
        follower_interval_seconds=0.05,
    )


def _verify_proof(package: dict, key_file: Path, tmp_path: Path, name: str = "p.json"):
    path = tmp_path / name
    path.write_text(json.dumps(package, ensure_ascii=False), encoding="utf-8")
    return CliRunner().invoke(app, ["verify-proof", str(path), "--public-key", str(key_file)])


@pytest.fixture
def client_and_key(server: LiveServer, tmp_path: Path):
    world = build_world(server.services)
    client = server.client(issue_token(server.services, "fengshen"))  # the audit bureau
    r = client.get("/integrity/public-key")
    assert r.status_code == 200, r.text
    key_file = tmp_path / "ledger.pub"
    key_file.write_text(r.json()["public_key_pem"])
    return client, key_file, world


def _register_object(server: LiveServer, world: World) -> None:
    staff = server.client(issue_token(server.services, "wangfang"))
    assert staff.post("/objects", json=object_body(world)).status_code == 201


def test_inclusion_and_consistency_proofs_verify_offline(
    server: LiveServer, client_and_key, tmp_path: Path
) -> None:
    client, key_file, world = client_and_key
    r = client.post("/integrity/tree-heads")
    assert r.status_code == 201, r.text
    first = r.json()
    assert first["tree_size"] == server.services.follower.head() == 45
    assert client.get("/integrity/tree-head").json() == first

    r = client.get("/integrity/evidence/7")
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    package = r.json()
    assert package["event"]["position"] == 7 and package["tree_head"] == first
    done = _verify_proof(package, key_file, tmp_path)
    assert done.exit_code == 0, done.output
    assert f"event {package['event']['event_id']} at position 7 is leaf 6" in done.stdout

    by_id = client.get(
        "/integrity/proofs/inclusion", params={"event_id": package["event"]["event_id"]}
    ).json()
    assert by_id["inclusion_proof"] == package["inclusion_proof"]

    # The log grows; a newer head is consistent with the one handed out before.
    _register_object(server, world)
    second = client.post("/integrity/tree-heads").json()
    assert second["tree_size"] > first["tree_size"]
    r = client.get(
        "/integrity/proofs/consistency",
        params={"old_size": first["tree_size"], "new_size": second["tree_size"]},
    )
    assert r.status_code == 200, r.text
    consistency = r.json()
    done = _verify_proof(consistency, key_file, tmp_path, "c.json")
    assert done.exit_code == 0, done.output
    assert "is a prefix of the signed tree" in done.stdout

    # An old event still proves into the old head, given its size.
    old = client.get("/integrity/proofs/inclusion", params={"position": 3, "tree_size": 45})
    assert old.status_code == 200 and old.json()["tree_head"]["tree_size"] == 45
    assert _verify_proof(old.json(), key_file, tmp_path).exit_code == 0


def test_edited_packages_and_wrong_keys_fail(client_and_key, tmp_path: Path) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    client, key_file, _ = client_and_key
    client.post("/integrity/tree-heads")
    package = client.get("/integrity/evidence/12").json()
    key = load_public_key(key_file.read_bytes())
    assert check_package(package, key) == []

    forged = base64.b64encode(json.dumps({**package["event"]["state"], "x": 1}).encode())
    edits = {
        "event state": lambda p: p["event"].update(state_base64=forged.decode()),
        "event position": lambda p: p["event"].update(position=13),
        "leaf index": lambda p: p.update(leaf_index=p["leaf_index"] + 1),
        "proof": lambda p: p["inclusion_proof"].reverse(),
        "root": lambda p: p["tree_head"].update(root_hash="00" * 32),
        "size": lambda p: p["tree_head"].update(tree_size=p["tree_head"]["tree_size"] + 1),
        "time": lambda p: p["tree_head"].update(signed_at="2020-01-01T00:00:00+00:00"),
    }
    for name, edit in edits.items():
        edited = json.loads(json.dumps(package))
        edit(edited)
        assert check_package(edited, key), name
        assert _verify_proof(edited, key_file, tmp_path).exit_code == 1, name

    other = tmp_path / "other.pub"
    other.write_bytes(
        Ed25519PrivateKey.generate()
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    done = _verify_proof(package, other, tmp_path)
    assert done.exit_code == 1 and "not among the public keys given" in done.stdout
    # The head filed under the other key's id: that key is consulted, and refuses it.
    from infrastructure.integrity.heads import key_id_of

    refiled = json.loads(json.dumps(package))
    refiled["tree_head"]["key_id"] = key_id_of(load_public_key(other.read_bytes()))
    done = _verify_proof(refiled, other, tmp_path)
    assert done.exit_code == 1 and "signature does not verify with its key" in done.stdout


def test_heads_name_their_key_and_the_keys_are_listed(client_and_key) -> None:
    client, key_file, _ = client_and_key
    current = client.get("/integrity/public-key").json()["key_id"]
    assert client.get("/integrity/tree-head").json()["key_id"] == current
    package = client.get("/integrity/evidence/3").json()
    assert package["tree_head"]["key_id"] == package["public_key_id"] == current
    r = client.get("/integrity/public-keys")
    assert r.status_code == 200, r.text
    [listed] = r.json()
    assert (listed["key_id"], listed["status"], listed["trusted"]) == (current, "current", True)
    assert listed["public_key_pem"] == key_file.read_text()
    assert listed["first_tree_size"] == 1  # recorded with the first head it signed


def test_proofs_fail_after_the_store_is_tampered_with(
    server: LiveServer, client_and_key, tmp_path: Path
) -> None:
    client, key_file, world = client_and_key
    head = client.post("/integrity/tree-heads").json()
    tamper = Tamper(server.services)

    # An event altered in the database: its evidence no longer proves into the head.
    tamper.disable_triggers()
    record = client.get("/integrity/evidence/44").json()["event"]
    tamper.set_state(44, b'{"forged": true}')
    package = client.get("/integrity/evidence/44").json()
    assert package["event"]["state"] == {"forged": True} and record["state"] != {"forged": True}
    done = _verify_proof(package, key_file, tmp_path)
    assert done.exit_code == 1 and "does not lead to the signed root" in done.stdout

    # A chain row rewritten: proofs built from it no longer reach the signed roots.
    _register_object(server, world)
    newer = client.post("/integrity/tree-heads").json()
    tamper.disable_triggers("integrity_chain")
    tamper.sql("UPDATE integrity_chain SET leaf_hash = ? WHERE leaf_index = 2", ("11" * 32,))
    consistency = client.get(
        "/integrity/proofs/consistency",
        params={"old_size": head["tree_size"], "new_size": newer["tree_size"]},
    ).json()
    assert _verify_proof(consistency, key_file, tmp_path).exit_code == 1
    untouched_event = client.get("/integrity/evidence/30").json()
    assert _verify_proof(untouched_event, key_file, tmp_path).exit_code == 1


def test_refusals_are_problems(server: LiveServer, client_and_key) -> None:
    client, _, _ = client_and_key
    before = server.services.follower.head()
    anonymous = server.client()
    r = anonymous.post("/integrity/tree-heads")
    assert r.status_code == 401 and r.headers["content-type"].startswith(PROBLEM)
    r = client.get("/integrity/tree-head")  # the ledger signed one with its newest write
    assert r.status_code == 200 and r.json()["tree_size"] == before
    client.post("/integrity/tree-heads")
    for params in (
        {"position": 10**9},
        {"event_id": "0000aaaa-0000-0000-0000-000000000000@1"},
        {"position": 1, "tree_size": 10**6},  # no head of that size
    ):
        r = client.get("/integrity/proofs/inclusion", params=params)
        assert r.status_code == 404 and r.headers["content-type"].startswith(PROBLEM), params
    r = client.get("/integrity/proofs/inclusion", params={"event_id": "nope"})
    assert r.status_code == 422 and r.json()["field"] == "event_id"
    r = client.get("/integrity/proofs/consistency", params={"old_size": 9, "new_size": 3})
    assert r.status_code in (404, 422) and r.headers["content-type"].startswith(PROBLEM)
    assert server.services.follower.head() == before, "reading proofs recorded events"
