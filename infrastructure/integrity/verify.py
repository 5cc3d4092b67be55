"""Recompute the whole log and compare it with the recorded chain and the signed heads.

Streams three sorted sequences side by side — the events table (in notification order), the
recorded chain, the signed heads — so memory stays flat however long the log is. Stops at
the first difference and names its log position and event id:
  altered   the record at a chained position no longer hashes to its recorded leaf
            (a swap shows as the first of the two positions altered)
  deleted   a chained position is missing from the log
  inserted  the log holds a record the chain never saw (between or after chained ones)
  chain     the chain's own records were changed (running hash or index broken)
  head      a signed tree head does not match the tree, or its signature is bad
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from infrastructure.integrity.canonical import EventRecord
from infrastructure.integrity.chain import GENESIS, Link, chain_next, iter_links
from infrastructure.integrity.heads import SignedHead
from infrastructure.integrity.merkle import RootBuilder, leaf_hash


@dataclass(frozen=True)
class Finding:
    kind: str  # altered | deleted | inserted | chain | head
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


def iter_heads(db: Any, batch: int = 500) -> Iterator[SignedHead]:
    after_size, after_time = -1, ""
    while True:
        with db.transaction(write=False) as cur:
            rows = cur.execute(
                "SELECT * FROM tree_heads WHERE tree_size > ? OR (tree_size = ? AND signed_at > ?) "
                "ORDER BY tree_size, signed_at LIMIT ?",
                (after_size, after_size, after_time, batch),
            ).fetchall()
        if not rows:
            return
        for row in rows:
            yield SignedHead.from_row(row)
        after_size, after_time = int(rows[-1]["tree_size"]), rows[-1]["signed_at"]


class _Walk:
    """One pass over log, chain and heads; `run` returns the first finding or None.

    On a live ledger the log and the chain grow while we read: when one of them ends
    before the other, it is read again once (after `grace` seconds for the chain, which
    follows the log) before the difference counts as a finding.
    """

    def __init__(
        self,
        records_after: Callable[[int | None], Iterator[EventRecord]],
        links_from: Callable[[int], Iterator[Link]],
        heads: Iterator[SignedHead],
        key: Ed25519PublicKey,
        grace: float,
    ) -> None:
        self.records_after, self.links_from = records_after, links_from
        self.records, self.links = records_after(None), links_from(0)
        self.heads, self.key, self.grace = heads, key, grace
        self.tree = RootBuilder()
        self.previous = GENESIS
        self.last_position: int | None = None
        self.heads_checked = 0
        self.head = next(self.heads, None)

    def _next_pair(self) -> tuple[EventRecord | None, Link | None]:
        record, link = next(self.records, None), next(self.links, None)
        if record is None and link is not None:
            self.records = self.records_after(self.last_position)
            record = next(self.records, None)
        elif link is None and record is not None:
            time.sleep(self.grace)
            self.links = self.links_from(self.tree.size)
            link = next(self.links, None)
        return record, link

    def run(self, progress: Callable[[int], None] | None) -> Finding | None:
        record, link = self._next_pair()
        while record is not None or link is not None:
            index = self.tree.size
            if link is None:
                return Finding(
                    "inserted",
                    index,
                    record.position,
                    record.event_id,
                    "no link in the integrity chain: inserted out of band "
                    "(or saved while the chain was not being extended)",
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
            self.tree.add(link.leaf_hash)
            self.previous = link.chain_hash
            self.last_position = record.position
            problem = self._check_heads()
            if problem is not None:
                return problem
            if progress and self.tree.size % 500 == 0:
                progress(500)
            record, link = self._next_pair()
        if self.head is not None:
            return Finding(
                "head",
                self.tree.size,
                None,
                None,
                f"a tree head was signed for size {self.head.tree_size} "
                f"but the chain ends at {self.tree.size}",
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

    def _check_heads(self) -> Finding | None:
        while self.head is not None and self.head.tree_size == self.tree.size:
            head = self.head
            if not head.verify(self.key):
                reason = "its signature does not verify with this ledger's key"
            elif head.root != self.tree.root():
                reason = "its root differs from the tree recomputed from the log"
            else:
                reason = None
            if reason:
                return Finding(
                    "head",
                    self.tree.size - 1,
                    None,
                    None,
                    f"tree head of size {head.tree_size} signed {head.signed_at}: {reason}",
                )
            self.heads_checked += 1
            self.head = next(self.heads, None)
        return None


def verify_log(
    recorder: Any,
    db: Any,
    public_key: Ed25519PublicKey,
    progress: Callable[[int], None] | None = None,
    batch: int = 1000,
    grace: float = 0.5,
) -> Report:
    started = time.perf_counter()
    heads = iter_heads(db)
    walk = _Walk(
        lambda after: iter_records(recorder, batch, after),
        lambda index: iter_links(db, index, batch=batch),
        heads,
        public_key,
        grace,
    )
    while walk.head is not None and walk.head.tree_size == 0:
        walk.head = next(heads, None)  # an empty tree's head says nothing to check
    finding = walk.run(progress)
    if progress:
        progress(walk.tree.size % 500)  # the last partial batch
    return Report(walk.tree.size, walk.heads_checked, time.perf_counter() - started, finding)
