"""What both ledger recorders share: a save goes through group commit, and each group is
written with its chain links and signed head by the store-specific `_write_chained`. The
chain writer's cached tip follows only commits that happened."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import ProgrammingError, StoredEvent

from infrastructure.integrity.canonical import EventRecord
from infrastructure.integrity.chain_writer import ChainWriter, Tip
from infrastructure.store.group_commit import GroupCommit


class ChainedWrites:
    chain: ChainWriter | None = None  # set by bootstrap(); no chain, no write

    def _start_chaining(self) -> None:
        self.chain = None
        self.group: GroupCommit[list[StoredEvent], list[int]] = GroupCommit(self._commit)

    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> list[int]:
        if kwargs.get("tracking") is not None:
            raise ProgrammingError("the ledger's recorder takes no tracking records")
        if not stored_events:
            return []
        return self.group.submit(list(stored_events))

    def _commit(self, writes: Sequence[list[StoredEvent]]) -> list[list[int]]:
        chain = self.chain
        if chain is None:
            raise ProgrammingError("no chain writer: the ledger records only through bootstrap()")
        try:
            ids, tip = self._write_chained(writes, chain)
        except BaseException:
            chain.forget()
            raise
        chain.committed(tip)
        return ids

    def _write_chained(
        self, writes: Sequence[list[StoredEvent]], chain: ChainWriter
    ) -> tuple[list[list[int]], Tip]:
        """Insert the writes' events, then `chain.extend` in the same transaction; commit;
        return each write's notification ids and the new tip."""
        raise NotImplementedError


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
