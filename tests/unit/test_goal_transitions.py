"""The goal's lifecycle on the aggregate itself: no I/O, each state built by real commands."""

from __future__ import annotations

from decimal import Decimal
from uuid import uuid4

import pytest

from domain.errors import InvalidInput, InvalidTransition, NotPermitted, SegregationOfDuties
from domain.indicators import Indicator
from domain.objects.model import GoalStatus, PerformanceObject
from domain.values import Act, Actor, EvidenceRef

DEPT, UNIT = uuid4(), uuid4()


def act(role: str, org=DEPT, name: str = "某人", **kw) -> Act:
    return Act(Actor(str(uuid4()), name, role, str(org), "某部门"), **kw)


STAFF = act("department_staff")
DOCS = (EvidenceRef("绩效目标调整申请.pdf", "a" * 64),)
BUSINESS, PERFORMANCE, BUDGET = (
    act(r) for r in ("business_section", "performance_section", "budget_section")
)
ROWS = [
    Indicator("产出", "数量", "台数", "≥", Decimal(5), unit="台"),
    Indicator("效益", "社会", "服务人次", "≥", Decimal(1000), unit="人次"),
]


def registered(**overrides) -> PerformanceObject:
    fields = dict(
        mof_div_code="360734",
        fiscal_year=2025,
        pro_code="X1",
        name="设备购置",
        kind="project",
        department_id=DEPT,
        unit_id=None,
        fund_type="general_public",
        amount=Decimal("2000000.00"),
        is_new=True,
        last_year_amount=None,
    )
    fields.update(overrides)
    return PerformanceObject.register(STAFF, **fields)


def reviewed() -> PerformanceObject:
    obj = registered()
    obj.submit_goal(STAFF, ROWS)
    for who, stage in ((BUSINESS, "initial"), (PERFORMANCE, "second"), (BUDGET, "final")):
        obj.review_goal(who, stage, "良", None)
    return obj


def test_three_passing_reviews_then_approval() -> None:
    obj = reviewed()
    assert obj.goal_status == GoalStatus.REVIEWED
    obj.approve_goal(BUDGET, Decimal("1800000.00"), "信财预〔2025〕3号")
    assert obj.goal_status == GoalStatus.APPROVED and obj.approved_amount == Decimal("1800000.00")


def test_outcomes_follow_the_review_rules() -> None:
    obj = registered()
    obj.submit_goal(STAFF, ROWS)
    obj.review_goal(BUSINESS, "initial", "中", "指标不够细化")
    assert obj.goal_status == GoalStatus.RETURNED
    obj.submit_goal(STAFF, ROWS)
    assert obj.goal_status == GoalStatus.UNDER_REVIEW and obj.pending_stage == "initial"
    obj.review_goal(BUSINESS, "initial", "差", "目标与项目内容无关")
    assert obj.goal_status == GoalStatus.REJECTED
    with pytest.raises(InvalidTransition):
        obj.submit_goal(STAFF, ROWS)


def test_refusals_trigger_no_event() -> None:
    obj = registered()
    version = obj.version
    with pytest.raises(InvalidTransition):
        obj.apply_adjustment(act("department_staff", reason="变化", evidence=DOCS), ROWS, None)
    with pytest.raises(InvalidTransition):
        obj.review_goal(BUSINESS, "initial", "优", None)
    obj.submit_goal(STAFF, ROWS)
    version = obj.version
    with pytest.raises(InvalidTransition, match="初审"):
        obj.review_goal(PERFORMANCE, "second", "优", None)
    with pytest.raises(NotPermitted):
        obj.review_goal(PERFORMANCE, "initial", "优", None)
    with pytest.raises(InvalidInput, match="comments"):
        obj.review_goal(BUSINESS, "initial", "returned", " ")
    with pytest.raises(InvalidTransition):
        obj.approve_goal(BUDGET, Decimal(1), "文号")
    assert obj.version == version
    assert len(obj.collect_events()) == 2  # registration and submission only


