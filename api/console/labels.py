"""Chinese names of the codes the views store (statuses, kinds, lights), for the pages.
A code not named here is shown as stored."""

from __future__ import annotations

from domain.monitoring.deviation import STATUS_NAMES
from projections.findings_view import TITLES

LABELS: dict[str, str] = {
    # goal status of a performance object
    "none": "未申报",
    "under_review": "审核中",
    "returned": "已退回",
    "rejected": "未通过",
    "reviewed": "待批复",
    "approved": "已批复",
    # monitoring
    "entered": "已填报",
    "open": "待填报",
    "red": "红灯",
    "yellow": "黄灯",
    "green": "绿灯",
    "blue": "蓝灯",
    **STATUS_NAMES,  # on_track 正常, warning 预警, serious 严重偏离
    # evaluations
    "self": "单位自评",
    "department": "部门评价",
    "spot_check": "财政抽查复核",
    "finance_key": "财政重点评价",
    # cases and findings
    "referred": "已移送",
    "received": "已接收",
    "closed": "已办结",
    "dismissed": "已排除",
    "cited": "已立案引用",
    **TITLES,
}


def zh(code: object) -> str:
    return LABELS.get(str(code), str(code)) if code is not None else ""
