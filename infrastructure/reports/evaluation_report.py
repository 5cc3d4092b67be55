"""The 绩效评价报告 of one evaluation in the outline of the 项目支出绩效评价报告
(财预〔2020〕10号, headings as in real reports; FORMS.md "Report outlines"): 一 基本情况,
二 工作开展情况, 三 综合评价及结论（附评分表）, 四 指标分析, 五 经验、问题及原因, 六 建议,
七 其他. Filled only from what the ledger holds: the evaluation as GET /evaluations/{id}
loads it, its object and approved goal, its own events, the results applied, the
rectification notices and findings on its object. A section the ledger has no record for
says so; nothing is written that the ledger does not hold."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from domain.evaluation.key_evaluation import KeyEvaluation
from domain.evaluation.model import EVALUATION_KINDS, SelfEvaluation
from domain.objects.model import OBJECT_KINDS
from domain.results.model import MEASURES
from infrastructure.bootstrap import Services
from infrastructure.findings_when_read import every_finding
from infrastructure.integrity.case_pdf import ROLES
from infrastructure.reports.annual_document import STATUS
from infrastructure.reports.document import Document
from infrastructure.reports.figures import paged
from projections.findings_queries import FindingFilters
from projections.goal_indicators_view import indicators_of
from projections.objects_view import get_object
from projections.rectification_view import list_rectifications
from projections.result_view import list_results
from projections.view import Cursor

NOT_HELD = "账本未记录此项内容。"
NOT_YOURS = "您的角色不能查阅{what}（{route}），本报告未列入。"


def evaluation_document(
    services: Services,
    evaluation_id: UUID,
    today: date,
    *,
    with_findings: bool,
    with_results: bool,
    with_notices: bool,
) -> Document:
    """NotFound (from the ledger) when there is no such evaluation. The reader sees what the
    API would show them: the findings on the object only `with_findings` (GET /findings),
    the results applied only `with_results` (GET /results), the rectification notices only
    `with_notices` (GET /rectifications); a section left out says so."""
    e = services.ledger.results.load_evaluation(evaluation_id)
    with services.views_db.transaction(write=False) as cur:
        obj = get_object(cur, str(e.object_id)) or {}
        goal = indicators_of(cur, [str(e.object_id)]).get(str(e.object_id), [])
        events = cur.execute(
            "SELECT position, event_type, business_date, recorded_at, actor_name, actor_role, "
            "actor_org_name FROM v_log_index WHERE object_id = ? AND originator_id = ? "
            "ORDER BY position",  # by the object index: an evaluation's events name its object
            (str(e.object_id), str(evaluation_id)),
        ).fetchall()
        # Every row of each (not a first page), for its readers only; None: not theirs.
        results: list[dict] | None = None
        notices: list[dict] | None = None
        findings: list[dict] | None = None
        if with_results:
            results = paged(lambda **k: list_results(cur, **k), evaluation_id=str(evaluation_id))
        if with_notices:
            read = lambda **k: list_rectifications(cur, today, **k)  # noqa: E731
            notices = paged(read, object_id=str(e.object_id))
        if with_findings:  # as GET /findings lists them
            on_object = FindingFilters(mof_div_code=e.mof_div_code, object_id=str(e.object_id))
            findings = every_finding(cur, on_object, today)
        third_party = _org_name(cur, getattr(e, "third_party_id", None))
    kind = EVALUATION_KINDS.get(e.kind, e.kind)
    name = obj.get("name") or e.pro_code
    doc = Document(
        title=f"{name}{e.fiscal_year}年度绩效评价报告",
        subtitle=(
            f"{kind} · 项目编码 {e.pro_code} · 由账本生成于 "
            f"{datetime.now(UTC).isoformat(timespec='seconds')}"
        ),
        file_stem=f"{e.pro_code}_{kind}_绩效评价报告",
    )
    _basics(doc, e, obj, goal, kind)
    _conduct(doc, events, third_party)
    _conclusion(doc, e)
    _analysis(doc, e)
    _problems(doc, notices, findings)
    _suggestions(doc, results)
    doc.heading("七、其他需要说明的问题")
    doc.text(f"评价依据政策：{e.policy.policy_id} 第{e.policy.version}版（{e.policy.document}）。")
    doc.text("本报告各部分内容均取自账本记录；账本未记录的内容（如评价机构的文字分析）未予填写。")
    return doc


def _org_name(cur: Cursor, org_id: UUID | None) -> str | None:
    if org_id is None:
        return None
    row = cur.execute("SELECT name FROM v_org_scope WHERE org_id = ?", (str(org_id),)).fetchone()
    return row["name"] if row else str(org_id)


def _basics(doc: Document, e: Any, obj: dict, goal: list[dict], kind: str) -> None:
    doc.heading("一、基本情况")
    doc.grid(
        ["事项", "内容"],
        [
            ["项目名称", obj.get("name")],
            ["项目编码", e.pro_code],
            ["评价对象类型", OBJECT_KINDS.get(obj.get("kind", ""), obj.get("kind"))],
            ["主管部门", obj.get("department_name")],
            ["实施单位", obj.get("unit_name")],
            ["年度", e.fiscal_year],
            ["申报金额（元）", obj.get("amount")],
            ["批复金额（元）", obj.get("approved_amount")],
            ["批复文号", obj.get("approval_ref")],
            ["评价类型", kind],
        ],
        [1, 3],
    )
    doc.heading("（一）绩效目标", 2)
    doc.grid(
        ["一级指标", "二级指标", "三级指标", "指标值", "单位", "分值"],
        [[i["level1"], i["level2"], i["name"], _target(i), i["unit"], i["weight"]] for i in goal],
        [1, 1, 3, 2, 1, 1],
    )


def _target(i: dict) -> str:
    if i.get("qualitative_target"):
        return str(i["qualitative_target"])
    upper = f"–{i['upper']}" if i.get("upper") else ""
    return f"{i['comparator']}{i['value']}{upper}"


def _conduct(doc: Document, events: list[dict], third_party: str | None) -> None:
    doc.heading("二、绩效评价工作开展情况")
    if third_party:
        doc.text(f"委托第三方机构：{third_party}。")
    doc.text("评价过程中账本记录的各项行为如下（日志位置可用于查证）：")
    doc.grid(
        ["日志位置", "事件", "业务日期", "行为人", "角色、单位"],
        [
            [ev["position"], ev["event_type"], ev["business_date"], ev["actor_name"],
             f"{ROLES.get(ev['actor_role'], ev['actor_role'])} {ev['actor_org_name'] or ''}"]
            for ev in events
        ],
        [1, 3, 2, 1, 3],
    )  # fmt: skip


def _conclusion(doc: Document, e: Any) -> None:
    doc.heading("三、综合评价情况及评价结论（附评分表）")
    if e.score is None:
        doc.text("评价尚未评分，账本未记录评价结论。")
        return
    doc.text(f"综合得分 {e.score} 分，评价等级为“{e.grade}”。")
    doc.heading("评分表", 2)
    if isinstance(e, SelfEvaluation):
        s = e.scoring
        rows = [["预算执行率", "", "", f"{s.execution_rate * 100:.2f}%", "",
                 s.execution_points, s.execution_score]]  # fmt: skip
        rows += [
            [r.level1, r.level2, r.name, r.target, _actual(r), r.points, r.score] for r in s.rows
        ]
        rows += [[f"{lv.level}小计", "", "", "", "", lv.points, lv.score] for lv in s.levels]
        rows.append(["合计", "", "", "", "", "", s.total])
        doc.grid(
            ["一级指标", "二级指标", "三级指标", "指标值", "实际完成值", "分值", "得分"],
            rows,
            [1, 1, 3, 2, 2, 1, 1],
        )
    elif isinstance(e, KeyEvaluation):
        rows = [[lv, w, (e.scores or {}).get(lv)] for lv, w in e.weights.items()]
        rows.append(["合计", sum(e.weights.values()), e.score])
        doc.grid(["一级指标", "分值", "得分"], rows, [2, 1, 1])
    else:  # a spot check (抽查复核) of a self-evaluation
        rule = "超过" if e.gap_rule_met else "未超过"
        doc.grid(
            ["项目", "得分"],
            [["单位自评得分", e.self_score], ["复核得分", e.score], ["差距", e.gap]],
            [2, 1],
        )
        doc.text(f"自评与复核得分差距{rule}政策规定的幅度。")


def _actual(r: Any) -> str:
    if r.actual is not None:
        return f"{r.actual}{r.unit}"
    return r.grade or "—"


def _analysis(doc: Document, e: Any) -> None:
    doc.heading("四、绩效评价指标分析")
    if isinstance(e, SelfEvaluation):
        missed = [r for r in e.scoring.rows if r.score < r.points]
        if not missed:
            doc.text("各项指标均取得满分。")
            return
        doc.grid(
            ["三级指标", "指标值", "实际完成值", "得分/分值", "偏差原因"],
            [[r.name, r.target, _actual(r), f"{r.score}/{r.points}", r.deviation_cause or "未说明"]
             for r in missed],
            [3, 2, 2, 1, 3],
        )  # fmt: skip
    elif isinstance(e, KeyEvaluation) and e.scores:
        doc.grid(
            ["一级指标", "分值", "得分", "得分率"],
            [[lv, w, e.scores.get(lv), f"{e.scores[lv] * 100 / w:.2f}%" if w else "—"]
             for lv, w in e.weights.items() if lv in e.scores],
            [2, 1, 1, 1],
        )  # fmt: skip
    else:
        doc.text(NOT_HELD)


def _problems(doc: Document, notices: list[dict] | None, findings: list[dict] | None) -> None:
    doc.heading("五、主要经验及做法、存在的问题及原因分析")
    doc.heading("（一）主要经验及做法", 2)
    doc.text(NOT_HELD)
    doc.heading("（二）存在的问题", 2)
    if notices is None:
        doc.text(NOT_YOURS.format(what="整改情况", route="GET /rectifications"))
    elif notices:
        doc.grid(
            ["整改通知书", "问题", "整改状态"],
            [[n["notice_ref"], "；".join(map(str, n["problems"])), STATUS[n["status"]]]
             for n in notices],
            [2, 5, 1],
        )  # fmt: skip
    if findings is None:
        doc.text(NOT_YOURS.format(what="问责线索", route="GET /findings"))
    elif findings:
        doc.grid(
            ["账本发现的问责线索", "依据事件位置"],
            [[f["title"], "、".join(str(ev["position"]) for ev in f["events"])] for f in findings],
            [3, 2],
        )
    if notices == [] and findings == []:
        doc.text("账本未记录该项目的整改问题或问责线索。")
    elif notices == [] or findings == []:
        doc.text(f"账本未记录该项目的{'整改问题' if notices == [] else '问责线索'}。")


def _suggestions(doc: Document, results: list[dict] | None) -> None:
    doc.heading("六、有关建议")
    if results is None:
        doc.text(NOT_YOURS.format(what="评价结果应用", route="GET /results"))
        return
    if not results:
        doc.text("评价结果尚未应用，账本未记录建议。")
        return
    doc.grid(
        ["建议措施（政策）", "实际应用", "比例", "金额（元）", "说明"],
        [[MEASURES[r["proposed_measure"]], MEASURES[r["measure"]], r["percentage"],
          r["amount"], r["reason"]] for r in results],
        [2, 2, 1, 1, 3],
    )  # fmt: skip
