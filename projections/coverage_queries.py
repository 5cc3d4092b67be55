"""How much of one jurisdiction's fiscal year was evaluated and reported: the counts the
coverage targets (domain/supervision/coverage.py) are judged on, read from existing views.

Definitions (an evaluation counts once it is scored; an opened one has not been carried out):
- units: organisations of kind `unit` registered in the jurisdiction (v_org_scope); a unit
  is covered when at least one of its objects of the year (v_objects.unit_id) has a scored
  department evaluation (部门评价). Objects of a department itself (no unit) cover no unit.
- project funds: the approved amounts (批复金额) of the year's approved objects of kind
  `project` (项目支出); only approved objects can be evaluated, and a request that was never
  approved is no budget. Covered: those with a scored department evaluation.
- spot checks (抽查复核): rechecks recorded of the year's self-evaluations.
- finance key evaluations (财政重点评价): scored, split by the evaluated object's kind:
  `department_overall` (部门整体支出), and every other kind (project, policy, transfer
  payment) as 重大政策（项目）.
- NPC: the departments in the year's NPC submission (one per jurisdiction and year).
"""

from __future__ import annotations

import json
from decimal import Decimal

from domain.supervision.coverage import CoverageCounts
from projections.view import Cursor

_SCORED_DEPARTMENT_EVALUATION = """EXISTS (SELECT 1 FROM v_evaluations e
    WHERE e.object_id = o.object_id AND e.kind = 'department' AND e.status = 'scored')"""


def unit_coverage(cur: Cursor, mof_div_code: str, fiscal_year: int) -> tuple[int, int]:
    """(units in the jurisdiction, units with a scored department evaluation that year)."""
    total = cur.execute(
        "SELECT COUNT(*) AS n FROM v_org_scope WHERE mof_div_code = ? AND kind = 'unit'",
        (mof_div_code,),
    ).fetchone()["n"]
    covered = cur.execute(
        f"""SELECT COUNT(DISTINCT o.unit_id) AS n FROM v_objects o
            JOIN v_org_scope u ON u.org_id = o.unit_id
            WHERE o.mof_div_code = ? AND o.fiscal_year = ?
              AND u.kind = 'unit' AND u.mof_div_code = ?
              AND {_SCORED_DEPARTMENT_EVALUATION}""",
        (mof_div_code, fiscal_year, mof_div_code),
    ).fetchone()["n"]
    return int(total), int(covered)


def project_funds_coverage(
    cur: Cursor, mof_div_code: str, fiscal_year: int
) -> tuple[Decimal, Decimal]:
    """(approved project funds, of which with a scored department evaluation), in yuan."""
    rows = cur.execute(
        f"""SELECT o.approved_amount AS amount,
                   CASE WHEN {_SCORED_DEPARTMENT_EVALUATION} THEN 1 ELSE 0 END AS covered
            FROM v_objects o
            WHERE o.mof_div_code = ? AND o.fiscal_year = ? AND o.kind = 'project'
              AND o.approved_amount IS NOT NULL""",
        (mof_div_code, fiscal_year),
    ).fetchall()
    # Amounts are exact decimal text: summed here, never as floats in SQL.
    total = sum((Decimal(r["amount"]) for r in rows), Decimal("0.00"))
    covered = sum((Decimal(r["amount"]) for r in rows if r["covered"]), Decimal("0.00"))
    return total, covered


def spot_checks(cur: Cursor, mof_div_code: str, fiscal_year: int) -> int:
    row = cur.execute(
        "SELECT COUNT(*) AS n FROM v_evaluations "
        "WHERE mof_div_code = ? AND fiscal_year = ? AND kind = 'spot_check'",
        (mof_div_code, fiscal_year),
    ).fetchone()
    return int(row["n"])


def finance_key_evaluations(cur: Cursor, mof_div_code: str, fiscal_year: int) -> tuple[int, int]:
    """(of department_overall objects, of policies and projects), scored ones only."""
    rows = cur.execute(
        """SELECT o.kind AS kind, COUNT(*) AS n FROM v_evaluations e
           JOIN v_objects o ON o.object_id = e.object_id
           WHERE e.mof_div_code = ? AND e.fiscal_year = ? AND e.kind = 'finance_key'
             AND e.status = 'scored'
           GROUP BY o.kind""",
        (mof_div_code, fiscal_year),
    ).fetchall()
    by_kind = {r["kind"]: int(r["n"]) for r in rows}
    department = by_kind.pop("department_overall", 0)
    return department, sum(by_kind.values())


def npc_departments(cur: Cursor, mof_div_code: str, fiscal_year: int) -> int | None:
    """Departments in the year's NPC submission; None when nothing was submitted."""
    row = cur.execute(
        "SELECT department_ids FROM v_npc_submissions WHERE mof_div_code = ? AND fiscal_year = ?",
        (mof_div_code, fiscal_year),
    ).fetchone()
    return None if row is None else len(json.loads(row["department_ids"]))


def coverage_counts(cur: Cursor, mof_div_code: str, fiscal_year: int) -> CoverageCounts:
    units, units_evaluated = unit_coverage(cur, mof_div_code, fiscal_year)
    funds, funds_evaluated = project_funds_coverage(cur, mof_div_code, fiscal_year)
    key_department, key_policy = finance_key_evaluations(cur, mof_div_code, fiscal_year)
    npc = npc_departments(cur, mof_div_code, fiscal_year)
    return CoverageCounts(
        units=units,
        units_evaluated=units_evaluated,
        project_funds=funds,
        project_funds_evaluated=funds_evaluated,
        spot_checks=spot_checks(cur, mof_div_code, fiscal_year),
        key_evaluations_department=key_department,
        key_evaluations_policy=key_policy,
        npc_departments=npc or 0,
        npc_submitted=npc is not None,
    )
