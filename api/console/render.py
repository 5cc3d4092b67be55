"""Templates, the page list each role's navigation is built from, and the page answer."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from api.console.labels import zh
from api.console.reads import Reader

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=str(HERE / "templates"))
templates.env.filters["zh"] = zh
ROLE_NAMES = {
    "unit_staff": "单位填报人",
    "unit_head": "单位负责人",
    "department_staff": "部门填报人",
    "department_head": "部门负责人",
    "business_section": "财政局业务股室",
    "performance_section": "财政局绩效科",
    "budget_section": "财政局预算股",
    "treasury_section": "财政局国库股",
    "auditor": "审计局",
    "npc": "人大常委会",
    "discipline": "纪委监委",
    "third_party": "第三方机构",
    "administrator": "系统管理员",
}


@dataclass(frozen=True)
class Page:
    title: str
    url: str
    api: str  # the API operation whose data the page shows: the page is open to its roles
    about: str


PAGES = (
    Page(
        "财政看板",
        "/console/finance",
        "/boards/finance/{mof_div_code}/{fiscal_year}",
        "整改剩余工作日、审批受阻项目及原因、未应用的评价结果、资金冻结",
    ),
    Page(
        "监控亮灯",
        "/console/monitoring",
        "/monitoring/tasks",
        "绩效运行监控红黄绿蓝灯、预算执行进度与时间进度",
    ),
    Page(
        "人大监督看板",
        "/console/npc",
        "/boards/npc/{mof_div_code}/{fiscal_year}",
        "报送部门的目标、评价得分与等级、满意度测评、重点项目、覆盖面",
    ),
    Page("日志检索", "/console/log", "/log/search", "按人员、机构、事件类型、项目检索日志"),
    Page(
        "项目历史",
        "/console/objects",
        "/objects/{object_id}/history",
        "项目的每一步、按日期回看、两个日期之间的差异",
    ),
    Page(
        "台账",
        "/console/ledgers",
        "/ledgers/departments/{org_id}",
        "部门台账、个人台账（签署的全部行为）",
    ),
    Page(
        "统计预警",
        "/console/red-flags",
        "/red-flags/{mof_div_code}/{fiscal_year}",
        "上报数据的统计预警及签署人",
    ),
    Page("问责线索", "/console/findings", "/findings", "问责线索及其背后的事件和人员"),
    Page("移送案件", "/console/cases", "/cases", "问责案件、移送材料及PDF"),
)


def pages_for(reader: Reader) -> list[Page]:
    return [p for p in PAGES if reader.may(p.api)]


def page(
    request: Request, name: str, reader: Reader | None, status: int = 200, **context: Any
) -> HTMLResponse:
    context |= {
        "reader": reader,
        "nav": pages_for(reader) if reader else [],
        "role_name": ROLE_NAMES.get(reader.actor.role, reader.actor.role) if reader else "",
    }
    return templates.TemplateResponse(request, name, context, status_code=status)
