"""Tree-head keys across a rotation: which public keys a verifier trusts, and the record of
every key the ledger has signed with.

Each head names its key id (the first 16 hex of SHA-256 of the raw Ed25519 public key). A
new signing key may be configured at any time; the retired public keys stay trusted by
listing them in JIXIAO_INTEGRITY_PREVIOUS_PUBLIC_KEYS. Trust comes only from configuration
(or from the keys given on the command line), never from the database: the
`integrity_keys` table records each public key when the ledger first signs with it, so a
verifier can find which key a head names, but a row there is a hint to compare with a
key held outside, not a reason to believe it (whoever can write the table could add one).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from infrastructure.integrity.heads import HeadSigner, SignedHead, key_id_of, load_public_key

SCHEMA = """CREATE TABLE IF NOT EXISTS integrity_keys (
    key_id TEXT PRIMARY KEY,
    public_key TEXT NOT NULL,
    first_tree_size BIGINT NOT NULL,
    first_signed_at TEXT NOT NULL
)"""

_PEM = re.compile(r"-----BEGIN PUBLIC KEY-----.+?-----END PUBLIC KEY-----", re.S)


def parse_public_keys(text: str | None) -> list[Ed25519PublicKey]:
    """Public keys as PEM blocks and/or base64 of the 32 raw bytes, separated by commas or
    white space (PEM blocks may simply follow one another)."""
    if not text:
        return []
    pems = _PEM.findall(text)
    rest = [part for part in re.split(r"[,\s]+", _PEM.sub(" ", text)) if part]
    return [load_public_key(item) for item in (*pems, *rest)]


def raw_base64(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def pem_of(key: Ed25519PublicKey) -> str:
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


@dataclass(frozen=True)
class TrustedKey:
    key_id: str
    key: Ed25519PublicKey
    current: bool


class KeyRing:
    """The public keys trusted to have signed heads, by key id: the current signing key's
    (if any) and the previous ones."""

    def __init__(
        self, current: Ed25519PublicKey | None, previous: Iterable[Ed25519PublicKey] = ()
    ) -> None:
        self._keys: dict[str, TrustedKey] = {}
        for key in previous:
            self._keys[key_id_of(key)] = TrustedKey(key_id_of(key), key, False)
        if current is not None:
            self._keys[key_id_of(current)] = TrustedKey(key_id_of(current), current, True)

    @classmethod
    def of(cls, keys: KeyRing | Ed25519PublicKey | Iterable[Ed25519PublicKey]) -> KeyRing:
        """A ring from a ring, one key (the current) or several keys (all trusted alike)."""
        if isinstance(keys, KeyRing):
            return keys
        if isinstance(keys, Ed25519PublicKey):
            return cls(keys)
        return cls(None, keys)

    @classmethod
    def configured(cls, signer: HeadSigner | None, previous: str | None) -> KeyRing:
        """The signing key's public half and JIXIAO_INTEGRITY_PREVIOUS_PUBLIC_KEYS."""
        return cls(signer.public_key if signer else None, parse_public_keys(previous))

    def __iter__(self) -> Iterator[TrustedKey]:
        return iter(sorted(self._keys.values(), key=lambda k: (not k.current, k.key_id)))

    def __len__(self) -> int:
        return len(self._keys)

    def knows(self, head: SignedHead) -> bool:
        """A head with no key id (none was ever written without one, but a hand-made head
        may lack it) is checked against every trusted key."""
        return not head.key_id or head.key_id in self._keys

    def verify(self, head: SignedHead) -> bool:
        if not head.key_id:
            return any(head.signature_valid(k.key) for k in self._keys.values())
        trusted = self._keys.get(head.key_id)
        return trusted is not None and head.verify(trusted.key)

    def describe(self) -> str:
        return ", ".join(f"{k.key_id}{' (current)' if k.current else ''}" for k in self) or "none"


def record_key(cur: Any, signer: HeadSigner, head: SignedHead) -> None:
    """Record the signing key with the first head it signs (a no-op once recorded)."""
    cur.execute(
        "INSERT INTO integrity_keys (key_id, public_key, first_tree_size, first_signed_at) "
        "VALUES (?, ?, ?, ?) ON CONFLICT (key_id) DO NOTHING",
        (signer.key_id, raw_base64(signer.public_key), head.tree_size, head.signed_at),
    )


def recorded_keys(cur: Any) -> list[dict[str, Any]]:
    """The keys the ledger has signed with, in the order it first did."""
    rows = cur.execute(
        "SELECT key_id, public_key, first_tree_size, first_signed_at FROM integrity_keys "
        "ORDER BY first_signed_at"
    ).fetchall()
    return [dict(r) for r in rows]


def table_exists(cur: Any) -> bool:
    if cur.dialect == "postgres":
        row = cur.execute("SELECT to_regclass('integrity_keys') AS found").fetchone()
    else:
        row = cur.execute(
            "SELECT name AS found FROM sqlite_master WHERE type = 'table' "
            "AND name = 'integrity_keys'"
        ).fetchone()
    return row is not None and row["found"] is not None
