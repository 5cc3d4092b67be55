"""A generated district-year in the national tables' layouts (`python -m bench
national-import`): departments with units, about 550 projects and a department-wide goal
each, every goal approved with eight indicators (a project's drafted from the eight common
indicators of the library, each department also keeping one of its own), and an entry for
each monitoring period of the national default policy (H1, 1-10月, 全年), some doubtful
with their causes."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal
from pathlib import Path

from infrastructure.national.layouts import layouts
from infrastructure.national.writers import write_table

MOF = "369901"  # no shipped policy names it: the national default applies
YEAR = 2024
PERIODS = (
    (date(YEAR, 6, 30), Decimal("0.45")),
    (date(YEAR, 10, 31), Decimal("0.8")),
    (date(YEAR, 12, 31), Decimal(1)),
)
INDICATORS = (  # level one, level two, name, sign, target, unit, weight; targets scaled per project
    ("产出指标", "数量指标", "完成建设任务数", "≥", "count", "个", "20"),
    ("产出指标", "质量指标", "验收合格率", "＝", "100", "%", "10"),
    ("产出指标", "时效指标", "按期完成", "定性", "按计划节点完成", "", "10"),
    ("产出指标", "成本指标", "单位成本", "≤", "cost", "万元", "10"),
    ("效益指标", "社会效益指标", "惠及群众人数", "≥", "people", "人", "15"),
    ("效益指标", "经济效益指标", "带动投资", "≥", "invest", "万元", "10"),
    ("效益指标", "可持续影响指标", "长效管护机制", "定性", "建立并运行", "", "5"),
    ("满意度指标", "满意度指标", "服务对象满意度", "≥", "90", "%", "10"),
)
FUNDS = ("一般公共预算", "政府性基金预算")
LIBRARY_CODES = {row[2]: f"GX-{n:03d}" for n, row in enumerate(INDICATORS, 1)}


def _library(tables: dict[str, list[dict]], departments: list[str]) -> None:
    """The common indicators the projects' goals are drafted from, and one own per department."""
    for lv1, lv2, name, sign, value, unit, _ in INDICATORS:
        tables["BAS_PERF_INDICATOR"].append(
            {
                "mof_div_code": MOF,
                "perf_ind_code": LIBRARY_CODES[name],
                "perf_ind_name": name,
                "findex": lv1,
                "sindex": lv2,
                "computesign": sign,
                "targetunit": unit or None,
                "scoreformula": "正向" if sign == "＝" else None,  # = says no direction
                "kpi_val": value if value[0].isdigit() or sign == "定性" else None,
                "start_date": date(YEAR, 1, 1),
            }
        )
    for dept in departments:
        tables["PERF_T_DEPTINDICATOR"].append(
            {
                "mof_div_code": MOF,
                "perf_ind_code": f"{dept}-001",
                "perf_ind_name": f"第{dept}部门服务对象覆盖率",
                "findex": "效益指标",
                "sindex": "社会效益指标",
                "computesign": "≥",
                "targetunit": "%",
                "dept_code": dept,
                "dept_name": f"第{dept}部门",
            }
        )


