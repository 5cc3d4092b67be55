"""The referral package of an accountability case (移送材料): one JSON file that a discipline
commission can check offline with nothing but the ledger's public key.

It holds the facts of the case, every cited event with its full stored record (the record
whose canonical bytes are a leaf of the ledger's Merkle tree), the case's own events (who
opened, built and referred it) likewise, the documents' hashes, the responsible persons with
their part in each act, and, for every event, an inclusion proof against ONE signed tree head
(the newest when the package is made), that head and the public key. `check_case_package`
recomputes every leaf from the record in the package, so a changed byte of any record fails
verification and names the event.

Frozen at referral: what the case cites (events, documents, persons) cannot change once it
is referred (the domain refuses it). The proofs are made against the newest head when the
package is asked for, so two downloads may carry different heads; both prove the same
records, and any two heads are linked by a consistency proof (`/integrity/proofs/consistency`).
The file is served as its canonical JSON, so its SHA-256 (printed on the PDF) is that of the
bytes downloaded.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable
from typing import Any

from domain.accountability.act_parts import part_of
from domain.errors import NotFound
from domain.registry.model import Jurisdiction
from infrastructure.integrity import chain, keys
from infrastructure.integrity.canonical import EventRecord
from infrastructure.integrity.heads import SignedHead
from infrastructure.integrity.merkle import (
    RangeHash,
    inclusion_proof,
    leaf_hash,
    node_hash,
    root_from_inclusion,
)

FORMAT = "jixiao.case-package.v1"
ABOUT = (
    "Each event's 'record' is the stored event (position, originator id, version, topic, "
    "state: exact UTF-8 text in 'state_text', or 'state_base64'); its leaf is the canonical "
    "encoding of those five fields (jixiao.event.v1, each length-prefixed), hashed as RFC 9162 "
    "leaves H(0x00||data) and proved against the one signed tree head of this package "
    "(Ed25519 over 'jixiao tree head v1\\nsize: N\\nroot: HEX\\ntime: ISO\\n'). 'record_sha256' "
    "is the pin taken when the event was cited: SHA-256 of 'position\\noriginator id\\n"
    "version\\ntopic\\n' followed by the state bytes. Check: jixiao verify-proof FILE "
    "--public-key KEY."
)
FROZEN = (
    "Once referred (移送), the cited events, documents and responsible persons are fixed; the "
    "proofs are against the newest signed head when this file was made."
)
FINDINGS_NOTE = (
    "The findings (问责线索) the ledger computed whose events this case cites, as the findings "
    "view held them when the package was made: kind, the policy that judged it, what was "
    "measured, the persons by part, and its events by position and record hash (each proved "
    "under 'evidence')."
)


def canonical_json(package: dict[str, Any]) -> bytes:
    """The bytes the package is served as, and whose SHA-256 the PDF prints."""
    return json.dumps(package, ensure_ascii=False, sort_keys=True, indent=1).encode()


def package_sha256(package: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(package)).hexdigest()


def record_json(record: EventRecord) -> dict[str, Any]:
    """The stored record, its state as exact text when it is UTF-8 (readable, and every
    character of it counts), else as base64."""
    fields: dict[str, Any] = {
        "position": record.position,
        "originator_id": record.originator_id,
        "originator_version": record.originator_version,
        "topic": record.topic,
    }
    try:
        fields["state_text"] = record.state.decode("utf-8")
    except UnicodeDecodeError:
        fields["state_base64"] = base64.b64encode(record.state).decode()
    return fields


def record_of(fields: dict[str, Any]) -> EventRecord:
    if ("state_text" in fields) == ("state_base64" in fields):
        raise ValueError("a record holds its state once, as state_text or state_base64")
    if "state_text" in fields:
        state = str(fields["state_text"]).encode("utf-8")
    else:
        state = base64.b64decode(fields["state_base64"], validate=True)
    return EventRecord(
        int(fields["position"]),
        str(fields["originator_id"]),
        int(fields["originator_version"]),
        str(fields["topic"]),
        state,
    )


def pin_of(record: EventRecord) -> str:
    """The citation pin (domain/event_citation.record_sha256), from the record alone."""
    digest = hashlib.sha256(
        f"{record.position}\n{record.originator_id}\n"
        f"{record.originator_version}\n{record.topic}\n".encode()
    )
    digest.update(record.state)
    return digest.hexdigest()


def _actor(actor: Any) -> dict[str, Any]:
    return {
        "person_id": actor.person_id,
        "name": actor.name,
        "role": actor.role,
        "organisation_id": actor.organisation_id,
        "organisation_name": actor.organisation_name,
    }


PerfectHash = Callable[[int, int], bytes | None]  # (start, size) → root, if recorded


class SharedSubtrees:
    """Subtree roots for many proofs against one tree. Each range is split as RFC 9162 splits
    it, so every left part is a perfect subtree starting at a multiple of its size: its root
    is read from the hashes the chain records (`perfect`, a few rows) when it can be, else
    from the leaves. Every root is kept, so a package's proofs share them."""

    def __init__(
        self, subtree: RangeHash, perfect: PerfectHash | None = None, direct: int = 4096
    ) -> None:
        self._subtree, self._perfect, self._direct = subtree, perfect, direct
        self._known: dict[tuple[int, int], bytes] = {}

    def __call__(self, start: int, end: int) -> bytes:
        found = self._known.get((start, end))
        if found is None:
            n = end - start
            if self._perfect is not None and n & (n - 1) == 0 and start % n == 0:
                found = self._perfect(start, n)
            if found is None and n <= self._direct:
                found = self._subtree(start, end)
            if found is None:
                k = 1 << ((n - 1).bit_length() - 1)  # the largest power of two below n
                found = node_hash(self(start, start + k), self(start + k, end))
            self._known[(start, end)] = found
        return found


