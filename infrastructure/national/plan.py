"""From the national tables' rows to what an import will do: organisations, objects with
their goals, monitoring tasks with their entries, each citing the rows it comes from. Row
problems are collected here; checks.py then runs the domain's own rules on the plan."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from uuid import UUID

from domain.errors import DomainError
from domain.indicators import Indicator
from domain.monitoring.entry import Entry
from domain.objects.model import FUND_TYPES, OBJECT_KINDS
from domain.values import MigrationSource
from infrastructure.national.layouts import layouts
from infrastructure.national.problems import Problem
from infrastructure.national.readers import Row, TableFile

GOAL_TABLES = {"PM_PERF_GOAL_INFO": "PM_PERF_INDICATOR", "BGT_PERF_GOAL_INFO": "BGT_PERF_INDICATOR"}
# Column names of the three levels and the indicator's name, per indicator table.
LEVEL_COLUMNS = {
    "PM_PERF_INDICATOR": ("lv1_perf_ind_name", "lv2_perf_ind_name", "lv3_perf_ind_name"),
    "BGT_PERF_INDICATOR": ("kpi_lv1", "kpi_lv2", "kpi_lv3"),
    "PAY_PERF_MONITOR_INFO": ("lv1_perf_ind_name", "lv2_perf_ind_name", "lv3_perf_ind_name"),
}
KIND_BY_LABEL = {label: kind for kind, label in OBJECT_KINDS.items()}
FUND_BY_LABEL = {label: kind for kind, label in FUND_TYPES.items()}
MODES = {"1": "self", "2": "finance_key"}
_KEYS = ("pro_code", "perf_task_no")


@dataclass(frozen=True)
class Cite:
    """A row of a file moved in: what a migrated act names (MigrationSource)."""

    file: str
    sha256: str
    table: str
    row: int

    @property
    def source(self) -> MigrationSource:
        return MigrationSource(self.file, self.sha256, self.table, self.row)


@dataclass(frozen=True)
class Org:
    code: str
    name: str
    kind: str  # department | unit
    parent: str | None
    cite: Cite


@dataclass
class ObjectPlan:
    cite: Cite
    mof_div_code: str
    fiscal_year: int
    pro_code: str
    name: str
    kind: str
    department: str
    unit: str | None
    fund_type: str
    amount: Decimal
    is_new: bool
    last_year_amount: Decimal | None
    approved_amount: Decimal | None
    approval_ref: str | None
    indicators: list[Indicator] = field(default_factory=list)
    indicator_cites: list[Cite] = field(default_factory=list)
    library_codes: list[str | None] = field(default_factory=list)  # perf_ind_code of each


@dataclass
class TaskPlan:
    cite: Cite
    task_no: str
    pro_code: str
    department: str
    unit: str | None
    mode: str
    as_of: date
    info: list[tuple[Cite, dict]] = field(default_factory=list)
    # Set by the checks: the policy's period, the object, the entry as the domain reads it.
    period_code: str | None = None
    object_id: UUID | None = None
    entry: Entry | None = None


@dataclass
class Plan:
    mof_div_code: str
    fiscal_year: int
    organisations: dict[str, Org] = field(default_factory=dict)
    objects: dict[str, ObjectPlan] = field(default_factory=dict)
    tasks: dict[str, TaskPlan] = field(default_factory=dict)
    library: dict = field(default_factory=dict)  # code → EntryPlan (library_plan.py)
    not_imported: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rows: int = 0
    unreadable: set = field(default_factory=set)  # keys (pro_code, perf_task_no) of bad rows

    def problem(self, cite: Cite | None, column: str | None, message: str, file: str = "") -> None:
        self.problems.append(
            Problem(cite.file if cite else file, cite.row if cite else None, column, message)
        )


def plan_of(files: list[TableFile], mof_div_code: str, fiscal_year: int) -> Plan:
    plan = Plan(mof_div_code, fiscal_year)
    by_table: dict[str, list[tuple[TableFile, Row]]] = {}
    for f in files:
        plan.problems += f.problems
        by_table.setdefault(f.table, []).extend((f, r) for r in f.rows if r.ok)
        # Rows a bad row would have joined are not reported again as joining nothing.
        plan.unreadable |= {r.values.get(k) for r in f.rows if not r.ok for k in _KEYS}
    for f in files:
        if not layouts()[f.table].imported:
            plan.not_imported.append(f"{f.name} ({f.table}, {len(f.rows)} rows)")
    for goal_table, indicator_table in GOAL_TABLES.items():
        for f, row in by_table.get(goal_table, []):
            _object(plan, _cite(f, row), row.values)
        for f, row in by_table.get(indicator_table, []):
            _indicator(plan, _cite(f, row), row.values, indicator_table)
    for f, row in by_table.get("PAY_PERF_MONITOR_TASK", []):
        _task(plan, _cite(f, row), row.values)
    for f, row in by_table.get("PAY_PERF_MONITOR_INFO", []):
        cite, v = _cite(f, row), row.values
        task = plan.tasks.get(v["perf_task_no"] or "")
        if task is None and v["perf_task_no"] in plan.unreadable:
            continue
        if task is None:
            plan.problem(cite, "perf_task_no", "no such task in PAY_PERF_MONITOR_TASK")
        elif v["pro_code"] != task.pro_code:
            plan.problem(cite, "pro_code", f"the task is of project {task.pro_code}")
        elif v["perf_type_code"] and MODES.get(v["perf_type_code"]) != task.mode:
            plan.problem(cite, "perf_type_code", "differs from the task's perf_type_code")
        else:
            task.info.append((cite, v))
            plan.rows += 1
    return plan


def _cite(f: TableFile, row: Row) -> Cite:
    return Cite(f.name, f.sha256, f.table, row.number)


def _in_scope(plan: Plan, cite: Cite, v: dict) -> bool:
    if v.get("mof_div_code") not in (None, plan.mof_div_code):
        plan.problem(cite, "mof_div_code", f"not the jurisdiction imported ({plan.mof_div_code})")
        return False
    if v.get("fiscal_year") not in (None, plan.fiscal_year):
        plan.problem(cite, "fiscal_year", f"not the year imported ({plan.fiscal_year})")
        return False
    return v.get("pro_code") is not None


def plan_org(plan: Plan, cite: Cite, code: str, name: str | None, kind: str, parent: str | None):
    known = plan.organisations.get(code)
    if known is None:
        if not name:
            column = "dept_name" if kind == "department" else "agency_name"
            plan.problem(cite, column, f"organisation {code} is new here and needs its name")
            return
        plan.organisations[code] = Org(code, name, kind, parent, cite)
    elif (known.kind, known.parent) != (kind, parent) or (name and name != known.name):
        plan.problem(
            cite,
            "dept_code" if kind == "department" else "agency_code",
            f"organisation {code} is {known.name} ({known.kind}) in {known.cite.file} row "
            f"{known.cite.row}",
        )


def _object(plan: Plan, cite: Cite, v: dict) -> None:
    if not _in_scope(plan, cite, v) or v["dept_code"] is None:
        return
    pro_code = v["pro_code"]
    if pro_code in plan.objects:
        plan.problem(cite, "pro_code", f"{pro_code} appears twice")
        return
    kind = "department_overall" if cite.table == "BGT_PERF_GOAL_INFO" else "project"
    if cite.table == "PM_PERF_GOAL_INFO" and v.get("pro_kind"):
        kind = KIND_BY_LABEL.get(v["pro_kind"], v["pro_kind"])
        if kind not in OBJECT_KINDS or kind == "department_overall":
            plan.problem(cite, "pro_kind", "项目支出, 转移支付 or 政策")
            return
    fund_type = FUND_BY_LABEL.get(v["fund_type"] or "", v["fund_type"])
    if fund_type not in FUND_TYPES:
        plan.problem(cite, "fund_type", f"one of {list(FUND_BY_LABEL)}")
        return
    if v["pro_attr"] not in ("新增", "延续"):
        plan.problem(cite, "pro_attr", "新增 or 延续")
        return
    if (v["approved_amt"] is None) != (v["approval_doc"] is None):
        column = "approval_doc" if v["approval_doc"] is None else "approved_amt"
        plan.problem(cite, column, "an approved goal gives both approved_amt and approval_doc")
        return
    dept = v["dept_code"]
    plan_org(plan, cite, dept, v["dept_name"], "department", None)
    unit = v.get("agency_code")
    unit = None if unit in (None, dept) else unit
    if unit:
        plan_org(plan, cite, unit, v.get("agency_name"), "unit", dept)
    plan.objects[pro_code] = ObjectPlan(
        cite=cite,
        mof_div_code=plan.mof_div_code,
        fiscal_year=plan.fiscal_year,
        pro_code=pro_code,
        name=v["pro_name"],
        kind=kind,
        department=dept,
        unit=unit,
        fund_type=fund_type,
        amount=v["apply_amt"],
        is_new=v["pro_attr"] == "新增",
        last_year_amount=v["last_year_amt"],
        approved_amount=v["approved_amt"],
        approval_ref=v["approval_doc"],
    )
    plan.rows += 1


def level_name(text: str) -> str:
    """The level as jixiao keeps it, from the national spelling: 产出指标 → 产出, 数量指标 →
    数量, 社会效益指标 → 社会, 服务对象满意度指标 → 满意度."""
    text = text.strip().removesuffix("指标") or text.strip()
    if text.endswith("满意度"):
        return "满意度"
    return text.removesuffix("效益") if len(text) > 2 else text


def printed_level(level: str, first: bool) -> str:
    """The national spelling of a level (the inverse of level_name)."""
    if not first and level in ("经济", "社会", "生态"):
        return f"{level}效益指标"
    if not first and level == "满意度":
        return "服务对象满意度指标"
    return f"{level}指标"


def _indicator(plan: Plan, cite: Cite, v: dict, table: str) -> None:
    if not _in_scope(plan, cite, v):
        return
    goal = plan.objects.get(v["pro_code"])
    expected = "BGT_PERF_GOAL_INFO" if table == "BGT_PERF_INDICATOR" else "PM_PERF_GOAL_INFO"
    if goal is None and v["pro_code"] in plan.unreadable:
        return
    if goal is None or goal.cite.table != expected:
        plan.problem(cite, "pro_code", f"no goal {v['pro_code']} in {expected}")
        return
    lv1, lv2, lv3 = (v[c] for c in LEVEL_COLUMNS[table])
    qualitative = "定" in (v["computesign"] or "")
    value = upper = None
    if not qualitative:
        try:
            value = Decimal(v["kpi_val"].replace(",", ""))
        except InvalidOperation:
            plan.problem(cite, "kpi_val", f"{v['kpi_val']!r} is not a number")
            return
        upper = v.get("kpi_val_upper")
    try:
        indicator = Indicator(
            level1=level_name(lv1),
            level2=level_name(lv2),
            name=lv3,
            comparator=v["computesign"],
            value=value,
            upper=upper,
            qualitative_target=v["kpi_val"] if qualitative else None,
            unit=v.get("kpi_unit") or "",
            weight=v.get("weight") or Decimal(0),
        )
    except DomainError as e:
        plan.problem(cite, _indicator_column(e.detail, table), e.detail)
        return
    goal.indicators.append(indicator)
    goal.indicator_cites.append(cite)
    goal.library_codes.append(v.get("perf_ind_code"))
    plan.rows += 1


def _indicator_column(detail: str, table: str) -> str:
    lv1, lv2, lv3 = LEVEL_COLUMNS[table]
    for words, column in (("comparator", "computesign"), ("level one", lv1), ("level two", lv2)):
        if words in detail:
            return column
    return lv3 if "needs a name" in detail else "kpi_val"


def _task(plan: Plan, cite: Cite, v: dict) -> None:
    if not _in_scope(plan, cite, v):
        return
    if v["perf_task_no"] in plan.tasks:
        plan.problem(cite, "perf_task_no", "appears twice")
        return
    mode = MODES.get(v["perf_type_code"])
    if mode is None:
        plan.problem(cite, "perf_type_code", "1 (部门自行监控) or 2 (财政重点监控)")
        return
    unit = v.get("agency_code")
    plan.tasks[v["perf_task_no"]] = TaskPlan(
        cite=cite,
        task_no=v["perf_task_no"],
        pro_code=v["pro_code"],
        department=v["dept_code"],
        unit=None if unit in (None, v["dept_code"]) else unit,
        mode=mode,
        as_of=v["data_end_date"],
    )
    plan.rows += 1
