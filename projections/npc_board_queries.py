"""The NPC supervision board of a jurisdiction's year, read from the existing views: what was
submitted to the NPC (人大), and for each submitted department its goals with indicators,
its evaluations with scores and grades, the NPC's satisfaction ratings, its key projects,
and the objects graded 中 or 差 with what was done about them (results applied,
rectification notices, funding blocks). Only submitted departments appear: a department
not in any submission of the year is not the NPC's to read."""

from __future__ import annotations

import json
from typing import Any

from projections.goal_indicators_view import indicators_of
from projections.view import Cursor

Row = dict[str, Any]
WEAK_GRADES = ("中", "差")


def submissions(cur: Cursor, mof_div_code: str, fiscal_year: int | None = None) -> list[Row]:
    """The jurisdiction's NPC submissions (of a year, if given), oldest first, with ratings."""
    where, params = "mof_div_code = ?", [mof_div_code]
    if fiscal_year is not None:
        where, params = where + " AND fiscal_year = ?", [*params, fiscal_year]
    rows = cur.execute(
        f"SELECT * FROM v_npc_submissions WHERE {where} ORDER BY fiscal_year, submitted_at",
        tuple(params),
    ).fetchall()
    for row in rows:
        row["department_ids"] = json.loads(row["department_ids"])
        row["key_projects"] = json.loads(row["key_projects"])
        row["ratings"] = cur.execute(
            "SELECT department_id, rater_name, rating, comments FROM v_npc_ratings "
            "WHERE submission_id = ? ORDER BY position",
            (row["submission_id"],),
        ).fetchall()
    return rows


def submitted_departments(cur: Cursor, mof_div_code: str, fiscal_year: int) -> list[str]:
    """Every department named in the year's submissions, in the order first submitted."""
    seen: list[str] = []
    for row in submissions(cur, mof_div_code, fiscal_year):
        seen += [d for d in row["department_ids"] if d not in seen]
    return seen


def department_board(cur: Cursor, mof_div_code: str, fiscal_year: int, department_id: str) -> Row:
    org = cur.execute(
        "SELECT name, code FROM v_org_scope WHERE org_id = ?", (department_id,)
    ).fetchone()
    objects = cur.execute(
        """SELECT object_id, pro_code, name, kind, unit_id, amount, goal_status,
            approved_amount, approval_ref, goal_revision FROM v_objects
           WHERE mof_div_code = ? AND fiscal_year = ? AND department_id = ?
           ORDER BY pro_code""",
        (mof_div_code, fiscal_year, department_id),
    ).fetchall()
    indicators = indicators_of(cur, [o["object_id"] for o in objects])
    goals = [{**o, "indicators": indicators.get(o["object_id"], [])} for o in objects]
    evaluations = cur.execute(
        """SELECT evaluation_id, kind, object_id, pro_code, status, score, grade, self_score,
            gap, policy_id, policy_version FROM v_evaluations
           WHERE mof_div_code = ? AND fiscal_year = ? AND department_id = ?
           ORDER BY pro_code, kind""",
        (mof_div_code, fiscal_year, department_id),
    ).fetchall()
    ratings = cur.execute(
        """SELECT r.submission_id, r.rater_name, r.rating, r.comments FROM v_npc_ratings r
           JOIN v_npc_submissions s ON s.submission_id = r.submission_id
           WHERE s.mof_div_code = ? AND s.fiscal_year = ? AND r.department_id = ?
           ORDER BY r.position""",
        (mof_div_code, fiscal_year, department_id),
    ).fetchall()
    return {
        "department_id": department_id,
        "name": org["name"] if org else None,
        "code": org["code"] if org else None,
        "goals": goals,
        "evaluations": evaluations,
        "ratings": ratings,
        "weak": [_follow_up(cur, e) for e in evaluations if e["grade"] in WEAK_GRADES],
    }


def _follow_up(cur: Cursor, evaluation: Row) -> Row:
    """An object graded 中 or 差 and what was done about it: the results applied to any of
    its evaluations (a rechecked self-evaluation's result is applied through the recheck),
    its rectification notices and its funding blocks."""
    object_id = evaluation["object_id"]
    results = cur.execute(
        """SELECT result_id, evaluation_id, evaluation_kind, grade, proposed_measure, measure,
            follows_proposal, percentage, amount, reason, applied_by, applied_at
           FROM v_result_applications WHERE object_id = ? ORDER BY position""",
        (object_id,),
    ).fetchall()
    for r in results:
        r["follows_proposal"] = bool(r["follows_proposal"])
    notices = cur.execute(
        """SELECT notice_id, notice_ref, issued_on, due, status, responded_on, late
           FROM v_rectifications WHERE object_id = ? ORDER BY issued_on, notice_ref""",
        (object_id,),
    ).fetchall()
    for n in notices:
        n["late"] = bool(n["late"])
    blocks = cur.execute(
        """SELECT block_id, pro_code, evaluated_year, active, gap, reason, lifted_by_notice
           FROM v_funding_blocks WHERE object_id = ? ORDER BY position""",
        (object_id,),
    ).fetchall()
    for b in blocks:
        b["active"] = bool(b["active"])
    return {
        "evaluation_id": evaluation["evaluation_id"],
        "evaluation_kind": evaluation["kind"],
        "object_id": object_id,
        "pro_code": evaluation["pro_code"],
        "score": evaluation["score"],
        "grade": evaluation["grade"],
        "results_applied": results,
        "rectifications": notices,
        "funding_blocks": blocks,
    }
