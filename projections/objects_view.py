"""Which performance objects exist, and where does each one's goal stand?"""

from __future__ import annotations

from typing import Any

from domain.ex_ante.model import AssessmentState, ExAnteAssessment
from domain.monitoring.model import MonitoringTask
from domain.objects.model import STAGES, GoalStatus, PerformanceObject
from domain.registry.model import Organisation
from projections.view import Cursor, View, equal_filters, on, update_from_event


class ObjectsView(View):
    name = "objects"
    # 2: an approval clears the pending stage (a migrated goal is approved from review).
    version = 2
    tables = ("v_objects", "v_objects_orgs")
    schema = (
        """CREATE TABLE IF NOT EXISTS v_objects (
            object_id TEXT PRIMARY KEY,
            mof_div_code TEXT NOT NULL,
            fiscal_year INTEGER NOT NULL,
            pro_code TEXT NOT NULL,
            name TEXT NOT NULL,
            kind TEXT NOT NULL,
            department_id TEXT NOT NULL,
            department_name TEXT,
            unit_id TEXT,
            unit_name TEXT,
            fund_type TEXT NOT NULL,
            amount TEXT NOT NULL,
            is_new INTEGER NOT NULL,
            last_year_amount TEXT,
            goal_status TEXT NOT NULL,
            pending_stage TEXT,
            goal_revision INTEGER NOT NULL,
            approved_amount TEXT,
            approval_ref TEXT,
            ex_ante_required INTEGER,
            key_review INTEGER,
            ex_ante_state TEXT,
            ex_ante_policy TEXT,
            ex_ante_conclusion TEXT,
            in_library INTEGER NOT NULL DEFAULT 0,
            monitoring_period TEXT,
            monitoring_status TEXT,
            version INTEGER NOT NULL,
            updated_at TEXT NOT NULL,
            position BIGINT NOT NULL
        )""",
        "CREATE INDEX IF NOT EXISTS ix_v_objects_year ON v_objects (mof_div_code, fiscal_year)",
        "CREATE INDEX IF NOT EXISTS ix_v_objects_dept ON v_objects (department_id)",
        """CREATE TABLE IF NOT EXISTS v_objects_orgs (
            org_id TEXT PRIMARY KEY,
            name TEXT NOT NULL
        )""",
    )

    @on(Organisation.Registered)
    def _org(self, cur: Cursor, e: Any, position: int) -> None:
        cur.execute(
            "INSERT INTO v_objects_orgs (org_id, name) VALUES (?, ?) "
            "ON CONFLICT (org_id) DO UPDATE SET name = excluded.name",
            (str(e.originator_id), e.name),
        )

    def _org_name(self, cur: Cursor, org_id: Any) -> str | None:
        if org_id is None:
            return None
        row = cur.execute(
            "SELECT name FROM v_objects_orgs WHERE org_id = ?", (str(org_id),)
        ).fetchone()
        return row["name"] if row else None

    @on(PerformanceObject.Registered)
    def _registered(self, cur: Cursor, e: Any, position: int) -> None:
        cur.execute(
            """INSERT INTO v_objects (object_id, mof_div_code, fiscal_year, pro_code, name, kind,
                department_id, department_name, unit_id, unit_name, fund_type, amount, is_new,
                last_year_amount, goal_status, pending_stage, goal_revision, version,
                updated_at, position)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, 0, ?, ?, ?)""",
            (
                str(e.originator_id),
                e.mof_div_code,
                e.fiscal_year,
                e.pro_code,
                e.name,
                e.kind,
                str(e.department_id),
                self._org_name(cur, e.department_id),
                str(e.unit_id) if e.unit_id else None,
                self._org_name(cur, e.unit_id),
                e.fund_type,
                str(e.amount),
                int(e.is_new),
                None if e.last_year_amount is None else str(e.last_year_amount),
                GoalStatus.NONE.value,
                e.originator_version,
                e.timestamp.isoformat(),
                position,
            ),
        )

    def _update(self, cur: Cursor, e: Any, position: int, **columns: Any) -> None:
        update_from_event(cur, "v_objects", "object_id", e, position, **columns)

    def _revision(self, cur: Cursor, e: Any) -> int:
        row = cur.execute(
            "SELECT goal_revision FROM v_objects WHERE object_id = ?", (str(e.originator_id),)
        ).fetchone()
        return (row["goal_revision"] if row else 0) + 1

    @on(PerformanceObject.GoalSubmitted, PerformanceObject.GoalResubmitted)
    def _submitted(self, cur: Cursor, e: Any, position: int) -> None:
        self._update(
            cur,
            e,
            position,
            goal_status=GoalStatus.UNDER_REVIEW.value,
            pending_stage=STAGES[0][0],
            goal_revision=self._revision(cur, e),
            key_review=None if e.key_review is None else int(e.key_review.required),
        )

    @on(PerformanceObject.GoalReviewed)
    def _reviewed(self, cur: Cursor, e: Any, position: int) -> None:
        codes = [code for code, _, _ in STAGES]
        if e.outcome in ("优", "良"):
            index = codes.index(e.stage) + 1
            if index == len(codes):
                self._update(
                    cur, e, position, goal_status=GoalStatus.REVIEWED.value, pending_stage=None
                )
            else:
                self._update(cur, e, position, pending_stage=codes[index])
        else:
            status = GoalStatus.REJECTED if e.outcome == "差" else GoalStatus.RETURNED
            self._update(cur, e, position, goal_status=status.value, pending_stage=None)

    @on(PerformanceObject.GoalApproved)
    def _approved(self, cur: Cursor, e: Any, position: int) -> None:
        self._update(
            cur,
            e,
            position,
            goal_status=GoalStatus.APPROVED.value,
            pending_stage=None,
            approved_amount=str(e.approved_amount),
            approval_ref=e.approval_ref,
        )

    @on(PerformanceObject.GoalAdjustmentApplied, PerformanceObject.GoalAdjustmentReviewed)
    def _adjustment_under_way(self, cur: Cursor, e: Any, position: int) -> None:
        self._update(cur, e, position)  # the approved goal stands; the version moves on

    @on(PerformanceObject.GoalAdjusted)
    def _adjusted(self, cur: Cursor, e: Any, position: int) -> None:
        # A version-2 adjustment may change the amount (a version-1 one never did).
        amount = {} if e.approved_amount is None else {"approved_amount": str(e.approved_amount)}
        self._update(cur, e, position, goal_revision=self._revision(cur, e), **amount)

    @on(PerformanceObject.AdmittedToLibrary)
    def _admitted(self, cur: Cursor, e: Any, position: int) -> None:
        self._update(cur, e, position, in_library=1)

    # --- other aggregates' events about an object: their own columns, not its version -----

    def _set(self, cur: Cursor, e: Any, **columns: Any) -> None:
        assignments = ", ".join(f"{name} = ?" for name in columns)
        cur.execute(
            f"UPDATE v_objects SET {assignments} WHERE object_id = ?",
            (*columns.values(), str(e.object_id)),
        )

    @on(ExAnteAssessment.RequirementJudged, ExAnteAssessment.RequirementRejudged)
    def _ex_ante_judged(self, cur: Cursor, e: Any, position: int) -> None:
        columns: dict[str, Any] = {
            "ex_ante_required": int(e.required),
            "ex_ante_policy": f"{e.policy.policy_id} v{e.policy.version}",
        }
        if isinstance(e, ExAnteAssessment.RequirementJudged):
            columns["ex_ante_state"] = AssessmentState.JUDGED.value
        self._set(cur, e, **columns)

    @on(ExAnteAssessment.Submitted)
    def _ex_ante_submitted(self, cur: Cursor, e: Any, position: int) -> None:
        done = e.assessor != "department"  # a commissioned result stands as delivered
        state = AssessmentState.CONCLUDED if done else AssessmentState.SUBMITTED
        self._set(cur, e, ex_ante_state=state.value, ex_ante_conclusion=e.conclusion)

    @on(ExAnteAssessment.Reviewed)
    def _ex_ante_reviewed(self, cur: Cursor, e: Any, position: int) -> None:
        accepted = e.outcome == "accepted"
        state = AssessmentState.ACCEPTED if accepted else AssessmentState.RETURNED
        self._set(cur, e, ex_ante_state=state.value)

    @on(ExAnteAssessment.Commissioned)
    def _ex_ante_commissioned(self, cur: Cursor, e: Any, position: int) -> None:
        self._set(cur, e, ex_ante_state=AssessmentState.COMMISSIONED.value)

    @on(MonitoringTask.EntryJudged)
    def _monitoring_judged(self, cur: Cursor, e: Any, position: int) -> None:
        self._set(cur, e, monitoring_period=e.period_code, monitoring_status=e.judgement.status)


def list_objects(
    cur: Cursor,
    *,
    mof_div_code: str | None = None,
    fiscal_year: int | None = None,
    department_id: str | None = None,
    goal_status: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[dict[str, Any]]:
    filters = {
        "mof_div_code": mof_div_code,
        "fiscal_year": fiscal_year,
        "department_id": department_id,
        "goal_status": goal_status,
    }
    where, params = equal_filters(filters)
    return cur.execute(
        f"SELECT * FROM v_objects WHERE {where} "
        "ORDER BY fiscal_year DESC, mof_div_code, pro_code LIMIT ? OFFSET ?",
        (*params, limit, offset),
    ).fetchall()


def get_object(cur: Cursor, object_id: str) -> dict[str, Any] | None:
    return cur.execute("SELECT * FROM v_objects WHERE object_id = ?", (object_id,)).fetchone()
