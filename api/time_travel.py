"""Time travel: an aggregate as it stood at an instant of recorded time (the library's event
timestamp, not the business date an act claims), and the log position that state reflects.

The lookup reads only the aggregate's own stored events (by its primary key, with their log
positions), decodes each to find the last version recorded at or before the instant, and
rebuilds that version with `repository.get(id, version=v)`: the cost grows with that
aggregate's history, never with the size of the log. As-of reads answer the log position
in the `X-Log-Position` header, as commands do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any, TypeVar
from uuid import UUID
from zoneinfo import ZoneInfo

from eventsourcing.domain import Aggregate
from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from fastapi import Query, Response
from psycopg.sql import SQL, Identifier
from pydantic import AwareDatetime, BeforeValidator

from domain.errors import InvalidInput, NotFound
from domain.ledger import Ledger

A = TypeVar("A", bound=Aggregate)
CHINA = ZoneInfo("Asia/Shanghai")
_ISO_INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def _iso_only(value: Any) -> Any:
    # Pydantic would also take a bare number as a Unix time; an instant here is ISO-8601.
    if isinstance(value, str) and not _ISO_INSTANT.match(value):
        raise ValueError("an ISO-8601 instant with its timezone, e.g. 2024-06-30T12:00:00+08:00")
    return value


Instant = Annotated[AwareDatetime, BeforeValidator(_iso_only)]
AS_OF_DOC = (
    "An instant of recorded time (ISO-8601 with its timezone; a naive one is refused): the "
    "state as it stood then, rebuilt from this record's own events; the log position it "
    "reflects is in the X-Log-Position header. Before the record existed: 404."
)
AsOfInstant = Annotated[Instant | None, Query(description=AS_OF_DOC)]
# Reads whose answer a policy computes (ex-ante `passes`, a result proposal): the policy is
# the one the ledger selects for that jurisdiction and year now, not as it stood then.
AsOfJudgedNow = Annotated[
    Instant | None,
    Query(description=AS_OF_DOC + " Policy judgements in it use the policy selected now."),
]


@dataclass(frozen=True)
class Recorded:
    """One of an aggregate's events with where it sits in the log."""

    position: int
    version: int
    event: Any  # the decoded domain event (its timestamp is the recorded time)


def _stored_with_positions(ledger: Ledger, aggregate_id: UUID) -> list[tuple[int, StoredEvent]]:
    """The aggregate's stored events in version order, each with its notification id (the
    library's select_events leaves the id out); one primary-key range read."""
    recorder: Any = ledger.recorder
    if isinstance(recorder, PostgresApplicationRecorder):
        statement = SQL(
            "SELECT notification_id AS position, originator_version, topic, state "
            "FROM {}.{} WHERE originator_id = %s ORDER BY originator_version"
        ).format(Identifier(recorder.datastore.schema), Identifier(recorder.events_table_name))
        with recorder.datastore.get_connection() as conn, conn.cursor() as cur:
            cur.execute(statement, [aggregate_id])
            rows = cur.fetchall()
    else:  # SQLite: the application recorder's notification id is the rowid
        statement_text = (
            f"SELECT rowid AS position, originator_version, topic, state "
            f"FROM {recorder.events_table_name} WHERE originator_id = ? "
            "ORDER BY originator_version"
        )
        with recorder.datastore.transaction(commit=False) as cur:
            cur.execute(statement_text, [aggregate_id.hex])
            rows = cur.fetchall()
    return [
        (
            int(row["position"]),
            StoredEvent(aggregate_id, row["originator_version"], row["topic"], bytes(row["state"])),
        )
        for row in rows
    ]


def recorded_events(ledger: Ledger, aggregate_id: UUID) -> list[Recorded]:
    return [
        Recorded(position, stored.originator_version, ledger.mapper.to_domain_event(stored))
        for position, stored in _stored_with_positions(ledger, aggregate_id)
    ]


def last_at(events: list[Recorded], instant: datetime) -> Recorded | None:
    """The last event recorded at or before the instant (aware datetimes compare across
    offsets without converting, so no year-9999 overflow)."""
    found = None
    for recorded in events:
        if recorded.event.timestamp > instant:
            break
        found = recorded
    return found


def version_as_of(
    ledger: Ledger, kind: type | tuple[type, ...], aggregate_id: UUID, instant: datetime
) -> tuple[Any, Recorded, list[Recorded]]:
    """The aggregate at the last version recorded at or before `instant`, that event, and
    all the aggregate's events; 404 if there is no such record, or if it did not exist yet
    then."""
    kinds = kind if isinstance(kind, tuple) else (kind,)
    named = " or ".join(k.__name__ for k in kinds)
    events = recorded_events(ledger, aggregate_id)
    found = last_at(events, instant)
    version = found.version if found else 1
    aggregate = ledger.repository.get(aggregate_id, version=version) if events else None
    if not isinstance(aggregate, kinds):
        raise NotFound(f"no {named} with id {aggregate_id}")
    if found is None:
        raise NotFound(
            f"{named} {aggregate_id} did not exist yet at {instant.isoformat()} "
            f"(first recorded {events[0].event.timestamp.isoformat()})",
            "as_of",
        )
    return aggregate, found, events


def aggregate_as_of(
    ledger: Ledger,
    kind: type[A] | tuple[type, ...],
    aggregate_id: UUID,
    instant: datetime,
    response: Response | None = None,
) -> A:
    """The aggregate as it stood at `instant`; the position it reflects goes in the
    response's X-Log-Position header (and that version in the ETag)."""
    aggregate, found, _ = version_as_of(ledger, kind, aggregate_id, instant)
    if response is not None:
        response.headers["X-Log-Position"] = str(found.position)
        response.headers["ETag"] = f'"{aggregate.version}"'
    return aggregate


def china_date(instant: datetime) -> date:
    """The business date (CST) of an instant."""
    try:
        return instant.astimezone(CHINA).date()
    except OverflowError:
        raise InvalidInput("the instant is outside the calendar", "as_of") from None


DAY_OR_INSTANT_DOC = (
    "A day (YYYY-MM-DD): judge overdue on that day, today in CST if absent. Or an instant "
    "of recorded time (ISO-8601 with its timezone): the notice as it stood then, overdue "
    "judged on that instant's day in CST, the log position in the X-Log-Position header."
)
DayOrInstant = Annotated[Instant | date | None, Query(description=DAY_OR_INSTANT_DOC)]
