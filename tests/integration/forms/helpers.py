"""Starting states for the form tests, built with the real commands, and importing a form
the way the API does (plan, then record; unchanged and invalid forms record nothing)."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import date
from decimal import Decimal
from uuid import UUID

from domain.evaluation.scoring import IndicatorActual
from domain.ledger import Ledger
from domain.monitoring.entry import Entry, IndicatorProgress
from domain.monitoring.model import monitoring_task_id
from domain.values import Act, EvidenceRef
from infrastructure.forms.importing.plan import FormInvalid, Plan, Unchanged, record
from infrastructure.forms.service import Forms
from tests.fixtures_world import INDICATORS, World
from tests.scenarios.helpers import indicators
from tests.unit.lifecycle_helpers import approved_object

AMOUNT = "60000000.00"


def position(ledger: Ledger) -> int:
    return ledger.recorder.max_notification_id() or 0


def with_file(act: Act, content: bytes, reason: str | None = None) -> Act:
    """The act as the API builds it for an import: the file is its evidence."""
    ref = EvidenceRef("form.xlsx", hashlib.sha256(content).hexdigest())
    return replace(act, evidence=(ref,), reason=reason)


def run(plan: Plan) -> str:
    """What the API would answer: the action recorded, 'unchanged' or 'invalid'."""
    try:
        record(plan)
    except Unchanged:
        return "unchanged"
    except FormInvalid:
        return "invalid"
    return plan.action


def entry(houses_forecast: str = "12") -> Entry:
    rows = []
    for row in INDICATORS:
        forecast = houses_forecast if row["name"] == "改造老旧小区数量" else row["value"]
        short = Decimal(forecast) < Decimal(row["value"])
        rows.append(
            IndicatorProgress(
                name=row["name"],
                likelihood="有可能完成" if short else "确定能完成",
                actual=Decimal(forecast) / 2,
                forecast=Decimal(forecast),
                deviation_cause="经费保障、人员保障" if short else "无偏差",
                corrective_measures="倒排工期" if short else "",
            )
        )
    return Entry(Decimal("25000000.00"), Decimal("59000000.00"), tuple(rows))


def monitored(ledger: Ledger, world: World, *, entered: bool = True) -> tuple[UUID, UUID]:
    """An approved project with its H1 task, and (if asked) the department's entry."""
    oid = approved_object(ledger, world, AMOUNT)
    ledger.monitoring.open_monitoring_task(world.act_as("chenjing"), oid, "H1")
    task_id = monitoring_task_id(oid, "H1")
    if entered:
        act = world.act_as("wangfang", business_date=date(2023, 6, 30))
        ledger.monitoring.submit_monitoring_entry(act, task_id, entry("10"))
    return oid, task_id


def actuals() -> list[IndicatorActual]:
    values = {"改造老旧小区数量": "11", "年底完工率": "96", "受益居民户数": "3100"}
    return [
        IndicatorActual(
            i.level1,
            i.level2,
            i.name,
            actual=Decimal(values.get(i.name, "93")),
            deviation_cause="一处小区延至次年" if i.name == "改造老旧小区数量" else None,
        )
        for i in indicators()
    ]


def self_evaluated(ledger: Ledger, world: World) -> UUID:
    oid = approved_object(ledger, world, AMOUNT)
    ledger.evaluation.submit_self_evaluation(
        world.act_as("wangfang"), oid, actuals(), Decimal("58765432.10")
    )
    return oid


def department_overall(ledger: Ledger, world: World) -> UUID:
    """A department's overall spending (部门整体支出) with its goal submitted."""
    oid = ledger.goals.register_object(
        world.act_as("wangfang"),
        mof_div_code=world.mof_div_code,
        fiscal_year=2023,
        pro_code="D101-2023",
        name="浔阳区住房和城乡建设局2023年部门整体支出",
        kind="department_overall",
        department_id=world.org("D101"),
        unit_id=None,
        fund_type="general_public",
        amount=Decimal("123456789.12"),
        is_new=True,
        last_year_amount=None,
    ).aggregate_id
    ledger.goals.submit_goal(world.act_as("wangfang"), oid, indicators())
    return oid


__all__ = ["Forms", "department_overall", "monitored", "position", "run", "self_evaluated"]
