"""Spot-check re-review (抽查复核) of a self-evaluation by the finance bureau.

The recheck records its own score beside the self-score it checks and the gap between them
(self − recheck). When the policy's recheck_gap rule is met (相差15分以上: |gap| ≥ 15, either
direction) the recheck says so, and the ledger blocks the project's later funding in the
same write (domain/results/funding_block.py). No one rechecks a self-evaluation they submitted or
revised (segregation of duties).
"""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import InvalidInput, InvalidTransition, NotPermitted, SegregationOfDuties
from domain.evaluation.model import SelfEvaluation, evaluation_id, require_evidence
from domain.evaluation.scoring import grade_for, points
from domain.policy import Policy, PolicyRef
from domain.roles import Role
from domain.values import Act


def gap_triggered(policy: Policy, gap: Decimal) -> bool:
    rule = policy.threshold("recheck_gap", "points")
    return rule is not None and rule.met_by(abs(gap))


def _checked_score(score: Decimal) -> Decimal:
    score = Decimal(score)
    if not Decimal(0) <= score <= Decimal(100) or score != points(score):
        raise InvalidInput("the recheck score is 0–100, to 0.01 points", "score")
    return points(score)


class SpotCheck(Aggregate):
    TOPIC = "jixiao:SpotCheck"  # the stored name: fixed, whatever module holds it

    class Created(Aggregate.Created):  # explicit topics ask it of every class; never recorded
        TOPIC = "jixiao:SpotCheck.Created"

    kind = "spot_check"

    @staticmethod
    def create_id(object_id: UUID) -> UUID:
        return evaluation_id(object_id, "spot_check")

    @event("SpotCheckRecorded", topic="jixiao:SpotCheck.SpotCheckRecorded")
    def __init__(
        self,
        act: Act,
        object_id: UUID,
        self_evaluation_id: UUID,
        mof_div_code: str,
        fiscal_year: int,
        pro_code: str,
        department_id: UUID,
        self_score: Decimal,
        score: Decimal,
        grade: str,
        gap: Decimal,
        gap_rule_met: bool,
        comments: str,
        policy: PolicyRef,
    ) -> None:
        self.object_id = object_id
        self.self_evaluation_id = self_evaluation_id
        self.mof_div_code = mof_div_code
        self.fiscal_year = fiscal_year
        self.pro_code = pro_code
        self.department_id = department_id
        self.self_score = self_score
        self.score = score
        self.grade = grade
        self.gap = gap
        self.gap_rule_met = gap_rule_met
        self.policy = policy
        self.recheckers = [act.actor.person_id]

    @classmethod
    def record(
        cls, act: Act, evaluation: SelfEvaluation, score: Decimal, comments: str, policy: Policy
    ) -> SpotCheck:
        _require_rechecker(act, evaluation)
        if not comments.strip():
            raise InvalidInput("a recheck states its findings (复核意见)", "comments")
        score = _checked_score(score)
        gap = evaluation.score - score
        return cls(
            act=act,
            object_id=evaluation.object_id,
            self_evaluation_id=evaluation.id,
            mof_div_code=evaluation.mof_div_code,
            fiscal_year=evaluation.fiscal_year,
            pro_code=evaluation.pro_code,
            department_id=evaluation.department_id,
            self_score=evaluation.score,
            score=score,
            grade=grade_for(policy, score),
            gap=gap,
            gap_rule_met=gap_triggered(policy, gap),
            comments=comments.strip(),
            policy=policy.ref,
        )

    def revise_score(
        self, act: Act, evaluation: SelfEvaluation, score: Decimal, policy: Policy
    ) -> None:
        _require_rechecker(act, evaluation)
        act.requiring_reason("revising a recheck score")
        require_evidence(act, "revising a recheck score")
        score = _checked_score(score)
        if score == self.score:
            raise InvalidInput("the revision changes nothing", "score")
        gap = self.self_score - score
        self._score_revised(
            act=act,
            object_id=self.object_id,
            previous_score=self.score,
            previous_grade=self.grade,
            score=score,
            grade=grade_for(policy, score),
            gap=gap,
            gap_rule_met=gap_triggered(policy, gap),
            policy=policy.ref,
        )

    @event("ScoreRevised", topic="jixiao:SpotCheck.ScoreRevised")
    def _score_revised(
        self,
        act: Act,
        object_id: UUID,
        previous_score: Decimal,
        previous_grade: str,
        score: Decimal,
        grade: str,
        gap: Decimal,
        gap_rule_met: bool,
        policy: PolicyRef,
    ) -> None:
        self.score, self.grade, self.gap = score, grade, gap
        self.gap_rule_met, self.policy = gap_rule_met, policy
        if act.actor.person_id not in self.recheckers:
            self.recheckers.append(act.actor.person_id)


def _require_rechecker(act: Act, evaluation: SelfEvaluation) -> None:
    if act.actor.role != Role.PERFORMANCE_SECTION:
        raise NotPermitted("spot checks (抽查复核) are done by the performance section")
    if act.actor.person_id in evaluation.scorers:
        raise SegregationOfDuties(
            "segregation of duties: you submitted or revised this self-evaluation "
            "and may not recheck it"
        )
    if evaluation.score is None:  # pragma: no cover - a submitted self-evaluation has a score
        raise InvalidTransition("the self-evaluation has no score yet")
