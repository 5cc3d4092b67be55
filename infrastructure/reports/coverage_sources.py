"""The events each coverage target counts (projections/coverage_queries.py defines the
figures; this lists what they rest on, for the annual report's annex): the latest event of
each evaluation, organisation, object or submission counted, numerator and base alike."""

from __future__ import annotations

from domain.supervision.model import npc_submission_id
from infrastructure.reports.figures import latest_position_in_year
from projections.view import Cursor


def _positions(cur: Cursor, sql: str, params: tuple) -> list[int]:
    return [int(r["position"]) for r in cur.execute(sql, params).fetchall()]


def coverage_sources(cur: Cursor, mof: str, year: int) -> dict[str, list[int]]:
    year_of = "e.mof_div_code = ? AND e.fiscal_year = ?"
    scored_department = _positions(
        cur,
        f"SELECT e.position FROM v_evaluations e WHERE {year_of} "
        "AND e.kind = 'department' AND e.status = 'scored'",
        (mof, year),
    )
    units = _positions(
        cur, "SELECT position FROM v_org_scope WHERE mof_div_code = ? AND kind = 'unit'", (mof,)
    )
    projects = _positions(
        cur,
        "SELECT position FROM v_objects WHERE mof_div_code = ? AND fiscal_year = ? "
        "AND kind = 'project' AND approved_amount IS NOT NULL",
        (mof, year),
    )
    spot = _positions(
        cur,
        f"SELECT e.position FROM v_evaluations e WHERE {year_of} AND e.kind = 'spot_check'",
        (mof, year),
    )
    key = cur.execute(
        f"""SELECT e.position, o.kind FROM v_evaluations e JOIN v_objects o
            ON o.object_id = e.object_id WHERE {year_of} AND e.kind = 'finance_key'
            AND e.status = 'scored'""",
        (mof, year),
    ).fetchall()
    npc = latest_position_in_year(cur, mof, year, str(npc_submission_id(mof, year)))
    return {
        "department_evaluation_units_pct": scored_department + units,
        "department_evaluation_funds_pct": scored_department + projects,
        "spot_checks_min": spot,
        "key_evaluations_department_min": [
            int(r["position"]) for r in key if r["kind"] == "department_overall"
        ],
        "key_evaluations_policy_min": [
            int(r["position"]) for r in key if r["kind"] != "department_overall"
        ],
        "npc_departments_min": npc,
    }
