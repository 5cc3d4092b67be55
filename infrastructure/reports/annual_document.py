"""The annual report as a document, in the order of a 年度预算绩效管理工作综合报告 (南昌
task 14: to the Party committee and government, copied to the NPC standing committee):
overall, coverage against each target of the policy, grades, result application,
rectification, monitoring, findings and accountability, and the annex of data sources."""

from __future__ import annotations

from collections import Counter

from domain.evaluation.model import EVALUATION_KINDS
from domain.monitoring.deviation import STATUS_NAMES
from infrastructure.reports.annual import APPLIED, COVERAGE, FOUND, GRADED, MONITORED, RECTIFIED
from infrastructure.reports.document import Document
from infrastructure.reports.figures import GRADES, AnnualReport

OPS = {">=": "不低于", ">": "高于", "=": "等于", "<=": "不高于", "<": "低于"}
STATUS = {"open": "待整改", "responded": "已反馈待核验", "verified": "整改到位"}


WITHHELD = "不列示"


def _positions(sources: tuple[int, ...] | list[int]) -> str:
    return "、".join(str(p) for p in sources) or "（无）"


def annual_document(report: AnnualReport) -> Document:
    where = f"{report.jurisdiction or ''}（{report.mof_div_code}）"
    doc = Document(
        title=f"{report.fiscal_year}年度预算绩效管理工作综合报告",
        subtitle=(
            f"{where} · 依据政策 {report.policy['policy_id']} 第{report.policy['version']}版 · "
            f"由账本生成于 {report.generated_at}（日志位置 1–{report.head}）"
        ),
        file_stem=f"{report.mof_div_code}_{report.fiscal_year}年度预算绩效管理工作综合报告",
    )
    _overall(doc, report, where)
    _coverage(doc, report)
    _grades(doc, report)
    _figures(doc, report, APPLIED)
    doc.grid(
        ["项目编码", "评价类型", "等级", "应用措施", "比例", "金额（元）", "是否按建议"],
        [
            [r["pro_code"], EVALUATION_KINDS.get(r["evaluation_kind"]), r["grade"],
             r["measure_label"], r["percentage"], r["amount"],
             "是" if r["follows_proposal"] else f"否：{r['reason'] or ''}"]
            for r in report.results
        ],
        [3, 2, 1, 5, 1, 2, 3],
    )  # fmt: skip
    _figures(doc, report, RECTIFIED)
    doc.grid(
        ["项目编码", "文号", "下达日期", "整改期限", "状态"],
        [
            [r["pro_code"], r["notice_ref"], r["issued_on"], r["due"],
             STATUS.get(r["status"], r["status"]) + ("（逾期）" if r["overdue"] else "")]
            for r in report.rectifications
        ],
    )  # fmt: skip
    _monitoring(doc, report)
    _findings(doc, report)
    _annex(doc, report)
    return doc


def _overall(doc: Document, report: AnnualReport, where: str) -> None:
    doc.heading("一、总体情况")
    evaluated = sum(sum(g["counts"].values()) for g in report.grades)
    met = sum(1 for c in report.coverage if c["met"])
    doc.text(
        f"本报告由预算绩效管理账本按{where}{report.fiscal_year}年度的记录生成，所列数字均为账本"
        f"记录的计数，每一数字所依据的账本事件位置见附件。本年度共有评价记录 {evaluated} 项；"
        f"政策 {report.policy['policy_id']}（{report.policy.get('document') or ''}）设定的"
        f"覆盖面目标 {len(report.coverage)} 项，达到 {met} 项；结果应用 {len(report.results)} 项；"
        f"整改通知书 {len(report.rectifications)} 份；运行监控任务 {len(report.monitoring)} 个；"
        f"问责线索 {len(report.findings)} 条，问责案件 {len(report.cases)} 件。"
    )
    if report.departments is not None:  # the NPC's report: its reach, as its board
        doc.text(
            f"覆盖面按全{where}计；评价结果、结果应用、整改、运行监控、问题与问责各节仅列"
            f"本年度报送人大的 {len(report.departments)} 个部门的记录。"
        )


