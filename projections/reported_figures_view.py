"""Every figure a person reported, one row each, for the red-flag statistics (统计预警).

Monitoring entries give the budget executed and forecast and, per indicator, the actual, the
forecast and the likelihood, beside the goal's target; self-evaluations their total score,
executed amount and each row's actual beside its target; re-checks their score. Each row
keeps its jurisdiction, year, object, department, period, business date, recorded time, log
position and the person who signed it. A correction or revision marks the rows it replaces
as superseded instead of deleting them, so value tests read the latest figures while a flag
can still name the first submission (and its time) behind it.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from domain.evaluation.model import SelfEvaluation
from domain.evaluation.spot_check import SpotCheck
from domain.monitoring.model import MonitoringTask
from domain.objects.model import PerformanceObject
from projections.view import Cursor, View, on

COLUMNS = (
    "position", "seq", "mof_div_code", "fiscal_year", "object_id", "pro_code", "department_id",
    "record_kind", "record_id", "period_code", "as_of", "field", "indicator", "value",
    "text_value", "target", "comparator", "business_date", "recorded_at", "event_type",
    "superseded", "signer_id", "signer_name", "signer_role", "signer_org_id", "signer_org_name",
)  # fmt: skip


def _s(value: Any) -> str | None:
    return None if value is None else str(value)


class ReportedFiguresView(View):
    name = "reported_figures"
    tables = ("v_reported_figures", "v_reported_tasks", "v_reported_targets", "v_reported_objects")
    schema = (
        """CREATE TABLE IF NOT EXISTS v_reported_figures (
            position BIGINT NOT NULL,
            seq INTEGER NOT NULL,
            mof_div_code TEXT NOT NULL,
            fiscal_year INTEGER NOT NULL,
            object_id TEXT NOT NULL,
            pro_code TEXT,
            department_id TEXT NOT NULL,
            record_kind TEXT NOT NULL,
            record_id TEXT NOT NULL,
            period_code TEXT,
            as_of TEXT,
            field TEXT NOT NULL,
            indicator TEXT NOT NULL,
            value TEXT,
            text_value TEXT,
            target TEXT,
            comparator TEXT,
            business_date TEXT,
            recorded_at TEXT NOT NULL,
            event_type TEXT NOT NULL,
            superseded INTEGER NOT NULL,
            signer_id TEXT NOT NULL,
            signer_name TEXT NOT NULL,
            signer_role TEXT NOT NULL,
            signer_org_id TEXT,
            signer_org_name TEXT,
            PRIMARY KEY (position, seq)
        )""",
        "CREATE INDEX IF NOT EXISTS ix_v_reported_figures_year "
        "ON v_reported_figures (mof_div_code, fiscal_year, position)",
        "CREATE INDEX IF NOT EXISTS ix_v_reported_figures_record "
        "ON v_reported_figures (record_id, superseded)",
        """CREATE TABLE IF NOT EXISTS v_reported_tasks (
            task_id TEXT PRIMARY KEY,
            object_id TEXT NOT NULL,
            mof_div_code TEXT NOT NULL,
            fiscal_year INTEGER NOT NULL,
            department_id TEXT NOT NULL,
            period_code TEXT NOT NULL,
            as_of TEXT NOT NULL
        )""",
        """CREATE TABLE IF NOT EXISTS v_reported_targets (
            object_id TEXT NOT NULL,
            name TEXT NOT NULL,
            comparator TEXT NOT NULL,
            value TEXT,
            PRIMARY KEY (object_id, name)
        )""",
        """CREATE TABLE IF NOT EXISTS v_reported_objects (
            object_id TEXT PRIMARY KEY,
            pro_code TEXT NOT NULL
        )""",
    )

    # --- what the figures are reported against -----------------------------------------

    @on(PerformanceObject.Registered)
    def _object(self, cur: Cursor, e: Any, position: int) -> None:
        cur.execute(
            "INSERT INTO v_reported_objects (object_id, pro_code) VALUES (?, ?) "
            "ON CONFLICT (object_id) DO NOTHING",
            (str(e.originator_id), e.pro_code),
        )

    @on(
        PerformanceObject.GoalSubmitted,
        PerformanceObject.GoalResubmitted,
        PerformanceObject.GoalAdjusted,
    )
    def _goal(self, cur: Cursor, e: Any, position: int) -> None:
        object_id = str(e.originator_id)
        cur.execute("DELETE FROM v_reported_targets WHERE object_id = ?", (object_id,))
        for row in e.indicators:
            cur.execute(
                "INSERT INTO v_reported_targets (object_id, name, comparator, value) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (object_id, name) DO NOTHING",
                (object_id, row.name, row.comparator, _s(row.value)),
            )

    @on(MonitoringTask.Opened)
    def _task(self, cur: Cursor, e: Any, position: int) -> None:
        cur.execute(
            """INSERT INTO v_reported_tasks (task_id, object_id, mof_div_code, fiscal_year,
                department_id, period_code, as_of) VALUES (?, ?, ?, ?, ?, ?, ?)""",
            (
                str(e.originator_id),
                str(e.object_id),
                e.mof_div_code,
                e.fiscal_year,
                str(e.department_id),
                e.period_code,
                e.as_of.isoformat(),
            ),
        )

    # --- the figures ---------------------------------------------------------------------

    def _insert(
        self, cur: Cursor, e: Any, position: int, record: dict[str, Any], rows: list[tuple]
    ) -> None:
        """Mark the record's earlier figures superseded, then add this event's."""
        cur.execute(
            "UPDATE v_reported_figures SET superseded = 1 "
            "WHERE record_id = ? AND superseded = 0 AND record_kind = ?",
            (record["record_id"], record["record_kind"]),
        )
        actor = e.act.actor
        common = {
            **record,
            "business_date": _s(e.act.business_date),
            "recorded_at": e.timestamp.isoformat(),
            "event_type": type(e).__name__,
            "superseded": 0,
            "signer_id": actor.person_id,
            "signer_name": actor.name,
            "signer_role": str(actor.role),
            "signer_org_id": actor.organisation_id,
            "signer_org_name": actor.organisation_name,
        }
        names = ", ".join(COLUMNS)
        marks = ", ".join("?" for _ in COLUMNS)
        for seq, (fld, indicator, value, text, target, comparator) in enumerate(rows):
            row = common | {
                "position": position, "seq": seq, "field": fld, "indicator": indicator,
                "value": _s(value), "text_value": text, "target": _s(target),
                "comparator": comparator,
            }  # fmt: skip
            cur.execute(
                f"INSERT INTO v_reported_figures ({names}) VALUES ({marks})",
                tuple(row[c] for c in COLUMNS),
            )

    def _record_of(self, cur: Cursor, record_id: str, kind: str) -> dict[str, Any] | None:
        """The record's coordinates, from the figures already kept (revisions carry none)."""
        return cur.execute(
            """SELECT mof_div_code, fiscal_year, object_id, pro_code, department_id,
                record_kind, record_id, period_code, as_of FROM v_reported_figures
                WHERE record_id = ? AND record_kind = ? ORDER BY position DESC LIMIT 1""",
            (record_id, kind),
        ).fetchone()

    @on(MonitoringTask.EntrySubmitted, MonitoringTask.EntryCorrected)
    def _entry(self, cur: Cursor, e: Any, position: int) -> None:
        task = cur.execute(
            "SELECT * FROM v_reported_tasks WHERE task_id = ?", (str(e.originator_id),)
        ).fetchone()
        if task is None:
            return
        pro = cur.execute(
            "SELECT pro_code FROM v_reported_objects WHERE object_id = ?", (task["object_id"],)
        ).fetchone()
        targets = {
            t["name"]: t
            for t in cur.execute(
                "SELECT name, comparator, value FROM v_reported_targets WHERE object_id = ?",
                (task["object_id"],),
            ).fetchall()
        }
        record = {
            "mof_div_code": task["mof_div_code"],
            "fiscal_year": task["fiscal_year"],
            "object_id": task["object_id"],
            "pro_code": pro["pro_code"] if pro else None,
            "department_id": task["department_id"],
            "record_kind": "monitoring",
            "record_id": task["task_id"],
            "period_code": task["period_code"],
            "as_of": task["as_of"],
        }
        entry = e.entry
        rows: list[tuple] = [
            ("budget_executed", "", entry.budget_executed, None, None, None),
            ("budget_forecast", "", entry.budget_forecast, None, None, None),
        ]
        for progress in entry.indicators:
            target = targets.get(progress.name) or {}
            goal = (target.get("value"), target.get("comparator"))
            rows += [
                ("indicator_actual", progress.name, progress.actual, progress.qualitative_actual,
                 *goal),
                ("indicator_forecast", progress.name, progress.forecast, None, *goal),
                ("likelihood", progress.name, None, progress.likelihood, *goal),
            ]  # fmt: skip
        self._insert(cur, e, position, record, rows)

    def _self_rows(self, scoring: Any) -> list[tuple]:
        rows: list[tuple] = [
            ("score", "", scoring.total, scoring.grade, None, None),
            ("executed_amount", "", scoring.executed_amount, None, None, None),
        ]
        for row in scoring.rows:
            rows.append(
                ("row_actual", row.name, row.actual, row.grade, _numeric_target(row),
                 row.comparator)
            )  # fmt: skip
        return rows

    @on(SelfEvaluation.SelfEvaluationSubmitted)
    def _self(self, cur: Cursor, e: Any, position: int) -> None:
        record = {
            "mof_div_code": e.mof_div_code,
            "fiscal_year": e.fiscal_year,
            "object_id": str(e.object_id),
            "pro_code": e.pro_code,
            "department_id": str(e.department_id),
            "record_kind": "self_evaluation",
            "record_id": str(e.originator_id),
            "period_code": None,
            "as_of": None,
        }
        self._insert(cur, e, position, record, self._self_rows(e.scoring))

    @on(SelfEvaluation.SelfEvaluationRevised)
    def _self_revised(self, cur: Cursor, e: Any, position: int) -> None:
        record = self._record_of(cur, str(e.originator_id), "self_evaluation")
        if record is not None:
            self._insert(cur, e, position, record, self._self_rows(e.scoring))

    @on(SpotCheck.SpotCheckRecorded)
    def _recheck(self, cur: Cursor, e: Any, position: int) -> None:
        record = {
            "mof_div_code": e.mof_div_code,
            "fiscal_year": e.fiscal_year,
            "object_id": str(e.object_id),
            "pro_code": e.pro_code,
            "department_id": str(e.department_id),
            "record_kind": "recheck",
            "record_id": str(e.originator_id),
            "period_code": None,
            "as_of": None,
        }
        self._insert(
            cur, e, position, record, [("recheck_score", "", e.score, e.grade, None, None)]
        )

    @on(SpotCheck.ScoreRevised)
    def _recheck_revised(self, cur: Cursor, e: Any, position: int) -> None:
        record = self._record_of(cur, str(e.originator_id), "recheck")
        if record is not None:
            rows = [("recheck_score", "", e.score, e.grade, None, None)]
            self._insert(cur, e, position, record, rows)


def _numeric_target(row: Any) -> str | None:
    """The scored row states its target as text (≥12, 90–100, 定性 wording): the number of a
    ≥ ≤ = target, else none (a range or a qualitative target is never "exactly at" a value)."""
    if row.comparator not in ("≥", "≤", "="):
        return None
    text = str(row.target)
    if not text.startswith(row.comparator):
        return None
    try:
        return str(Decimal(text[len(row.comparator) :]))
    except InvalidOperation:
        return None


def figures_of(cur: Cursor, mof_div_code: str, fiscal_year: int) -> list[dict[str, Any]]:
    """Every figure of a jurisdiction-year, superseded ones included, in log order."""
    return cur.execute(
        "SELECT * FROM v_reported_figures WHERE mof_div_code = ? AND fiscal_year = ? "
        "ORDER BY position, seq",
        (mof_div_code, fiscal_year),
    ).fetchall()
