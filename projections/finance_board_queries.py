"""The finance bureau's board of a jurisdiction, read from the existing views: rectification
notices not yet verified (each with its department and the business section that supervises
it, 归口), evaluations scored with no result applied yet, active funding blocks, and the
objects of a budget year whose goals await approval (批复). Judgements that depend on the
day (working days left) or on the domain's rules (approval blockers, proposals) are made by
the caller; this module only reads."""

from __future__ import annotations

from typing import Any

from domain.rectification.model import NoticeStatus
from projections.view import Cursor

Row = dict[str, Any]
AWAITING_APPROVAL = ("under_review", "reviewed")  # submitted, not yet approved (批复)


def _with_orgs(cur: Cursor, rows: list[Row]) -> list[Row]:
    """Each row's department name and supervising business section (id and name)."""
    cache: dict[str, Row] = {}
    for row in rows:
        dept = row["department_id"]
        if dept not in cache:
            cache[dept] = cur.execute(
                """SELECT d.name AS department_name, d.supervisor_id AS section_id,
                        s.name AS section_name FROM v_org_scope d
                       LEFT JOIN v_org_scope s ON s.org_id = d.supervisor_id
                       WHERE d.org_id = ?""",
                (dept,),
            ).fetchone() or {"department_name": None, "section_id": None, "section_name": None}
        row.update(cache[dept])
    return rows


def unverified_rectifications(cur: Cursor, mof_div_code: str) -> list[Row]:
    rows = cur.execute(
        """SELECT notice_id, object_id, mof_div_code, fiscal_year, pro_code, department_id,
            notice_ref, issued_on, working_days, due, calendar, status, responded_on,
            policy_id, policy_version FROM v_rectifications
           WHERE mof_div_code = ? AND status <> ? ORDER BY due, notice_ref""",
        (mof_div_code, NoticeStatus.VERIFIED.value),
    ).fetchall()
    return _with_orgs(cur, rows)


def unapplied_evaluations(cur: Cursor, mof_div_code: str) -> list[Row]:
    """Scored evaluations with no result applied; a self-evaluation that was rechecked is
    left out (the recheck's result is the one applied)."""
    rows = cur.execute(
        """SELECT e.evaluation_id, e.kind, e.object_id, e.mof_div_code, e.fiscal_year,
            e.pro_code, e.department_id, e.score, e.grade FROM v_evaluations e
           WHERE e.mof_div_code = ? AND e.status = 'scored' AND e.grade IS NOT NULL
             AND NOT EXISTS (SELECT 1 FROM v_result_applications r
                             WHERE r.evaluation_id = e.evaluation_id)
             AND NOT (e.kind = 'self' AND EXISTS (SELECT 1 FROM v_evaluations c
                      WHERE c.object_id = e.object_id AND c.kind = 'spot_check'))
           ORDER BY e.fiscal_year, e.pro_code, e.kind""",
        (mof_div_code,),
    ).fetchall()
    return _with_orgs(cur, rows)


def active_funding_blocks(cur: Cursor, mof_div_code: str) -> list[Row]:
    rows = cur.execute(
        """SELECT block_id, mof_div_code, pro_code, object_id, department_id, evaluated_year,
            gap, measure, reason, policy_id, policy_version FROM v_funding_blocks
           WHERE mof_div_code = ? AND active = 1 ORDER BY position""",
        (mof_div_code,),
    ).fetchall()
    return _with_orgs(cur, rows)


def awaiting_approval(cur: Cursor, mof_div_code: str, fiscal_year: int) -> list[Row]:
    marks = ", ".join("?" for _ in AWAITING_APPROVAL)
    rows = cur.execute(
        f"""SELECT object_id, mof_div_code, fiscal_year, pro_code, name, department_id,
            goal_status, pending_stage FROM v_objects
           WHERE mof_div_code = ? AND fiscal_year = ? AND goal_status IN ({marks})
           ORDER BY department_id, pro_code""",
        (mof_div_code, fiscal_year, *AWAITING_APPROVAL),
    ).fetchall()
    return _with_orgs(cur, rows)
