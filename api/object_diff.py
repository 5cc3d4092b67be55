"""What changed on a performance object between two instants of recorded time: each field
by a stable dotted path, its value before and after, and the events that changed it.

Both states come from the object's own events (see api/time_travel.py): the state at `from`
is rebuilt at its version, then each later event up to `to` is applied in turn and the
fields it changed are noted, so every change is traced to the act that made it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from api.routers.objects import object_public
from api.time_travel import Recorded, last_at, version_as_of
from domain.errors import InvalidInput
from domain.ledger import Ledger
from domain.objects.model import PerformanceObject

# An indicator is keyed by its levels and name (unique within a goal), e.g.
# `indicators.产出指标/数量指标/改造户数.target`; its numeric target reads as `target`.
_INDICATOR_KEYS = ("level1", "level2", "name")
_FIELD_NAMES = {"value": "target"}


def _indicator_path(row: dict[str, Any]) -> str:
    return f"indicators.{row['level1']}指标/{row['level2']}指标/{row['name']}"


def flat_fields(obj: PerformanceObject) -> dict[str, Any]:
    """The object's public fields as path → value (the version itself left out)."""
    public = object_public(obj).model_dump(mode="json")
    del public["version"]
    fields = {k: v for k, v in public.items() if k != "indicators"}
    for row in public["indicators"]:
        path = _indicator_path(row)
        for name, value in row.items():
            if name not in _INDICATOR_KEYS:
                fields[f"{path}.{_FIELD_NAMES.get(name, name)}"] = value
    return fields


def change_event(recorded: Recorded) -> dict[str, Any]:
    event = recorded.event
    act = event.act
    return {
        "position": recorded.position,
        "version": recorded.version,
        "event": type(event).__qualname__,
        "recorded_at": event.timestamp,
        "business_date": act.business_date,
        "actor_id": act.actor.person_id,
        "actor_name": act.actor.name,
        "actor_role": act.actor.role,
        "actor_org_id": act.actor.organisation_id,
        "actor_org_name": act.actor.organisation_name,
        "reason": act.reason,
    }


def object_diff(ledger: Ledger, object_id: UUID, start: datetime, end: datetime) -> dict[str, Any]:
    """The changes from the state at `start` (nothing, if the object did not exist yet) to
    the state at `end` (404 if it did not exist yet then)."""
    if end < start:
        raise InvalidInput("`from` must not be later than `to`", "from")
    _, last, events = version_as_of(ledger, PerformanceObject, object_id, end)
    first = last_at(events, start)
    from_version = first.version if first else 0
    aggregate = ledger.repository.get(object_id, version=from_version) if first else None
    before = flat_fields(aggregate) if aggregate is not None else {}
    state, changed_by = before, {}
    for recorded in events:
        if not from_version < recorded.version <= last.version:
            continue
        aggregate = recorded.event.mutate(aggregate)
        now = flat_fields(aggregate)
        for path in {*state, *now}:
            if state.get(path) != now.get(path):
                changed_by.setdefault(path, []).append(recorded)
        state = now
    paths = [*before, *(p for p in state if p not in before)]
    return {
        "object_id": str(object_id),
        "from": start,
        "to": end,
        "from_version": from_version,
        "from_position": first.position if first else None,
        "to_version": last.version,
        "to_position": last.position,
        "changes": [
            {
                "path": path,
                "before": before.get(path),
                "after": state.get(path),
                "events": [change_event(r) for r in changed_by.get(path, [])],
            }
            for path in paths
            if before.get(path) != state.get(path)
        ],
    }
