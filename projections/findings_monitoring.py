"""The findings that monitoring makes (双监控): execution going down between rounds, claims
contradicted at evaluation (kept here as on-track claims), serious deviations left without a
follow-up act by the next round, and goals made easier right after a serious deviation. A
mixin of the findings view (projections/findings_view.py), which records what it finds."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from domain.accountability.act_parts import part_of
from domain.comparators import direction
from domain.monitoring.entry import LIKELIHOODS
from projections.finding_records import Place, Ref, keep, policy_json, ref_at, tagged
from projections.view import Cursor

APPLIED = "adjustment_applied"  # the refs of applications to adjust a goal

ON_TRACK = LIKELIHOODS[0]  # 确定能完成
FOLLOW_UPS = (
    "MonitoringTask.CorrectionOrdered",
    "MonitoringTask.BudgetReduced",
    "MonitoringTask.PaymentsSuspended",
    "MonitoringTask.FundsRecovered",
)


class MonitoringTraces:
    _found: Any  # FindingsView._found: records a finding with its events and persons

    # --- monitoring -----------------------------------------------------------------------

    def _task_opened(self, cur: Cursor, e: Any, ref: Ref, place: Place) -> None:
        keep(cur, ref, place.object_id, "task_opened")
        cur.execute(
            "INSERT INTO v_fs_tasks (task_id, object_id, as_of, opened_position) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (task_id) DO NOTHING",
            (ref.originator_id, place.object_id, e.as_of.isoformat(), ref.position),
        )

    def _entry(self, cur: Cursor, e: Any, ref: Ref, place: Place) -> None:
        keep(cur, ref, place.object_id, "entry")
        task = cur.execute(
            "SELECT as_of FROM v_fs_tasks WHERE task_id = ?", (ref.originator_id,)
        ).fetchone()
        if task is None:  # pragma: no cover - an entry follows its task's opening
            return
        as_of = task["as_of"]
        executed = Decimal(e.entry.budget_executed)
        if ref.event.endswith("EntrySubmitted"):
            self._unanswered_deviations(cur, ref, place, as_of)
        earlier = cur.execute(
            "SELECT position, executed FROM v_fs_entries WHERE object_id = ? AND as_of < ?",
            (place.object_id, as_of),
        ).fetchall()
        higher = [r for r in earlier if Decimal(r["executed"]) > executed]
        if higher:
            top = max(higher, key=lambda r: (Decimal(r["executed"]), r["position"]))
            before = ref_at(cur, top["position"])
            self._found(
                cur,
                "contradicted_claim",
                f"executed_decreased:{ref.originator_id}",
                place,
                refs=[before, ref],
                parts=[
                    (part_of(before.event, before.role), before),
                    (part_of(ref.event, ref.role), ref),
                ],
                statistic={
                    "variant": "executed_decreased",
                    "earlier_executed": str(top["executed"]),
                    "executed": str(executed),
                    "as_of": as_of,
                },
                policy=None,
                at=ref,
            )
        cur.execute(
            "INSERT INTO v_fs_entries (task_id, object_id, as_of, position, executed) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (task_id) DO UPDATE SET "
            "position = excluded.position, executed = excluded.executed",
            (ref.originator_id, place.object_id, as_of, ref.position, str(executed)),
        )
        # The entry's on-track claims replace those of the entry it corrects.
        cur.execute("DELETE FROM v_fs_claims WHERE task_id = ?", (ref.originator_id,))
        for row in e.entry.indicators:
            if row.likelihood == ON_TRACK:
                cur.execute(
                    "INSERT INTO v_fs_claims (object_id, indicator, task_id, position) "
                    "VALUES (?, ?, ?, ?)",
                    (place.object_id, row.name, ref.originator_id, ref.position),
                )

    def _unanswered_deviations(self, cur: Cursor, ref: Ref, place: Place, as_of: str) -> None:
        """A new round's entry arrives while an earlier round's serious deviation has had no
        follow-up act: the deviation was left alone."""
        pending = cur.execute(
            "SELECT judged_position, as_of, task_id, policy FROM v_fs_pending "
            "WHERE object_id = ? AND as_of < ? ORDER BY judged_position",
            (place.object_id, as_of),
        ).fetchall()
        for row in pending:
            judged = ref_at(cur, row["judged_position"])
            opened = cur.execute(
                "SELECT opened_position FROM v_fs_tasks WHERE task_id = ?", (row["task_id"],)
            ).fetchone()
            refs = [judged, ref]
            parts = [("录入 entered", judged)]
            if opened is not None:
                opener = ref_at(cur, opened["opened_position"])
                refs.insert(0, opener)
                parts.append(("审核 reviewed", opener))  # the section that ran the round
            self._found(
                cur,
                "deviation_not_followed_up",
                str(row["judged_position"]),
                place,
                refs=refs,
                parts=parts,
                statistic={"judged_as_of": row["as_of"], "next_round_as_of": as_of},
                policy=row["policy"],
                at=ref,
            )
            cur.execute(
                "DELETE FROM v_fs_pending WHERE object_id = ? AND judged_position = ?",
                (place.object_id, row["judged_position"]),
            )

    def _judged(self, cur: Cursor, e: Any, ref: Ref, place: Place) -> None:
        status = e.judgement.status
        policy = policy_json(e.judgement.policy)
        keep(cur, ref, place.object_id, "judged")
        cur.execute(
            "UPDATE v_fs_objects SET judged_status = ?, judged_position = ?, judged_policy = ? "
            "WHERE object_id = ?",
            (status, ref.position, policy, place.object_id),
        )
        # A corrected entry is judged again: only the round's latest judgement awaits.
        cur.execute("DELETE FROM v_fs_pending WHERE task_id = ?", (ref.originator_id,))
        if status == "serious":
            task = cur.execute(
                "SELECT as_of FROM v_fs_tasks WHERE task_id = ?", (ref.originator_id,)
            ).fetchone()
            cur.execute(
                "INSERT INTO v_fs_pending (object_id, judged_position, as_of, task_id, policy) "
                "VALUES (?, ?, ?, ?, ?)",
                (
                    place.object_id,
                    ref.position,
                    task["as_of"] if task else "",
                    ref.originator_id,
                    policy,
                ),
            )

    def _followed_up(self, cur: Cursor, e: Any, ref: Ref, place: Place) -> None:
        cur.execute("DELETE FROM v_fs_pending WHERE task_id = ?", (ref.originator_id,))

    # --- goals ----------------------------------------------------------------------------

    def _adjustment_applied(self, cur: Cursor, e: Any, ref: Ref, place: Place) -> None:
        keep(cur, ref, place.object_id, APPLIED)

    def _goal_adjusted(self, cur: Cursor, e: Any, ref: Ref, place: Place) -> None:
        obj = cur.execute(
            "SELECT judged_status, judged_position, judged_policy FROM v_fs_objects "
            "WHERE object_id = ?",
            (place.object_id,),
        ).fetchone()
        if obj is None or obj["judged_status"] != "serious":
            return
        lowered = _lowered(e.previous, e.indicators)
        if not lowered:
            return
        judged = ref_at(cur, obj["judged_position"])
        # By procedure (version 2) the department applied and the budget section approved;
        # a version-1 adjustment was the department's own act.
        applied = [r for r in tagged(cur, place.object_id, APPLIED) if r.position < ref.position]
        if applied:
            refs = [judged, applied[-1], ref]
            parts = [
                ("录入 entered", judged),
                ("修改 revised", applied[-1]),
                ("批准 approved", ref),
            ]
        else:
            refs, parts = [judged, ref], [("录入 entered", judged), ("修改 revised", ref)]
        self._found(
            cur,
            "goal_lowered_after_deviation",
            f"{ref.originator_id}:{ref.version}",
            place,
            refs=refs,
            parts=parts,
            statistic={"lowered": lowered, "approval_ref": e.approval_ref},
            policy=obj["judged_policy"],
            at=ref,
        )


def _key(indicator: Any) -> tuple[str, str, str]:
    """An indicator's place in the goal table: names are unique only within a level-2."""
    return (indicator.level1, indicator.level2, indicator.name)


def _lowered(previous: Any, current: Any) -> list[dict[str, str]]:
    """Targets made easier: a floor (≥, or a range's lower bound) lowered, a ceiling (≤)
    raised. A dropped indicator is lowered to nothing."""
    now = {_key(i): i for i in current}
    lowered = []
    for before in previous:
        after = now.get(_key(before))
        if before.comparator == "qualitative" or before.value is None:
            continue
        if after is None:
            lowered.append({"indicator": before.name, "before": str(before.value), "after": ""})
            continue
        if after.value is None:
            continue
        easier = (
            Decimal(after.value) < Decimal(before.value)
            if direction(before.comparator) in ("positive", "range")
            else Decimal(after.value) > Decimal(before.value)
            if direction(before.comparator) == "reverse"
            else False
        )
        if easier:
            lowered.append(
                {
                    "indicator": before.name,
                    "comparator": before.comparator,
                    "before": str(before.value),
                    "after": str(after.value),
                }
            )
    return lowered