def test_adjustment_by_procedure_applied_reviewed_approved() -> None:
    """财预〔2015〕88号 第二十八条: the department applies with the reason and its documents,
    the business section reviews, the budget section approves; the approved goal stands
    until then, and what it replaces stays in the event."""
    obj = reviewed()
    obj.approve_goal(BUDGET, Decimal("1800000.00"), "信财预〔2025〕3号")
    approved_rows = obj.indicators
    changed = [ROWS[0], Indicator("效益", "社会", "服务人次", "≥", Decimal(800), unit="人次")]
    applicant = act("department_staff", reason="政策调整", evidence=DOCS)
    with pytest.raises(InvalidInput, match="reason"):
        obj.apply_adjustment(act("department_staff", evidence=DOCS), changed, None)
    with pytest.raises(InvalidInput, match="documents"):
        obj.apply_adjustment(act("department_staff", reason="政策调整"), changed, None)
    with pytest.raises(InvalidInput, match="changes nothing"):
        obj.apply_adjustment(applicant, list(approved_rows), None)
    with pytest.raises(NotPermitted):
        obj.apply_adjustment(act("business_section", reason="x", evidence=DOCS), changed, None)
    with pytest.raises(InvalidTransition, match="no application"):
        obj.approve_adjustment(BUDGET, "信财预〔2025〕9号")
    obj.apply_adjustment(applicant, changed, Decimal("1600000.00"))
    assert obj.indicators == approved_rows  # not in force before its approval
    with pytest.raises(InvalidTransition, match="under way"):
        obj.apply_adjustment(applicant, changed, None)
    with pytest.raises(InvalidTransition, match="reviews the application first"):
        obj.approve_adjustment(BUDGET, "信财预〔2025〕9号")
    with pytest.raises(NotPermitted):
        obj.review_adjustment(PERFORMANCE, "agreed", None)
    with pytest.raises(InvalidInput, match="says why"):
        obj.review_adjustment(BUSINESS, "returned", " ")
    obj.review_adjustment(BUSINESS, "returned", "调整依据不足")  # back to the department
    assert obj.adjustment is None and obj.indicators == approved_rows
    obj.apply_adjustment(applicant, changed, Decimal("1600000.00"))
    obj.review_adjustment(BUSINESS, "agreed", None)
    with pytest.raises(NotPermitted):
        obj.approve_adjustment(PERFORMANCE, "信财预〔2025〕9号")
    with pytest.raises(InvalidInput, match="approval"):
        obj.approve_adjustment(BUDGET, " ")
    obj.approve_adjustment(BUDGET, "信财预〔2025〕9号")
    assert obj.indicators[1].value == Decimal(800) and obj.goal_revision == 2
    assert obj.approved_amount == Decimal("1600000.00") and obj.adjustment is None
    *_, adjusted = obj.collect_events()
    assert (adjusted.previous, adjusted.previous_amount) == (approved_rows, Decimal("1800000.00"))
    assert type(adjusted).class_version == 2


def test_no_one_takes_two_parts_in_one_adjustment() -> None:
    obj = reviewed()
    obj.approve_goal(BUDGET, Decimal("1800000.00"), "信财预〔2025〕3号")
    changed = [ROWS[0], Indicator("效益", "社会", "服务人次", "≥", Decimal(800), unit="人次")]
    applicant = act("department_staff", reason="政策调整", evidence=DOCS)
    obj.apply_adjustment(applicant, changed, None)
    as_reviewer = Act(
        Actor(applicant.actor.person_id, "某人", "business_section", str(uuid4()), "某股")
    )
    with pytest.raises(SegregationOfDuties):
        obj.review_adjustment(as_reviewer, "agreed", None)
    obj.review_adjustment(BUSINESS, "agreed", None)
    as_approver = Act(
        Actor(BUSINESS.actor.person_id, "某人", "budget_section", str(uuid4()), "某股")
    )
    with pytest.raises(SegregationOfDuties):
        obj.approve_adjustment(as_approver, "信财预〔2025〕9号")


