"""The integrity service: keeps the chain up with the log, signs heads, answers proofs.

Built from the application's Services (`IntegrityService.from_services`). The chain is
extended by reading the log after the last chained position, under a lock so two
processes never chain the same event twice; every `head_interval` new entries a tree head
is signed and recorded, and one can be signed on demand.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import structlog

from domain.errors import InvalidInput, NotFound
from infrastructure.integrity import chain, heads, triggers
from infrastructure.integrity.canonical import EventRecord
from infrastructure.integrity.evidence import consistency_package, inclusion_package
from infrastructure.integrity.heads import HeadSigner, SignedHead
from infrastructure.integrity.merkle import (
    RootBuilder,
    consistency_proof,
    inclusion_proof,
)
from infrastructure.integrity.verify import Report, verify_log

log = structlog.get_logger(__name__)

HEAD_INTERVAL = 1000  # sign a tree head every this many new log entries
INTEGRITY_TABLES = ("integrity_chain", "tree_heads")


def _exists(cur: Any, table: str) -> bool:
    if cur.dialect == "postgres":
        row = cur.execute("SELECT to_regclass(?) AS found", (table,)).fetchone()
    else:
        row = cur.execute(
            "SELECT name AS found FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
        ).fetchone()
    return row is not None and row["found"] is not None


class IntegrityService:
    def __init__(
        self,
        ledger: Any,
        db: Any,
        signer: HeadSigner,
        head_interval: int = HEAD_INTERVAL,
        batch_size: int = 1000,
    ) -> None:
        self.ledger = ledger
        self.db = db
        self.signer = signer
        self.head_interval = head_interval
        self.batch_size = batch_size
        self._tree = RootBuilder()  # the tree over the chain so far, for signing heads
        self._tree_lock = threading.Lock()

    @classmethod
    def from_services(cls, services: Any, **kwargs: Any) -> IntegrityService:
        key, generated = services.settings.integrity_key()
        if generated:
            log.warning(
                "integrity.development_key",
                detail="generated tree-head signing key; set JIXIAO_INTEGRITY_SIGNING_KEY "
                "in production",
            )
        service = cls(services.ledger, services.views_db, HeadSigner.from_text(key), **kwargs)
        service.install()
        return service

    @property
    def events_table(self) -> str:
        return self.ledger.recorder.events_table_name

    @contextmanager
    def _writing(self) -> Iterator[Any]:
        """One chain-writing transaction. Writers are serialised (PostgreSQL: an advisory lock
        per schema; SQLite: BEGIN IMMEDIATE); if it rolls back, the cached tree, which may
        have folded in the rolled-back links, is dropped."""
        try:
            with self.db.transaction() as cur:
                if cur.dialect == "postgres":
                    cur.execute(
                        "SELECT pg_advisory_xact_lock("
                        "hashtext(current_schema() || '.jixiao_integrity'))"
                    )
                yield cur
        except BaseException:
            with self._tree_lock:
                self._tree = RootBuilder()
            raise

    # --- schema and triggers -------------------------------------------------------------

    def install(self) -> None:
        """Create the chain and head tables and the append-only triggers (idempotent)."""
        with self._writing() as cur:
            for table, statements in (
                ("integrity_chain", chain.SCHEMA),
                ("tree_heads", [heads.SCHEMA]),
            ):
                if not _exists(cur, table):  # CREATE ... IF NOT EXISTS needs the owner
                    for statement in statements:
                        cur.execute(statement)
            triggers.install_append_only(cur, (self.events_table, *INTEGRITY_TABLES))

    # --- extending the chain -------------------------------------------------------------

    def extend(self) -> int:
        """Chain every event not yet chained, signing a head at each multiple of the interval.
        Returns how many were chained."""
        added = 0
        while True:
            with self._writing() as cur:
                last = chain.last_link(cur)
                size = 0 if last is None else last.leaf_index + 1
                # stop each batch at the next interval boundary, so heads fall on multiples
                limit = min(self.batch_size, self.head_interval - size % self.head_interval)
                notifications = self.ledger.recorder.select_notifications(
                    start=None if last is None else last.position,
                    limit=limit,
                    inclusive_of_start=False,
                )
                links = chain.links_for([EventRecord.of(n) for n in notifications], last)
                chain.append_links(cur, links)
                size += len(links)
                if links and size % self.head_interval == 0:
                    heads.record_head(cur, self.signer.sign(size, self._root_at(cur, size)))
            added += len(links)
            if len(links) < limit:
                return added

    def after_save(self) -> None:
        """The ledger's on_saved hook: chain the new events now. A failure must not fail the
        command that was already recorded; the next call catches up."""
        try:
            self.extend()
        except Exception:
            log.exception("integrity.extend_failed")

    def _root_at(self, cur: Any, size: int) -> bytes:
        """Root of the first `size` chained leaves (read in the caller's transaction, which
        may have just appended them), folding in only the links not seen before."""
        with self._tree_lock:
            if self._tree.size > size:
                self._tree = RootBuilder()
            while self._tree.size < size:
                rows = cur.execute(
                    "SELECT leaf_hash FROM integrity_chain WHERE leaf_index >= ? "
                    "ORDER BY leaf_index LIMIT ?",
                    (self._tree.size, min(self.batch_size, size - self._tree.size)),
                ).fetchall()
                if not rows:
                    raise NotFound(f"the chain has fewer than {size} entries")
                for row in rows:
                    self._tree.add(bytes.fromhex(row["leaf_hash"]))
            return self._tree.root()

    def sign_head(self) -> SignedHead:
        """Chain what is new, then sign and record a head over the whole chain now."""
        self.extend()
        with self._writing() as cur:
            size = chain.chain_size(cur)
            head = self.signer.sign(size, self._root_at(cur, size))
            heads.record_head(cur, head)
        log.info("integrity.head_signed", tree_size=size, root=head.root.hex())
        return head

    # --- reading heads and proofs --------------------------------------------------------

    def head(self, tree_size: int | None = None) -> SignedHead:
        with self.db.transaction(write=False) as cur:
            found = heads.latest_head(cur, tree_size)
        if found is None:
            which = "yet" if tree_size is None else f"for size {tree_size}"
            raise NotFound(f"no signed tree head {which}", field="tree_size")
        return found

    def subtree(self, start: int, end: int) -> bytes:
        builder = RootBuilder()
        for link in chain.iter_links(self.db, start, end, self.batch_size):
            builder.add(link.leaf_hash)
        if builder.size != end - start:
            raise NotFound(f"the chain lacks entries in [{start}, {end})")
        return builder.root()

    def _link(self, position: int | None, event_id: str | None) -> chain.Link:
        with self.db.transaction(write=False) as cur:
            if position is not None:
                link = chain.link_at_position(cur, position)
            elif event_id is not None:
                link = chain.link_at_event(cur, event_id)
            else:
                raise InvalidInput("give a position or an event_id", field="position")
        if link is None:
            which = f"position {position}" if position is not None else f"event {event_id}"
            raise NotFound(f"no chained event at {which}", field="position")
        return link

    def _record(self, position: int) -> EventRecord:
        found = self.ledger.recorder.select_notifications(start=position, limit=1, stop=position)
        if not found:
            raise NotFound(f"no event at position {position} in the log", field="position")
        return EventRecord.of(found[0])

    def evidence(
        self, position: int | None = None, event_id: str | None = None, tree_size: int | None = None
    ) -> dict[str, Any]:
        """An inclusion evidence package: the event as stored now, its leaf, the proof against
        a signed head (the newest, or the one of `tree_size`), and the signing key's id."""
        link = self._link(position, event_id)
        head = self.head(tree_size)
        if link.leaf_index >= head.tree_size:
            raise InvalidInput(
                f"the event is leaf {link.leaf_index}, not in the tree of size {head.tree_size}",
                field="tree_size",
            )
        proof = inclusion_proof(link.leaf_index, head.tree_size, self.subtree)
        return inclusion_package(self._record(link.position), link.leaf_index, proof, head)

    def consistency(self, old_size: int, new_size: int) -> dict[str, Any]:
        if not 0 < old_size <= new_size:
            raise InvalidInput("need 0 < old_size <= new_size", field="old_size")
        old, new = self.head(old_size), self.head(new_size)
        proof = consistency_proof(old_size, new_size, self.subtree)
        return consistency_package(old, new, proof)

    def verify(self, progress: Callable[[int], None] | None = None, grace: float = 0.5) -> Report:
        return verify_log(
            self.ledger.recorder, self.db, self.signer.public_key, progress, self.batch_size, grace
        )
