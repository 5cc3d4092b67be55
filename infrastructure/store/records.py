"""From what a recorder inserted to what the chain commits to."""

from __future__ import annotations

from collections.abc import Sequence

from eventsourcing.persistence import StoredEvent

from infrastructure.integrity.canonical import EventRecord


def records_of(
    writes: Sequence[Sequence[StoredEvent]], ids: Sequence[Sequence[int]]
) -> list[EventRecord]:
    """The canonical records of the inserted events, in log order. The originator id is
    written as a UUID string, as reading it back from either store gives it."""
    return [
        EventRecord(
            int(position),
            str(event.originator_id),
            int(event.originator_version),
            event.topic,
            bytes(event.state),
        )
        for events, positions in zip(writes, ids, strict=True)
        for event, position in zip(events, positions, strict=True)
    ]


def split(ids: Sequence[Sequence[int]]) -> list[list[int]]:
    return [list(i) for i in ids]
