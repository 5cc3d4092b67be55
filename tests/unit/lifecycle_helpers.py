"""In-memory ledgers (the library's POPO store) with two jurisdictions built by the real
commands: Xunyang (360403) and Nanchang (360100, logins prefixed "nc.")."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from types import SimpleNamespace
from uuid import UUID

from domain.ledger import Ledger
from domain.policy import PolicyBook
from domain.values import EvidenceRef
from tests.fixtures_world import World, build_world
from tests.scenarios.helpers import indicators

REPORT = EvidenceRef("事前绩效评估报告.pdf", hashlib.sha256(b"report").hexdigest())
DIMENSIONS = ("立项必要性", "投入经济性", "绩效目标合理性", "实施方案可行性", "筹资合规性")
GOOD_SCORES = {
    d: Decimal(s) for d, s in zip(DIMENSIONS, ("18", "17", "16", "18", "19"), strict=True)
}


def worlds(book: PolicyBook | None = None) -> tuple[Ledger, World, World]:
    ledger = Ledger(policies=book)
    shim = SimpleNamespace(ledger=ledger)
    return ledger, build_world(shim), build_world(shim, "360100", "南昌市", prefix="nc.")


def head(ledger: Ledger) -> int:
    return ledger.recorder.max_notification_id() or 0


def register(
    ledger: Ledger,
    world: World,
    amount: str,
    *,
    pro_code: str = "P1",
    is_new: bool = True,
    last_year: str | None = None,
    kind: str = "project",
) -> UUID:
    return ledger.goals.register_object(
        world.act_as("wangfang"),
        mof_div_code=world.mof_div_code,
        fiscal_year=2023,
        pro_code=pro_code,
        name="老旧小区改造",
        kind=kind,
        department_id=world.org("D101"),
        unit_id=world.org("D101001"),
        fund_type="general_public",
        amount=Decimal(amount),
        is_new=is_new,
        last_year_amount=None if last_year is None else Decimal(last_year),
    ).aggregate_id


def review_goal(ledger: Ledger, world: World, object_id: UUID) -> None:
    ledger.goals.submit_goal(world.act_as("wangfang"), object_id, indicators())
    for login, stage in (("chenjing", "initial"), ("liuqiang", "second"), ("sunli", "final")):
        ledger.goals.review_goal(world.act_as(login), object_id, stage, "良", "同意")


def pass_ex_ante(ledger: Ledger, world: World, object_id: UUID) -> None:
    ledger.ex_ante.submit_ex_ante(
        world.act_as("wangfang"), object_id, GOOD_SCORES, "予以支持", REPORT
    )
    ledger.ex_ante.review_ex_ante(world.act_as("chenjing"), object_id, "accepted", None)


def approved_object(ledger: Ledger, world: World, amount: str = "60000000.00", **kw) -> UUID:
    """A project through ex-ante assessment, goal review and approval (批复)."""
    object_id = register(ledger, world, amount, **kw)
    pass_ex_ante(ledger, world, object_id)
    review_goal(ledger, world, object_id)
    ledger.goals.approve_goal(world.act_as("sunli"), object_id, Decimal(amount), "财预〔2023〕1号")
    return object_id
