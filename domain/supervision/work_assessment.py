"""The finance bureau's annual score of a department's performance-management work (考核).

洪财绩〔2022〕4号 二(三)10 sets up the assessment without an automatic consequence; Xunyang
cuts next year's budget of a department scoring 90分以下 (≤ 90, the boundary included).
The rule is the policy's `work_assessment.budget_cut_at_or_below`; each score records the
judgement and the policy that made it. A revision is a new event keeping the old score.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.errors import InvalidInput, NotPermitted
from domain.ids import NAMESPACE
from domain.policy import Policy, PolicyRef
from domain.roles import Role
from domain.values import Act

POINT = Decimal("0.01")


def work_assessment_id(mof_div_code: str, fiscal_year: int, department_id: UUID) -> UUID:
    return uuid5(NAMESPACE, f"work-assessment:{mof_div_code}:{fiscal_year}:{department_id}")


def valid_score(value: Decimal | int | str) -> Decimal:
    if isinstance(value, float):
        raise InvalidInput("score is an exact decimal, not a float", "score")
    try:
        score = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise InvalidInput(f"score: {value!r} is not a number", "score") from None
    if not score.is_finite() or not Decimal(0) <= score <= Decimal(100):
        raise InvalidInput("score is between 0 and 100", "score")
    if score != score.quantize(POINT):
        raise InvalidInput("score is kept to two decimal places", "score")
    return score.quantize(POINT)


def judged(policy: Policy, score: Decimal) -> dict:
    """The work_assessment rule applied to a score: is next year's budget cut proposed?"""
    line = policy.threshold("work_assessment", "budget_cut_at_or_below")
    cut = line is not None and line.met_by(score)
    rule = None
    if line is not None:
        wording = policy.section("work_assessment")["budget_cut_at_or_below"].get("wording", "")
        rule = f"score {line.op} {line.value} ({wording}) → budget cut"
    return {"budget_cut_proposed": cut, "rule": rule, "policy_ref": policy.ref}


class WorkAssessment(Aggregate):
    TOPIC = "jixiao:WorkAssessment"  # the stored name: fixed, whatever module holds it

    class Created(Aggregate.Created):  # explicit topics ask it of every class; never recorded
        TOPIC = "jixiao:WorkAssessment.Created"

    @staticmethod
    def create_id(mof_div_code: str, fiscal_year: int, department_id: UUID) -> UUID:
        return work_assessment_id(mof_div_code, fiscal_year, department_id)

    @event("Scored", topic="jixiao:WorkAssessment.Scored")
    def __init__(
        self,
        act: Act,
        mof_div_code: str,
        fiscal_year: int,
        department_id: UUID,
        score: Decimal,
        comments: str | None,
        budget_cut_proposed: bool,
        cut_budget_year: int | None,
        rule: str | None,
        policy_ref: PolicyRef,
    ) -> None:
        self.mof_div_code = mof_div_code
        self.fiscal_year = fiscal_year
        self.department_id = department_id
        self._apply(score, budget_cut_proposed, policy_ref)

    def _apply(self, score: Decimal, cut: bool, policy_ref: PolicyRef) -> None:
        self.score = score
        self.budget_cut_proposed = cut
        self.policy_ref = policy_ref

    @classmethod
    def score_department(
        cls,
        act: Act,
        *,
        mof_div_code: str,
        fiscal_year: int,
        department_id: UUID,
        score: Decimal | str,
        comments: str | None,
        policy: Policy,
    ) -> WorkAssessment:
        _require_performance_section(act)
        value = valid_score(score)
        judgement = judged(policy, value)
        return cls(
            act=act,
            mof_div_code=mof_div_code,
            fiscal_year=fiscal_year,
            department_id=department_id,
            score=value,
            comments=comments,
            cut_budget_year=fiscal_year + 1 if judgement["budget_cut_proposed"] else None,
            **judgement,
        )

    def revise(self, act: Act, score: Decimal | str, policy: Policy) -> None:
        _require_performance_section(act)
        act.requiring_reason("revising an assessment score")
        value = valid_score(score)
        if value == self.score:
            raise InvalidInput("the revision changes nothing", "score")
        judgement = judged(policy, value)
        self._revised(
            act=act,
            previous_score=self.score,
            score=value,
            cut_budget_year=self.fiscal_year + 1 if judgement["budget_cut_proposed"] else None,
            **judgement,
        )

    @event("ScoreRevised", topic="jixiao:WorkAssessment.ScoreRevised")
    def _revised(
        self,
        act: Act,
        previous_score: Decimal,
        score: Decimal,
        budget_cut_proposed: bool,
        cut_budget_year: int | None,
        rule: str | None,
        policy_ref: PolicyRef,
    ) -> None:
        self._apply(score, budget_cut_proposed, policy_ref)


def _require_performance_section(act: Act) -> None:
    if act.actor.role != Role.PERFORMANCE_SECTION:
        raise NotPermitted("departments' performance work is assessed by the performance section")
