"""Each object's goal indicators as they stand (name, target, unit, weight): the rows the NPC
board shows for a submitted department, without loading every object's aggregate per read.

A submission or resubmission replaces the rows; an adjustment (调整) replaces them too, so
the view always holds the latest version of the goal and the revision it came from.
"""

from __future__ import annotations

from typing import Any

from domain.objects.model import PerformanceObject
from projections.view import Cursor, View, on


def _s(value: Any) -> str | None:
    return None if value is None else str(value)


class GoalIndicatorsView(View):
    name = "goal_indicators"
    tables = ("v_goal_indicators",)
    schema = (
        """CREATE TABLE IF NOT EXISTS v_goal_indicators (
            object_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            level1 TEXT NOT NULL,
            level2 TEXT NOT NULL,
            name TEXT NOT NULL,
            comparator TEXT NOT NULL,
            value TEXT,
            upper TEXT,
            qualitative_target TEXT,
            unit TEXT NOT NULL,
            weight TEXT NOT NULL,
            goal_event TEXT NOT NULL,
            position BIGINT NOT NULL,
            PRIMARY KEY (object_id, seq)
        )""",
    )

    @on(
        PerformanceObject.GoalSubmitted,
        PerformanceObject.GoalResubmitted,
        PerformanceObject.GoalAdjusted,
    )
    def _goal(self, cur: Cursor, e: Any, position: int) -> None:
        object_id = str(e.originator_id)
        cur.execute("DELETE FROM v_goal_indicators WHERE object_id = ?", (object_id,))
        for seq, row in enumerate(e.indicators):
            cur.execute(
                """INSERT INTO v_goal_indicators (object_id, seq, level1, level2, name,
                    comparator, value, upper, qualitative_target, unit, weight, goal_event,
                    position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (
                    object_id,
                    seq,
                    row.level1,
                    row.level2,
                    row.name,
                    row.comparator,
                    _s(row.value),
                    _s(row.upper),
                    row.qualitative_target,
                    row.unit,
                    str(row.weight),
                    type(e).__name__,
                    position,
                ),
            )


def indicators_of(cur: Cursor, object_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Each object's indicators in goal order (objects with none are absent)."""
    found: dict[str, list[dict[str, Any]]] = {}
    for start in range(0, len(object_ids), 500):
        chunk = object_ids[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        rows = cur.execute(
            f"""SELECT object_id, level1, level2, name, comparator, value, upper,
                qualitative_target, unit, weight FROM v_goal_indicators
                WHERE object_id IN ({marks}) ORDER BY object_id, seq""",
            tuple(chunk),
        ).fetchall()
        for row in rows:
            found.setdefault(row.pop("object_id"), []).append(row)
    return found
