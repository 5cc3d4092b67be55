"""Chaining inside the write: the recorder hands its open transaction and the records it has
just inserted; this appends their links and a tree head over the new size, signed with the
key the application holds (never the database), before the recorder commits.

The previous link and the tree's frontier are read in the same transaction, after the
recorder took the store's write lock, so concurrent writers (threads or processes) chain
one after another. The committed tip is cached so the frontier is read back only when
another process wrote in between. The first head a process signs also records its public
key in `integrity_keys` (keys.py), so every key that ever signed is on record.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from infrastructure.integrity import chain, heads, keys
from infrastructure.integrity.canonical import EventRecord
from infrastructure.integrity.heads import HeadSigner, SignedHead
from infrastructure.integrity.merkle import RootBuilder, frontier_ends, leaf_hash


@dataclass(frozen=True)
class Tip:
    """The end of the chain: its size, last running hash and Merkle frontier."""

    size: int
    chain_hash: bytes
    tree: RootBuilder


EMPTY = Tip(0, chain.GENESIS, RootBuilder())


class ChainWriter:
    def __init__(self, signer: HeadSigner) -> None:
        self.signer = signer
        self._committed: Tip | None = None
        self._lock = threading.Lock()
        self._key_on_record = False  # set once a transaction that recorded it commits

    def extend(self, cur: Any, records: Sequence[EventRecord]) -> tuple[Tip, SignedHead]:
        """Append the links of `records` (in log order) and a signed head, in `cur`'s
        transaction. Call `committed(tip)` once that transaction has committed."""
        tip = self._tip(cur)
        tree = tip.tree.copy()
        previous = tip.chain_hash
        links = []
        for record in records:
            leaf = leaf_hash(record.leaf_data())
            previous = chain.chain_next(previous, leaf)
            subtree = tree.add(leaf)
            links.append(
                chain.Link(tree.size - 1, record.position, record.event_id, leaf, previous, subtree)
            )
        chain.append_links(cur, links)
        head = self.signer.sign(tree.size, tree.root())
        heads.record_head(cur, head)
        if not self._key_on_record and keys.table_exists(cur):  # missing: an older install
            keys.record_key(cur, self.signer, head)
        return Tip(tree.size, previous, tree), head

    def committed(self, tip: Tip) -> None:
        with self._lock:
            self._committed = tip
            self._key_on_record = True

    def forget(self) -> None:
        """The transaction rolled back: read the tip from the store next time."""
        with self._lock:
            self._committed = None

    def _tip(self, cur: Any) -> Tip:
        last = chain.last_link(cur)
        if last is None:
            return EMPTY
        size = last.leaf_index + 1
        with self._lock:
            known = self._committed
        if known is not None and known.size == size and known.chain_hash == last.chain_hash:
            return known
        return Tip(size, last.chain_hash, read_frontier(cur, size))


def read_frontier(cur: Any, size: int) -> RootBuilder:
    """The Merkle frontier of the first `size` chained leaves: popcount(size) rows by key,
    or, for a chain recorded before subtree hashes were kept, every leaf once."""
    ends = frontier_ends(size)
    marks = ", ".join("?" for _ in ends)
    rows = cur.execute(
        f"SELECT leaf_index, subtree_hash FROM integrity_chain WHERE leaf_index IN ({marks})",
        ends,
    ).fetchall()
    found = {int(r["leaf_index"]): r["subtree_hash"] for r in rows}
    if all(found.get(end) for end in ends):
        return RootBuilder.from_frontier(size, [bytes.fromhex(found[end]) for end in ends])
    tree = RootBuilder()
    while tree.size < size:
        batch = cur.execute(
            "SELECT leaf_hash FROM integrity_chain WHERE leaf_index >= ? "
            "ORDER BY leaf_index LIMIT ?",
            (tree.size, min(5000, size - tree.size)),
        ).fetchall()
        if not batch:
            raise RuntimeError(f"the integrity chain has fewer than {size} rows")
        for row in batch:
            tree.add(bytes.fromhex(row["leaf_hash"]))
    return tree