class RecordedSubtrees:
    """Roots of perfect subtrees from the chain's rows: row i records the root of the perfect
    subtree of size lowbit(i + 1) ending at leaf i. [start, start + size) with start a multiple
    of size is that row's subtree when lowbit(start + size) == size; otherwise it is the
    recorded left half and, recursively, the right half: O(log size) rows, None on rows
    chained before subtree hashes were kept."""

    def __init__(self, db: Any) -> None:
        self.db = db

    def _link(self, cur: Any, index: int) -> chain.Link | None:
        return next(iter(chain.iter_links(cur, index, index + 1)), None)

    def __call__(self, start: int, size: int) -> bytes | None:
        with self.db.transaction(write=False) as cur:
            return self._root(cur, start, size)

    def _root(self, cur: Any, start: int, size: int) -> bytes | None:
        link = self._link(cur, start + size - 1)
        if link is None or link.leaf_index != start + size - 1:
            return None
        if size == 1:
            return link.leaf_hash
        end = start + size
        if end & -end == size:
            return link.subtree_hash
        half = size // 2
        left, right = self._root(cur, start, half), self._root(cur, start + half, half)
        return node_hash(left, right) if left is not None and right is not None else None


class _Prover:
    """Events of the log with their records and proofs against one head."""

    def __init__(self, ledger: Any, integrity: Any, head: SignedHead) -> None:
        self.ledger, self.integrity, self.head = ledger, integrity, head
        self.subtrees = SharedSubtrees(integrity.subtree, RecordedSubtrees(integrity.db))

    def entry(self, link: chain.Link) -> dict[str, Any]:
        found = self.ledger.recorder.select_notifications(
            start=link.position, limit=1, stop=link.position
        )
        if not found:
            raise NotFound(f"no event at position {link.position} in the log")
        record = EventRecord.of(found[0])
        event = self.ledger.mapper.to_domain_event(found[0])
        act = getattr(event, "act", None)
        size, leaf = self.head.tree_size, leaf_hash(record.leaf_data())
        proof = inclusion_proof(link.leaf_index, size, self.subtrees)
        if root_from_inclusion(link.leaf_index, size, leaf, proof) != self.head.root:
            # Not from the recorded subtree hashes, then: from the leaves alone (if it still
            # fails, the record or the chain was changed and the checker names the event).
            proof = inclusion_proof(link.leaf_index, size, self.integrity.subtree)
        return {
            "position": record.position,
            "event_id": record.event_id,
            "event": type(event).__qualname__,
            "recorded_at": event.timestamp.isoformat(),
            "business_date": act.business_date.isoformat() if act and act.business_date else None,
            "actor": _actor(act.actor) if act else None,
            "reason": act.reason if act else None,
            "record": record_json(record),
            "leaf_index": link.leaf_index,
            "leaf_hash": leaf.hex(),
            "inclusion_proof": [p.hex() for p in proof],
        }


