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

Each group of kinds is found by a mixin of its own (findings_evaluation.py,
findings_monitoring.py, findings_rectification.py, findings_segregation.py,
findings_back_dating.py); this class combines them, owns the tables and hands each record to
the steps that want it.
"""

from __future__ import annotations

import json
from typing import Any

from domain.accountability.findings import finding_id
from domain.policy import PolicyBook
from projections.finding_records import MEMORY_SCHEMA, MEMORY_TABLES, Place, Ref, keep, place_of
from projections.findings_back_dating import ALONGSIDE, BackDatingTraces
from projections.findings_evaluation import EvaluationTraces
from projections.findings_monitoring import FOLLOW_UPS, MonitoringTraces
from projections.findings_rectification import RectificationTraces
from projections.findings_segregation import CHECKING, PREPARING, SegregationTraces
from projections.view import Cursor, View

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


class FindingsView(
    EvaluationTraces,
    MonitoringTraces,
    RectificationTraces,
    SegregationTraces,
    BackDatingTraces,
    View,
):
    name = "findings"
    # 2: migrated acts (act.migrated) make no segregation or back-dating traces.
    version = 2
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
        # A migrated act was done in the national system by people its tables do not name:
        # the importer's signature is no part in the record (duties), and its business date
        # was claimed there, not back-dated here.
        migrated = e.act.migrated is not None
        duty = "prepared" if name in PREPARING else "checked" if name in CHECKING else None
        if duty is not None and place is not None and place.object_id is not None and not migrated:
            self._duties(cur, ref, place, duty)
        if name == "FindingCitation.Cited":
            self._cited(cur, e, ref)
        elif name == "FindingDismissal.Dismissed":
            self._dismissed(cur, e, ref)
        dated = e.act.business_date is not None and place is not None
        if dated and name not in ALONGSIDE and not migrated:
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

    # --- citations, dismissals --------------------------------------------------------------

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
    "PerformanceObject.GoalAdjustmentApplied": FindingsView._adjustment_applied,
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
