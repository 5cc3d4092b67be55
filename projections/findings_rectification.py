"""The finding a rectification makes as it happens: a notice answered after its deadline. A
notice still open past its deadline is found at query time (projections/findings_queries.py),
since only the passing of time makes it. A mixin of the findings view
(projections/findings_view.py), which records what it finds."""

from __future__ import annotations

from typing import Any

from projections.finding_records import Place, Ref, keep
from projections.view import Cursor


class RectificationTraces:
    _found: Any  # FindingsView._found: records a finding with its events and persons

    # --- rectification --------------------------------------------------------------------

    def _notice_issued(self, cur: Cursor, e: Any, ref: Ref, place: Place) -> None:
        keep(cur, ref, place.object_id, "notice")

    def _reported(self, cur: Cursor, e: Any, ref: Ref, place: Place) -> None:
        if not e.late:
            return
        notice = cur.execute(
            "SELECT * FROM v_fs_refs WHERE originator_id = ? AND version = 1",
            (ref.originator_id,),
        ).fetchone()
        refs = ([Ref.from_row(notice)] if notice else []) + [ref]
        self._found(
            cur,
            "rectification_late",
            ref.originator_id,
            place,
            refs=refs,
            parts=[("填报 prepared", ref)],  # the notice is evidence; the answer was late
            statistic={"variant": "answered_late", "answered_on": e.on.isoformat()},
            policy=None,
            at=ref,
        )
