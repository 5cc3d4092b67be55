"""The library picker (选指标): the entries a department may draft a goal from, filtered by
level, classification, keyword and the fiscal year they are in force, each with last year's
target and self-evaluated actual for the same project code; and one entry with its history.

Last year's figures come from the goal indicators view (the goal as it stood) and the
reported figures view (the self-evaluation's actual, latest revision), matched by the
indicator's 一级/二级/三级 and the object of the same pro_code in fiscal_year − 1.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from domain.ids import performance_object_id
from projections.view import Cursor

CLASSIFIED = ("level1", "level2", "industry_major", "industry", "fund_use", "project_type")


@dataclass(frozen=True)
class PickerFilters:
    mof_div_code: str
    department_id: str | None = None  # the entries this department may use
    level1: str | None = None
    level2: str | None = None
    industry_major: str | None = None
    industry: str | None = None
    fund_use: str | None = None
    project_type: str | None = None
    keyword: str | None = None  # in the name, the explanation or the keywords
    fiscal_year: int | None = None  # in force some day of this year
    include_retired: bool = False


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _entry(row: dict[str, Any], granted: list[str]) -> dict[str, Any]:
    row.pop("keyword_lines", None)
    return {
        **row,
        "is_common": row["department_id"] is None,
        "retired": bool(row["retired"]),
        "keywords": json.loads(row["keywords"]),
        "granted_to": granted,
    }


def _grants(cur: Cursor, entry_ids: list[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for start in range(0, len(entry_ids), 500):
        chunk = entry_ids[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        for row in cur.execute(
            f"SELECT entry_id, department_id FROM v_library_grants WHERE entry_id IN ({marks}) "
            "ORDER BY department_id",
            tuple(chunk),
        ).fetchall():
            found.setdefault(row["entry_id"], []).append(row["department_id"])
    return found


def pick(cur: Cursor, f: PickerFilters, limit: int, offset: int) -> list[dict[str, Any]]:
    where, params = ["mof_div_code = ?"], [f.mof_div_code]
    if f.department_id is not None:
        where.append(
            "(department_id IS NULL OR department_id = ? OR EXISTS (SELECT 1 FROM "
            "v_library_grants g WHERE g.entry_id = v_library_indicators.entry_id "
            "AND g.department_id = ?))"
        )
        params += [f.department_id, f.department_id]
    for column in CLASSIFIED:
        value = getattr(f, column)
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    if f.keyword:
        where.append(
            "(name LIKE ? ESCAPE '\\' OR explanation LIKE ? ESCAPE '\\' "
            "OR keyword_lines LIKE ? ESCAPE '\\')"
        )
        params += [_like(f.keyword)] * 3
    if f.fiscal_year is not None:
        where.append(
            "(valid_from IS NULL OR valid_from <= ?) AND (valid_to IS NULL OR valid_to >= ?)"
        )
        params += [f"{f.fiscal_year:04d}-12-31", f"{f.fiscal_year:04d}-01-01"]
    if not f.include_retired:
        where.append("retired = 0")
    rows = cur.execute(
        f"SELECT * FROM v_library_indicators WHERE {' AND '.join(where)} "
        "ORDER BY code, entry_id LIMIT ? OFFSET ?",
        (*params, limit, offset),
    ).fetchall()
    grants = _grants(cur, [r["entry_id"] for r in rows])
    return [_entry(r, grants.get(r["entry_id"], [])) for r in rows]


def last_year_object(
    cur: Cursor, mof_div_code: str, fiscal_year: int, pro_code: str
) -> dict[str, Any] | None:
    """Last year's project of this pro_code as the objects view holds it (for the reach check)."""
    object_id = str(performance_object_id(mof_div_code, fiscal_year - 1, pro_code))
    row = cur.execute(
        "SELECT object_id, mof_div_code, department_id, unit_id FROM v_objects WHERE object_id = ?",
        (object_id,),
    ).fetchone()
    return None if row is None else dict(row)


def last_year(
    cur: Cursor, mof_div_code: str, fiscal_year: int, pro_code: str, entries: list[dict]
) -> dict[str, dict[str, Any] | None]:
    """entry id → last year's goal target and self-evaluated actual of the indicator with
    the entry's 一级/二级/三级 for the project of this pro_code (None: no such indicator)."""
    object_id = str(performance_object_id(mof_div_code, fiscal_year - 1, pro_code))
    targets = {
        (r["level1"], r["level2"], r["name"]): r
        for r in cur.execute(
            """SELECT level1, level2, name, comparator, value, upper, qualitative_target, unit
                FROM v_goal_indicators WHERE object_id = ?""",
            (object_id,),
        ).fetchall()
    }
    actuals = {
        r["indicator"]: r
        for r in cur.execute(
            """SELECT indicator, value, text_value FROM v_reported_figures WHERE object_id = ?
                AND record_kind = 'self_evaluation' AND field = 'row_actual'
                AND superseded = 0""",
            (object_id,),
        ).fetchall()
    }
    found: dict[str, dict[str, Any] | None] = {}
    for entry in entries:
        target = targets.get((entry["level1"], entry["level2"], entry["name"]))
        if target is None:
            found[entry["entry_id"]] = None
            continue
        actual = actuals.get(entry["name"]) or {}
        found[entry["entry_id"]] = {
            "fiscal_year": fiscal_year - 1,
            "object_id": object_id,
            "target": {k: target[k] for k in target if k not in ("level1", "level2", "name")},
            "actual": actual.get("value"),
            "actual_grade": actual.get("text_value"),
        }
    return found


def one_entry(cur: Cursor, entry_id: str) -> dict[str, Any] | None:
    row = cur.execute(
        "SELECT * FROM v_library_indicators WHERE entry_id = ?", (entry_id,)
    ).fetchone()
    if row is None:
        return None
    return _entry(row, _grants(cur, [entry_id]).get(entry_id, []))


def history_of(cur: Cursor, entry_id: str) -> list[dict[str, Any]]:
    rows = cur.execute(
        "SELECT * FROM v_library_history WHERE entry_id = ? ORDER BY version", (entry_id,)
    ).fetchall()
    for row in rows:
        row["evidence"] = json.loads(row["evidence"])
        row["details"] = json.loads(row["details"])
    return rows
