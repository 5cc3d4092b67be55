"""What happened to this performance object, step by step: who, when, claiming which date, why?

Besides the object's own events, any event of another aggregate that names the object in an
`object_id` field (an assessment, a monitoring entry, an evaluation, ...) is part of its
history, so a new capability appears here without changing this view.
"""

from __future__ import annotations

import json
from typing import Any

from domain.objects.model import PerformanceObject
from projections.plain import plain
from projections.view import Cursor, View

# Fields every event has, or that the history shows in its own columns.
_ENVELOPE = {"originator_id", "originator_version", "timestamp", "originator_topic", "act"}


class ObjectHistory(View):
    name = "object_history"
    tables = ("v_object_history",)
    schema = (
        """CREATE TABLE IF NOT EXISTS v_object_history (
            object_id TEXT NOT NULL,
            position BIGINT NOT NULL,
            aggregate_id TEXT NOT NULL,
            aggregate_type TEXT NOT NULL,
            version INTEGER NOT NULL,
            event TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            business_date TEXT,
            actor_id TEXT NOT NULL,
            actor_name TEXT NOT NULL,
            actor_role TEXT NOT NULL,
            actor_org_id TEXT,
            actor_org_name TEXT,
            reason TEXT,
            evidence TEXT NOT NULL,
            details TEXT NOT NULL,
            PRIMARY KEY (object_id, position)
        )""",
    )

    def wants(self, topic: str) -> bool:
        return True  # any aggregate's event may name an object; handle() decides

    def handle(self, cur: Cursor, e: Any, position: int) -> None:
        if isinstance(e, PerformanceObject.Event):
            object_id = e.originator_id
        elif getattr(e, "object_id", None) is not None:
            object_id = e.object_id
        else:
            return
        act, actor = e.act, e.act.actor
        details = {k: plain(v) for k, v in vars(e).items() if k not in _ENVELOPE}
        aggregate_type = type(e).__qualname__.rsplit(".", 1)[0]
        cur.execute(
            """INSERT INTO v_object_history (object_id, position, aggregate_id, aggregate_type,
                version, event, recorded_at, business_date, actor_id, actor_name, actor_role,
                actor_org_id, actor_org_name, reason, evidence, details)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (
                str(object_id),
                position,
                str(e.originator_id),
                aggregate_type,
                e.originator_version,
                type(e).__name__,
                e.timestamp.isoformat(),
                act.business_date.isoformat() if act.business_date else None,
                actor.person_id,
                actor.name,
                actor.role,
                actor.organisation_id,
                actor.organisation_name,
                act.reason,
                json.dumps(plain(act.evidence), ensure_ascii=False),
                json.dumps(details, ensure_ascii=False),
            ),
        )


def history_of(cur: Cursor, object_id: str) -> list[dict[str, Any]]:
    rows = cur.execute(
        "SELECT * FROM v_object_history WHERE object_id = ? ORDER BY position", (object_id,)
    ).fetchall()
    for row in rows:
        row["evidence"] = json.loads(row["evidence"])
        row["details"] = json.loads(row["details"])
    return rows
