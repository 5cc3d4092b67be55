"""Which rectification notices are open, answered, verified — and which are overdue?

Overdue is not stored: it depends on the day asked (China Standard Time), so the query
derives it from the due date (a notice still awaiting its answer after the due day).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from domain.rectification.model import NoticeStatus, RectificationNotice
from projections.view import Cursor, View, equal_filters, on, update_from_event


class RectificationView(View):
    name = "rectifications"
    tables = ("v_rectifications",)
    schema = (
        """CREATE TABLE IF NOT EXISTS v_rectifications (
            notice_id TEXT PRIMARY KEY,
            object_id TEXT NOT NULL,
            mof_div_code TEXT NOT NULL,
            fiscal_year INTEGER NOT NULL,
            pro_code TEXT NOT NULL,
            department_id TEXT NOT NULL,
            notice_ref TEXT NOT NULL,
            problems TEXT NOT NULL,
            issued_on TEXT NOT NULL,
            working_days INTEGER NOT NULL,
            due TEXT NOT NULL,
            calendar TEXT NOT NULL,
            status TEXT NOT NULL,
            responded_on TEXT,
            late INTEGER NOT NULL,
            blocks_lifted INTEGER NOT NULL,
            policy_id TEXT NOT NULL,
            policy_version INTEGER NOT NULL,
            issued_by TEXT NOT NULL,
            version INTEGER NOT NULL,
            updated_at TEXT NOT NULL,
            position BIGINT NOT NULL
        )""",
        "CREATE INDEX IF NOT EXISTS ix_v_rectifications_dept ON v_rectifications "
        "(department_id, status)",
    )

    @on(RectificationNotice.RectificationNoticeIssued)
    def _issued(self, cur: Cursor, e: Any, position: int) -> None:
        cur.execute(
            """INSERT INTO v_rectifications (notice_id, object_id, mof_div_code, fiscal_year,
                pro_code, department_id, notice_ref, problems, issued_on, working_days, due,
                calendar, status, responded_on, late, blocks_lifted, policy_id, policy_version,
                issued_by, version, updated_at, position)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, 0, 0, ?, ?, ?, ?, ?, ?)""",
            (
                str(e.originator_id),
                str(e.object_id),
                e.mof_div_code,
                e.fiscal_year,
                e.pro_code,
                str(e.department_id),
                e.notice_ref,
                json.dumps(list(e.problems), ensure_ascii=False),
                e.issued_on.isoformat(),
                e.working_days,
                e.due.isoformat(),
                e.calendar,
                NoticeStatus.OPEN.value,
                e.policy.policy_id,
                e.policy.version,
                e.act.actor.name,
                e.originator_version,
                e.timestamp.isoformat(),
                position,
            ),
        )

    def _update(self, cur: Cursor, e: Any, position: int, **columns: Any) -> None:
        update_from_event(cur, "v_rectifications", "notice_id", e, position, **columns)

    @on(RectificationNotice.RectificationReported)
    def _reported(self, cur: Cursor, e: Any, position: int) -> None:
        self._update(
            cur,
            e,
            position,
            status=NoticeStatus.RESPONDED.value,
            responded_on=e.on.isoformat(),
            late=int(e.late),
        )

    @on(RectificationNotice.RectificationVerified)
    def _verified(self, cur: Cursor, e: Any, position: int) -> None:
        self._update(
            cur, e, position, status=NoticeStatus.VERIFIED.value, blocks_lifted=len(e.lifted)
        )

    @on(RectificationNotice.RectificationRejected)
    def _rejected(self, cur: Cursor, e: Any, position: int) -> None:
        self._update(cur, e, position, status=NoticeStatus.OPEN.value)


def _with_overdue(row: dict[str, Any], today: date) -> dict[str, Any]:
    row["problems"] = json.loads(row["problems"])
    row["late"] = bool(row["late"])
    row["overdue"] = row["status"] == NoticeStatus.OPEN.value and row["due"] < today.isoformat()
    return row


def list_rectifications(
    cur: Cursor,
    today: date,
    *,
    overdue: bool | None = None,
    limit: int = 100,
    offset: int = 0,
    **filters: Any,
) -> list[dict[str, Any]]:
    where, given = equal_filters(filters)
    params: list[Any] = list(given)
    if overdue is not None:
        late = "status = ? AND due < ?"
        where += f" AND {late}" if overdue else f" AND NOT ({late})"
        params += [NoticeStatus.OPEN.value, today.isoformat()]
    rows = cur.execute(
        f"SELECT * FROM v_rectifications WHERE {where} ORDER BY due, notice_ref LIMIT ? OFFSET ?",
        (*params, limit, offset),
    ).fetchall()
    return [_with_overdue(row, today) for row in rows]
