"""Department evaluation (部门评价) and finance key evaluation (财政重点评价) of one object.

Both score the first-level indicators 决策/过程/产出/效益 with weights set per evaluation
(summing to 100). A department evaluation is opened and scored by the object's department.
A finance key evaluation is opened by the performance section, which may assign a third
party (第三方机构): while assigned, only that organisation's people may submit the scores.
A score is changed only by a ScoreRevised event that keeps the old one, with reason and
document.
"""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import InvalidInput, InvalidTransition, NotPermitted
from domain.evaluation.model import evaluation_id, require_evidence
from domain.evaluation.scoring import (
    LevelPoints,
    level_dict,
    level_rows,
    validated_level_scores,
    validated_weights,
)
from domain.policy import PolicyRef
from domain.registry.model import Organisation
from domain.roles import OrgKind, Role
from domain.values import Act

KEY_KINDS = ("department", "finance_key")
_DEPARTMENT_ROLES = (Role.DEPARTMENT_STAFF, Role.DEPARTMENT_HEAD)


class KeyEvaluation(Aggregate):
    TOPIC = "jixiao:KeyEvaluation"  # the stored name: fixed, whatever module holds it

    class Created(Aggregate.Created):  # explicit topics ask it of every class; never recorded
        TOPIC = "jixiao:KeyEvaluation.Created"

    @staticmethod
    def create_id(object_id: UUID, kind: str) -> UUID:
        return evaluation_id(object_id, kind)

    @event("EvaluationOpened", topic="jixiao:KeyEvaluation.EvaluationOpened")
    def __init__(
        self,
        act: Act,
        object_id: UUID,
        kind: str,
        mof_div_code: str,
        fiscal_year: int,
        pro_code: str,
        department_id: UUID,
        weights: tuple[LevelPoints, ...],
    ) -> None:
        self.object_id = object_id
        self.kind = kind
        self.mof_div_code = mof_div_code
        self.fiscal_year = fiscal_year
        self.pro_code = pro_code
        self.department_id = department_id
        self.weights = level_dict(weights)
        self.third_party_id: UUID | None = None
        self.scores: dict[str, Decimal] | None = None
        self.score: Decimal | None = None
        self.grade: str | None = None
        self.policy: PolicyRef | None = None

    @classmethod
    def open(
        cls,
        act: Act,
        *,
        object_id: UUID,
        kind: str,
        mof_div_code: str,
        fiscal_year: int,
        pro_code: str,
        department_id: UUID,
        weights: dict[str, Decimal],
    ) -> KeyEvaluation:
        if kind not in KEY_KINDS:
            raise InvalidInput(f"kind is one of {list(KEY_KINDS)}", "kind")
        if kind == "department":
            _require_department(act, department_id)
        elif act.actor.role != Role.PERFORMANCE_SECTION:
            raise NotPermitted("finance key evaluations are organised by the performance section")
        return cls(
            act=act,
            object_id=object_id,
            kind=kind,
            mof_div_code=mof_div_code,
            fiscal_year=fiscal_year,
            pro_code=pro_code,
            department_id=department_id,
            weights=level_rows(validated_weights(weights)),
        )

    # --- third party ------------------------------------------------------------------

    def assign_third_party(self, act: Act, organisation: Organisation) -> None:
        if self.kind != "finance_key":
            raise InvalidTransition("only a finance key evaluation is given to a third party")
        if act.actor.role != Role.PERFORMANCE_SECTION:
            raise NotPermitted("the performance section assigns third parties")
        if organisation.kind != OrgKind.THIRD_PARTY or organisation.mof_div_code != (
            self.mof_div_code
        ):
            raise InvalidInput("organisation_id is a third party of this jurisdiction", "org")
        if self.score is not None:
            raise InvalidTransition("the evaluation is already scored")
        if organisation.id == self.third_party_id:
            raise InvalidInput("that organisation is already assigned", "organisation_id")
        if self.third_party_id is not None:
            act.requiring_reason("replacing the assigned third party")
        self._third_party_assigned(
            act=act, object_id=self.object_id, organisation_id=organisation.id
        )

    @event("ThirdPartyAssigned", topic="jixiao:KeyEvaluation.ThirdPartyAssigned")
    def _third_party_assigned(self, act: Act, object_id: UUID, organisation_id: UUID) -> None:
        self.third_party_id = organisation_id

    # --- scoring ----------------------------------------------------------------------

    def _require_scorer(self, act: Act) -> None:
        actor = act.actor
        if self.kind == "department":
            _require_department(act, self.department_id)
        elif self.third_party_id is not None:
            if actor.role != Role.THIRD_PARTY or actor.organisation_id != str(self.third_party_id):
                raise NotPermitted(
                    "this evaluation is assigned to a third party: only its people submit scores"
                )
        elif actor.role != Role.PERFORMANCE_SECTION:
            raise NotPermitted("the performance section scores a finance key evaluation")

    def submit_scores(
        self, act: Act, scores: dict[str, Decimal], policy: PolicyRef, grade_of
    ) -> None:
        self._require_scorer(act)
        if self.score is not None:
            raise InvalidTransition("already scored: revise the score instead (with a reason)")
        checked = validated_level_scores(self.weights, scores)
        total = sum(checked.values(), Decimal(0))
        self._scored(
            act=act,
            object_id=self.object_id,
            scores=level_rows(checked),
            score=total,
            grade=grade_of(total),
            policy=policy,
        )

    @event("EvaluationScored", topic="jixiao:KeyEvaluation.EvaluationScored")
    def _scored(
        self,
        act: Act,
        object_id: UUID,
        scores: tuple[LevelPoints, ...],
        score: Decimal,
        grade: str,
        policy: PolicyRef,
    ) -> None:
        self.scores = level_dict(scores)
        self.score, self.grade, self.policy = score, grade, policy

    def revise_score(
        self, act: Act, scores: dict[str, Decimal], policy: PolicyRef, grade_of
    ) -> None:
        self._require_scorer(act)
        if self.score is None:
            raise InvalidTransition("nothing to revise: the evaluation is not scored yet")
        act.requiring_reason("revising a score")
        require_evidence(act, "revising a score")
        checked = validated_level_scores(self.weights, scores)
        if checked == self.scores:
            raise InvalidInput("the revision changes nothing", "scores")
        total = sum(checked.values(), Decimal(0))
        self._score_revised(
            act=act,
            object_id=self.object_id,
            previous_scores=level_rows(self.scores or {}),
            previous_score=self.score,
            previous_grade=self.grade,
            scores=level_rows(checked),
            score=total,
            grade=grade_of(total),
            policy=policy,
        )

    @event("ScoreRevised", topic="jixiao:KeyEvaluation.ScoreRevised")
    def _score_revised(
        self,
        act: Act,
        object_id: UUID,
        previous_scores: tuple[LevelPoints, ...],
        previous_score: Decimal,
        previous_grade: str,
        scores: tuple[LevelPoints, ...],
        score: Decimal,
        grade: str,
        policy: PolicyRef,
    ) -> None:
        self.scores = level_dict(scores)
        self.score, self.grade, self.policy = score, grade, policy


def _require_department(act: Act, department_id: UUID) -> None:
    if act.actor.role not in _DEPARTMENT_ROLES:
        raise NotPermitted("a department evaluation is done by the department (部门)")
    if act.actor.organisation_id != str(department_id):
        raise NotPermitted("you may evaluate only your own department's objects")
