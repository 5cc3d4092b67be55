"""The indicator library's national tables (BAS_PERF_INDICATOR: the finance bureau's common
indicators; PERF_T_DEPTINDICATOR: a department's own) to the library entries an import adds.

The national library is a tree: category rows (一级, 二级: is_leaf 0, or level_no 1 or 2) hold
the leaves (三级), which are the entries. A leaf's 一级/二级 are its findex/sindex, or when
those are blank the names of the category rows its parent_id leads to (parent_id is read as
the parent row's perf_ind_code). Soft-deleted (is_deleted 1) and disabled (is_enabled 0)
leaves are entries too, recorded and then retired: codes a goal of an earlier year names
still resolve, and jixiao deletes nothing."""

from __future__ import annotations

import re
from dataclasses import dataclass

from infrastructure.national.plan import Cite, Plan, level_name, plan_org
from infrastructure.national.readers import TableFile

LIBRARY_TABLES = {"BAS_PERF_INDICATOR": "common", "PERF_T_DEPTINDICATOR": "own"}
TRUE = frozenset({"1", "是", "y", "yes", "true", "t"})
FALSE = frozenset({"0", "否", "n", "no", "false", "f"})
KEYWORD_SEPARATORS = re.compile(r"[、，,；;]")
# The definition's fields and the columns they are read from (Definition, domain/library).
COLUMNS = {
    "level1": "findex",
    "level2": "sindex",
    "name": "perf_ind_name",
    "comparator": "computesign",
    "scoring_rule": "scoreformula",
    "unit": "targetunit",
    "explanation": "explain",
    "reference_value": "kpi_val",
    "calculation": "calcformula",
    "industry_major": "industry_class",
    "industry": "industry_type",
    "fund_use": "fund_use",
    "project_type": "pro_type",
    "valid_from": "start_date",
    "valid_to": "end_date",
    "keywords": "keywords",
}


@dataclass(frozen=True)
class EntryPlan:
    cite: Cite
    code: str
    department: str | None  # the department's code; None: a common entry
    values: dict  # the fields of ledger.library.add (COLUMNS' keys)
    retired: bool  # is_deleted 1 or is_enabled 0: recorded, then retired


def flag(plan: Plan, cite: Cite, v: dict, column: str) -> bool | None:
    text = v.get(column)
    if text is None:
        return None
    if text.strip().lower() in TRUE:
        return True
    if text.strip().lower() in FALSE:
        return False
    plan.problem(cite, column, f"{text!r} is 1 or 0 (是 or 否)")
    raise ValueError


def plan_library(plan: Plan, files: list[TableFile]) -> None:
    """The library files' leaf rows as plan.library (code → EntryPlan)."""
    for f in files:
        if f.table not in LIBRARY_TABLES:
            continue
        plan.unreadable |= {r.values.get("perf_ind_code") for r in f.rows if not r.ok}
        rows = [(Cite(f.name, f.sha256, f.table, r.number), r.values) for r in f.rows if r.ok]
        by_code = {v["perf_ind_code"]: v for _, v in rows}
        for cite, v in rows:
            try:
                _row(plan, cite, v, by_code)
            except ValueError:
                continue  # its problem is reported


def _row(plan: Plan, cite: Cite, v: dict, by_code: dict[str, dict]) -> None:
    if v.get("mof_div_code") not in (None, plan.mof_div_code):
        plan.problem(cite, "mof_div_code", f"not the jurisdiction imported ({plan.mof_div_code})")
        return
    flags = ("is_leaf", "is_enabled", "is_deleted", "is_common_ind")
    leaf, enabled, deleted, _ = (flag(plan, cite, v, column) for column in flags)
    if leaf is False or (leaf is None and (v.get("level_no") or "").strip() in ("1", "2")):
        return  # a category row (一级 / 二级), not an entry
    code = v["perf_ind_code"]
    if code in plan.library:
        first = plan.library[code].cite
        plan.problem(cite, "perf_ind_code", f"{code} is also {first.file} row {first.row}")
        return
    department = None
    if LIBRARY_TABLES[cite.table] == "own":
        department = v.get("dept_code")
        if department is None:
            plan.problem(cite, "dept_code", "a department's own indicator names its department")
            return
        if v.get("dept_name"):
            plan_org(plan, cite, department, v["dept_name"], "department", None)
    level1, level2 = _levels(v, by_code)
    keywords = [w.strip() for w in KEYWORD_SEPARATORS.split(v.get("keywords") or "")]
    values = {field: v.get(column) for field, column in COLUMNS.items()}
    values |= {
        "level1": level_name(level1) if level1 else None,
        "level2": level_name(level2) if level2 else None,
        "unit": v.get("targetunit") or v.get("meterunit"),
        "keywords": tuple(w for w in keywords if w),
    }
    retired = deleted is True or enabled is False
    plan.library[code] = EntryPlan(cite, code, department, values, retired)
    plan.rows += 1


def _levels(v: dict, by_code: dict[str, dict]) -> tuple[str | None, str | None]:
    """findex/sindex, or the names of the category rows above (parent, then grandparent)."""
    parent = by_code.get(v.get("parent_id") or "")
    grandparent = by_code.get(parent.get("parent_id") or "") if parent else None
    level2 = v.get("sindex") or (parent and parent["perf_ind_name"])
    level1 = (
        v.get("findex")
        or (parent and parent.get("findex"))
        or (grandparent and grandparent["perf_ind_name"])
    )
    return level1, level2