def generate(directory: Path, projects: int = 550, seed: int = 11) -> dict[str, int]:
    """Write the eight tables as CSV into `directory`; the number of rows of each."""
    rng = random.Random(seed)
    tables: dict[str, list[dict]] = {t: [] for t, lay in layouts().items() if lay.imported}
    departments = [f"{101 + d}" for d in range(max(projects // 18, 1))]
    base = {"mof_div_code": MOF, "fiscal_year": YEAR}
    _library(tables, departments)
    for n in range(projects + len(departments)):
        overall = n >= projects
        dept = departments[n - projects] if overall else rng.choice(departments)
        unit = None if overall or rng.random() < 0.4 else f"{dept}{rng.randint(1, 3):03d}"
        code = f"{MOF}{YEAR % 100}{dept}{n:04d}"
        amount = Decimal(rng.randint(10_000_000, 2_000_000_000)) / 100
        is_new = rng.random() < 0.3
        goal = "BGT" if overall else "PM"
        tables[f"{goal}_PERF_GOAL_INFO"].append(
            {
                **base,
                "pro_code": code,
                "pro_name": f"第{dept}部门{'整体支出' if overall else f'项目{n}号'}",
                "dept_code": dept,
                "dept_name": f"第{dept}部门",
                "agency_code": unit,
                "agency_name": f"第{unit}单位" if unit else None,
                "fund_type": "一般公共预算" if overall else rng.choice(FUNDS),
                "pro_attr": "新增" if is_new else "延续",
                "last_year_amt": None
                if is_new
                else (amount * Decimal("0.9")).quantize(Decimal("0.01")),
                "apply_amt": amount,
                "approved_amt": amount,
                "approval_doc": f"财预〔{YEAR}〕{rng.randint(1, 99)}号",
            }
        )
        targets = _targets(rng, amount)
        names = (
            ("kpi_lv1", "kpi_lv2", "kpi_lv3")
            if overall
            else ("lv1_perf_ind_name", "lv2_perf_ind_name", "lv3_perf_ind_name")
        )
        for lv1, lv2, name, sign, value, unit_word, weight in targets:
            tables[f"{goal}_PERF_INDICATOR"].append(
                {
                    **base,
                    "pro_code": code,
                    "dept_code": dept,
                    **dict(zip(names, (lv1, lv2, name), strict=True)),
                    "computesign": sign,
                    "kpi_val": value,
                    "kpi_unit": unit_word,
                    "weight": weight,
                    "perf_ind_code": None if overall else LIBRARY_CODES[name],
                }
            )
        for as_of, share in PERIODS:
            number = f"{code}-{as_of:%m}"
            tables["PAY_PERF_MONITOR_TASK"].append(
                {
                    **base,
                    "perf_task_no": number,
                    "dept_code": dept,
                    "agency_code": unit,
                    "pro_code": code,
                    "perf_type_code": "1",
                    "data_end_date": as_of,
                }
            )
            executed = (amount * share * Decimal(rng.randint(80, 100)) / 100).quantize(
                Decimal("0.01")
            )
            doubtful = rng.random() < 0.1
            for lv1, lv2, name, sign, value, _, _ in targets:
                tables["PAY_PERF_MONITOR_INFO"].append(
                    {
                        "perf_task_no": number,
                        "pro_code": code,
                        "perf_type_code": "1",
                        "pro_bgt_comp": executed,
                        "est_pro_bgt_annual": amount,
                        "lv1_perf_ind_name": lv1,
                        "lv2_perf_ind_name": lv2,
                        "lv3_perf_ind_name": name,
                        "kpi_val": value,
                        **_progress(sign, value, share, doubtful and name == "按期完成"),
                    }
                )
    directory.mkdir(parents=True, exist_ok=True)
    every = layouts()
    for table, rows in tables.items():
        write_table(directory, every[table], rows, "csv")
    return {table: len(rows) for table, rows in tables.items()}


def _targets(rng: random.Random, amount: Decimal) -> list[tuple]:
    scale = {
        "count": str(rng.randint(5, 400)),
        "cost": str(rng.randint(2, 90)),
        "people": str(rng.randint(500, 90_000)),
        "invest": str(int(amount / 20_000)),
    }
    return [(a, b, c, d, scale.get(v, v), u, w) for a, b, c, d, v, u, w in INDICATORS]


def _progress(sign: str, value: str, share: Decimal, doubtful: bool) -> dict:
    if sign == "定性":
        row = {"perf_comp": "按计划推进" if share < 1 else value, "complete_rate": "确定能"}
        if doubtful:
            row.update(
                complete_rate="有可能",
                ana_dev_reasons="征地拆迁滞后",
                correct_measures="倒排工期，每周调度",
            )
        return row
    target = Decimal(value)
    cumulative = sign == "≥" and value not in ("90",)
    so_far = (target * share).quantize(Decimal(1)) if cumulative else target
    return {"perf_comp": so_far, "est_perf_annual": target, "complete_rate": "确定能"}
