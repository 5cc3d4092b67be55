"""Where does monitoring stand, per object and period? Which entries deviate seriously, what
did the policy say, which lights (红/黄/绿/蓝灯) did the entry get, and what did the finance
bureau do about it?"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from domain.monitoring.model import FOLLOW_UPS, MonitoringTask
from domain.objects.model import PerformanceObject
from projections.view import Cursor, View, equal_filters, on, update_from_event


class MonitoringView(View):
    name = "monitoring"
    version = 2  # 2: the entry's lights (light, budget_light, progress, indicator_lights)
    tables = ("v_monitoring", "v_monitoring_objects")
    schema = (
        """CREATE TABLE IF NOT EXISTS v_monitoring (
            task_id TEXT PRIMARY KEY,
            object_id TEXT NOT NULL,
            mof_div_code TEXT NOT NULL,
            fiscal_year INTEGER NOT NULL,
            pro_code TEXT,
            object_name TEXT,
            department_id TEXT NOT NULL,
            period_code TEXT NOT NULL,
            period_label TEXT NOT NULL,
            as_of TEXT NOT NULL,
            purpose TEXT NOT NULL,
            mode TEXT NOT NULL,
            budget TEXT NOT NULL,
            status TEXT NOT NULL,
            entry_revision INTEGER NOT NULL,
            business_date TEXT,
            budget_executed TEXT,
            budget_forecast TEXT,
            judgement TEXT,
            expected_execution_pct TEXT,
            execution_pct TEXT,
            lag_points TEXT,
            light TEXT,
            budget_light TEXT,
            time_progress_pct TEXT,
            budget_progress_pct TEXT,
            indicator_lights TEXT NOT NULL,
            reasons TEXT NOT NULL,
            policy_id TEXT NOT NULL,
            policy_version INTEGER NOT NULL,
            policy_document TEXT NOT NULL,
            reduced TEXT NOT NULL,
            recovered TEXT NOT NULL,
            suspended INTEGER NOT NULL,
            follow_ups TEXT NOT NULL,
            version INTEGER NOT NULL,
            updated_at TEXT NOT NULL,
            position BIGINT NOT NULL
        )""",
        "CREATE INDEX IF NOT EXISTS ix_v_monitoring_year "
        "ON v_monitoring (mof_div_code, fiscal_year, judgement)",
        "CREATE INDEX IF NOT EXISTS ix_v_monitoring_light "
        "ON v_monitoring (mof_div_code, fiscal_year, light)",
        "CREATE INDEX IF NOT EXISTS ix_v_monitoring_object ON v_monitoring (object_id)",
        """CREATE TABLE IF NOT EXISTS v_monitoring_objects (
            object_id TEXT PRIMARY KEY,
            pro_code TEXT NOT NULL,
            name TEXT NOT NULL
        )""",
    )

    @on(PerformanceObject.Registered)
    def _object(self, cur: Cursor, e: Any, position: int) -> None:
        cur.execute(
            "INSERT INTO v_monitoring_objects (object_id, pro_code, name) VALUES (?, ?, ?) "
            "ON CONFLICT (object_id) DO NOTHING",
            (str(e.originator_id), e.pro_code, e.name),
        )

    @on(MonitoringTask.Opened)
    def _opened(self, cur: Cursor, e: Any, position: int) -> None:
        obj = cur.execute(
            "SELECT pro_code, name FROM v_monitoring_objects WHERE object_id = ?",
            (str(e.object_id),),
        ).fetchone() or {"pro_code": None, "name": None}
        cur.execute(
            """INSERT INTO v_monitoring (task_id, object_id, mof_div_code, fiscal_year, pro_code,
                object_name, department_id, period_code, period_label, as_of, purpose, mode,
                budget, status, entry_revision, indicator_lights, reasons, policy_id,
                policy_version, policy_document, reduced, recovered, suspended, follow_ups,
                version, updated_at, position)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', 0, '[]', '[]', ?, ?, ?,
                '0.00', '0.00', 0, '[]', ?, ?, ?)""",
            (
                str(e.originator_id),
                str(e.object_id),
                e.mof_div_code,
                e.fiscal_year,
                obj["pro_code"],
                obj["name"],
                str(e.department_id),
                e.period_code,
                e.period_label,
                e.as_of.isoformat(),
                e.purpose,
                e.mode,
                str(e.budget),
                e.policy.policy_id,
                e.policy.version,
                e.policy.document,
                e.originator_version,
                e.timestamp.isoformat(),
                position,
            ),
        )

    def _update(self, cur: Cursor, e: Any, position: int, **columns: Any) -> None:
        update_from_event(cur, "v_monitoring", "task_id", e, position, **columns)

    def _row(self, cur: Cursor, e: Any) -> dict[str, Any]:
        return (
            cur.execute(
                "SELECT * FROM v_monitoring WHERE task_id = ?", (str(e.originator_id),)
            ).fetchone()
            or {}
        )

    @on(MonitoringTask.EntrySubmitted, MonitoringTask.EntryCorrected)
    def _entered(self, cur: Cursor, e: Any, position: int) -> None:
        self._update(
            cur,
            e,
            position,
            status="entered",
            entry_revision=(self._row(cur, e).get("entry_revision") or 0) + 1,
            business_date=e.act.business_date.isoformat() if e.act.business_date else None,
            budget_executed=str(e.entry.budget_executed),
            budget_forecast=str(e.entry.budget_forecast),
        )

    @on(MonitoringTask.EntryJudged)
    def _judged(self, cur: Cursor, e: Any, position: int) -> None:
        j = e.judgement
        lights = j.lights
        self._update(
            cur,
            e,
            position,
            judgement=j.status,
            light=lights.light if lights else None,
            budget_light=lights.budget_light if lights else None,
            time_progress_pct=_text(lights.time_progress_pct) if lights else None,
            budget_progress_pct=_text(lights.budget_progress_pct) if lights else None,
            indicator_lights=json.dumps(
                [_light_row(row) for row in lights.indicators] if lights else [],
                ensure_ascii=False,
            ),
            expected_execution_pct=str(j.expected_execution_pct),
            execution_pct=None if j.execution_pct is None else str(j.execution_pct),
            lag_points=None if j.lag_points is None else str(j.lag_points),
            reasons=json.dumps(list(j.reasons), ensure_ascii=False),
            policy_id=j.policy.policy_id,
            policy_version=j.policy.version,
            policy_document=j.policy.document,
        )

    @on(
        MonitoringTask.CorrectionOrdered,
        MonitoringTask.BudgetReduced,
        MonitoringTask.PaymentsSuspended,
        MonitoringTask.FundsRecovered,
    )
    def _followed_up(self, cur: Cursor, e: Any, position: int) -> None:
        row = self._row(cur, e)
        kind = {
            "CorrectionOrdered": "correction_ordered",
            "BudgetReduced": "budget_reduced",
            "PaymentsSuspended": "payments_suspended",
            "FundsRecovered": "funds_recovered",
        }[type(e).__name__]
        amount = getattr(e, "amount", None)
        follow_ups = json.loads(row.get("follow_ups") or "[]")
        follow_ups.append(
            {
                "kind": kind,
                "label": FOLLOW_UPS[kind][0],
                "amount": None if amount is None else str(amount),
                "reason": e.act.reason,
                "actor_name": e.act.actor.name,
                "actor_role": e.act.actor.role,
                "recorded_at": e.timestamp.isoformat(),
                "position": position,
            }
        )
        columns: dict[str, Any] = {"follow_ups": json.dumps(follow_ups, ensure_ascii=False)}
        if kind == "budget_reduced":
            columns["reduced"] = str(_dec(row.get("reduced")) + amount)
        elif kind == "funds_recovered":
            columns["recovered"] = str(_dec(row.get("recovered")) + amount)
        elif kind == "payments_suspended":
            columns["suspended"] = 1
        self._update(cur, e, position, **columns)


def _dec(value: Any) -> Decimal:
    return Decimal(value or "0")


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _light_row(row: Any) -> dict[str, Any]:
    return {
        "name": row.name,
        "rule": row.rule,
        "light": row.light,
        "progress_pct": _text(row.progress_pct),
        "basis": row.basis,
    }


def _decoded(row: dict[str, Any]) -> dict[str, Any]:
    row["reasons"] = json.loads(row["reasons"])
    row["indicator_lights"] = json.loads(row["indicator_lights"])
    row["follow_ups"] = json.loads(row["follow_ups"])
    row["suspended"] = bool(row["suspended"])
    return row


def list_tasks(
    cur: Cursor,
    *,
    mof_div_code: str | None = None,
    fiscal_year: int | None = None,
    period_code: str | None = None,
    judgement: str | None = None,
    light: str | None = None,
    object_id: str | None = None,
    department_id: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[dict[str, Any]]:
    filters = {
        "mof_div_code": mof_div_code,
        "fiscal_year": fiscal_year,
        "period_code": period_code,
        "judgement": judgement,
        "light": light,
        "object_id": object_id,
        "department_id": department_id,
    }
    where, params = equal_filters(filters)
    rows = cur.execute(
        f"SELECT * FROM v_monitoring WHERE {where} "
        "ORDER BY fiscal_year DESC, mof_div_code, pro_code, as_of LIMIT ? OFFSET ?",
        (*params, limit, offset),
    ).fetchall()
    return [_decoded(row) for row in rows]
