"""The integrity service: installs the chain's tables, answers heads and proofs, verifies.

It never chains: links and heads are written by the ledger's recorder in the transaction
that stores their events (chain_writer.py, infrastructure/store/). Built from the
application's Services (`IntegrityService.from_services`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

import psycopg
import structlog

from domain.errors import InvalidInput, NotFound
from infrastructure.integrity import chain, heads, keys, triggers
from infrastructure.integrity.canonical import EventRecord
from infrastructure.integrity.evidence import consistency_package, inclusion_package
from infrastructure.integrity.heads import HeadSigner, SignedHead, key_id_of, load_public_key
from infrastructure.integrity.keys import KeyRing
from infrastructure.integrity.merkle import (
    EMPTY_ROOT,
    RootBuilder,
    consistency_proof,
    inclusion_proof,
)
from infrastructure.integrity.verify import Report

log = structlog.get_logger(__name__)

INTEGRITY_TABLES = ("integrity_chain", "tree_heads")


def _exists(cur: Any, table: str) -> bool:
    if cur.dialect == "postgres":
        row = cur.execute("SELECT to_regclass(?) AS found", (table,)).fetchone()
    else:
        row = cur.execute(
            "SELECT name AS found FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
        ).fetchone()
    return row is not None and row["found"] is not None


def _recorded_pem(row: dict[str, Any]) -> str | None:
    """A recorded key as PEM, if the row holds a key that has the id it is filed under."""
    try:
        key = load_public_key(row["public_key"])
    except ValueError:
        return None
    return keys.pem_of(key) if key_id_of(key) == row["key_id"] else None


class IntegrityService:
    def __init__(
        self,
        ledger: Any,
        db: Any,
        signer: HeadSigner,
        batch_size: int = 1000,
        trusted: KeyRing | None = None,
    ) -> None:
        self.ledger = ledger
        self.db = db
        self.signer = signer
        self.batch_size = batch_size
        # The keys whose heads this ledger believes: its own and the retired ones configured.
        self.trusted = trusted or KeyRing(signer.public_key)

    @classmethod
    def from_services(cls, services: Any, **kwargs: Any) -> IntegrityService:
        key, generated = services.settings.integrity_key()
        if generated:
            log.warning(
                "integrity.development_key",
                detail="generated tree-head signing key; set JIXIAO_INTEGRITY_SIGNING_KEY "
                "in production",
            )
        signer = HeadSigner.from_text(key)
        previous = getattr(services.settings, "integrity_previous_public_keys", None)
        trusted = KeyRing.configured(signer, previous)
        service = cls(services.ledger, services.views_db, signer, trusted=trusted, **kwargs)
        service.install(create_keys_table=getattr(services.settings, "create_tables", True))
        return service

    @property
    def events_table(self) -> str:
        return self.ledger.recorder.events_table_name

    # --- schema and triggers -------------------------------------------------------------

    def install(self, create_keys_table: bool = True) -> None:
        """Create the chain and head tables and the append-only triggers (idempotent)."""
        with self.db.transaction() as cur:
            for table, statements in (
                ("integrity_chain", chain.SCHEMA),
                ("tree_heads", [heads.SCHEMA]),
            ):
                if not _exists(cur, table):  # CREATE ... IF NOT EXISTS needs the owner
                    for statement in statements:
                        cur.execute(statement)
            chain.add_subtree_column(cur)
            triggers.install_append_only(cur, (self.events_table, *INTEGRITY_TABLES))
        self._install_keys_table(create_keys_table)

    def _install_keys_table(self, create: bool) -> None:
        """The record of signing keys came later: a ledger that does not own its tables
        (JIXIAO_CREATE_TABLES=false) runs without it (heads still name their key) until the
        owner installs it with `jixiao integrity-install`."""
        try:
            with self.db.transaction() as cur:
                if not keys.table_exists(cur):
                    if not create:
                        log.warning(
                            "integrity.keys_table_missing",
                            detail="run `jixiao integrity-install` as the table owner",
                        )
                        return
                    cur.execute(keys.SCHEMA)
                triggers.install_append_only(cur, ("integrity_keys",))
        except (sqlite3.Error, psycopg.Error) as e:
            log.warning(
                "integrity.keys_table_missing",
                detail="run `jixiao integrity-install` as the table owner",
                error=str(e),
            )

    def sign_head(self) -> SignedHead:
        """A head signed now over what the ledger last committed: the newest recorded head's
        size and root, once its own signature checks, re-signed with the time of asking.
        It chains nothing."""
        with self.db.transaction() as cur:
            newest = heads.latest_head(cur)
            if newest is not None and not self.trusted.verify(newest):
                raise NotFound("the newest recorded tree head does not verify; run jixiao verify")
            if newest is None and chain.chain_size(cur):
                raise NotFound("chained entries and no signed head; run jixiao verify")
            size, root = (0, EMPTY_ROOT) if newest is None else (newest.tree_size, newest.root)
            head = self.signer.sign(size, root)
            heads.record_head(cur, head)
            if keys.table_exists(cur):
                keys.record_key(cur, self.signer, head)
        log.info("integrity.head_signed", tree_size=size, root=head.root.hex())
        return head

    # --- reading heads and proofs --------------------------------------------------------

    def head(self, tree_size: int | None = None) -> SignedHead:
        """The newest head (the ledger signs one with every write), or the newest of
        `tree_size`. Before the first event: the empty tree's head, signed now."""
        with self.db.transaction(write=False) as cur:
            found = heads.latest_head(cur, tree_size)
            chained = chain.chain_size(cur) if found is None and tree_size is None else 0
        if found is None and tree_size is None:
            if chained:  # never sign "empty" over a chain that is not
                raise NotFound(f"{chained} chained entries and no signed head; run jixiao verify")
            return self.signer.sign(0, EMPTY_ROOT)
        if found is None:
            raise NotFound(f"no signed tree head for size {tree_size}", field="tree_size")
        return found

    def subtree(self, start: int, end: int) -> bytes:
        builder = RootBuilder()
        with self.db.transaction(write=False) as cur:
            for link in chain.iter_links(cur, start, end, self.batch_size):
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

    def verify(self, progress: Callable[[int], None] | None = None) -> Report:
        """`jixiao verify` over this store, on a read-only connection of its own."""
        from infrastructure.integrity.readonly import verify_store

        return verify_store(self.db.location, self.events_table, self.trusted, progress)

    def public_keys(self) -> list[dict[str, Any]]:
        """The keys that check this ledger's heads (the current one first, then the previous
        ones configured), then any key recorded in the database and configured nowhere:
        listed so it can be found, marked untrusted (see keys.py)."""
        listed = [
            {
                "key_id": k.key_id,
                "status": "current" if k.current else "previous",
                "trusted": True,
                "public_key_pem": keys.pem_of(k.key),
            }
            for k in self.trusted
        ]
        with self.db.transaction(write=False) as cur:
            recorded = keys.recorded_keys(cur) if keys.table_exists(cur) else []
        first_use = {r["key_id"]: r for r in recorded}
        for entry in listed:
            row = first_use.pop(entry["key_id"], None)
            entry["first_tree_size"] = int(row["first_tree_size"]) if row else None
            entry["first_signed_at"] = row["first_signed_at"] if row else None
        for row in first_use.values():
            listed.append(
                {
                    "key_id": row["key_id"],
                    "status": "recorded",
                    "trusted": False,
                    "public_key_pem": _recorded_pem(row),
                    "first_tree_size": int(row["first_tree_size"]),
                    "first_signed_at": row["first_signed_at"],
                }
            )
        return listed
