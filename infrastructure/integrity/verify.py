"""Recompute the whole log and compare it with the recorded chain and the signed heads.

Streams three sorted sequences side by side — the events table (in notification order), the
recorded chain, the signed heads — read in one snapshot on a read-only connection
(readonly.py), so memory stays flat however long the log is and a live ledger is seen as of
one instant. Stops at the first difference and names its log position and event id:
  altered   the record at a chained position no longer hashes to its recorded leaf
            (a swap shows as the first of the two positions altered)
  deleted   a chained position is missing from the log
  inserted  the log holds a record with no chain link: the ledger writes a link with every
            event in the same transaction, so this row was written by someone else
  chain     the chain's own records were changed (running hash, index or subtree broken)
  head      a signed tree head does not match the tree, or names a key that is not trusted
            (the current key and the previous ones configured, or those given), or its
            signature is bad, or the log is shorter than a head (or the outside head given
            to `--head`) says; named by the last position the head covers
  unsigned  chained entries past the newest signed head (the ledger signs with every write)
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from infrastructure.integrity.canonical import EventRecord
from infrastructure.integrity.chain import GENESIS, Link, chain_next
from infrastructure.integrity.heads import SignedHead
from infrastructure.integrity.keys import KeyRing
from infrastructure.integrity.merkle import RootBuilder, leaf_hash
from infrastructure.integrity.signatures import Checked, SignatureChecks

TrustedKeys = KeyRing | Ed25519PublicKey | Iterable[Ed25519PublicKey]


@dataclass(frozen=True)
class Finding:
    kind: str  # altered | deleted | inserted | chain | head | unsigned
    leaf_index: int
    position: int | None
    event_id: str | None
    detail: str

    def describe(self) -> str:
        where = f"position {self.position}" if self.position is not None else "the chain"
        event = f" (event {self.event_id})" if self.event_id else ""
        return f"{self.kind} at {where}{event}, leaf {self.leaf_index}: {self.detail}"


@dataclass(frozen=True)
class Report:
    checked: int
    heads_checked: int
    seconds: float
    finding: Finding | None

    @property
    def ok(self) -> bool:
        return self.finding is None

    @property
    def rate(self) -> float:
        return self.checked / self.seconds if self.seconds > 0 else float("inf")


def iter_records(
    recorder: Any, batch: int = 1000, start: int | None = None
) -> Iterator[EventRecord]:
    """Stored events after `start` in notification order (None: from the very first id,
    even ids <= 0, which a reader starting at 0 would never see)."""
    while True:
        notifications = recorder.select_notifications(
            start=start, limit=batch, inclusive_of_start=False
        )
        if not notifications:
            return
        for n in notifications:
            yield EventRecord.of(n)
        start = notifications[-1].id


class _Walk:
    """One pass over log, chain and heads; `run` returns the first finding or None."""

    def __init__(
        self,
        records: Iterable[EventRecord],
        links: Iterable[Link],
        heads: Iterable[SignedHead],
        keys: KeyRing,
        newest_signed: int,
        outside: SignedHead | None = None,
    ) -> None:
        self.records, self.links, self.heads = iter(records), iter(links), iter(heads)
        self.keys, self.newest_signed, self.outside = keys, newest_signed, outside
        self.tree = RootBuilder()
        self.previous = GENESIS
        self.heads_checked = 0
        self.head = next(self.heads, None)
        while self.head is not None and self.head.tree_size == 0:
            self.head = next(self.heads, None)  # an empty tree's head says nothing to check
        self.first_unsigned: Link | None = None
        self.signatures = SignatureChecks(keys)

    def run(self, progress: Callable[[int], None] | None) -> Finding | None:
        """The first finding in log order: the walk's, or a head whose signature fails
        (checked beside the walk), whichever comes first."""
        try:
            problem = self._walk(progress)
            bad = self.signatures.first_bad()
        finally:
            self.signatures.close()
        if bad is not None and (problem is None or bad[0].tree_size - 1 <= problem.leaf_index):
            return _bad_signature(bad, self.keys)
        return problem

    def _walk(self, progress: Callable[[int], None] | None) -> Finding | None:
        if self.outside is not None and not self.keys.verify(self.outside):
            return Finding(
                "head",
                0,
                None,
                None,
                f"the tree head given (key {self.outside.key_id or 'not named'}) does not "
                f"verify with the trusted keys: {self.keys.describe()}",
            )
        record, link = next(self.records, None), next(self.links, None)
        while record is not None or link is not None:
            index = self.tree.size
            if link is None:
                return Finding(
                    "inserted",
                    index,
                    record.position,
                    record.event_id,
                    "no link in the integrity chain: written to the events table by "
                    "something other than the ledger",
                )
            problem = self._check_link(index, link)
            if problem is None and record is None:
                problem = Finding(
                    "deleted", index, link.position, link.event_id, "chained, missing from the log"
                )
            if problem is None:
                problem = self._compare(index, record, link)
            if problem is not None:
                return problem
            subtree = self.tree.add(link.leaf_hash)
            if link.subtree_hash is not None and link.subtree_hash != subtree:
                return Finding("chain", index, link.position, link.event_id, "subtree hash broken")
            self.previous = link.chain_hash
            if index == self.newest_signed:
                self.first_unsigned = link
            problem = self._check_heads(link)
            if problem is not None:
                return problem
            if progress and self.tree.size % 500 == 0:
                progress(500)
            record, link = next(self.records, None), next(self.links, None)
        return self._at_end()

    def _at_end(self) -> Finding | None:
        if self.head is not None:
            return Finding(
                "head",
                self.tree.size,
                None,
                None,
                f"a tree head was signed for size {self.head.tree_size} "
                f"but the chain ends at {self.tree.size}",
            )
        if self.outside is not None and self.outside.tree_size > self.tree.size:
            return Finding(
                "head",
                self.tree.size,
                None,
                None,
                f"the tree head given is of size {self.outside.tree_size}, "
                f"the log now holds {self.tree.size}: entries were removed",
            )
        unsigned = self.first_unsigned
        if unsigned is not None:
            return Finding(
                "unsigned",
                unsigned.leaf_index,
                unsigned.position,
                unsigned.event_id,
                f"{self.tree.size - self.newest_signed} chained entries past the newest "
                f"signed head (size {self.newest_signed}); the ledger signs with every write",
            )
        return None

    def _check_link(self, index: int, link: Link) -> Finding | None:
        if link.leaf_index != index:
            return Finding("chain", index, link.position, link.event_id, "chain row missing")
        if chain_next(self.previous, link.leaf_hash) != link.chain_hash:
            return Finding("chain", index, link.position, link.event_id, "running hash broken")
        return None

    def _compare(self, index: int, record: EventRecord, link: Link) -> Finding | None:
        if record.position < link.position:
            return Finding(
                "inserted",
                index,
                record.position,
                record.event_id,
                f"not in the chain, which has position {link.position} next",
            )
        if record.position > link.position:
            return Finding(
                "deleted",
                index,
                link.position,
                link.event_id,
                f"chained, missing from the log (next in the log: {record.position})",
            )
        if leaf_hash(record.leaf_data()) != link.leaf_hash:
            now = "" if record.event_id == link.event_id else f"; now holds {record.event_id}"
            return Finding(
                "altered",
                index,
                link.position,
                link.event_id,
                f"the record differs from the one chained{now}",
            )
        return None

    def _check_heads(self, link: Link) -> Finding | None:
        outside = self.outside
        if outside is not None and outside.tree_size == self.tree.size:
            if outside.root != self.tree.root():
                return Finding(
                    "head",
                    self.tree.size - 1,
                    None,
                    None,
                    f"the tree head given (size {outside.tree_size}, signed "
                    f"{outside.signed_at}) is not a prefix of this log: its root differs",
                )
            self.heads_checked += 1
        while self.head is not None and self.head.tree_size == self.tree.size:
            head = self.head
            if not self.keys.knows(head):
                return Finding(
                    "head",
                    self.tree.size - 1,
                    link.position,
                    link.event_id,
                    f"tree head of size {head.tree_size} signed {head.signed_at} names key "
                    f"{head.key_id}, which is not among the trusted keys "
                    f"({self.keys.describe()})",
                )
            bad = self.signatures.add(head, link)
            if bad is not None:
                return _bad_signature(bad, self.keys)
            if head.root != self.tree.root():
                return Finding(
                    "head",
                    self.tree.size - 1,
                    link.position,
                    link.event_id,
                    f"tree head of size {head.tree_size} signed {head.signed_at}: "
                    "its root differs from the tree recomputed from the log",
                )
            self.heads_checked += 1
            self.head = next(self.heads, None)
        return None


def _bad_signature(bad: Checked, keys: KeyRing) -> Finding:
    head, link = bad
    return Finding(
        "head",
        head.tree_size - 1,
        getattr(link, "position", None),
        getattr(link, "event_id", None),
        f"tree head of size {head.tree_size} signed {head.signed_at}: its signature does "
        f"not verify with the key it names ({head.key_id or 'none named'}; trusted: "
        f"{keys.describe()})",
    )


def walk_log(
    records: Iterable[EventRecord],
    links: Iterable[Link],
    heads: Iterable[SignedHead],
    keys: TrustedKeys,
    newest_signed: int,
    progress: Callable[[int], None] | None = None,
    outside: SignedHead | None = None,
) -> Report:
    """`keys`: the trusted keys (a ring, one public key, or several)."""
    started = time.perf_counter()
    walk = _Walk(records, links, heads, KeyRing.of(keys), newest_signed, outside)
    finding = walk.run(progress)
    if progress:
        progress(walk.tree.size % 500)  # the last partial batch
    return Report(walk.tree.size, walk.heads_checked, time.perf_counter() - started, finding)
