"""Driving goals through the ledger's own commands, as the people who do them."""

from __future__ import annotations

import hashlib
from decimal import Decimal

from domain.indicators import Indicator
from domain.ledger import Ledger
from domain.values import Act, EvidenceRef
from infrastructure.bootstrap import Services
from tests.fixtures_world import INDICATORS, World

EX_ANTE_SCORES = {
    name: Decimal(18)
    for name in ("立项必要性", "投入经济性", "绩效目标合理性", "实施方案可行性", "筹资合规性")
}
EX_ANTE_REPORT = EvidenceRef("事前绩效评估报告.pdf", hashlib.sha256(b"ex-ante report").hexdigest())


def act_as(world: World, login: str, **fields: object) -> Act:
    return world.act_as(login, **fields)


def indicators() -> list[Indicator]:
    return [
        Indicator(**{**row, "value": Decimal(row["value"]), "weight": Decimal(row["weight"])})
        for row in INDICATORS
    ]


def drive_goals(services: Services, world: World, count: int) -> list:
    """Register `count` projects and take each a different distance through review."""
    ledger: Ledger = services.ledger
    ids = []
    for n in range(count):
        outcome = ledger.goals.register_object(
            act_as(world, "wangfang"),
            mof_div_code=world.mof_div_code,
            fiscal_year=2023,
            pro_code=f"P{n:03d}",
            name=f"老旧小区改造项目{n}",
            kind="project",
            department_id=world.org("D101"),
            unit_id=None,
            fund_type="government_fund",
            amount=Decimal("1000000.00") * (n + 1),
            is_new=True,
            last_year_amount=None,
        )
        oid = outcome.aggregate_id
        ids.append(oid)
        ledger.goals.submit_goal(act_as(world, "wangfang"), oid, indicators())
        stages = [("chenjing", "initial"), ("liuqiang", "second"), ("sunli", "final")]
        for login, stage in stages[: n % 4]:
            ledger.goals.review_goal(act_as(world, login), oid, stage, "良", "同意")
        if n % 4 == 3:  # projects of 200万元 and more need a passing ex-ante assessment here
            ledger.ex_ante.submit_ex_ante(
                act_as(world, "wangfang"), oid, EX_ANTE_SCORES, "予以支持", EX_ANTE_REPORT
            )
            ledger.ex_ante.review_ex_ante(act_as(world, "chenjing"), oid, "accepted", None)
            ledger.goals.approve_goal(
                act_as(world, "sunli"), oid, Decimal("900000.00"), "浔财预〔2023〕1号"
            )
    return ids
