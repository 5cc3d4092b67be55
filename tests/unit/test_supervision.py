"""Supervision on the ledger itself (in-memory store, no I/O): the 考核 rule judged per
jurisdiction, the NPC minimum, satisfaction ratings and publication."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest

from domain import ids
from domain.errors import AlreadyExists, InvalidInput, InvalidTransition, NotPermitted
from domain.ledger import Ledger
from domain.policy import PolicyBook
from domain.supervision.model import NpcSubmission, npc_submission_id
from domain.supervision.work_assessment import WorkAssessment, work_assessment_id
from infrastructure.bootstrap import cli_act
from tests.fixtures_world import World, build_world
from tests.unit.test_accountability import events_of, head, refused, reviewed_project

BOOK = PolicyBook.shipped()


@pytest.mark.parametrize(
    ("code", "score", "cut", "policy_id"),
    [
        ("360403", "90", True, "xunyang-2022"),  # 90分以下 includes 90
        ("360403", "89.99", True, "xunyang-2022"),
        ("360403", "90.01", False, "xunyang-2022"),
        ("360100", "90", False, "nanchang-2022"),  # no automatic consequence
        ("360100", "40", False, "nanchang-2022"),
    ],
)
def test_work_score_is_judged_by_the_jurisdictions_policy(
    code: str, score: str, cut: bool, policy_id: str
) -> None:
    ledger = Ledger()
    world = build_world(SimpleNamespace(ledger=ledger), code, "某地", prefix=code)
    department = world.org("D101")
    ledger.supervision.score_work(
        world.act_as("liuqiang"),
        mof_div_code=code,
        fiscal_year=2022,
        department_id=department,
        score=Decimal(score),
        comments=None,
    )
    a = ledger.load(WorkAssessment, work_assessment_id(code, 2022, department))
    assert (a.budget_cut_proposed, a.policy_ref.policy_id) == (cut, policy_id)
    scored = [
        ledger.mapper.to_domain_event(n)
        for n in ledger.recorder.select_notifications(start=1, limit=10_000)
        if n.topic.endswith("WorkAssessment.Scored")
    ]
    assert scored[0].cut_budget_year == (2023 if cut else None)


def test_work_score_revision_keeps_the_old_score_and_rejudges() -> None:
    ledger = Ledger()
    world = build_world(SimpleNamespace(ledger=ledger))
    dept = world.org("D102")
    kw = dict(mof_div_code=world.mof_div_code, fiscal_year=2022, department_id=dept)
    ledger.supervision.score_work(
        world.act_as("liuqiang"), score=Decimal("95"), comments=None, **kw
    )
    aid = work_assessment_id(world.mof_div_code, 2022, dept)
    refused(ledger, AlreadyExists, lambda: ledger.supervision.score_work(
        world.act_as("liuqiang"), score=Decimal("80"), comments=None, **kw))  # fmt: skip
    refused(ledger, NotPermitted, lambda: ledger.supervision.score_work(
        world.act_as("sunli"), score=Decimal("80"), comments=None, **kw))  # fmt: skip
    refused(ledger, InvalidInput, lambda: ledger.supervision.revise_work_score(
        world.act_as("liuqiang"), aid, Decimal("88")))  # fmt: skip
    refused(ledger, InvalidInput, lambda: ledger.supervision.revise_work_score(
        world.act_as("liuqiang", reason="x"), aid, Decimal("100.5")))  # fmt: skip
    ledger.supervision.revise_work_score(
        world.act_as("liuqiang", reason="复核扣分"), aid, Decimal("88")
    )
    assert ledger.load(WorkAssessment, aid).budget_cut_proposed is True
    revised = ledger.mapper.to_domain_event(
        ledger.recorder.select_notifications(start=head(ledger), limit=1)[0]
    )
    assert revised.previous_score == Decimal("95.00") and revised.score == Decimal("88.00")


def add_departments(ledger: Ledger, world: World, count: int) -> list:
    made = [world.org("D101"), world.org("D102")]
    for n in range(count - 2):
        ledger.registry.register_organisation(
            cli_act(), world.mof_div_code, f"D2{n:02d}", f"部门{n}", "department"
        )
        made.append(ids.organisation_id(world.mof_div_code, f"D2{n:02d}"))
    return made


@pytest.mark.parametrize(("code", "prefix"), [("360403", ""), ("360100", "nc.")])
def test_npc_submission_needs_the_policy_minimum(code: str, prefix: str) -> None:
    ledger = Ledger()
    world = build_world(SimpleNamespace(ledger=ledger), code, "某地", prefix=prefix)
    departments = add_departments(ledger, world, 5)
    oid, _ = reviewed_project(ledger, world, "12000000.00")
    submit = dict(mof_div_code=code, fiscal_year=2023, budget_draft_ref="2023年预算草案")
    act = world.act_as("liuqiang")
    minimum = BOOK.for_jurisdiction(code, 2023).section("supervision")["npc_departments_min"]
    e = refused(ledger, InvalidInput, lambda: ledger.supervision.submit_to_npc(
        act, department_ids=departments[: minimum - 1], key_project_ids=[], **submit))  # fmt: skip
    assert f"at least {minimum}" in e.detail and BOOK.for_jurisdiction(code, 2023).policy_id in (
        e.detail
    )
    business = world.act_as("chenjing")
    refused(ledger, NotPermitted, lambda: ledger.supervision.submit_to_npc(
        business, department_ids=departments, key_project_ids=[], **submit))  # fmt: skip
    ledger.supervision.submit_to_npc(
        act, department_ids=departments, key_project_ids=[oid], **submit
    )
    s = ledger.load(NpcSubmission, npc_submission_id(code, 2023))
    assert s.departments_min == minimum and [p.object_id for p in s.key_projects] == [oid]
    refused(ledger, AlreadyExists, lambda: ledger.supervision.submit_to_npc(
        act, department_ids=departments, key_project_ids=[], **submit))  # fmt: skip

    npc = world.act_as("hexin")
    refused(ledger, NotPermitted, lambda: ledger.supervision.rate_department(
        world.act_as("liuqiang"), s.id, departments[0], "满意", None))  # fmt: skip
    refused(ledger, InvalidInput, lambda: ledger.supervision.rate_department(
        npc, s.id, world.org("P01"), "满意", None))  # fmt: skip
    refused(ledger, InvalidInput, lambda: ledger.supervision.rate_department(
        npc, s.id, departments[0], "不满意", None))  # fmt: skip
    ledger.supervision.rate_department(npc, s.id, departments[0], "基本满意", "目标细化不足")
    refused(ledger, AlreadyExists, lambda: ledger.supervision.rate_department(
        npc, s.id, departments[0], "满意", None))  # fmt: skip


def test_key_project_below_the_line_is_refused() -> None:
    ledger = Ledger()
    world = build_world(SimpleNamespace(ledger=ledger))
    departments = add_departments(ledger, world, 5)
    small, _ = reviewed_project(ledger, world, "9999999.99")
    e = refused(ledger, InvalidInput, lambda: ledger.supervision.submit_to_npc(
        world.act_as("liuqiang"), mof_div_code=world.mof_div_code, fiscal_year=2023,
        department_ids=departments, key_project_ids=[small], budget_draft_ref="草案"))  # fmt: skip
    assert e.field == "key_projects" and "xunyang-2022" in e.detail


def test_publication_cites_the_approved_goal() -> None:
    ledger = Ledger()
    world = build_world(SimpleNamespace(ledger=ledger))
    oid, ev = reviewed_project(ledger, world, "1500000.00")
    dated = world.act_as("wangfang", business_date=date(2023, 2, 10))
    channel = dict(channel="浔阳区人民政府网", url="https://www.xunyang.gov.cn/zfxxgk/1")
    e = refused(ledger, InvalidTransition, lambda: ledger.supervision.publish(
        dated, object_id=oid, subject="goal", position=ev["GoalSubmitted"][0],
        originator_id=oid, version=ev["GoalSubmitted"][2], **channel))  # fmt: skip
    assert "approved" in e.detail
    ledger.goals.review_goal(world.act_as("sunli"), oid, "final", "良", None)
    ledger.goals.approve_goal(
        world.act_as("sunli"), oid, Decimal("1500000.00"), "浔财预〔2023〕1号"
    )
    approved = events_of(ledger, oid)["GoalApproved"]
    refused(ledger, NotPermitted, lambda: ledger.supervision.publish(
        world.act_as("zhaoyun", business_date=date(2023, 2, 10)), object_id=oid, subject="goal",
        position=approved[0], originator_id=oid, version=approved[2], **channel))  # fmt: skip
    refused(ledger, InvalidInput, lambda: ledger.supervision.publish(
        world.act_as("wangfang"), object_id=oid, subject="goal", position=approved[0],
        originator_id=oid, version=approved[2], **channel))  # fmt: skip
    ledger.supervision.publish(
        dated, object_id=oid, subject="goal", position=approved[0], originator_id=oid,
        version=approved[2], **channel)  # fmt: skip