def test_registration_rules() -> None:
    with pytest.raises(InvalidInput, match="last year"):
        registered(is_new=False)
    with pytest.raises(InvalidInput):
        registered(is_new=True, last_year_amount=Decimal(1))
    with pytest.raises(InvalidInput):
        registered(fund_type="other")
    with pytest.raises(NotPermitted):
        PerformanceObject.register(
            act("department_staff", org=uuid4()),
            mof_div_code="1",
            fiscal_year=2025,
            pro_code="X",
            name="n",
            kind="project",
            department_id=DEPT,
            unit_id=None,
            fund_type="general_public",
            amount=Decimal(1),
            is_new=True,
            last_year_amount=None,
        )
    unit_staff = act("unit_staff", org=UNIT)
    obj = PerformanceObject.register(
        unit_staff,
        mof_div_code="1",
        fiscal_year=2025,
        pro_code="X",
        name="n",
        kind="project",
        department_id=DEPT,
        unit_id=UNIT,
        fund_type="general_public",
        amount=Decimal(1),
        is_new=True,
        last_year_amount=None,
    )
    assert obj.unit_id == UNIT


def test_segregation_of_duties_in_review() -> None:
    obj = registered()
    obj.submit_goal(STAFF, ROWS)
    obj.review_goal(BUSINESS, "initial", "良", None)
    # The same person holding the performance role too may not take a second stage.
    same_person = Act(Actor(BUSINESS.actor.person_id, "某人", "performance_section", None, None))
    with pytest.raises(NotPermitted, match="already reviewed"):
        obj.review_goal(same_person, "second", "优", None)
    # Nor may the submitter review, whatever role they hold.
    submitter = Act(Actor(STAFF.actor.person_id, "某人", "performance_section", None, None))
    with pytest.raises(NotPermitted, match="you submitted"):
        obj.review_goal(submitter, "second", "优", None)
    obj.review_goal(PERFORMANCE, "second", "优", None)
    assert obj.pending_stage == "final"


def test_key_review_is_judged_by_the_policy_and_needs_a_written_opinion(tmp_path) -> None:
    import json

    from domain.objects.key_review import judge_key_review
    from domain.policy import PolicyBook

    stricter = {
        "id": "test-county-2025",
        "version": 1,
        "name": "测试县",
        "document": "测财绩〔2025〕1号",
        "jurisdictions": ["369999"],
        "effective_from_year": 2025,
        "inherits": "national-default",
        "rules": {
            "goal_review": {
                "source": "test",
                "key_review_amount": {"value": "5000000.00", "op": ">=", "wording": "500万元以上"},
            }
        },
    }
    (tmp_path / "county.json").write_text(json.dumps(stricter, ensure_ascii=False))
    book = PolicyBook.shipped(extra_dir=tmp_path)
    amount = Decimal("6000000.00")
    nanchang = judge_key_review(book.for_jurisdiction("360100", 2025), amount)
    county = judge_key_review(book.for_jurisdiction("369999", 2025), amount)
    assert (nanchang.required, nanchang.policy.document) == (False, "洪财绩〔2022〕4号")
    assert (county.required, county.policy.policy_id) == (True, "test-county-2025")
    assert "500万元以上" in county.reason
    # 1000万元以上 includes 1000万.
    assert judge_key_review(book.for_jurisdiction("360100", 2025), Decimal("1e7")).required

    obj = registered(amount=amount)
    obj.submit_goal(STAFF, ROWS, county)
    obj.review_goal(BUSINESS, "initial", "良", None)
    with pytest.raises(InvalidInput, match="重点审核"):
        obj.review_goal(PERFORMANCE, "second", "优", None)
    obj.review_goal(PERFORMANCE, "second", "良", "绩效指标细化到季度，同意")
    assert obj.pending_stage == "final"
