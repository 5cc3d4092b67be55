"""Checking a case's referral package offline (`jixiao verify-proof FILE --public-key KEY`).

Every event's leaf is recomputed from the record bytes in the package and its inclusion
proof followed to the root of the package's one signed head, whose signature is checked with
the keys given (never the key the package carries). Each problem names the event. What the
package says around the records is checked against them too: the event id, type, actor and
time of each entry, the citation pins, the persons' acts, who opened and referred the case.
"""

from __future__ import annotations

import json
from typing import Any

from infrastructure.integrity.case_package import FORMAT, pin_of, record_of
from infrastructure.integrity.heads import SignedHead
from infrastructure.integrity.keys import KeyRing
from infrastructure.integrity.merkle import leaf_hash, root_from_inclusion
from infrastructure.integrity.verify import TrustedKeys


def is_case_package(package: Any) -> bool:
    return isinstance(package, dict) and package.get("format") == FORMAT


def _position(kind: str, entry: dict[str, Any]) -> Any:
    return entry.get("cited_position" if kind == "cited" else "position")


def _label(kind: str, entry: dict[str, Any]) -> str:
    return (
        f"{kind} event at position {_position(kind, entry)} "
        f"({entry.get('event')}, {entry.get('event_id')})"
    )


def _said_by_record(kind: str, entry: dict[str, Any], state: bytes) -> list[str]:
    """The entry's summary (type, actor, time) as the record itself says it."""
    problems = []
    record = entry["record"]
    if record["topic"].rsplit(":", 1)[-1] != entry["event"]:
        problems.append(f"its type is not the record's ({record['topic']})")
    if (record["position"], f"{record['originator_id']}@{record['originator_version']}") != (
        _position(kind, entry),
        entry["event_id"],
    ):
        problems.append("its position or event id is not the record's")
    text = state.decode("utf-8", errors="replace")
    actor = entry.get("actor") or {}
    for field in ("person_id", "name", "role"):
        if actor and json.dumps(actor.get(field), ensure_ascii=False) not in text:
            problems.append(f"its actor's {field} is not in the record")
    return problems


def _check_entry(kind: str, entry: dict[str, Any], head: SignedHead) -> list[str]:
    label = _label(kind, entry)
    try:
        record = record_of(entry["record"])
        leaf = leaf_hash(record.leaf_data())
        problems = _said_by_record(kind, entry, record.state)
        if leaf.hex() != entry["leaf_hash"]:
            problems.append("the leaf hash does not match the record (the record was changed)")
        proof = [bytes.fromhex(p) for p in entry["inclusion_proof"]]
        root = root_from_inclusion(int(entry["leaf_index"]), head.tree_size, leaf, proof)
        if root != head.root:
            problems.append(
                f"the record is not proved in the signed tree of size {head.tree_size} "
                "(changed record or proof)"
            )
        if kind == "cited" and pin_of(record) != entry["record_sha256"]:
            problems.append("the record is not the one pinned when it was cited (record_sha256)")
    except (KeyError, TypeError, ValueError, UnicodeError) as e:
        return [f"{label}: malformed: {e!r}"]
    return [f"{label}: {p}" for p in problems]


def _check_persons(package: dict[str, Any]) -> list[str]:
    """A person's acts are cited events done by that person."""
    by_position = {e["cited_position"]: e for e in package["evidence"]}
    problems = []
    for person in package["persons"]:
        for part in person["acts"]:
            cited = by_position.get(part["position"])
            if cited is None or (cited.get("actor") or {}).get("person_id") != person["person_id"]:
                problems.append(
                    f"responsible person {person['name']}: the act at position "
                    f"{part['position']} is not a cited event of theirs"
                )
    return problems


def _check_facts(package: dict[str, Any]) -> list[str]:
    """Who opened and who referred the case, as the case's own events say."""
    facts = package
    said = {e["event"].rsplit(".", 1)[-1]: e for e in package["case_events"]}
    problems = []
    for event, field in (("Opened", "opened_by_name"), ("Referred", "referred_by_name")):
        entry = said.get(event)
        if facts.get(field) is not None and (
            entry is None or (entry.get("actor") or {}).get("name") != facts[field]
        ):
            problems.append(f"the case's {field} is not the actor of its {event} event")
    return problems


def check_case_package(package: dict[str, Any], keys: TrustedKeys) -> list[str]:
    """What is wrong with the case package (empty: every record in it is proved)."""
    ring = KeyRing.of(keys)
    try:
        head = SignedHead.from_json(package["tree_head"])
        problems = []
        if not ring.knows(head):
            problems.append(
                f"tree head: signed with key {head.key_id}, which is not among the public keys "
                f"given ({ring.describe()})"
            )
        elif not ring.verify(head):
            problems.append(f"tree head: the signature does not verify with key {head.key_id}")
        for kind, entries in (("cited", package["evidence"]), ("case", package["case_events"])):
            for entry in entries:
                problems += _check_entry(kind, entry, head)
        if not package["evidence"]:
            problems.append("the package cites no event")
        return problems + _check_persons(package) + _check_facts(package)
    except (KeyError, TypeError, ValueError, AttributeError) as e:
        return [f"malformed package: {e!r}"]
