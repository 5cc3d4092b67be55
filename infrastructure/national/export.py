"""The ledger's current state of a jurisdiction-year in the national layouts: each object's
registration and its goal as it stands (the indicators in force, the approval), each
monitoring task and its entry as last corrected, and the jurisdiction's indicator library
(library_export.py). Objects are found in the `objects` view;
everything written is read from the aggregates themselves."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from uuid import UUID

from domain.comparators import PRINTED
from domain.errors import NotFound
from domain.ledger import Ledger
from domain.monitoring.entry import Entry
from domain.monitoring.model import MonitoringTask, monitoring_task_id
from domain.objects.model import FUND_TYPES, OBJECT_KINDS, GoalStatus, PerformanceObject
from domain.registry.model import Organisation
from infrastructure.national.layouts import layouts
from infrastructure.national.library_export import library_rows
from infrastructure.national.plan import MODES, printed_level
from infrastructure.national.writers import write_table
from infrastructure.views.viewdb import ViewDatabase

PERF_TYPE = {mode: code for code, mode in MODES.items()}
LIKELIHOOD_WRITTEN = {
    "确定能完成": "确定能",
    "有可能完成": "有可能",
    "完全不可能完成": "完全不可能",
}


def object_ids(views: ViewDatabase, mof_div_code: str, fiscal_year: int) -> list[UUID]:
    with views.transaction(write=False) as cur:
        rows = cur.execute(
            "SELECT object_id FROM v_objects WHERE mof_div_code = ? AND fiscal_year = ? "
            "ORDER BY pro_code",
            (mof_div_code, fiscal_year),
        ).fetchall()
    return [UUID(str(r["object_id"])) for r in rows]


def year_rows(
    ledger: Ledger, ids: list[UUID], progress: Callable[[int], None] = lambda n: None
) -> dict[str, list[dict]]:
    tables: dict[str, list[dict]] = {t: [] for t, lay in layouts().items() if lay.imported}
    for object_id in ids:
        obj = ledger.load(PerformanceObject, object_id)
        dept = ledger.load(Organisation, obj.department_id)
        unit = ledger.load(Organisation, obj.unit_id) if obj.unit_id else None
        overall = obj.kind == "department_overall"
        goal, indicators = (
            ("BGT_PERF_GOAL_INFO", "BGT_PERF_INDICATOR")
            if overall
            else ("PM_PERF_GOAL_INFO", "PM_PERF_INDICATOR")
        )
        base = {"mof_div_code": obj.mof_div_code, "fiscal_year": obj.fiscal_year}
        approved = obj.goal_status == GoalStatus.APPROVED
        tables[goal].append(
            {
                **base,
                "pro_code": obj.pro_code,
                "pro_name": obj.name,
                "dept_code": dept.code,
                "dept_name": dept.name,
                "agency_code": unit.code if unit else None,
                "agency_name": unit.name if unit else None,
                "pro_kind": None if overall else OBJECT_KINDS[obj.kind],
                "fund_type": FUND_TYPES[obj.fund_type],
                "pro_attr": "新增" if obj.is_new else "延续",
                "last_year_amt": obj.last_year_amount,
                "apply_amt": obj.amount,
                "approved_amt": obj.approved_amount if approved else None,
                "approval_doc": obj.approval_ref if approved else None,
            }
        )
        if obj.goal_status != GoalStatus.NONE:
            for target in obj.indicators:
                tables[indicators].append(
                    {
                        **base,
                        **_indicator(target, overall),
                        "pro_code": obj.pro_code,
                        "dept_code": dept.code,
                    }
                )
        for period_code in _periods(ledger, obj):
            try:
                task = ledger.load(MonitoringTask, monitoring_task_id(obj.id, period_code))
            except NotFound:
                continue
            number = f"{obj.pro_code}-{period_code}"
            tables["PAY_PERF_MONITOR_TASK"].append(
                {
                    **base,
                    "perf_task_no": number,
                    "dept_code": dept.code,
                    "agency_code": unit.code if unit else None,
                    "pro_code": obj.pro_code,
                    "perf_type_code": PERF_TYPE[task.mode],
                    "data_end_date": task.as_of,
                }
            )
            if task.entry is not None:
                tables["PAY_PERF_MONITOR_INFO"] += _info(obj, task, task.entry, number)
        progress(1)
    return tables


def _periods(ledger: Ledger, obj: PerformanceObject) -> list[str]:
    _, periods = ledger.monitoring.monitoring_schedule(obj.mof_div_code, obj.fiscal_year)
    return [p.code for p in periods]


def _indicator(target, overall: bool) -> dict:
    levels = (printed_level(target.level1, True), printed_level(target.level2, False), target.name)
    names = (
        ("kpi_lv1", "kpi_lv2", "kpi_lv3")
        if overall
        else ("lv1_perf_ind_name", "lv2_perf_ind_name", "lv3_perf_ind_name")
    )
    qualitative = target.comparator == "qualitative"
    return {
        **dict(zip(names, levels, strict=True)),
        "computesign": PRINTED[target.comparator],
        "kpi_val": target.qualitative_target if qualitative else target.value,
        "kpi_val_upper": target.upper,
        "kpi_unit": target.unit or None,
        "weight": target.weight,
        "perf_ind_code": target.library.code if target.library else None,
    }


def _info(obj: PerformanceObject, task: MonitoringTask, entry: Entry, number: str) -> list[dict]:
    targets = {t.name: t for t in obj.indicators}
    rows = []
    for row in entry.indicators:
        target = targets.get(row.name)
        rows.append(
            {
                "perf_task_no": number,
                "pro_code": obj.pro_code,
                "perf_type_code": PERF_TYPE[task.mode],
                "pro_bgt_comp": entry.budget_executed,
                "est_pro_bgt_annual": entry.budget_forecast,
                "lv1_perf_ind_name": printed_level(target.level1, True) if target else None,
                "lv2_perf_ind_name": printed_level(target.level2, False) if target else None,
                "lv3_perf_ind_name": row.name,
                "kpi_val": (target.qualitative_target or target.value) if target else None,
                "perf_comp": row.qualitative_actual if row.actual is None else row.actual,
                "est_perf_annual": row.forecast,
                "ana_dev_reasons": row.deviation_cause,
                "correct_measures": row.corrective_measures or None,
                "complete_rate": LIKELIHOOD_WRITTEN[row.likelihood],
            }
        )
    return rows


def export_year(
    ledger: Ledger,
    views: ViewDatabase,
    mof_div_code: str,
    fiscal_year: int,
    directory: Path,
    formats: tuple[str, ...] = ("csv",),
    progress: Callable[[int], None] = lambda n: None,
    on_planned: Callable[[int], None] = lambda total: None,
) -> list[Path]:
    """`on_planned` is told the steps (each object read, each file written) and `progress`
    advanced as each is done."""
    directory.mkdir(parents=True, exist_ok=True)
    ids = object_ids(views, mof_div_code, fiscal_year)
    # Every imported layout is written (the library's two are refilled by library_rows).
    files = sum(1 for lay in layouts().values() if lay.imported)
    on_planned(len(ids) + len(formats) * files)
    tables = year_rows(ledger, ids, progress)
    tables |= library_rows(ledger, views, mof_div_code)  # the library has no year
    every = layouts()
    written = []
    for fmt in formats:
        for table, rows in tables.items():
            written.append(write_table(directory, every[table], rows, fmt))
            progress(1)
    return written
