"""The findings a self-evaluation and its re-check make: on-track claims and executed amounts
contradicted by the evaluation, a re-check far from the self-score (the gap the policy names),
and scores revised once a re-check or an applied result stood on them. A mixin of the findings
view (projections/findings_view.py), which records what it finds."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from domain.accountability.act_parts import part_of
from domain.errors import DomainError
from domain.policy import PolicyBook, PolicyRef
from projections.finding_records import Place, Ref, keep, policy_json, ref_at, tagged, text_or_none
from projections.findings_monitoring import ON_TRACK
from projections.view import Cursor


class EvaluationTraces:
    _found: Any  # FindingsView._found: records a finding with its events and persons
    policies: PolicyBook

    # --- self-evaluation, re-check, results -------------------------------------------------

    def _self_evaluated(self, cur: Cursor, e: Any, ref: Ref, place: Place) -> None:
        revised = ref.event.endswith("Revised")
        keep(cur, ref, place.object_id, "self_revised" if revised else "self_submitted")
        scoring = e.scoring
        executed = Decimal(scoring.executed_amount)
        above = cur.execute(
            "SELECT task_id, position, executed FROM v_fs_entries WHERE object_id = ?",
            (place.object_id,),
        ).fetchall()
        above = [r for r in above if Decimal(r["executed"]) > executed]
        if above:
            top = max(above, key=lambda r: (Decimal(r["executed"]), r["position"]))
            entry = ref_at(cur, top["position"])
            self._found(
                cur,
                "contradicted_claim",
                f"executed_above_evaluation:{place.object_id}",
                place,
                refs=[entry, ref],
                parts=[
                    (part_of(entry.event, entry.role), entry),
                    (part_of(ref.event, ref.role), ref),
                ],
                statistic={
                    "variant": "executed_above_evaluation",
                    "entry_executed": str(top["executed"]),
                    "evaluation_executed": str(executed),
                },
                policy=policy_json(e.policy),
                at=ref,
            )
        for row in scoring.rows:
            met = row.met if row.met is not None else Decimal(row.attainment) >= 1
            if met:
                continue
            claims = cur.execute(
                "SELECT position FROM v_fs_claims WHERE object_id = ? AND indicator = ? "
                "ORDER BY position",
                (place.object_id, row.name),
            ).fetchall()
            if not claims:
                continue
            claim_refs = [ref_at(cur, c["position"]) for c in claims]
            self._found(
                cur,
                "contradicted_claim",
                f"on_track_unmet:{place.object_id}:{row.name}",
                place,
                refs=[*claim_refs, ref],
                parts=[(part_of(c.event, c.role), c) for c in claim_refs]
                + [(part_of(ref.event, ref.role), ref)],
                statistic={
                    "variant": "on_track_unmet",
                    "indicator": row.name,
                    "claimed": ON_TRACK,
                    "target": f"{row.target}{row.unit}",
                    "actual": text_or_none(row.actual) or row.grade,
                    "attainment": str(row.attainment),
                },
                policy=policy_json(e.policy),
                at=ref,
            )
        if revised:
            self._revised_after_check(
                cur, ref, place, policy_json(e.policy), after_spot_check=False
            )

    def _spot_checked(self, cur: Cursor, e: Any, ref: Ref, place: Place) -> None:
        revised = ref.event.endswith("ScoreRevised")
        keep(cur, ref, place.object_id, "spot_check_revised" if revised else "spot_check")
        if revised:
            self._revised_after_check(
                cur, ref, place, policy_json(e.policy), after_spot_check=False
            )
        if not e.gap_rule_met:
            return
        prepared = tagged(cur, place.object_id, "self_submitted")
        revisions = tagged(cur, place.object_id, "self_revised")
        checks = tagged(cur, place.object_id, "spot_check") + tagged(
            cur, place.object_id, "spot_check_revised"
        )
        rule = self._rule(e.policy, "recheck_gap", "points")
        gap = Decimal(e.gap)
        score = Decimal(e.score)
        self._found(
            cur,
            "recheck_gap",
            str(ref.originator_id),
            place,
            refs=[*prepared, *revisions, *checks],
            parts=[("填报 prepared", r) for r in prepared]
            + [("修改 revised", r) for r in revisions]
            + [("审核 reviewed", r) for r in checks],
            statistic={
                "self_score": str(score + gap),
                "recheck_score": str(score),
                "gap": str(gap),
                "threshold": rule,
            },
            policy=policy_json(e.policy),
            at=ref,
            falsification=gap > 0,
        )

    def _key_score_revised(self, cur: Cursor, e: Any, ref: Ref, place: Place) -> None:
        self._revised_after_check(cur, ref, place, policy_json(e.policy), after_spot_check=True)

    def _result_applied(self, cur: Cursor, e: Any, ref: Ref, place: Place) -> None:
        keep(cur, ref, place.object_id, "result_applied")

    def _revised_after_check(
        self, cur: Cursor, ref: Ref, place: Place, policy: str | None, *, after_spot_check: bool
    ) -> None:
        """A score or self-evaluation changed once a re-check or an applied result stood on it."""
        earlier = tagged(cur, place.object_id, "result_applied")
        if after_spot_check:
            earlier += tagged(cur, place.object_id, "spot_check")
        earlier = [r for r in earlier if r.position < ref.position]
        if not earlier:
            return
        self._found(
            cur,
            "revised_after_check",
            f"{ref.originator_id}:{ref.version}",
            place,
            refs=[*earlier, ref],
            parts=[(part_of(r.event, r.role), r) for r in earlier] + [("修改 revised", ref)],
            statistic={
                "revision": ref.event,
                "after": sorted({r.event for r in earlier}),
            },
            policy=policy,
            at=ref,
        )

    def _rule(self, ref: PolicyRef, section: str, key: str) -> str | None:
        try:
            rule = self.policies.get(ref.policy_id, ref.version).threshold(section, key)
        except DomainError:  # a policy version this deployment no longer ships
            return None
        return None if rule is None else f"{rule.op} {rule.value}"
