"""The ex-ante file through the ledger's own commands (in memory): judgement recorded with
its policy, submission, finance review or commission, and the two gates (入库, 批复)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.errors import InvalidInput, InvalidTransition, NotPermitted
from domain.ex_ante.model import AssessmentState, ExAnteAssessment, ex_ante_id
from domain.objects.model import PerformanceObject
from domain.values import Act, Actor
from tests.unit.lifecycle_helpers import (
    GOOD_SCORES,
    REPORT,
    head,
    pass_ex_ante,
    register,
    review_goal,
    worlds,
)


def _events(ledger, aggregate_id):
    return list(ledger.repository.event_store.get(aggregate_id))


def test_registration_records_the_judgement_with_its_policy_in_each_jurisdiction() -> None:
    ledger, xy, nc = worlds()
    for world, required, policy_id in ((xy, True, "xunyang-2022"), (nc, False, "nanchang-2022")):
        object_id = register(ledger, world, "5000000.00")
        judged = _events(ledger, ex_ante_id(object_id))[0]
        assert type(judged).__name__ == "RequirementJudged"
        assert judged.object_id == object_id and judged.required is required
        assert judged.policy.policy_id == policy_id and judged.policy.version == 2
        assert "5,000,000.00 元" in judged.reasons[0]


def test_admission_and_approval_refused_without_a_passing_assessment() -> None:
    ledger, xy, _ = worlds()
    object_id = register(ledger, xy, "5000000.00")
    review_goal(ledger, xy, object_id)
    before = head(ledger)
    with pytest.raises(InvalidTransition) as admission:
        ledger.ex_ante.admit_to_library(xy.act_as("chenjing"), object_id)
    assert "xunyang-2022 v2" in admission.value.detail
    assert "200万元以上的新增项目" in admission.value.detail
    with pytest.raises(InvalidTransition) as approval:
        ledger.goals.approve_goal(
            xy.act_as("sunli"), object_id, Decimal("5000000.00"), "浔财预〔2023〕1号"
        )
    assert "事前绩效评估" in approval.value.detail and "未提交" in approval.value.detail
    assert head(ledger) == before

    # Submitted but not yet reviewed: still refused, and the refusal says so.
    ledger.ex_ante.submit_ex_ante(xy.act_as("wangfang"), object_id, GOOD_SCORES, "予以支持", REPORT)
    before = head(ledger)
    with pytest.raises(InvalidTransition, match="待审核"):
        ledger.ex_ante.admit_to_library(xy.act_as("chenjing"), object_id)
    assert head(ledger) == before

    ledger.ex_ante.review_ex_ante(xy.act_as("chenjing"), object_id, "accepted", "评估充分")
    ledger.ex_ante.admit_to_library(xy.act_as("chenjing"), object_id)
    ledger.goals.approve_goal(
        xy.act_as("sunli"), object_id, Decimal("5000000.00"), "浔财预〔2023〕1号"
    )
    obj = ledger.load(PerformanceObject, object_id)
    assert obj.in_library and obj.goal_status == "approved"
    admitted = [e for e in _events(ledger, object_id) if type(e).__name__ == "AdmittedToLibrary"]
    assert admitted[0].ex_ante_required and admitted[0].policy.policy_id == "xunyang-2022"
    assert "予以支持" in admitted[0].basis[-1]
    with pytest.raises(InvalidTransition, match="已入库"):
        ledger.ex_ante.admit_to_library(xy.act_as("sunli"), object_id)


def test_not_required_admission_rests_on_the_judgement_made_at_registration() -> None:
    ledger, _, nc = worlds()
    object_id = register(ledger, nc, "5000000.00")
    before = head(ledger)
    ledger.ex_ante.admit_to_library(nc.act_as("chenjing"), object_id)
    assert head(ledger) == before + 1  # the judgement was recorded with the registration
    file = ledger.load(ExAnteAssessment, ex_ante_id(object_id))
    assert not file.required and file.policy.document == "洪财绩〔2022〕4号"


def test_a_not_supporting_conclusion_does_not_pass() -> None:
    ledger, xy, _ = worlds()
    object_id = register(ledger, xy, "3000000.00")
    ledger.ex_ante.submit_ex_ante(xy.act_as("wangfang"), object_id, GOOD_SCORES, "不予支持", REPORT)
    ledger.ex_ante.review_ex_ante(xy.act_as("liuqiang"), object_id, "accepted", None)
    with pytest.raises(InvalidTransition, match="不予支持"):
        ledger.ex_ante.admit_to_library(xy.act_as("chenjing"), object_id)


def test_exemption_declared_then_withdrawn_keeps_both_judgements() -> None:
    ledger, xy, _ = worlds()
    object_id = register(ledger, xy, "8000000.00")
    ledger.ex_ante.declare_ex_ante(
        xy.act_as("wangfang", reason="汛期堤防应急抢修"), object_id, exemption="emergency"
    )
    with pytest.raises(InvalidInput, match="reason"):
        ledger.ex_ante.declare_ex_ante(xy.act_as("wangfang"), object_id)
    ledger.ex_ante.declare_ex_ante(
        xy.act_as("wangfang", reason="非应急事项，按常规申报"), object_id
    )
    at_registration, exempted, withdrawn = _events(ledger, ex_ante_id(object_id))
    assert (at_registration.required, at_registration.exemption) == (True, None)
    assert (exempted.required, exempted.exemption) == (False, "emergency")
    assert withdrawn.required and withdrawn.previous_required is False
    with pytest.raises(InvalidTransition):
        ledger.ex_ante.admit_to_library(xy.act_as("chenjing"), object_id)


def test_submission_is_validated_against_the_policy_dimensions() -> None:
    ledger, xy, _ = worlds()
    object_id = register(ledger, xy, "3000000.00")
    staff = xy.act_as("wangfang")
    before = head(ledger)
    four = dict(list(GOOD_SCORES.items())[:4])
    for scores, conclusion, report, field in (
        (four, "予以支持", REPORT, "scores"),
        ({**GOOD_SCORES, "立项必要性": Decimal("21")}, "予以支持", REPORT, "scores"),
        (GOOD_SCORES, "支持", REPORT, "conclusion"),
        (GOOD_SCORES, "予以支持", None, "report"),
    ):
        with pytest.raises(InvalidInput) as refused:
            ledger.ex_ante.submit_ex_ante(staff, object_id, scores, conclusion, report)
        assert refused.value.field == field
    with pytest.raises(NotPermitted):
        ledger.ex_ante.submit_ex_ante(
            xy.act_as("zhaoyun"), object_id, GOOD_SCORES, "予以支持", REPORT
        )
    with pytest.raises(InvalidTransition):  # nothing submitted to review
        ledger.ex_ante.review_ex_ante(xy.act_as("chenjing"), object_id, "accepted", None)
    assert head(ledger) == before
    pass_ex_ante(ledger, xy, object_id)
    file = ledger.load(ExAnteAssessment, ex_ante_id(object_id))
    assert file.total == Decimal("88") and file.state == AssessmentState.ACCEPTED


def test_review_roles_and_segregation_of_duties() -> None:
    ledger, xy, _ = worlds()
    object_id = register(ledger, xy, "3000000.00")
    ledger.ex_ante.submit_ex_ante(xy.act_as("wangfang"), object_id, GOOD_SCORES, "予以支持", REPORT)
    with pytest.raises(NotPermitted):
        ledger.ex_ante.review_ex_ante(xy.act_as("sunli"), object_id, "accepted", None)
    with pytest.raises(InvalidInput, match="comments"):
        ledger.ex_ante.review_ex_ante(xy.act_as("chenjing"), object_id, "returned", None)
    # The submitter, acting later in a finance role, may not review their own assessment.
    wang = xy.act_as("wangfang").actor
    same_person = Act(
        Actor(wang.person_id, wang.name, "business_section", str(xy.org("B01")), "股")
    )
    with pytest.raises(NotPermitted, match="segregation of duties"):
        ledger.ex_ante.review_ex_ante(same_person, object_id, "accepted", None)
    ledger.ex_ante.review_ex_ante(
        xy.act_as("chenjing"), object_id, "returned", "投入经济性论证不足"
    )
    with pytest.raises(InvalidInput, match="reason"):
        ledger.ex_ante.submit_ex_ante(
            xy.act_as("wangfang"), object_id, GOOD_SCORES, "予以支持", REPORT
        )
    ledger.ex_ante.submit_ex_ante(
        xy.act_as("wangfang", reason="补充成本测算"), object_id, GOOD_SCORES, "调整后支持", REPORT
    )
    ledger.ex_ante.review_ex_ante(xy.act_as("chenjing"), object_id, "accepted", None)
    ledger.ex_ante.admit_to_library(xy.act_as("chenjing"), object_id)


def test_commissioned_third_party_assessment() -> None:
    ledger, xy, _ = worlds()
    object_id = register(ledger, xy, "30000000.00")
    with pytest.raises(NotPermitted):
        ledger.ex_ante.commission_ex_ante(
            xy.act_as("chenjing"), object_id, "third_party", xy.org("TP01")
        )
    with pytest.raises(InvalidInput):  # a department is not a third party
        ledger.ex_ante.commission_ex_ante(
            xy.act_as("liuqiang"), object_id, "third_party", xy.org("D102")
        )
    ledger.ex_ante.commission_ex_ante(
        xy.act_as("liuqiang"), object_id, "third_party", xy.org("TP01")
    )
    for login in ("wangfang", "liuqiang"):
        with pytest.raises(NotPermitted):
            ledger.ex_ante.submit_ex_ante(
                xy.act_as(login), object_id, GOOD_SCORES, "予以支持", REPORT
            )
    ledger.ex_ante.submit_ex_ante(xy.act_as("qianlin"), object_id, GOOD_SCORES, "予以支持", REPORT)
    file = ledger.load(ExAnteAssessment, ex_ante_id(object_id))
    assert file.state == AssessmentState.CONCLUDED and file.assessor == "third_party"
    ledger.ex_ante.admit_to_library(xy.act_as("sunli"), object_id)
