"""Citing an event of the ledger as evidence: by its log position and its event id
(originator id + version), checked against the log when cited, and pinned by the SHA-256
of its stored record so that a later change to the record is detectable.

Accountability cases cite the acts they are about; a publication (信息公开) cites the
record it published.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import Notification

from domain.errors import InvalidInput
from domain.objects.model import PerformanceObject
from domain.transcodings import transcoded
from domain.values import Actor


@transcoded("cited_event")
@dataclass(frozen=True)
class CitedEvent:
    """An event as it was when cited: where it is, whose act it was, and its record hash."""

    position: int
    originator_id: UUID
    version: int
    event: str  # e.g. "PerformanceObject.GoalSubmitted"
    recorded_at: datetime
    actor: Actor
    object_id: UUID | None
    record_sha256: str


def record_sha256(notification: Notification) -> str:
    """SHA-256 over the stored record: its position, event id, topic and stored state."""
    digest = hashlib.sha256(
        f"{notification.id}\n{notification.originator_id}\n"
        f"{notification.originator_version}\n{notification.topic}\n".encode()
    )
    digest.update(bytes(notification.state))
    return digest.hexdigest()


def stored_record(app: Application, position: int) -> Notification | None:
    found = app.recorder.select_notifications(start=position, limit=1)
    return found[0] if found and found[0].id == position else None


def concerned_object(event: Any) -> UUID | None:
    """The performance object an event concerns, if any (as the object history decides)."""
    if isinstance(event, PerformanceObject.Event):
        return event.originator_id
    object_id = getattr(event, "object_id", None)
    return object_id if isinstance(object_id, UUID) else None


def cite(app: Application, position: int, originator_id: UUID, version: int) -> CitedEvent:
    """Read the log at `position`, check it holds that event, and pin it."""
    if position < 1:
        raise InvalidInput("position is a log position (1 or more)", "position")
    notification = stored_record(app, position)
    if notification is None:
        raise InvalidInput(f"there is no event at log position {position}", "position")
    if (
        str(notification.originator_id) != str(originator_id)
        or notification.originator_version != version
    ):
        raise InvalidInput(
            f"the event at log position {position} is {notification.originator_id} "
            f"version {notification.originator_version}, not {originator_id} version {version}",
            "originator_id",
        )
    event = app.mapper.to_domain_event(notification)
    act = getattr(event, "act", None)
    if act is None:
        raise InvalidInput(f"the event at log position {position} is not a signed act", "position")
    return CitedEvent(
        position=position,
        originator_id=UUID(str(notification.originator_id)),
        version=notification.originator_version,
        event=type(event).__qualname__,
        recorded_at=event.timestamp,
        actor=act.actor,
        object_id=concerned_object(event),
        record_sha256=record_sha256(notification),
    )


def still_intact(app: Application, cited: CitedEvent) -> bool:
    notification = stored_record(app, cited.position)
    return notification is not None and record_sha256(notification) == cited.record_sha256
