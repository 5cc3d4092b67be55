"""A goal moved in from the national system: approved there after reviews its tables do not
hold, so a migrated approval follows the submission and jixiao's gates (which judge
approvals given here) do not apply to it; an approval given here still needs both."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from decimal import Decimal

import pytest

from domain.errors import InvalidTransition
from domain.objects.model import PerformanceObject
from domain.values import MigrationSource
from tests.scenarios.helpers import indicators
from tests.unit.lifecycle_helpers import head, register, review_goal, worlds

SOURCE = MigrationSource(
    "PM_PERF_GOAL_INFO.csv", hashlib.sha256(b"file").hexdigest(), "PM_PERF_GOAL_INFO", 3
)


@pytest.mark.parametrize("which", ["xunyang", "nanchang"])
def test_a_migrated_approval_follows_the_submission_an_ordinary_one_does_not(which) -> None:
    ledger, xunyang, nanchang = worlds()
    world = xunyang if which == "xunyang" else nanchang
    object_id = register(ledger, world, "1000000.00", pro_code=f"M-{which}")  # no gate
    ledger.goals.submit_goal(world.act_as("wangfang"), object_id, indicators())
    before = head(ledger)
    with pytest.raises(InvalidTransition, match="passed all three reviews"):
        ledger.goals.approve_goal(world.act_as("sunli"), object_id, Decimal("1000000.00"), "批1")
    assert head(ledger) == before
    migrated = replace(world.act_as("sunli"), migrated=SOURCE)
    ledger.goals.approve_goal(migrated, object_id, Decimal("1000000.00"), "财预〔2023〕1号")
    obj = ledger.load(PerformanceObject, object_id)
    assert obj.goal_status == "approved" and obj.approved_amount == Decimal("1000000.00")
    assert head(ledger) == before + 1


def test_the_gates_judge_approvals_given_here_not_migrated_ones() -> None:
    """5,000,000 yuan new: 浔阳区 asks an ex-ante assessment from 200万, 南昌市 from 1000万."""
    ledger, xunyang, nanchang = worlds()
    blocked = register(ledger, xunyang, "5000000.00", pro_code="G1")
    review_goal(ledger, xunyang, blocked)
    with pytest.raises(InvalidTransition, match="事前绩效评估"):
        ledger.goals.approve_goal(xunyang.act_as("sunli"), blocked, Decimal("5000000.00"), "批1")
    passing = register(ledger, nanchang, "5000000.00", pro_code="G2")
    review_goal(ledger, nanchang, passing)
    ledger.goals.approve_goal(nanchang.act_as("sunli"), passing, Decimal("5000000.00"), "批1")

    migrated = replace(xunyang.act_as("sunli"), migrated=SOURCE)
    ledger.goals.approve_goal(migrated, blocked, Decimal("5000000.00"), "财预〔2023〕1号")
    assert ledger.load(PerformanceObject, blocked).goal_status == "approved"
