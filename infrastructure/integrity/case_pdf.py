"""The referral package of a case as a PDF in Chinese, for the paper file (纸质卷宗).

It prints what a reader needs to find each record in the JSON package and to tie the paper
to that file: the facts, the cited events (position, type, actor, time, record hash), the
case's own events, the responsible persons and their parts, the documents, the package's
SHA-256 and the signed tree head. It proves nothing by itself: the JSON file is checked with
`jixiao verify-proof`. Chinese is set in reportlab's built-in CID font STSong-Light (the PDF
viewer supplies the glyphs; no font file is shipped) and hashes in Courier; long tables
continue across pages with their header repeated.
"""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from domain.accountability.values import FINDING_KINDS
from infrastructure.integrity.case_package import package_sha256

FONT = "STSong-Light"
MONO = "Courier"
PAGE = landscape(A4)

STATUS = {"open": "立案中", "referred": "已移送", "received": "已接收", "closed": "已办结"}
ROLES = {
    "unit_staff": "单位填报人", "unit_head": "单位负责人", "department_staff": "部门填报人",
    "department_head": "部门负责人", "business_section": "财政业务股室",
    "performance_section": "财政绩效股", "budget_section": "财政预算股",
    "treasury_section": "财政国库股", "auditor": "审计人员", "npc": "人大",
    "discipline": "纪检监察", "third_party": "第三方机构", "administrator": "系统管理员",
}  # fmt: skip
CST = ZoneInfo("Asia/Shanghai")  # times are printed in China Standard Time


def _cst(value: str | None) -> str:
    if not value:
        return "—"
    return datetime.fromisoformat(value).astimezone(CST).strftime("%Y-%m-%d %H:%M:%S")


def _role(role: str | None) -> str:
    return ROLES.get(role or "", role or "")


def chinese_font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def _styles() -> dict[str, ParagraphStyle]:
    font = chinese_font()
    return {
        "title": ParagraphStyle("title", fontName=font, fontSize=16, leading=22, spaceAfter=6),
        "h": ParagraphStyle("h", fontName=font, fontSize=12, leading=16, spaceBefore=8),
        "text": ParagraphStyle("text", fontName=font, fontSize=9, leading=12),
        "cell": ParagraphStyle("cell", fontName=font, fontSize=8, leading=10),
        "hash": ParagraphStyle("hash", fontName=MONO, fontSize=6.5, leading=8),
    }


def _p(value: Any, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape("" if value is None else str(value)), style)


