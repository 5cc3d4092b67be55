"""Forms as a department fills them, built cell by cell with openpyxl (not by jixiao's
writer): merged 一级/二级 cells, "—", "*" and "/" for nothing, numbers typed as text,
√ ticks. Each builder follows one layout file of infrastructure/forms/templates/data/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet


def _put(ws: Worksheet, at: str, value: Any) -> None:
    if ":" in at:
        ws.merge_cells(at)
    ws[at.split(":")[0]] = value


def _save(wb: Workbook, path: Path) -> bytes:
    wb.save(path)
    return path.read_bytes()


SELF_ROWS = [
    # 一级 (merged over its rows), 二级, 三级, 年度指标值, 实际完成值, 分值, 得分, 偏差原因
    (
        "A13:A14",
        "产出指标（50分）",
        "数量指标",
        "改造老旧小区数量",
        "≥12个",
        11,
        "—",
        "—",
        "一处小区延至次年",
    ),
    (None, None, "时效指标", "年底完工率", "≥95%", "96%", "*", "*", "/"),
    ("A15", "效益指标（30分）", "社会效益指标", "受益居民户数", "≥3000户", "3,100", "—", "—", None),
    (None, None, None, None, None, None, None, None, None),  # a blank line: skipped
    ("A17", "满意度指标（20分）", "服务对象满意度指标", "居民满意度", "≥90%", 93, "—", "—", "—"),
]


def self_evaluation(
    path: Path,
    *,
    project: str = "老旧小区改造",
    executed: Any = "5876.54321",
    rows: list[tuple] | None = None,
) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "项目支出绩效自评表"
    _put(ws, "A1:H1", "项目支出绩效自评表")
    _put(ws, "A2:H2", "（2023年度）")
    ws["A3"], ws["A4"], ws["E4"] = "项目名称", "主管部门", "实施单位"
    _put(ws, "B3:H3", project)
    _put(ws, "B4:D4", "浔阳区住房和城乡建设局")
    _put(ws, "F4:H4", "甘棠街道办事处")
    _put(ws, "A5:A9", "项目资金（万元）")
    for col, label in zip(
        "CDEFGH", ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"), strict=True
    ):
        ws[f"{col}5"] = label
    for row, label in zip(
        range(6, 10),
        ("年度资金总额", "其中：本年财政拨款", "上年结转资金", "其他资金"),
        strict=True,
    ):
        ws[f"B{row}"] = label
        for col in "CDEFGH":
            ws[f"{col}{row}"] = "—"
    ws["C6"], ws["D6"], ws["E6"], ws["F6"] = 6000, "6,000.00", executed, 10
    _put(ws, "A10:A11", "年度总体目标")
    _put(ws, "B10:E10", "预期目标")
    _put(ws, "F10:H10", "实际完成情况")
    _put(ws, "B11:E11", "改造老旧小区12个")
    _put(ws, "F11:H11", "完成11个")
    labels = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分")
    for col, label in zip("ABCDEFGH", (*labels, "偏差原因分析及改进措施"), strict=True):
        ws[f"{col}12"] = label
    for r, (merge, *values) in enumerate(rows or SELF_ROWS, start=13):
        for col, value in zip("ABCDEFGH", values, strict=True):
            if value is not None and not (col == "A" and merge):
                ws[f"{col}{r}"] = value
        if merge:
            _put(ws, merge, values[0])
    last = 13 + len(rows or SELF_ROWS)
    _put(ws, f"A{last}:E{last}", "总分")
    ws[f"F{last}"], ws[f"G{last}"] = 100, "—"
    return _save(wb, path)


MONITORING_HEAD = ("一级指标", "二级指标", "三级指标名称", "计算符号", "年度指标值", "计量单位")
# 三级 → (当前完成值, 全年预计, the ticked likelihood column, ticked cause columns, 说明, 措施)
MONITORING_ROWS = {
    "改造老旧小区数量": (5, 10, "J", "LN", None, "倒排工期，增派施工班组"),
    "年底完工率": (48, 95, "I", "", "—", "—"),
    "受益居民户数": (1500, 3000, "I", "", None, None),
    "居民满意度": ("91%", 90, "I", "", "/", None),
}
TARGETS = {
    "改造老旧小区数量": ("产出", "数量", 12, "个"),
    "年底完工率": ("产出", "时效", 95, "%"),
    "受益居民户数": ("效益", "社会", 3000, "户"),
    "居民满意度": ("满意度", "服务对象满意度", 90, "%"),
}


def monitoring(path: Path, *, rows: dict[str, tuple] | None = None, as_of: str = "2023年6月30日"):
    """The national layout (√ columns, Anhui's way), 上半年 of 2023."""
    wb = Workbook()
    ws = wb.active
    ws.title = "项目支出绩效运行监控表"
    _put(ws, "A1:R1", "项目支出绩效运行监控表")
    ws["A3"], ws["A4"], ws["A5"] = "项目名称", "主管部门", "数据截至日期"
    _put(ws, "B3:H3", "老旧小区改造")
    _put(ws, "L3:R3", "上半年")
    _put(ws, "B5:H5", as_of)
    _put(ws, "A6:A7", "项目资金（万元）")
    for col, label in zip(
        "CDEF", ("年初预算数", "截至当期执行数", "执行率", "全年预计执行数"), strict=True
    ):
        ws[f"{col}6"] = label
    ws["B7"], ws["C7"], ws["D7"], ws["E7"], ws["F7"] = "年度资金总额", 6000, 2500, "41.67%", 5900
    for col, label in zip(
        "ABCDEFGH", (*MONITORING_HEAD, "当前完成值", "全年预计完成值"), strict=True
    ):
        _put(ws, f"{col}8:{col}9", label)
    _put(ws, "I8:K8", "完成目标可能性")
    _put(ws, "L8:P8", "偏差原因")
    for col, label in zip(
        "IJKLMNOP",
        (
            "确定能",
            "有可能",
            "完全不可能",
            "经费保障",
            "制度保障",
            "人员保障",
            "硬件条件保障",
            "其他",
        ),
        strict=True,
    ):
        ws[f"{col}9"] = label
    _put(ws, "Q8:Q9", "偏差原因说明")
    _put(ws, "R8:R9", "纠偏措施")
    _put(ws, "A10:A11", "产出指标")
    for r, (name, values) in enumerate((rows or MONITORING_ROWS).items(), start=10):
        level1, level2, target, unit = TARGETS.get(name, ("产出", "数量", 1, "个"))
        if r > 11:
            ws[f"A{r}"] = f"{level1}指标"
        ws[f"B{r}"], ws[f"C{r}"], ws[f"D{r}"] = f"{level2}指标", name, "≥"
        ws[f"E{r}"], ws[f"F{r}"] = target, unit
        actual, forecast, likely, causes, said, measures = values
        ws[f"G{r}"], ws[f"H{r}"], ws[f"Q{r}"], ws[f"R{r}"] = actual, forecast, said, measures
        for col in likely + causes:
            ws[f"{col}{r}"] = "√"
    return _save(wb, path)
