"""What both ledger recorders share: a save goes through group commit, and each group is
written with its chain links, its signed head and the outcomes of the idempotency claims it
carries by the store-specific `_write_chained`. The chain writer's cached tip follows only
commits that happened."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.persistence import ProgrammingError, RecordConflictError, StoredEvent

from domain.ledger_core import outcome_in_hand
from infrastructure.idempotency import (
    Claim,
    ClaimLost,
    RecordedOutcome,
    claim_in_hand,
    record_outcomes,
)
from infrastructure.integrity.canonical import EventRecord
from infrastructure.integrity.chain_writer import ChainWriter, Tip
from infrastructure.store.group_commit import GroupCommit
from infrastructure.views.viewdb import ViewCursor

# Called inside the transaction, after the inserts: writes the chain and the claims.
Finish = Callable[[ViewCursor, list[list[int]]], Tip]


@dataclass(frozen=True)
class Write:
    """One command's save: its events, the idempotency claim it runs under, and the
    aggregate and version its answer will name."""

    events: list[StoredEvent]
    claim: Claim | None
    outcome: tuple[UUID, int] | None

    def recorded(self, positions: Sequence[int]) -> RecordedOutcome:
        if self.outcome is not None:
            aggregate_id, version = self.outcome
        else:  # a save outside `_save`: the first aggregate written, at its last version
            first = self.events[0].originator_id
            aggregate_id = first
            version = max(e.originator_version for e in self.events if e.originator_id == first)
        return RecordedOutcome(str(aggregate_id), int(version), int(max(positions)))


class ChainedWrites:
    chain: ChainWriter | None = None  # set by bootstrap(); no chain, no write

    def _start_chaining(self) -> None:
        self.chain = None
        self.group: GroupCommit[Write, list[int]] = GroupCommit(
            self._commit, conflicts=(RecordConflictError, ClaimLost)
        )

    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> list[int]:
        if kwargs.get("tracking") is not None:
            raise ProgrammingError("the ledger's recorder takes no tracking records")
        if not stored_events:
            return []
        return self.group.submit(Write(list(stored_events), claim_in_hand(), outcome_in_hand()))

    def _commit(self, writes: Sequence[Write]) -> list[list[int]]:
        chain = self.chain
        if chain is None:
            raise ProgrammingError("no chain writer: the ledger records only through bootstrap()")

        def finish(cur: ViewCursor, ids: list[list[int]]) -> Tip:
            tip, _ = chain.extend(cur, records_of([w.events for w in writes], ids))
            claimed = [
                (w.claim, w.recorded(positions))
                for w, positions in zip(writes, ids, strict=True)
                if w.claim is not None
            ]
            if claimed:
                record_outcomes(cur, claimed)
            return tip

        try:
            ids, tip = self._write_chained([w.events for w in writes], finish)
        except BaseException:
            chain.forget()
            raise
        chain.committed(tip)
        return ids

    def _write_chained(
        self, writes: Sequence[list[StoredEvent]], finish: Finish
    ) -> tuple[list[list[int]], Tip]:
        """Insert the writes' events, then `finish` in the same transaction; commit; return
        each write's notification ids and the new tip."""
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
