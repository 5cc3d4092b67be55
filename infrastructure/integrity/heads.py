"""Signed tree heads: (size, root, time) signed with the ledger's Ed25519 key, each naming
the id of the key that signed it (keys rotate: keys.py).

A head handed to an outside party (the audit bureau, the NPC) commits the ledger to the
first `size` events; later proofs (inclusion, consistency) are checked against it with
nothing but the public key. The signed message is plain text so anyone can rebuild it.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

SCHEMA = """CREATE TABLE IF NOT EXISTS tree_heads (
    tree_size BIGINT NOT NULL,
    root_hash TEXT NOT NULL,
    signed_at TEXT NOT NULL,
    key_id TEXT NOT NULL,
    signature TEXT NOT NULL,
    PRIMARY KEY (tree_size, signed_at)
)"""


def key_id_of(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def load_public_key(text: str | bytes) -> Ed25519PublicKey:
    """A public key as PEM (SubjectPublicKeyInfo) or base64 of the 32 raw bytes."""
    data = text.encode() if isinstance(text, str) else text
    if b"BEGIN" in data:
        key = serialization.load_pem_public_key(data)
    else:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(data.strip(), validate=True))
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key


def load_private_key(text: str) -> Ed25519PrivateKey:
    if "BEGIN" in text:
        key = serialization.load_pem_private_key(text.encode(), password=None)
    else:
        key = Ed25519PrivateKey.from_private_bytes(base64.b64decode(text.strip(), validate=True))
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("JIXIAO_INTEGRITY_SIGNING_KEY is not an Ed25519 private key")
    return key


@dataclass(frozen=True)
class SignedHead:
    tree_size: int
    root: bytes
    signed_at: str  # ISO 8601, UTC
    key_id: str
    signature: bytes

    def message(self) -> bytes:
        return signed_message(self.tree_size, self.root, self.signed_at)

    def verify(self, public_key: Ed25519PublicKey) -> bool:
        """Signed by this key, and naming it."""
        return key_id_of(public_key) == self.key_id and self.signature_valid(public_key)

    def signature_valid(self, public_key: Ed25519PublicKey) -> bool:
        try:
            public_key.verify(self.signature, self.message())
        except InvalidSignature:
            return False
        return True

    def to_json(self) -> dict[str, Any]:
        return {
            "tree_size": self.tree_size,
            "root_hash": self.root.hex(),
            "signed_at": self.signed_at,
            "key_id": self.key_id,
            "signature": base64.b64encode(self.signature).decode(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SignedHead:
        return cls(
            int(data["tree_size"]),
            bytes.fromhex(data["root_hash"]),
            str(data["signed_at"]),
            str(data["key_id"]),
            base64.b64decode(data["signature"], validate=True),
        )

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> SignedHead:
        return cls.from_json({**row, "tree_size": int(row["tree_size"])})


def signed_message(tree_size: int, root: bytes, signed_at: str) -> bytes:
    return (
        f"jixiao tree head v1\nsize: {tree_size}\nroot: {root.hex()}\ntime: {signed_at}\n"
    ).encode()


class HeadSigner:
    def __init__(self, private_key: Ed25519PrivateKey) -> None:
        self._key = private_key
        self.public_key = private_key.public_key()
        self.key_id = key_id_of(self.public_key)

    @classmethod
    def from_text(cls, text: str) -> HeadSigner:
        return cls(load_private_key(text))

    def sign(self, tree_size: int, root: bytes) -> SignedHead:
        signed_at = datetime.now(UTC).isoformat(timespec="microseconds")
        signature = self._key.sign(signed_message(tree_size, root, signed_at))
        return SignedHead(tree_size, root, signed_at, self.key_id, signature)

    def public_key_pem(self) -> str:
        return self.public_key.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ).decode()


def record_head(cur: Any, head: SignedHead) -> None:
    j = head.to_json()
    cur.execute(
        "INSERT INTO tree_heads (tree_size, root_hash, signed_at, key_id, signature) "
        "VALUES (?, ?, ?, ?, ?)",
        (j["tree_size"], j["root_hash"], j["signed_at"], j["key_id"], j["signature"]),
    )


def latest_head(cur: Any, tree_size: int | None = None) -> SignedHead | None:
    """The newest head, or the newest one of exactly `tree_size`."""
    where, params = ("WHERE tree_size = ? ", (tree_size,)) if tree_size is not None else ("", ())
    row = cur.execute(
        f"SELECT * FROM tree_heads {where}ORDER BY tree_size DESC, signed_at DESC LIMIT 1",
        params,
    ).fetchone()
    return SignedHead.from_row(row) if row else None


def all_heads(cur: Any) -> list[SignedHead]:
    """Every head, smallest first (a few per interval: kept in memory while verifying)."""
    rows = cur.execute("SELECT * FROM tree_heads ORDER BY tree_size, signed_at").fetchall()
    return [SignedHead.from_row(r) for r in rows]
