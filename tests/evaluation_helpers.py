"""Starting states for the after-the-year tests, built with the real commands."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from uuid import UUID

from domain.ledger import Ledger
from infrastructure.bootstrap import Services
from infrastructure.working_day_calendar import ChineseWorkingDayCalendar
from tests.fixtures_world import World
from tests.scenarios.helpers import indicators

APPROVED = Decimal("1000000.00")


def doc(name: str) -> dict:
    return {"name": name, "sha256": hashlib.sha256(name.encode()).hexdigest()}


def use_chinese_calendar(services: Services) -> None:
    """What bootstrap will pass to the ledger (see infrastructure/working_day_calendar.py)."""
    services.ledger.calendar = ChineseWorkingDayCalendar()


def approved_object(
    services: Services,
    world: World,
    pro_code: str,
    fiscal_year: int = 2025,
    *,
    approve: bool = True,
) -> UUID:
    """A project of 住建局 with its goal through 初审/复核/终审 and, if asked, approved."""
    ledger: Ledger = services.ledger
    oid = ledger.goals.register_object(
        world.act_as("wangfang"),
        mof_div_code=world.mof_div_code,
        fiscal_year=fiscal_year,
        pro_code=pro_code,
        name=f"老旧小区改造{pro_code}",
        kind="project",
        department_id=world.org("D101"),
        unit_id=None,
        fund_type="general_public",
        amount=APPROVED,
        is_new=True,
        last_year_amount=None,
    ).aggregate_id
    ledger.goals.submit_goal(world.act_as("wangfang"), oid, indicators())
    for login, stage in (("chenjing", "initial"), ("liuqiang", "second"), ("sunli", "final")):
        ledger.goals.review_goal(world.act_as(login), oid, stage, "良", "同意")
    if approve:
        ledger.goals.approve_goal(world.act_as("sunli"), oid, APPROVED, f"批复{pro_code}")
    return oid


def actuals(quantity: str = "12") -> list[dict]:
    """Actuals for tests.fixtures_world.INDICATORS; quantity 0 loses its 30 points."""
    return [
        {"level1": "产出", "level2": "数量", "name": "改造老旧小区数量", "actual": quantity},
        {"level1": "产出", "level2": "时效", "name": "年底完工率", "actual": "96"},
        {"level1": "效益", "level2": "社会", "name": "受益居民户数", "actual": "3100"},
        {"level1": "满意度", "level2": "满意度", "name": "居民满意度", "actual": "93"},
    ]


def self_evaluation_body(quantity: str = "12", executed: str = "1000000.00") -> dict:
    return {
        "actuals": actuals(quantity),
        "executed_amount": executed,
        "business_date": "2026-03-20",
        "evidence": [doc("项目支出绩效自评表.pdf")],
    }
