"""Policy rule accountability.lifelong_responsibility_major_project_amount: naming the same
person for the same act on a 6000万 project is judged lifelong responsibility (终身责任) in
Xunyang and not in Nanchang, each judgement naming its policy."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from domain.accountability.model import AccountabilityCase
from domain.ledger import Ledger
from tests.fixtures_world import build_world
from tests.unit.test_accountability import open_case, reviewed_project


@pytest.mark.parametrize(
    ("code", "prefix", "amount", "lifelong", "policy_id"),
    [
        ("360403", "", "60000000.00", True, "xunyang-2022"),
        ("360403", "", "10000000.00", True, "xunyang-2022"),  # 1000万元以上 includes it
        ("360403", "", "9999999.99", False, "xunyang-2022"),
        ("360100", "nc.", "60000000.00", False, "nanchang-2022"),
    ],
)
def test_lifelong_responsibility_is_judged_by_policy(
    code: str, prefix: str, amount: str, lifelong: bool, policy_id: str
) -> None:
    ledger = Ledger()
    world = build_world(SimpleNamespace(ledger=ledger), code, "某地", prefix=prefix)
    oid, ev = reviewed_project(ledger, world, amount)
    case_id = open_case(ledger, world, oid)
    auditor = world.act_as("fengshen")
    ledger.accountability.cite_event_in_case(auditor, case_id, *ev["GoalSubmitted"], "")
    person = str(world.person("wangfang"))
    ledger.accountability.name_responsible_person(
        auditor, case_id, person, [ev["GoalSubmitted"][0]], "填报"
    )
    case = ledger.load(AccountabilityCase, case_id)
    assert case.lifelong[person] is lifelong
    named = [
        ledger.mapper.to_domain_event(n)
        for n in ledger.recorder.select_notifications(start=1, limit=10_000)
        if n.topic.endswith(".ResponsiblePersonNamed")
    ]
    assert [(e.lifelong, e.policy_ref.policy_id) for e in named] == [(lifelong, policy_id)]
