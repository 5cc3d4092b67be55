"""The annual report's figures (年度预算绩效管理工作综合报告) of a jurisdiction's fiscal
year, read once, in one read transaction, with the query functions the API's routes call
(coverage: coverage_counts and judge_coverage as GET /coverage; grades: list_evaluations as
GET /evaluations; findings: every_finding as GET /findings; results, rectifications,
monitoring and cases likewise), so the
report states the numbers the API answers. Each figure keeps the log positions of the
events it counts (figures.py)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from domain.errors import NotFound
from domain.evaluation.model import EVALUATION_KINDS
from domain.monitoring.deviation import STATUS_NAMES
from domain.registry.model import Jurisdiction
from domain.results.model import MEASURES
from domain.supervision.coverage import judge_coverage
from infrastructure.bootstrap import Services
from infrastructure.findings_when_read import every_finding
from infrastructure.reports.coverage_sources import coverage_sources
from infrastructure.reports.figures import GRADES, AnnualReport, paged
from projections.case_view import list_cases
from projections.coverage_queries import coverage_counts
from projections.evaluation_view import list_evaluations
from projections.findings_queries import FindingFilters
from projections.monitoring_view import list_tasks
from projections.npc_board_queries import submitted_departments
from projections.org_scope_view import organisations
from projections.rectification_view import list_rectifications
from projections.result_view import list_results
from projections.view import Cursor

COVERAGE, GRADED, APPLIED = "二、覆盖情况", "三、评价结果", "四、结果应用"
RECTIFIED, MONITORED, FOUND = "五、整改", "六、运行监控", "七、问题与问责"
CUTS = (
    "reduce",
    "cut_recurring",
    "zero_growth",
    "no_similar_project",
    "no_funding_until_rectified",
)
PRIORITIES = ("priority", "support")
CASE_STATUS = {"open": "立案中", "referred": "已移送", "received": "已接收", "closed": "已办结"}


def build_annual_report(
    services: Services,
    mof_div_code: str,
    fiscal_year: int,
    today: date,
    *,
    submitted_only: bool = False,
    finding_sources: bool = True,
    case_sources: bool = True,
) -> AnnualReport:
    """The report as its reader may read it: `submitted_only` (the NPC) narrows the
    per-department and per-project rows (grades, results, rectifications, monitoring,
    findings, cases) to the departments submitted to the NPC that year, as the NPC board
    does; jurisdiction-wide coverage stays. Without `finding_sources` / `case_sources` (a
    reader of neither GET /findings nor GET /cases) section 七 keeps its counts but the annex
    leaves out the log positions of the findings and cases counted."""
    policy = services.ledger.policies.for_jurisdiction(mof_div_code, fiscal_year)
    report = AnnualReport(
        mof_div_code=mof_div_code,
        fiscal_year=fiscal_year,
        jurisdiction=_jurisdiction_name(services, mof_div_code),
        policy=vars(policy.ref),
        generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
        head=0,
    )
    with services.views_db.transaction(write=False) as cur:
        row = cur.execute("SELECT MAX(position) AS p FROM v_log_index").fetchone()
        report.head = int(row["p"] or 0)
        if submitted_only:
            report.departments = submitted_departments(cur, mof_div_code, fiscal_year)
        within = _within(report.departments)
        judgements = judge_coverage(policy, coverage_counts(cur, mof_div_code, fiscal_year))
        sources = coverage_sources(cur, mof_div_code, fiscal_year)
        for j in judgements:
            report.coverage.append(_judged(j))
            shown = j.actual if j.actual is not None else "—"
            report.add(COVERAGE, j.label, shown, sources.get(j.target, []))
        names = {o["org_id"]: o["name"] for o in organisations(cur, mof_div_code)}
        evaluations = within(
            paged(
                lambda **k: list_evaluations(cur, **k),
                mof_div_code=mof_div_code,
                fiscal_year=fiscal_year,
            )
        )
        _grades(report, evaluations, names)
        _results(report, cur, evaluations)
        _rectifications(report, cur, mof_div_code, fiscal_year, today)
        _monitoring(report, cur, mof_div_code, fiscal_year)
        _findings(report, cur, (mof_div_code, fiscal_year), today, finding_sources, case_sources)
    return report


def _within(departments: list[str] | None) -> Callable[[list[dict]], list[dict]]:
    """The rows of the departments the report covers (all when None)."""
    if departments is None:
        return lambda rows: rows
    kept = set(departments)
    return lambda rows: [r for r in rows if r.get("department_id") in kept]


def _jurisdiction_name(services: Services, mof_div_code: str) -> str | None:
    try:
        return services.ledger.load(Jurisdiction, Jurisdiction.create_id(mof_div_code)).name
    except NotFound:  # an unregistered code: the report names the code only
        return None


def _judged(j: Any) -> dict[str, Any]:
    """A coverage judgement as GET /coverage answers it (api/routers/coverage.py)."""
    return {
        "target": j.target,
        "label": j.label,
        "measure": j.measure,
        "required": {"value": str(j.required.value), "op": j.required.op},
        "actual": None if j.actual is None else str(j.actual),
        "numerator": str(j.numerator),
        "denominator": None if j.denominator is None else str(j.denominator),
        "met": j.met,
        "reason": j.reason,
    }


def _grades(report: AnnualReport, evaluations: list[dict], names: dict[str, str]) -> None:
    """优/良/中/差 per evaluation kind and department; an evaluation not yet graded is
    counted apart (未评级)."""
    cells: dict[tuple[str, str], list[dict]] = {}
    for e in evaluations:
        cells.setdefault((e["kind"], e["department_id"]), []).append(e)
    for (kind, department), rows in sorted(
        cells.items(), key=lambda c: (c[0][0], names.get(c[0][1], ""))
    ):
        counts = Counter(r["grade"] or "未评级" for r in rows)
        report.grades.append(
            {
                "kind": kind,
                "department": names.get(department, department),
                "counts": {g: counts.get(g, 0) for g in (*GRADES, "未评级")},
                "sources": sorted(r["position"] for r in rows),
            }
        )
    for kind in EVALUATION_KINDS:
        of_kind = [e for e in evaluations if e["kind"] == kind]
        for grade in GRADES:
            graded = [e["position"] for e in of_kind if e["grade"] == grade]
            report.add(GRADED, f"{EVALUATION_KINDS[kind]}评为“{grade}”", len(graded), graded)


def _results(report: AnnualReport, cur: Cursor, evaluations: list[dict]) -> None:
    codes = {e["evaluation_id"]: e["pro_code"] for e in evaluations}
    # The view has no jurisdiction column nor an index to ask by evaluation: read once, keep
    # the year's (in log order, as GET /results lists them).
    for r in paged(lambda **k: list_results(cur, **k)):
        if r["evaluation_id"] in codes:
            pro_code = codes[r["evaluation_id"]]
            report.results.append(
                {**r, "pro_code": pro_code, "measure_label": MEASURES[r["measure"]]}
            )
    for label, measures in (("压减、不予安排等措施", CUTS), ("优先支持、予以支持", PRIORITIES)):
        rows = [r for r in report.results if r["measure"] in measures]
        report.add(APPLIED, f"结果应用：{label}（项）", len(rows), [r["position"] for r in rows])
    amounts = [r for r in report.results if r["measure"] in CUTS and r["amount"]]
    total = sum((Decimal(r["amount"]) for r in amounts), Decimal("0.00"))
    report.add(APPLIED, "核减、压减预算金额（元）", total, [r["position"] for r in amounts])


def _rectifications(report: AnnualReport, cur: Cursor, mof: str, year: int, today: date) -> None:
    rows = _within(report.departments)(
        paged(lambda **k: list_rectifications(cur, today, **k), mof_div_code=mof, fiscal_year=year)
    )
    report.rectifications = rows
    verified = [r["position"] for r in rows if r["status"] == "verified"]
    report.add(RECTIFIED, "整改通知书（份）", len(rows), [r["position"] for r in rows])
    report.add(RECTIFIED, "整改到位（份）", len(verified), verified)
    overdue = [r["position"] for r in rows if r["overdue"]]
    report.add(RECTIFIED, f"逾期未整改（份，截至 {today}）", len(overdue), overdue)
    rate = "—" if not rows else f"{Decimal(len(verified) * 100) / len(rows):.2f}%"
    report.add(RECTIFIED, "整改率", rate, [r["position"] for r in rows])


def _monitoring(report: AnnualReport, cur: Cursor, mof: str, year: int) -> None:
    tasks = _within(report.departments)(
        paged(lambda **k: list_tasks(cur, **k), mof_div_code=mof, fiscal_year=year)
    )
    report.monitoring = tasks
    report.add(MONITORED, "监控任务（个）", len(tasks), [t["position"] for t in tasks])
    for status, name in STATUS_NAMES.items():
        judged = [t["position"] for t in tasks if t["judgement"] == status]
        report.add(MONITORED, f"监控结论：{name}", len(judged), judged)
    follow = [f["position"] for t in tasks for f in t["follow_ups"]]
    report.add(MONITORED, "偏离的后续处理（纠偏、调减等，次）", len(follow), follow)


def _findings(
    report: AnnualReport,
    cur: Cursor,
    year_of: tuple[str, int],
    today: date,
    finding_sources: bool,
    case_sources: bool,
) -> None:
    mof, year = year_of
    found = every_finding(cur, FindingFilters(mof_div_code=mof, fiscal_year=year), today)
    found = _within(report.departments)(found)
    report.findings = found
    for title, rows in sorted(_by_title(found).items()):
        positions = [e["position"] for f in rows for e in f["events"]]
        report.add(FOUND, f"问责线索：{title}", len(rows), positions, not finding_sources)
    cases = [
        c
        for c in paged(lambda **k: list_cases(cur, **k), mof_div_code=mof)
        if c["fiscal_year"] == year and _case_within(cur, c, report.departments)
    ]
    report.cases = cases
    positions = [c["position"] for c in cases]
    report.add(FOUND, "问责案件（件）", len(cases), positions, not case_sources)
    for status, name in CASE_STATUS.items():
        of = [c["position"] for c in cases if c["status"] == status]
        report.add(FOUND, f"问责案件：{name}", len(of), of, not case_sources)


def _case_within(cur: Cursor, case: dict, departments: list[str] | None) -> bool:
    """A case on an object of a covered department (every case when all are covered)."""
    if departments is None:
        return True
    objects = [str(o) for o in case["object_ids"]]
    if not objects:
        return False
    rows = cur.execute(
        f"SELECT department_id FROM v_objects WHERE object_id IN ({', '.join('?' * len(objects))})",
        tuple(objects),
    ).fetchall()
    return any(r["department_id"] in departments for r in rows)


def _by_title(found: list[dict]) -> dict[str, list[dict]]:
    groups: dict[str, list[dict]] = {}
    for f in found:
        groups.setdefault(f["title"], []).append(f)
    return groups