def _coverage(doc: Document, report: AnnualReport) -> None:
    doc.heading(COVERAGE)
    rows = []
    for c in report.coverage:
        unit = "%" if c["measure"] == "percent" else ""
        base = "" if c["denominator"] is None else f"{c['numerator']} / {c['denominator']}"
        required = f"{OPS.get(c['required']['op'], c['required']['op'])} {c['required']['value']}"
        actual = "—" if c["actual"] is None else f"{c['actual']}{unit}"
        met = "达到" if c["met"] else "未达到"
        rows.append([c["label"], f"{required}{unit}", actual, base, met])
    doc.grid(["目标", "政策要求", "实际", "计数", "结论"], rows, [4, 2, 2, 3, 1])


def _grades(doc: Document, report: AnnualReport) -> None:
    doc.heading(GRADED)
    doc.heading("（一）按评价类型", 2)
    totals: dict[str, Counter[str]] = {}
    for g in report.grades:
        totals.setdefault(g["kind"], Counter()).update(g["counts"])
    doc.grid(
        ["评价类型", *GRADES, "未评级", "合计"],
        [
            [EVALUATION_KINDS.get(kind, kind), *(c[k] for k in (*GRADES, "未评级")), c.total()]
            for kind, c in ((k, totals[k]) for k in EVALUATION_KINDS if k in totals)
        ],
        [3, 1, 1, 1, 1, 1, 1],
    )
    doc.heading("（二）按评价类型和部门", 2)
    doc.grid(
        ["评价类型", "部门", *GRADES, "未评级"],
        [
            [EVALUATION_KINDS.get(g["kind"], g["kind"]), g["department"],
             *(g["counts"][k] for k in (*GRADES, "未评级"))]
            for g in report.grades
        ],
        [2, 4, 1, 1, 1, 1, 1],
    )  # fmt: skip


def _figures(doc: Document, report: AnnualReport, section: str) -> None:
    doc.heading(section)
    figures = [f for f in report.figures if f.section == section]
    doc.grid(["事项", "数值"], [[f.label, f.value] for f in figures], [4, 2])


def _monitoring(doc: Document, report: AnnualReport) -> None:
    _figures(doc, report, MONITORED)
    doc.heading("（一）偏离及后续处理", 2)
    doc.grid(
        ["项目编码", "期间", "结论", "后续处理"],
        [
            [t["pro_code"], t["period_label"], STATUS_NAMES.get(t["judgement"], "—"),
             "；".join(f"{f['label']} {f['amount'] or ''}".strip() for f in t["follow_ups"])]
            for t in report.monitoring
            if t["judgement"] in ("warning", "serious")
        ],
        [3, 2, 1, 5],
    )  # fmt: skip


def _findings(doc: Document, report: AnnualReport) -> None:
    """Counts only: the findings name persons and the cases their files, which their own
    routes show to their own readers (the NPC reads neither)."""
    _figures(doc, report, FOUND)


def _annex(doc: Document, report: AnnualReport) -> None:
    doc.heading("附件：数据来源")
    doc.text(
        "下表列出每一数字所依据的账本事件的日志位置（每个被计数记录的最新事件）。"
        "可在 GET /integrity/evidence/{位置} 取得该事件及其包含证明。"
    )
    doc.grid(
        ["章节", "事项", "数值", "日志位置"],
        [[f.section, f.label, f.value, WITHHELD if f.withheld else _positions(f.sources)]
         for f in report.figures],
        [2, 4, 2, 5],
    )  # fmt: skip
    if any(f.withheld for f in report.figures):
        doc.text(
            f"“{WITHHELD}”：问责线索、问责案件的日志位置只列给可查阅 GET /findings、"
            "GET /cases 的角色；本报告只列其数目。"
        )
