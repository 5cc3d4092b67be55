"""Self-evaluation (自评) of one performance object for its fiscal year.

The department enters the actuals; the table, total and grade are computed by the policy's
scoring (domain/evaluation/scoring.py) and recorded with the policy that computed them. A
revision re-enters the actuals as a new signed event that keeps the old score: it needs a
reason and a document, and is refused once the finance bureau has rechecked the score (the
gap between the two is evidence and must not be moved afterwards).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.errors import InvalidInput, NotPermitted
from domain.evaluation.scoring import SelfScore
from domain.ids import NAMESPACE
from domain.policy import Policy, PolicyRef
from domain.roles import SPENDING_ROLES
from domain.values import Act

EVALUATION_KINDS = {
    "self": "单位自评",
    "department": "部门评价",
    "finance_key": "财政重点评价",
    "spot_check": "抽查复核",
}


def evaluation_id(object_id: UUID, kind: str) -> UUID:
    """One evaluation of each kind per performance object (and so per fiscal year)."""
    return uuid5(NAMESPACE, f"evaluation:{object_id}:{kind}")


def self_evaluation_due(policy: Policy, fiscal_year: int) -> date:
    """The day a fiscal year's self-evaluations are due under the policy: its
    self_evaluation.due (month-day) of the next year (信财绩字〔2025〕3号 第二十五条: 3月底前)."""
    month, day = (int(part) for part in policy.section("self_evaluation")["due"].split("-"))
    return date(fiscal_year + 1, month, day)


def require_spending_actor(act: Act, department_id: UUID, unit_id: UUID | None) -> None:
    actor = act.actor
    if actor.role not in SPENDING_ROLES:
        raise NotPermitted("a self-evaluation is prepared by the spending department or unit")
    own = {str(department_id)} | ({str(unit_id)} if unit_id else set())
    if actor.organisation_id not in own:
        raise NotPermitted("you may act only for your own department or unit")


def require_evidence(act: Act, what: str) -> None:
    if not act.evidence:
        raise InvalidInput(f"{what}: attach the supporting document (evidence)", "evidence")


class SelfEvaluation(Aggregate):
    TOPIC = "jixiao:SelfEvaluation"  # the stored name: fixed, whatever module holds it

    class Created(Aggregate.Created):  # explicit topics ask it of every class; never recorded
        TOPIC = "jixiao:SelfEvaluation.Created"

    kind = "self"

    @staticmethod
    def create_id(object_id: UUID) -> UUID:
        return evaluation_id(object_id, "self")

    class SelfEvaluationSubmitted(Aggregate.Created):
        """Version 2 (2026-12) says when the policy wanted it and whether it came later."""

        TOPIC = "jixiao:SelfEvaluation.SelfEvaluationSubmitted"
        class_version = 2
        act: Act
        object_id: UUID
        mof_div_code: str
        fiscal_year: int
        pro_code: str
        department_id: UUID
        unit_id: UUID | None
        scoring: SelfScore
        policy: PolicyRef
        due: date | None
        late: bool | None

        @staticmethod
        def upcast_v1_v2(state: dict) -> None:
            # Recorded before lateness was judged: neither is known, and neither is guessed.
            state["due"] = None
            state["late"] = None

    @event(SelfEvaluationSubmitted)
    def __init__(
        self,
        act: Act,
        object_id: UUID,
        mof_div_code: str,
        fiscal_year: int,
        pro_code: str,
        department_id: UUID,
        unit_id: UUID | None,
        scoring: SelfScore,
        policy: PolicyRef,
        due: date | None,
        late: bool | None,
    ) -> None:
        self.object_id = object_id
        self.mof_div_code = mof_div_code
        self.fiscal_year = fiscal_year
        self.pro_code = pro_code
        self.department_id = department_id
        self.unit_id = unit_id
        self.scoring = scoring
        self.policy = policy
        self.submitted_by = act.actor.person_id
        self.scorers: list[str] = [act.actor.person_id]
        self.due = due
        self.late = late

    @property
    def score(self) -> Decimal:
        return self.scoring.total

    @property
    def grade(self) -> str:
        return self.scoring.grade

    @classmethod
    def submit(
        cls,
        act: Act,
        *,
        object_id: UUID,
        mof_div_code: str,
        fiscal_year: int,
        pro_code: str,
        department_id: UUID,
        unit_id: UUID | None,
        scoring: SelfScore,
        policy: PolicyRef,
        due: date,
        submitted_on: date,
    ) -> SelfEvaluation:
        """`due`: the policy's day for the fiscal year's self-evaluations; `submitted_on`:
        the day (CST) it is recorded, not the day it claims, so a back-dated one is late too."""
        require_spending_actor(act, department_id, unit_id)
        return cls(
            act=act,
            object_id=object_id,
            mof_div_code=mof_div_code,
            fiscal_year=fiscal_year,
            pro_code=pro_code,
            department_id=department_id,
            unit_id=unit_id,
            scoring=scoring,
            policy=policy,
            due=due,
            late=submitted_on > due,
        )

    def revise(self, act: Act, scoring: SelfScore, policy: PolicyRef) -> None:
        require_spending_actor(act, self.department_id, self.unit_id)
        act.requiring_reason("revising a self-evaluation")
        require_evidence(act, "revising a self-evaluation")
        if scoring == self.scoring:
            raise InvalidInput("the revision changes nothing", "actuals")
        self._revised(
            act=act,
            object_id=self.object_id,
            previous_score=self.scoring.total,
            previous_grade=self.scoring.grade,
            score=scoring.total,
            grade=scoring.grade,
            scoring=scoring,
            policy=policy,
        )

    @event("SelfEvaluationRevised", topic="jixiao:SelfEvaluation.SelfEvaluationRevised")
    def _revised(
        self,
        act: Act,
        object_id: UUID,
        previous_score: Decimal,
        previous_grade: str,
        score: Decimal,
        grade: str,
        scoring: SelfScore,
        policy: PolicyRef,
    ) -> None:
        # The old table stays in the SelfEvaluationSubmitted (or earlier revision) event.
        self.scoring = scoring
        self.policy = policy
        if act.actor.person_id not in self.scorers:
            self.scorers.append(act.actor.person_id)
