"""The recorded integrity chain: one row per event, in notification order.

Row i holds the leaf hash of event i (its canonical bytes, see canonical.py), the running
hash chain_i = SHA-256(chain_{i-1} || leaf_i), chain_{-1} = 32 zero bytes, and the hash of
the perfect Merkle subtree that ends at leaf i (so the tree's frontier, and with it the next
root, is read back from a few rows). Rows are written only by the ledger's own recorder, in
the transaction that stores their events (chain_writer.py); nothing chains what it finds in
the table, so a row inserted out of band has no link and `verify` names it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

SCHEMA = (
    """CREATE TABLE IF NOT EXISTS integrity_chain (
    leaf_index BIGINT PRIMARY KEY,
    position BIGINT NOT NULL UNIQUE,
    event_id TEXT NOT NULL,
    leaf_hash TEXT NOT NULL,
    chain_hash TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    subtree_hash TEXT
)""",
    "CREATE INDEX IF NOT EXISTS integrity_chain_event ON integrity_chain (event_id)",
)

GENESIS = bytes(32)


def chain_next(previous: bytes, leaf: bytes) -> bytes:
    return hashlib.sha256(previous + leaf).digest()


@dataclass(frozen=True)
class Link:
    leaf_index: int
    position: int
    event_id: str
    leaf_hash: bytes
    chain_hash: bytes
    subtree_hash: bytes | None = None  # None on rows chained before the column existed

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Link:
        subtree = row.get("subtree_hash")
        return cls(
            int(row["leaf_index"]),
            int(row["position"]),
            row["event_id"],
            bytes.fromhex(row["leaf_hash"]),
            bytes.fromhex(row["chain_hash"]),
            bytes.fromhex(subtree) if subtree else None,
        )


def add_subtree_column(cur: Any) -> None:
    """Chains recorded before subtree hashes were kept get the (nullable) column."""
    if cur.dialect == "postgres":
        cur.execute("ALTER TABLE integrity_chain ADD COLUMN IF NOT EXISTS subtree_hash TEXT")
        return
    columns = {r["name"] for r in cur.execute("PRAGMA table_info(integrity_chain)").fetchall()}
    if "subtree_hash" not in columns:
        cur.execute("ALTER TABLE integrity_chain ADD COLUMN subtree_hash TEXT")


def last_link(cur: Any) -> Link | None:
    row = cur.execute("SELECT * FROM integrity_chain ORDER BY leaf_index DESC LIMIT 1").fetchone()
    return Link.from_row(row) if row else None


def chain_size(cur: Any) -> int:
    last = last_link(cur)
    return 0 if last is None else last.leaf_index + 1


def append_links(cur: Any, links: list[Link], rows_per_statement: int = 200) -> None:
    now = datetime.now(UTC).isoformat()
    for start in range(0, len(links), rows_per_statement):
        chunk = links[start : start + rows_per_statement]
        values = ", ".join(["(?, ?, ?, ?, ?, ?, ?)"] * len(chunk))
        params = [
            v
            for link in chunk
            for v in (
                link.leaf_index,
                link.position,
                link.event_id,
                link.leaf_hash.hex(),
                link.chain_hash.hex(),
                now,
                link.subtree_hash.hex() if link.subtree_hash else None,
            )
        ]
        cur.execute(
            "INSERT INTO integrity_chain "
            "(leaf_index, position, event_id, leaf_hash, chain_hash, recorded_at, subtree_hash) "
            f"VALUES {values}",
            params,
        )


def iter_links(
    cur: Any, start: int = 0, end: int | None = None, batch: int = 2000
) -> Iterator[Link]:
    """Links with start <= leaf_index < end, read on `cur` in batches of `batch` rows."""
    index = start
    while end is None or index < end:
        limit = batch if end is None else min(batch, end - index)
        rows = cur.execute(
            "SELECT * FROM integrity_chain WHERE leaf_index >= ? ORDER BY leaf_index LIMIT ?",
            (index, limit),
        ).fetchall()
        if not rows:
            return
        for row in rows:
            yield Link.from_row(row)
        index = int(rows[-1]["leaf_index"]) + 1


def link_at_position(cur: Any, position: int) -> Link | None:
    row = cur.execute("SELECT * FROM integrity_chain WHERE position = ?", (position,)).fetchone()
    return Link.from_row(row) if row else None


def link_at_event(cur: Any, event_id: str) -> Link | None:
    row = cur.execute("SELECT * FROM integrity_chain WHERE event_id = ?", (event_id,)).fetchone()
    return Link.from_row(row) if row else None