def _table(header: list[str], rows: list[list[Any]], widths: list[float], s: dict) -> Table:
    """A table whose header repeats on every page it runs over; str cells are set in the
    Chinese font, (text, "hash") cells in Courier."""

    def cell(value: Any) -> Paragraph:
        if isinstance(value, tuple):
            return _p(value[0], s["hash"])
        return _p(value, s["cell"])

    data = [[_p(h, s["cell"]) for h in header], *[[cell(v) for v in r] for r in rows]]
    table = Table(data, colWidths=[w * mm for w in widths], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _actor(entry: dict[str, Any]) -> str:
    actor = entry.get("actor") or {}
    org = f"，{actor['organisation_name']}" if actor.get("organisation_name") else ""
    return f"{actor.get('name', '')}（{_role(actor.get('role'))}{org}）"


def _facts(package: dict[str, Any], s: dict) -> list[Any]:
    j = package.get("jurisdiction") or {}
    kind = package.get("finding_kind") or ""
    rows = [
        ("案件编号", package.get("case_no")),
        ("行政区划", f"{j.get('name') or ''} {j.get('mof_div_code', '')}"),
        ("年度", package.get("fiscal_year")),
        ("问题类型", f"{FINDING_KINDS.get(kind, '')} {kind}"),
        ("认定事实", package.get("description")),
        ("状态", STATUS.get(package.get("status", ""), package.get("status"))),
        ("立案", f"{package.get('opened_by_name')}（{_role(package.get('opened_by_role'))}） "
                 f"{_cst(package.get('opened_at'))}"),
        ("移送", f"{package.get('referred_by_name') or '—'} {_cst(package.get('referred_at'))}"),
        ("移送日期、文号", f"{package.get('referral_date') or '—'} "
                         f"{package.get('referral_ref') or ''}"),
        ("移送至", package.get("referred_to_name") or "—"),
        ("接收", f"{package.get('received_by_name')} {_cst(package.get('received_at'))}"
                 if package.get("received_by_name") else "—"),
        ("处理结果", f"{package.get('outcome') or '—'} {package.get('outcome_reason') or ''}"),
        ("案件编码", (package.get("case_id"), "hash")),
    ]  # fmt: skip
    return [_table(["事项", "内容"], [list(r) for r in rows], [40, 227], s)]


def _events(entries: list[dict[str, Any]], position_key: str, hash_key: str, s: dict) -> Table:
    """Cited events show the pin taken when cited; the case's own, their leaf hash."""
    rows = [
        [
            e.get(position_key),
            e.get("event"),
            _actor(e),
            _cst(e.get("recorded_at")),
            (e[hash_key], ""),
        ]
        for e in entries
    ]
    label = "记录哈希 SHA-256" if hash_key == "record_sha256" else "叶哈希 SHA-256"
    header = ["位置", "事件类型", "行为人", "记录时间（北京时间）", label]
    return _table(header, rows, [12, 64, 54, 40, 97], s)


def _persons(package: dict[str, Any], s: dict) -> Table:
    rows = []
    for person in package.get("persons", []):
        for act in person.get("acts", []):
            rows.append(
                [
                    person.get("name"),
                    act.get("part"),
                    act.get("position"),
                    act.get("event"),
                    f"{_role(act.get('role'))} {act.get('organisation_name') or ''}",
                    person.get("description"),
                ]
            )
    header = ["姓名", "环节", "位置", "事件类型", "角色、单位", "责任说明"]
    return _table(header, rows, [25, 25, 16, 55, 62, 84], s)


def _findings(package: dict[str, Any], s: dict) -> Any:
    findings = package.get("findings") or []
    if not findings:
        return _p("无。本案未引入由账本计算的问责线索。", s["text"])
    rows = []
    for f in findings:
        statistic = "；".join(f"{k}: {v}" for k, v in sorted(f.get("statistic", {}).items()))
        persons = "、".join(f"{p.get('name')}（{p.get('part')}）" for p in f.get("persons", []))
        positions = ", ".join(str(e.get("position")) for e in f.get("events", []))
        rows.append([f.get("title"), statistic, persons, positions])
    header = ["问责线索", "依据数值", "责任人及环节", "依据事件位置"]
    return _table(header, rows, [45, 95, 75, 52], s)


def _integrity(package: dict[str, Any], digest: str, s: dict) -> list[Any]:
    head = package["tree_head"]
    rows = [
        ("移送材料 JSON 的 SHA-256", (digest, "hash")),
        ("签名树头 大小", head["tree_size"]),
        ("根哈希", (head["root_hash"], "hash")),
        ("签名密钥编号", (head["key_id"], "hash")),
        ("签名时间", head["signed_at"]),
        ("签名（Ed25519，base64）", (head["signature"], "hash")),
    ]
    note = (
        "以上 JSON 文件可离线核验：jixiao verify-proof 文件 --public-key 公钥。"
        "每个引用事件的完整记录、包含证明均在 JSON 文件中。"
    )
    return [_table(["项目", "值"], [list(r) for r in rows], [55, 212], s), _p(note, s["text"])]


def render_case_pdf(package: dict[str, Any]) -> bytes:
    """The PDF of a case package (as built by case_package.build_case_package)."""
    s = _styles()
    digest = package_sha256(package)
    story: list[Any] = [
        _p("问责案件移送材料", s["title"]),
        _p(f"移送材料 SHA-256：{digest}", s["text"]),
        _p("一、案件基本情况", s["h"]),
        *_facts(package, s),
        _p("二、引用的账本事件（证据链）", s["h"]),
        _events(package.get("evidence", []), "cited_position", "record_sha256", s),
        _p("三、本案自身的账本事件", s["h"]),
        _events(package.get("case_events", []), "position", "leaf_hash", s),
        _p("四、责任人及其环节", s["h"]),
        _persons(package, s),
        _p("五、证据文件", s["h"]),
        _table(
            ["文件名", "说明", "SHA-256"],
            [
                [d.get("name"), d.get("description"), (d.get("sha256"), "")]
                for d in package.get("documents", [])
            ],
            [70, 100, 97],
            s,
        ),
        _p("六、问责线索", s["h"]),
        _findings(package, s),
        _p("七、完整性证明", s["h"]),
        *_integrity(package, digest, s),
        Spacer(1, 4 * mm),
    ]

    def footer(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.drawString(
            15 * mm, 8 * mm, f"{package.get('case_no', '')}  第 {doc.page} 页  SHA-256 {digest}"
        )
        canvas.restoreState()

    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=PAGE,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=12 * mm,
        bottomMargin=15 * mm,
        title=f"问责案件移送材料 {package.get('case_no', '')}",
    )
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()
