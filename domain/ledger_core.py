"""The ledger's core: one eventsourcing Application, loading and saving aggregates.

Use cases live in one service per capability (domain/<capability>/cases.py), which the
`Ledger` in domain/ledger.py composes, each given this store. Each use case loads what it
needs, runs the command on the aggregate (which raises a DomainError before any event
exists if the act is not allowed), and saves in one atomic write. `expected_version`
carries the caller's If-Match.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from copy import deepcopy
from dataclasses import dataclass
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import RecordConflictError, Transcoder

from domain.business_dates import check_business_dates
from domain.calendar.working_days import WeekdayCalendar, WorkingDayCalendar
from domain.errors import AlreadyExists, DomainError, NotFound, VersionConflict
from domain.policy import PolicyBook
from domain.transcodings import all_transcodings

A = TypeVar("A", bound=Aggregate)

# What one request has read so far (id → aggregate, or None for "not there"): checks that
# change nothing read each aggregate once per request (see LedgerCore.read).
_reads: ContextVar[dict[UUID, Any] | None] = ContextVar("jixiao_reads", default=None)


# The outcome the write under way will be answered with (aggregate id, its new version), so
# the store can record it in the same transaction as the events (see infrastructure's
# idempotency claims): a retry after a crash can then be answered what was recorded.
_outcome: ContextVar[tuple[UUID, int] | None] = ContextVar("jixiao_outcome", default=None)


def outcome_in_hand() -> tuple[UUID, int] | None:
    """Within a save by `LedgerCore._save`: the aggregate it names and its new version."""
    return _outcome.get()


@contextmanager
def one_request() -> Iterator[None]:
    """Scope `LedgerCore.read` to one request: within it an aggregate is fetched once."""
    token = _reads.set({})
    try:
        yield
    finally:
        _reads.reset(token)


@dataclass(frozen=True)
class Outcome:
    """What a command produced: the aggregate, its new version, and the log position."""

    aggregate_id: UUID
    version: int
    position: int


class LedgerCore(Application[UUID]):
    name = "Ledger"

    def __init__(
        self,
        *args: Any,
        policies: PolicyBook | None = None,
        calendar: WorkingDayCalendar | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.policies = policies or PolicyBook.shipped()
        self.calendar = calendar or WeekdayCalendar()

    # Set by the Ledger in plain sight (domain/ledger.py): the gates a goal's approval must
    # pass, and what opens in the same write as a newly registered object.
    approval_gates: tuple[Callable[[Any], list[str]], ...] = ()
    registration_companions: tuple[Callable[[Any, Any], list[Aggregate]], ...] = ()

    def goal_approval_blockers(self, obj: Any) -> list[str]:
        """Reasons a goal may not be approved (批复) now: every gate's, in the gates' order."""
        return [reason for gate in self.approval_gates for reason in gate(obj)]

    def _registration_companions(self, act: Any, obj: Any) -> list[Aggregate]:
        """Aggregates opened in the same write as a newly registered object (e.g. its ex-ante
        file with the policy's judgement)."""
        return [made for companion in self.registration_companions for made in companion(act, obj)]

    def register_transcodings(self, transcoder: Transcoder) -> None:
        super().register_transcodings(transcoder)
        for transcoding in all_transcodings():
            transcoder.register(transcoding)

    # --- reading aggregates --------------------------------------------------------------

    def load(self, kind: type[A], aggregate_id: UUID, expected_version: int | None = None) -> A:
        """An aggregate to command: a copy, so a refused command changes nothing. If this
        request's checks already read it, the copy is made from that read (no second fetch;
        a change by someone else meanwhile still fails the save as a version conflict)."""
        reads = _reads.get()
        seen = None if reads is None else reads.get(aggregate_id)
        try:
            aggregate = deepcopy(seen) if seen is not None else self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            raise NotFound(f"no {kind.__name__} with id {aggregate_id}") from None
        if not isinstance(aggregate, kind):
            raise NotFound(f"no {kind.__name__} with id {aggregate_id}")
        if expected_version is not None and aggregate.version != expected_version:
            raise VersionConflict(
                f"expected version {expected_version}, the record is at version "
                f"{aggregate.version}; read it again before changing it"
            )
        return aggregate

    def read(self, kind: type[A], aggregate_id: UUID) -> A:
        """For checks that change nothing (authentication, reach, placement): the cached
        aggregate itself, not a copy to command, fetched once per request (`one_request`).
        A use case that will change an aggregate loads it with `load`."""
        reads = _reads.get()
        if reads is not None and aggregate_id in reads:
            found = reads[aggregate_id]
        else:
            try:
                found = self.repository.get(aggregate_id, deepcopy_from_cache=False)
            except AggregateNotFoundError:
                found = None
            if reads is not None:
                reads[aggregate_id] = found
        if not isinstance(found, kind):
            raise NotFound(f"no {kind.__name__} with id {aggregate_id}")
        return found

    def save(self, *objs: Any, **kwargs: Any) -> Any:
        check_business_dates(self.policies, objs)  # the jurisdiction's window, before writing
        recordings = super().save(*objs, **kwargs)
        reads = _reads.get()
        if reads:  # what this request read before saving is no longer current
            for recording in recordings:
                reads.pop(recording.domain_event.originator_id, None)
        return recordings

    def _save(
        self,
        aggregate: Aggregate,
        *others: Aggregate,
        conflict: type[DomainError] = VersionConflict,
    ) -> Outcome:
        """One atomic write of every given aggregate's pending events; the outcome names the
        first (the one the caller asked about)."""
        token = _outcome.set((aggregate.id, aggregate.version))
        try:
            recordings = self.save(aggregate, *others)
        except RecordConflictError:
            raise conflict(
                "already registered"
                if conflict is AlreadyExists
                else "the record changed while this command ran; read it again"
            ) from None
        finally:
            _outcome.reset(token)
        position = max((r.notification.id for r in recordings), default=0)
        return Outcome(aggregate.id, aggregate.version, position)
