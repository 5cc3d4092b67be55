"""Result application (结果应用): the system proposes, a person applies.

The proposal is computed from the policy: the measure its result_application table sets for
the evaluation's grade and kind, or — when a spot check's gap met the recheck_gap rule — the
gap's measure (no funding until rectified, unspent funds recovered). Applying records the
proposal and the measure decided, by whom; a measure other than the proposal needs a reason,
and both stay in the event.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.errors import InvalidInput, NotPermitted
from domain.evaluation.scoring import points
from domain.ids import NAMESPACE
from domain.policy import Policy, PolicyRef
from domain.roles import Role
from domain.transcodings import transcoded
from domain.values import Act, yuan

MEASURES = {
    "priority": "优先支持（优先申报同类项目）",
    "support": "予以支持",
    "zero_growth": "下一年度原则上零增长",
    "reduce": "按比例核减下一年度预算",
    "cut_recurring": "按比例压减部门经常性项目和一般性支出",
    "no_similar_project": "不予申报下一年度同类型项目",
    "no_funding_until_rectified": "不再安排或整改到位前不予安排，未支出资金收回财政",
}
NEEDS_PERCENTAGE = frozenset({"reduce", "cut_recurring"})
RECOVERS_FUNDS = frozenset({"no_funding_until_rectified"})
APPLYING_ROLES = (Role.BUDGET_SECTION, Role.PERFORMANCE_SECTION)


@transcoded("result_proposal")
@dataclass(frozen=True)
class Proposal:
    measure: str
    label: str
    basis: str  # "grade" (the table for grade and kind) or "recheck_gap"
    table: str
    grade: str
    recover_unspent: bool
    policy: PolicyRef


def propose(
    policy: Policy,
    *,
    evaluation_kind: str,
    object_kind: str,
    grade: str,
    gap_rule_met: bool = False,
) -> Proposal:
    rules = policy.section("result_application")
    if gap_rule_met:
        gap = policy.section("recheck_gap")
        measure = gap["measure"]
        return Proposal(
            measure,
            MEASURES[measure],
            "recheck_gap",
            "recheck_gap",
            grade,
            bool(gap.get("recover_unspent", False)),
            policy.ref,
        )
    if object_kind == "department_overall":
        table = rules["department_overall_objects"]
    else:
        table = rules["tables_by_evaluation"][evaluation_kind]
    measure = rules[table][grade]
    return Proposal(
        measure,
        MEASURES[measure],
        "grade",
        table,
        grade,
        measure in RECOVERS_FUNDS,
        policy.ref,
    )


@transcoded("corrected_terms")
@dataclass(frozen=True)
class CorrectedTerms:
    """What a correction replaced: the measure, percentage and amount as they stood."""

    measure: str
    percentage: Decimal | None
    amount: Decimal | None


def result_id(evaluation_id: UUID) -> UUID:
    return uuid5(NAMESPACE, f"result:{evaluation_id}")


def _terms(
    measure: str, percentage: Decimal | None, amount: Decimal | None
) -> tuple[Decimal | None, Decimal | None]:
    """A measure's percentage and amount, checked and kept to their precision."""
    if measure in NEEDS_PERCENTAGE:
        if percentage is None or not Decimal(0) < Decimal(percentage) <= Decimal(100):
            raise InvalidInput(f"{measure} states its percentage (0–100]", "percentage")
        if Decimal(percentage) != points(Decimal(percentage)):
            raise InvalidInput("percentage is kept to 0.01", "percentage")
        percentage = points(Decimal(percentage))
    elif percentage is not None:
        raise InvalidInput(f"{measure} takes no percentage", "percentage")
    if amount is not None:
        if measure not in RECOVERS_FUNDS:
            raise InvalidInput(f"{measure} recovers no funds: no amount", "amount")
        amount = yuan(amount)
    return percentage, amount


class ResultApplication(Aggregate):
    TOPIC = "jixiao:ResultApplication"  # the stored name: fixed, whatever module holds it

    class Created(Aggregate.Created):  # explicit topics ask it of every class; never recorded
        TOPIC = "jixiao:ResultApplication.Created"

    @staticmethod
    def create_id(evaluation_id: UUID) -> UUID:
        return result_id(evaluation_id)

    @event("ResultApplied", topic="jixiao:ResultApplication.ResultApplied")
    def __init__(
        self,
        act: Act,
        object_id: UUID,
        evaluation_id: UUID,
        evaluation_kind: str,
        department_id: UUID,
        score: Decimal,
        proposal: Proposal,
        measure: str,
        percentage: Decimal | None,
        amount: Decimal | None,
        follows_proposal: bool,
        policy: PolicyRef,
    ) -> None:
        self.object_id = object_id
        self.evaluation_id = evaluation_id
        self.evaluation_kind = evaluation_kind
        self.department_id = department_id
        self.proposal = proposal
        self.measure = measure
        self.percentage = percentage
        self.amount = amount
        self.policy = policy

    @classmethod
    def apply(
        cls,
        act: Act,
        *,
        object_id: UUID,
        evaluation_id: UUID,
        evaluation_kind: str,
        department_id: UUID,
        score: Decimal,
        proposal: Proposal,
        measure: str,
        percentage: Decimal | None,
        amount: Decimal | None,
    ) -> ResultApplication:
        if act.actor.role not in APPLYING_ROLES:
            raise NotPermitted("results are applied by the budget or performance section")
        if measure not in MEASURES:
            raise InvalidInput(f"measure is one of {list(MEASURES)}", "measure")
        if measure != proposal.measure:
            act.requiring_reason(
                f"applying {measure} where policy {proposal.policy.policy_id} proposes "
                f"{proposal.measure}"
            )
        percentage, amount = _terms(measure, percentage, amount)
        return cls(
            act=act,
            object_id=object_id,
            evaluation_id=evaluation_id,
            evaluation_kind=evaluation_kind,
            department_id=department_id,
            score=score,
            proposal=proposal,
            measure=measure,
            percentage=percentage,
            amount=amount,
            follows_proposal=measure == proposal.measure,
            policy=proposal.policy,
        )

    def correct(
        self, act: Act, measure: str, percentage: Decimal | None, amount: Decimal | None
    ) -> None:
        """An applied result corrected: a new event that keeps what it replaces, with the
        reason; the measure is judged against the proposal again."""
        if act.actor.role not in APPLYING_ROLES:
            raise NotPermitted("results are corrected by the budget or performance section")
        if measure not in MEASURES:
            raise InvalidInput(f"measure is one of {list(MEASURES)}", "measure")
        act.requiring_reason("correcting an applied result")
        percentage, amount = _terms(measure, percentage, amount)
        if (measure, percentage, amount) == (self.measure, self.percentage, self.amount):
            raise InvalidInput("the correction changes nothing", "measure")
        self._corrected(
            act=act,
            object_id=self.object_id,  # so the object's history shows it
            previous=CorrectedTerms(self.measure, self.percentage, self.amount),
            measure=measure,
            percentage=percentage,
            amount=amount,
            follows_proposal=measure == self.proposal.measure,
        )

    @event("ResultCorrected", topic="jixiao:ResultApplication.ResultCorrected")
    def _corrected(
        self,
        act: Act,
        object_id: UUID,
        previous: CorrectedTerms,
        measure: str,
        percentage: Decimal | None,
        amount: Decimal | None,
        follows_proposal: bool,
    ) -> None:
        self.measure = measure
        self.percentage = percentage
        self.amount = amount
