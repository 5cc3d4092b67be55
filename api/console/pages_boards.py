"""The boards: the finance bureau's (rectifications, blocked approvals, results not applied,
funding blocks), monitoring lights with budget execution against time progress, and the
NPC's supervision board with the grade distribution per department."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Request

from api.console import charts
from api.console.params import ReaderDep, YearQuery
from api.console.reads import Reader
from api.console.render import page
from api.routers import boards, monitoring

router = APIRouter()
STATES = {"open": "未到期", "due_soon": "即将到期", "overdue": "已逾期", "answered": "已答复待核"}


@router.get("/finance")
def finance(request: Request, who: ReaderDep, year: YearQuery = None):
    mof, fiscal_year = who.mof_div_code, who.year(year)
    reach = who.check(boards.FINANCE_PATH, {"mof_div_code": mof, "fiscal_year": fiscal_year})
    board = boards.finance_board(mof, fiscal_year, who.services, reach, on=None)
    lights = None
    if who.may("/monitoring/tasks"):  # the year's lights beside the board, when readable
        counts = Counter(t["light"] for t in _tasks(who, mof, fiscal_year) if t.get("light"))
        lights = charts.light_counts(dict(counts))
    return page(
        request,
        "finance.html",
        who,
        board=board,
        year=fiscal_year,
        states=STATES,
        lights_chart=lights,
    )


def _tasks(who: Reader, mof: str, fiscal_year: int) -> list[dict[str, Any]]:
    reach = who.check("/monitoring/tasks", query={"mof_div_code": mof, "fiscal_year": fiscal_year})
    return monitoring.list_(
        who.services, reach, mof_div_code=mof, fiscal_year=fiscal_year, limit=1000, offset=0
    )


@router.get("/monitoring")
def monitoring_lights(request: Request, who: ReaderDep, year: YearQuery = None):
    mof, fiscal_year = who.mof_div_code, who.year(year)
    tasks = _tasks(who, mof, fiscal_year)
    lights = Counter(t["light"] for t in tasks if t.get("light"))
    return page(
        request,
        "monitoring.html",
        who,
        tasks=tasks,
        year=fiscal_year,
        lights_chart=charts.light_counts(dict(lights)),
        execution_chart=charts.execution_against_time(_by_month(tasks)),
    )


def _by_month(tasks: list[dict[str, Any]]) -> list[tuple[str, Decimal, Decimal]]:
    """Σ executed ÷ Σ budget of the tasks entered for each period's month, beside the time
    progress the monitoring view recorded for that period (the same for every task of it)."""
    months: dict[str, list[dict[str, Any]]] = {}
    for t in tasks:
        if t.get("budget_executed") is not None and t.get("time_progress_pct") is not None:
            months.setdefault(t["as_of"][:7], []).append(t)
    found = []
    for month in sorted(months):
        rows = months[month]
        budget = sum((Decimal(t["budget"]) for t in rows), Decimal(0))
        executed = sum((Decimal(t["budget_executed"]) for t in rows), Decimal(0))
        rate = (executed * 100 / budget).quantize(Decimal("0.1")) if budget else Decimal(0)
        elapsed = max(Decimal(t["time_progress_pct"]) for t in rows).quantize(Decimal("0.1"))
        found.append((f"{int(month[5:])}月", rate, elapsed))
    return found


@router.get("/npc")
def npc(request: Request, who: ReaderDep, year: YearQuery = None):
    mof, fiscal_year = who.mof_div_code, who.year(year)
    reach = who.check(boards.NPC_PATH, {"mof_div_code": mof, "fiscal_year": fiscal_year})
    board = boards.npc_board(mof, fiscal_year, who.services, reach)
    grades = [
        (
            d["name"] or d["code"] or d["department_id"],
            dict(Counter(e["grade"] for e in d["evaluations"] if e.get("grade"))),
        )
        for d in board["departments"]
    ]
    return page(
        request,
        "npc.html",
        who,
        board=board,
        year=fiscal_year,
        grades_chart=charts.grade_distribution(grades),
    )
