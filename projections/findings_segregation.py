"""Incompatible duties (不相容职务): the same person both preparing and checking or approving
one performance object's records. The view hands every preparing or checking act here; an
attempt the ledger refused is found at query time, from the security log (the findings
route). A mixin of the findings view (projections/findings_view.py), which records what it
finds."""

from __future__ import annotations

from typing import Any

from domain.accountability.act_parts import part_of
from projections.finding_records import Place, Ref, keep, ref_at
from projections.view import Cursor

# Incompatible duties (不相容职务): who prepared a record does not also check or approve it.
PREPARING = (
    "PerformanceObject.GoalSubmitted",
    "PerformanceObject.GoalResubmitted",
    "SelfEvaluation.SelfEvaluationSubmitted",
    "SelfEvaluation.SelfEvaluationRevised",
)
CHECKING = (
    "PerformanceObject.GoalReviewed",
    "PerformanceObject.GoalApproved",
    "SpotCheck.SpotCheckRecorded",
    "SpotCheck.ScoreRevised",
    "ResultApplication.ResultApplied",
)


class SegregationTraces:
    _found: Any  # FindingsView._found: records a finding with its events and persons

    # --- duties ---------------------------------------------------------------------------

    def _duties(self, cur: Cursor, ref: Ref, place: Place, side: str) -> None:
        keep(cur, ref, place.object_id, None)
        cur.execute(
            "INSERT INTO v_fs_parts (object_id, person_id, side, position) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (object_id, person_id, side, position) DO NOTHING",
            (place.object_id, ref.person_id, side, ref.position),
        )
        other = "checked" if side == "prepared" else "prepared"
        first = cur.execute(
            "SELECT MIN(position) AS position FROM v_fs_parts "
            "WHERE object_id = ? AND person_id = ? AND side = ?",
            (place.object_id, ref.person_id, other),
        ).fetchone()
        if first is None or first["position"] is None:
            return
        earlier = ref_at(cur, first["position"])
        self._found(
            cur,
            "segregation_breach",
            f"{place.object_id}:{ref.person_id}",
            place,
            refs=[earlier, ref],
            parts=[
                (part_of(earlier.event, earlier.role), earlier),
                (part_of(ref.event, ref.role), ref),
            ],
            statistic={
                "person_id": ref.person_id,
                "acts": [earlier.event, ref.event],
                "roles": [earlier.role, ref.role],
            },
            policy=None,
            at=ref,
        )
