"""Findings (问责线索) computed from the log: the traces auditors look for, each with the
policy version that judged it, the events it rests on (position and record hash) and the
chain of persons by the part they played (DOMAIN.md, "Findings and red flags").

The view keeps a little working memory per performance object (its place, its key acts,
its monitoring entries and on-track claims, serious judgements awaiting follow-up, who
prepared and who checked it) so that each finding is decided when the event that completes
it arrives, in log order, and a rebuild finds the same findings with the same ids. Findings
that only the passing of time makes (a rectification still open past its deadline) and
refused commands (the security log) are added at query time (projections/findings_queries.py
and the findings route).
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from domain.accountability.act_parts import part_of
from domain.accountability.findings import finding_id
from domain.business_dates import CHINA
from domain.errors import DomainError
from domain.policy import PolicyBook, PolicyRef
from projections.finding_records import (
    MEMORY_SCHEMA,
    MEMORY_TABLES,
    Place,
    Ref,
    keep,
    place_of,
    policy_json,
    ref_at,
    tagged,
    text_or_none,
)
from projections.findings_monitoring import FOLLOW_UPS, ON_TRACK, MonitoringTraces
from projections.view import Cursor, View

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
# Recorded by the ledger itself beside the act that caused them, under that act's signature
# and date: not acts of their own when counting back-dated acts.
ALONGSIDE = frozenset(
    {
        "MonitoringTask.EntryJudged",
        "ExAnteAssessment.RequirementJudged",
        "FundingBlock.FundingBlocked",
        "FundingBlock.FundingBlockedAgain",
    }
)
TITLES = {
    "recheck_gap": "自评与复核结果差异过大",
    "back_dated": "业务日期倒签（补录）",
    "contradicted_claim": "监控结论与后续结果矛盾",
    "goal_lowered_after_deviation": "严重偏离后调低绩效目标",
    "revised_after_check": "复核或结果应用后修改评分",
    "deviation_not_followed_up": "严重偏离未跟进纠偏",
    "rectification_late": "整改逾期",
    "segregation_attempt": "不相容职务操作尝试",
    "segregation_breach": "不相容职务未分离",
}
KINDS = tuple(TITLES)


class FindingsView(MonitoringTraces, View):
    name = "findings"
    tables = (
        "v_findings",
        "v_finding_events",
        "v_finding_persons",
        "v_finding_citations",
        "v_finding_dismissals",
        *MEMORY_TABLES,
    )
    schema = (
        """CREATE TABLE IF NOT EXISTS v_findings (
            finding_id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            title TEXT NOT NULL,
            mof_div_code TEXT NOT NULL,
            fiscal_year INTEGER,
            department_id TEXT,
            object_id TEXT,
            policy TEXT,
            statistic TEXT NOT NULL,
            falsification_trace INTEGER NOT NULL,
            found_at_position BIGINT NOT NULL,
            updated_position BIGINT NOT NULL
        )""",
        "CREATE INDEX IF NOT EXISTS ix_findings_year "
        "ON v_findings (mof_div_code, fiscal_year, found_at_position)",
        "CREATE INDEX IF NOT EXISTS ix_findings_department "
        "ON v_findings (department_id, found_at_position)",
        # A department's findings of one year (the boards' and the bench's question) is a
        # range of this index in page order, not a walk of the department's every year.
        "CREATE INDEX IF NOT EXISTS ix_findings_year_department "
        "ON v_findings (mof_div_code, fiscal_year, department_id, found_at_position)",
        "CREATE INDEX IF NOT EXISTS ix_findings_position ON v_findings (found_at_position)",
        """CREATE TABLE IF NOT EXISTS v_finding_events (
            finding_id TEXT NOT NULL,
            position BIGINT NOT NULL,
            PRIMARY KEY (finding_id, position)
        )""",
        "CREATE INDEX IF NOT EXISTS ix_finding_events_position ON v_finding_events (position)",
        """CREATE TABLE IF NOT EXISTS v_finding_persons (
            finding_id TEXT NOT NULL,
            part TEXT NOT NULL,
            person_id TEXT NOT NULL,
            name TEXT NOT NULL,
            role TEXT NOT NULL,
            organisation_id TEXT,
            organisation_name TEXT,
            position BIGINT NOT NULL,
            PRIMARY KEY (finding_id, part, person_id, position)
        )""",
        "CREATE INDEX IF NOT EXISTS ix_finding_persons_person "
        "ON v_finding_persons (person_id, finding_id)",
        """CREATE TABLE IF NOT EXISTS v_finding_citations (
            finding_id TEXT NOT NULL,
            case_id TEXT NOT NULL,
            position BIGINT NOT NULL,
            PRIMARY KEY (finding_id, case_id)
        )""",
        """CREATE TABLE IF NOT EXISTS v_finding_dismissals (
            finding_id TEXT PRIMARY KEY,
            position BIGINT NOT NULL,
            at TEXT NOT NULL,
            reason TEXT NOT NULL,
            person_id TEXT NOT NULL,
            name TEXT NOT NULL,
            role TEXT NOT NULL,
            organisation_id TEXT,
            organisation_name TEXT
        )""",
        *MEMORY_SCHEMA,
    )

    def __init__(self, policies: PolicyBook | None = None) -> None:
        self.policies = policies or PolicyBook.shipped()

    def use_policies(self, policies: PolicyBook) -> None:
        self.policies = policies

    def wants(self, topic: str) -> bool:
        return True  # any act may claim a business date long past (back-dating)

    def handle_record(self, cur: Cursor, e: Any, record: Any) -> None:
        name = type(e).__qualname__
        if name not in _RELEVANT and e.act.business_date is None:
            return  # most of the log (registry, tokens, reviews of nothing) says nothing here
        ref = Ref.of(e, record)
        if name == "PerformanceObject.Registered":
            cur.execute(
                "INSERT INTO v_fs_objects (object_id, mof_div_code, fiscal_year, department_id) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (object_id) DO NOTHING",
                (ref.originator_id, e.mof_div_code, e.fiscal_year, str(e.department_id)),
            )
        place = place_of(cur, e, name)
        step = _STEPS.get(name)
        if step is not None and place is not None:
            step(self, cur, e, ref, place)
        duty = "prepared" if name in PREPARING else "checked" if name in CHECKING else None
        if duty is not None and place is not None and place.object_id is not None:
            self._duties(cur, ref, place, duty)
        if name == "FindingCitation.Cited":
            self._cited(cur, e, ref)
        elif name == "FindingDismissal.Dismissed":
            self._dismissed(cur, e, ref)
        if e.act.business_date is not None and place is not None and name not in ALONGSIDE:
            self._back_dated(cur, e, ref, place)

    def handle(self, cursor: Cursor, event: Any, position: int) -> None:  # pragma: no cover
        raise TypeError("the findings view cites records: it is handed them (handle_record)")

    # --- recording ------------------------------------------------------------------------

    def _found(
        self,
        cur: Cursor,
        kind: str,
        key: str,
        place: Place,
        *,
        refs: list[Ref],
        parts: list[tuple[str, Ref]],
        statistic: dict[str, Any],
        policy: str | None,
        at: Ref,
        falsification: bool = False,
    ) -> None:
        fid = str(finding_id(kind, key))
        cur.execute(
            "INSERT INTO v_findings (finding_id, kind, title, mof_div_code, fiscal_year, "
            "department_id, object_id, policy, statistic, falsification_trace, "
            "found_at_position, updated_position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (finding_id) DO UPDATE SET statistic = excluded.statistic, "
            "policy = excluded.policy, falsification_trace = excluded.falsification_trace, "
            "updated_position = excluded.updated_position",
            (
                fid,
                kind,
                TITLES[kind],
                place.mof_div_code,
                place.fiscal_year,
                place.department_id,
                place.object_id,
                policy,
                json.dumps(statistic, ensure_ascii=False, sort_keys=True),
                int(falsification),
                at.position,
                at.position,
            ),
        )
        for ref in refs:
            keep(cur, ref, place.object_id, None)
            cur.execute(
                "INSERT INTO v_finding_events (finding_id, position) VALUES (?, ?) "
                "ON CONFLICT (finding_id, position) DO NOTHING",
                (fid, ref.position),
            )
        for part, ref in parts:
            cur.execute(
                "INSERT INTO v_finding_persons (finding_id, part, person_id, name, role, "
                "organisation_id, organisation_name, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (finding_id, part, person_id, position) DO NOTHING",
                (
                    fid,
                    part,
                    ref.person_id,
                    ref.person_name,
                    ref.role,
                    ref.organisation_id,
                    ref.organisation_name,
                    ref.position,
                ),
            )

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
                parts=[(part_of(entry.event), entry), (part_of(ref.event), ref)],
                statistic={
                    "variant": "executed_above_evaluation",
                    "entry_executed": str(top["executed"]),
                    "evaluation_executed": str(executed),
                },
                policy=policy_json(e.policy),
                at=ref,
            )
        for row in scoring.rows:
            if Decimal(row.attainment) >= 1:
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
                parts=[(part_of(c.event), c) for c in claim_refs] + [(part_of(ref.event), ref)],
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
            parts=[(part_of(r.event), r) for r in earlier] + [("修改 revised", ref)],
            statistic={
                "revision": ref.event,
                "after": sorted({r.event for r in earlier}),
            },
            policy=policy,
            at=ref,
        )

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

    # --- duties, citations, dismissals, dates -----------------------------------------------

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
            parts=[(part_of(earlier.event), earlier), (part_of(ref.event), ref)],
            statistic={
                "person_id": ref.person_id,
                "acts": [earlier.event, ref.event],
                "roles": [earlier.role, ref.role],
            },
            policy=None,
            at=ref,
        )

    def _cited(self, cur: Cursor, e: Any, ref: Ref) -> None:
        # The finding the case cites, not every finding resting on an event it cites.
        cur.execute(
            "INSERT INTO v_finding_citations (finding_id, case_id, position) "
            "VALUES (?, ?, ?) ON CONFLICT (finding_id, case_id) DO NOTHING",
            (str(e.finding_id), str(e.case_id), ref.position),
        )

    def _dismissed(self, cur: Cursor, e: Any, ref: Ref) -> None:
        cur.execute(
            "INSERT INTO v_finding_dismissals (finding_id, position, at, reason, person_id, "
            "name, role, organisation_id, organisation_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (finding_id) DO NOTHING",
            (
                str(e.finding_id),
                ref.position,
                ref.recorded_at,
                e.act.reason or "",
                ref.person_id,
                ref.person_name,
                ref.role,
                ref.organisation_id,
                ref.organisation_name,
            ),
        )

    def _back_dated(self, cur: Cursor, e: Any, ref: Ref, place: Place) -> None:
        year = place.fiscal_year or e.act.business_date.year
        try:
            policy = self.policies.for_jurisdiction(place.mof_div_code, year)
        except DomainError:  # no policy for that place and year: nothing to judge it by
            return
        # Every policy inherits the national default's section: a policy without it is a
        # broken policy file, and the view stops on it (its failure is shown) rather than
        # judging nothing in silence.
        tolerance = int(policy.section("findings")["back_dating_tolerance_days"])
        recorded = e.timestamp.astimezone(CHINA).date()
        late = (recorded - e.act.business_date).days
        if late <= tolerance:
            return
        # One finding per person, record and day of recording: a day's back-dated entries on
        # one record are one trace (a bulk 补录), not one per act.
        subject = place.object_id or ref.originator_id
        key = f"{subject}:{ref.person_id}:{recorded.isoformat()}"
        known = cur.execute(
            "SELECT statistic FROM v_findings WHERE finding_id = ?",
            (str(finding_id("back_dated", key)),),
        ).fetchone()
        before = json.loads(known["statistic"]) if known else {}
        claimed = e.act.business_date.isoformat()
        self._found(
            cur,
            "back_dated",
            key,
            place,
            refs=[ref],
            parts=[(part_of(ref.event), ref)],
            statistic={
                "recorded_date": recorded.isoformat(),
                "earliest_business_date": min(
                    before.get("earliest_business_date", claimed), claimed
                ),
                "days_late": max(before.get("days_late", 0), late),
                "acts": before.get("acts", 0) + 1,
                "tolerance_days": tolerance,
            },
            policy=policy_json(policy.ref),
            at=ref,
        )

    def _rule(self, ref: PolicyRef, section: str, key: str) -> str | None:
        try:
            rule = self.policies.get(ref.policy_id, ref.version).threshold(section, key)
        except DomainError:  # a policy version this deployment no longer ships
            return None
        return None if rule is None else f"{rule.op} {rule.value}"


_STEPS = {
    "SelfEvaluation.SelfEvaluationSubmitted": FindingsView._self_evaluated,
    "SelfEvaluation.SelfEvaluationRevised": FindingsView._self_evaluated,
    "SpotCheck.SpotCheckRecorded": FindingsView._spot_checked,
    "SpotCheck.ScoreRevised": FindingsView._spot_checked,
    "KeyEvaluation.ScoreRevised": FindingsView._key_score_revised,
    "ResultApplication.ResultApplied": FindingsView._result_applied,
    "MonitoringTask.Opened": FindingsView._task_opened,
    "MonitoringTask.EntrySubmitted": FindingsView._entry,
    "MonitoringTask.EntryCorrected": FindingsView._entry,
    "MonitoringTask.EntryJudged": FindingsView._judged,
    **{name: FindingsView._followed_up for name in FOLLOW_UPS},
    "PerformanceObject.GoalAdjusted": FindingsView._goal_adjusted,
    "RectificationNotice.RectificationNoticeIssued": FindingsView._notice_issued,
    "RectificationNotice.RectificationReported": FindingsView._reported,
}

_RELEVANT = frozenset(
    {
        *_STEPS,
        *PREPARING,
        *CHECKING,
        "PerformanceObject.Registered",
        "FindingCitation.Cited",
        "FindingDismissal.Dismissed",
    }
)
