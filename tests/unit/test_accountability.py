"""Accountability cases on the ledger itself (in-memory store, no I/O): evidence cited from
the log, persons named with the roles the log shows, referral, outcome, and refusals that
record nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from types import SimpleNamespace
from uuid import UUID

import pytest

from domain.accountability.model import AccountabilityCase, CaseStatus
from domain.errors import AlreadyExists, InvalidInput, InvalidTransition, NotPermitted
from domain.ledger import Ledger
from tests.fixtures_world import World, build_world
from tests.scenarios.helpers import indicators


@pytest.fixture
def ledger() -> Ledger:
    return Ledger()


@pytest.fixture
def world(ledger: Ledger) -> World:
    return build_world(SimpleNamespace(ledger=ledger))


def reviewed_project(ledger: Ledger, world: World, amount: str = "60000000.00") -> tuple:
    """A project whose goal was submitted (王芳) and passed 初审 (陈静) and 复核 (刘强)."""
    oid = ledger.goals.register_object(
        world.act_as("wangfang"),
        mof_div_code=world.mof_div_code,
        fiscal_year=2023,
        pro_code="ACC1",
        name="老旧小区改造",
        kind="project",
        department_id=world.org("D101"),
        unit_id=None,
        fund_type="government_fund",
        amount=Decimal(amount),
        is_new=True,
    ).aggregate_id
    ledger.goals.submit_goal(world.act_as("wangfang"), oid, indicators())
    ledger.goals.review_goal(world.act_as("chenjing"), oid, "initial", "良", None)
    ledger.goals.review_goal(world.act_as("liuqiang"), oid, "second", "良", "同意")
    return oid, events_of(ledger, oid)


def events_of(ledger: Ledger, oid: UUID) -> dict[str, tuple[int, UUID, int]]:
    """Event name (and stage for reviews) → (position, originator id, version)."""
    found = {}
    for n in ledger.recorder.select_notifications(start=1, limit=10_000):
        if str(n.originator_id) == str(oid):
            e = ledger.mapper.to_domain_event(n)
            key = type(e).__name__ + (f":{e.stage}" if hasattr(e, "stage") else "")
            found[key] = (n.id, UUID(str(n.originator_id)), n.originator_version)
    return found


def head(ledger: Ledger) -> int:
    return ledger.recorder.max_notification_id() or 0


def open_case(ledger: Ledger, world: World, oid: UUID, opener: str = "liuqiang", no="2023-1"):
    return ledger.accountability.open_case(
        world.act_as(opener),
        mof_div_code=world.mof_div_code,
        fiscal_year=2023,
        case_no=no,
        finding_kind="falsification",
        object_ids=[oid],
        description="监控报告虚报完工进度",
    ).aggregate_id


def refused(ledger: Ledger, error: type[Exception], call) -> Exception:
    before = head(ledger)
    with pytest.raises(error) as caught:
        call()
    assert head(ledger) == before, "a refused command recorded something"
    return caught.value


def test_case_from_finding_to_outcome(ledger: Ledger, world: World) -> None:
    oid, ev = reviewed_project(ledger, world)
    case_id = open_case(ledger, world, oid)
    auditor = world.act_as("fengshen")
    ledger.accountability.cite_event_in_case(auditor, case_id, *ev["GoalSubmitted"], "虚报的目标")
    ledger.accountability.cite_event_in_case(
        auditor, case_id, *ev["GoalReviewed:initial"], "初审未发现"
    )
    ledger.accountability.name_responsible_person(
        auditor, case_id, str(world.person("wangfang")), [ev["GoalSubmitted"][0]], "填报人"
    )
    ledger.accountability.name_responsible_person(
        auditor, case_id, str(world.person("chenjing")), [ev["GoalReviewed:initial"][0]], "初审"
    )
    case = ledger.load(AccountabilityCase, case_id)
    roles = {p.name: [a.role for a in p.acts] for p in case.persons.values()}
    assert roles == {"王芳": ["department_staff"], "陈静": ["business_section"]}
    assert case.persons[str(world.person("wangfang"))].acts[0].organisation_name == (
        "浔阳区住房和城乡建设局"
    )

    referral = world.act_as("liuqiang", business_date=date(2023, 6, 1))
    ledger.accountability.refer_case(referral, case_id, world.org("JW"), "浔财绩移〔2023〕1号")
    ledger.accountability.receive_case(world.act_as("jiangwei"), case_id)
    ledger.accountability.decide_case(
        world.act_as("jiangwei", reason="经查属实"), case_id, "追责问责"
    )
    case = ledger.load(AccountabilityCase, case_id)
    assert case.status == CaseStatus.CLOSED and case.outcome == "追责问责"
    assert case.referred_to == (str(world.org("JW")), "浔阳区纪委监委")
    assert all(c["intact"] for c in ledger.accountability.check_case_evidence(case_id))


def test_evidence_must_exist_in_the_log(ledger: Ledger, world: World) -> None:
    oid, ev = reviewed_project(ledger, world)
    case_id = open_case(ledger, world, oid)
    act = world.act_as("fengshen")
    position, originator, version = ev["GoalSubmitted"]
    e = refused(ledger, InvalidInput, lambda: ledger.accountability.cite_event_in_case(
        act, case_id, head(ledger) + 5, originator, version, ""))  # fmt: skip
    assert "no event at log position" in e.detail
    e = refused(ledger, InvalidInput, lambda: ledger.accountability.cite_event_in_case(
        act, case_id, position, originator, version + 1, ""))  # fmt: skip
    assert e.field == "originator_id"
    ledger.accountability.cite_event_in_case(act, case_id, position, originator, version, "")
    refused(ledger, AlreadyExists, lambda: ledger.accountability.cite_event_in_case(
        act, case_id, position, originator, version, ""))  # fmt: skip
    # The role cannot be typed: naming someone for an act they did not do is refused.
    e = refused(ledger, InvalidInput, lambda: ledger.accountability.name_responsible_person(
        act, case_id, str(world.person("zhoujie")), [position], "负责人"))  # fmt: skip
    assert "王芳" in e.detail


def test_referral_and_outcome_follow_the_rules(ledger: Ledger, world: World) -> None:
    oid, ev = reviewed_project(ledger, world)
    case_id = open_case(ledger, world, oid)
    auditor = world.act_as("fengshen")
    dated = world.act_as("liuqiang", business_date=date(2023, 6, 1))
    # Nothing cited yet: a referral carries evidence.
    refused(ledger, InvalidTransition, lambda: ledger.accountability.refer_case(
        dated, case_id, world.org("JW"), "移1"))  # fmt: skip
    ledger.accountability.cite_event_in_case(auditor, case_id, *ev["GoalSubmitted"], "")
    ledger.accountability.name_responsible_person(
        auditor, case_id, str(world.person("wangfang")), [ev["GoalSubmitted"][0]], "填报"
    )
    decide = world.act_as("jiangwei", reason="x")
    e = refused(
        ledger,
        InvalidTransition,
        lambda: ledger.accountability.decide_case(decide, case_id, "责令改正"),
    )
    assert "before referral" in e.detail
    refused(ledger, InvalidInput, lambda: ledger.accountability.refer_case(
        dated, case_id, world.org("AUD"), "移1"))  # fmt: skip
    refused(ledger, NotPermitted, lambda: ledger.accountability.refer_case(
        world.act_as("chenjing", business_date=date(2023, 6, 1)), case_id, world.org("JW"), "移1"
    ))  # fmt: skip
    refused(ledger, InvalidInput, lambda: ledger.accountability.refer_case(
        world.act_as("liuqiang"), case_id, world.org("JW"), "移1"))  # fmt: skip
    ledger.accountability.refer_case(dated, case_id, world.org("JW"), "移1")
    # The package is fixed once referred.
    refused(ledger, InvalidTransition, lambda: ledger.accountability.cite_event_in_case(
        auditor, case_id, *ev["GoalReviewed:initial"], ""))  # fmt: skip
    refused(
        ledger,
        InvalidTransition,
        lambda: ledger.accountability.decide_case(decide, case_id, "责令改正"),
    )
    refused(
        ledger,
        NotPermitted,
        lambda: ledger.accountability.receive_case(world.act_as("fengshen"), case_id),
    )
    ledger.accountability.receive_case(world.act_as("jiangwei"), case_id)
    refused(ledger, InvalidInput, lambda: ledger.accountability.decide_case(
        world.act_as("jiangwei"), case_id, "责令改正"))  # fmt: skip
    ledger.accountability.decide_case(decide, case_id, "责令改正")
    for call in (
        lambda: ledger.accountability.decide_case(decide, case_id, "不予追究"),
        lambda: ledger.accountability.receive_case(world.act_as("jiangwei"), case_id),
        lambda: ledger.accountability.attach_case_documents(auditor, case_id, [], ""),
    ):
        e = refused(ledger, InvalidTransition, call)
        assert "closed" in e.detail


def test_segregation_of_duties(ledger: Ledger, world: World) -> None:
    oid, ev = reviewed_project(ledger, world)
    # 刘强 opened the case and did 复核: he cannot be named in it.
    case_id = open_case(ledger, world, oid, opener="liuqiang")
    auditor = world.act_as("fengshen")
    ledger.accountability.cite_event_in_case(auditor, case_id, *ev["GoalReviewed:second"], "")
    ledger.accountability.cite_event_in_case(auditor, case_id, *ev["GoalReviewed:initial"], "")
    e = refused(ledger, NotPermitted, lambda: ledger.accountability.name_responsible_person(
        auditor, case_id, str(world.person("liuqiang")), [ev["GoalReviewed:second"][0]], "复核"
    ))  # fmt: skip
    assert e.detail.startswith("segregation of duties")
    # 陈静, once named, cannot act on the case.
    ledger.accountability.name_responsible_person(
        auditor, case_id, str(world.person("chenjing")), [ev["GoalReviewed:initial"][0]], "初审"
    )
    e = refused(ledger, NotPermitted, lambda: ledger.accountability.cite_event_in_case(
        world.act_as("chenjing"), case_id, *ev["GoalSubmitted"], ""))  # fmt: skip
    assert e.detail.startswith("segregation of duties")
    # A discipline person who opened a case cannot decide it.
    other = open_case(ledger, world, oid, opener="jiangwei", no="2023-2")
    ledger.accountability.cite_event_in_case(auditor, other, *ev["GoalSubmitted"], "")
    ledger.accountability.name_responsible_person(
        auditor, other, str(world.person("wangfang")), [ev["GoalSubmitted"][0]], "填报"
    )
    ledger.accountability.refer_case(
        world.act_as("fengshen", business_date=date(2023, 6, 2)), other, world.org("JW"), "审移2"
    )
    ledger.accountability.receive_case(world.act_as("jiangwei"), other)
    e = refused(ledger, NotPermitted, lambda: ledger.accountability.decide_case(
        world.act_as("jiangwei", reason="x"), other, "不予追究"))  # fmt: skip
    assert e.detail.startswith("segregation of duties")


def test_only_oversight_roles_open_cases_once_per_number(ledger: Ledger, world: World) -> None:
    oid, _ = reviewed_project(ledger, world)
    refused(ledger, NotPermitted, lambda: open_case(ledger, world, oid, opener="wangfang"))
    open_case(ledger, world, oid)
    refused(ledger, AlreadyExists, lambda: open_case(ledger, world, oid))
    e = refused(ledger, InvalidInput, lambda: ledger.accountability.open_case(
        world.act_as("fengshen"), mof_div_code=world.mof_div_code, fiscal_year=2023,
        case_no="2023-9", finding_kind="laziness", object_ids=[oid], description="x"))  # fmt: skip
    assert e.field == "finding_kind"
