"""Evidence packages, and checking them offline with nothing but the public key.

An inclusion package holds the event as stored, its leaf (index, canonical bytes, hash),
the RFC 9162 inclusion proof and the signed tree head it leads to. A consistency package
holds two signed heads and the proof that the older tree is a prefix of the newer one.
`check_package` needs no database: `jixiao verify-proof FILE --public-key KEYFILE` (give
`--public-key` once per key when the heads were signed before and after a key rotation:
each head names its key id and is checked with that key alone).
"""

from __future__ import annotations

import json
from typing import Any

from infrastructure.integrity.canonical import EventRecord
from infrastructure.integrity.heads import SignedHead
from infrastructure.integrity.keys import KeyRing
from infrastructure.integrity.merkle import leaf_hash, root_from_inclusion, verify_consistency
from infrastructure.integrity.verify import TrustedKeys

FORMAT = "jixiao.evidence.v1"
ABOUT = (
    "RFC 9162 Merkle tree (SHA-256, leaf H(0x00||data), node H(0x01||l||r)) over the "
    "canonical bytes of each event in log order; the tree head is signed with Ed25519 over "
    "'jixiao tree head v1\\nsize: N\\nroot: HEX\\ntime: ISO\\n'."
)


def _state_text(state: bytes) -> Any:
    """The state as JSON for a human reader, when it is JSON (verification uses the bytes)."""
    try:
        return json.loads(state)
    except ValueError:
        return None


def inclusion_package(
    record: EventRecord, leaf_index: int, proof: list[bytes], head: SignedHead
) -> dict[str, Any]:
    data = record.leaf_data()
    return {
        "format": FORMAT,
        "kind": "inclusion",
        "about": ABOUT,
        "event": {
            **record.to_json(),
            "event_id": record.event_id,
            "state": _state_text(record.state),
        },
        "leaf_index": leaf_index,
        "leaf_data_hex": data.hex(),
        "leaf_hash": leaf_hash(data).hex(),
        "inclusion_proof": [p.hex() for p in proof],
        "tree_head": head.to_json(),
        "public_key_id": head.key_id,
    }


def consistency_package(old: SignedHead, new: SignedHead, proof: list[bytes]) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "kind": "consistency",
        "about": ABOUT,
        "old_head": old.to_json(),
        "new_head": new.to_json(),
        "consistency_proof": [p.hex() for p in proof],
        "public_key_id": new.key_id,
        "public_key_ids": sorted({old.key_id, new.key_id}),
    }


def _check_head(label: str, head: SignedHead, keys: KeyRing) -> list[str]:
    if not keys.knows(head):
        return [
            f"{label}: signed with key {head.key_id}, which is not among the public keys "
            f"given ({keys.describe()})"
        ]
    if keys.verify(head):
        return []
    return [f"{label}: the signature does not verify with its key ({head.key_id or 'unnamed'})"]


def check_package(package: dict[str, Any], keys: TrustedKeys) -> list[str]:
    """What is wrong with the package (empty: it proves what it claims), checked with the
    public keys given (a ring, one key, or several)."""
    key = KeyRing.of(keys)
    try:
        if package.get("format") != FORMAT:
            return [f"not a {FORMAT} package"]
        if package.get("kind") == "inclusion":
            return _check_inclusion(package, key)
        if package.get("kind") == "consistency":
            return _check_consistency(package, key)
        return [f"unknown package kind {package.get('kind')!r}"]
    except (KeyError, TypeError, ValueError) as e:
        return [f"malformed package: {e!r}"]


def _check_inclusion(package: dict[str, Any], key: KeyRing) -> list[str]:
    head = SignedHead.from_json(package["tree_head"])
    problems = _check_head("tree head", head, key)
    data = EventRecord.from_json(package["event"]).leaf_data()
    if data.hex() != package["leaf_data_hex"]:
        problems.append("the event record does not encode to the package's leaf data")
    leaf = leaf_hash(data)
    if leaf.hex() != package["leaf_hash"]:
        problems.append("the leaf hash does not match the event record")
    proof = [bytes.fromhex(p) for p in package["inclusion_proof"]]
    try:
        root = root_from_inclusion(int(package["leaf_index"]), head.tree_size, leaf, proof)
    except ValueError as e:
        return [*problems, f"inclusion proof malformed: {e}"]
    if root != head.root:
        problems.append(
            f"the inclusion proof does not lead to the signed root of size {head.tree_size}"
        )
    return problems


def _check_consistency(package: dict[str, Any], key: KeyRing) -> list[str]:
    old = SignedHead.from_json(package["old_head"])
    new = SignedHead.from_json(package["new_head"])
    problems = _check_head("old tree head", old, key) + _check_head("new tree head", new, key)
    proof = [bytes.fromhex(p) for p in package["consistency_proof"]]
    if not verify_consistency(old.tree_size, new.tree_size, old.root, new.root, proof):
        problems.append(
            f"the tree of size {old.tree_size} is not proved a prefix of size {new.tree_size}"
        )
    return problems