def _links(integrity: Any, positions: list[int], event_ids: list[str]) -> list[chain.Link]:
    with integrity.db.transaction(write=False) as cur:
        found = [chain.link_at_position(cur, p) for p in positions]
        found += [chain.link_at_event(cur, e) for e in event_ids]
    missing = [str(w) for w, link in zip([*positions, *event_ids], found, strict=True) if not link]
    if missing:
        raise NotFound(f"not in the integrity chain: {', '.join(missing)}; run jixiao verify")
    return [link for link in found if link is not None]


def _jurisdiction(ledger: Any, mof_div_code: str) -> dict[str, Any]:
    try:
        name = ledger.load(Jurisdiction, Jurisdiction.create_id(mof_div_code)).name
    except NotFound:  # a case names a registered jurisdiction; the name is only a label
        name = None
    return {"mof_div_code": mof_div_code, "name": name}


def build_case_package(ledger: Any, integrity: Any, case: dict[str, Any]) -> dict[str, Any]:
    """The case as its view holds it (projections/case_view.case_package: the facts at the
    top, `evidence`, `documents`, `persons`), each cited event given its full record and
    proof, each person's act its part, and the case's own events, all against the newest
    signed head."""
    head = integrity.head()
    cited = case["evidence"]
    own = [f"{case['case_id']}@{v}" for v in range(1, int(case["version"]) + 1)]
    links = _links(integrity, [int(e["cited_position"]) for e in cited], own)
    if any(link.leaf_index >= head.tree_size for link in links):
        raise NotFound("an event of the case is newer than the newest signed head")
    prover = _Prover(ledger, integrity, head)
    # A view row's `position` is where the citation was made; the cited one is cited_position.
    evidence = [
        {**row, **{k: v for k, v in prover.entry(link).items() if k != "position"}}
        for row, link in zip(cited, links, strict=False)
    ]
    persons = [
        {**p, "acts": [{**a, "part": part_of(a["event"], a.get("role"))} for a in p["acts"]]}
        for p in case["persons"]
    ]
    return {
        **case,
        "format": FORMAT,
        "kind": "case",
        "about": ABOUT,
        "frozen": FROZEN,
        "jurisdiction": _jurisdiction(ledger, case["mof_div_code"]),
        "evidence": evidence,
        "persons": persons,
        "case_events": [prover.entry(link) for link in links[len(cited) :]],
        "findings": case.get("findings", []),
        "findings_note": FINDINGS_NOTE,
        "tree_head": head.to_json(),
        "public_key": _public_key(integrity, head),
    }


def _public_key(integrity: Any, head: SignedHead) -> dict[str, Any]:
    """The key the head names (the current one, or a previous one after a rotation). It is
    carried for convenience: the checker trusts only the key it is given."""
    found = next((k for k in integrity.trusted if k.key_id == head.key_id), None)
    pem = keys.pem_of(found.key) if found else integrity.signer.public_key_pem()
    return {"key_id": head.key_id, "public_key_pem": pem}
