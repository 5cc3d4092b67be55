"""A performance object's ex-ante assessment file (事前绩效评估): the policy's judgement of
whether one is required, the assessment itself, and the finance bureau's review.

One file per object (deterministic id). It opens with the requirement judgement; the
department submits its assessment (five dimensions, scores, conclusion, report hash); the
business or performance section reviews it (审核, 信财绩字〔2025〕3号 第十四条), or the
performance section commissions its own or a third party's assessment, whose result then
stands as submitted. Returned assessments are revised and resubmitted as new events.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.errors import InvalidInput, InvalidTransition, NotPermitted, SegregationOfDuties
from domain.ex_ante.rules import CONCLUSIONS, Requirement
from domain.ids import NAMESPACE
from domain.policy import Policy, PolicyRef
from domain.registry.model import Organisation
from domain.roles import SPENDING_ROLES, OrgKind, Role
from domain.transcodings import transcoded
from domain.values import Act, EvidenceRef


def ex_ante_id(object_id: UUID) -> UUID:
    return uuid5(NAMESPACE, f"ex_ante:{object_id}")


class AssessmentState(StrEnum):
    JUDGED = "judged"  # requirement judged, no assessment yet
    SUBMITTED = "submitted"  # department's assessment awaits finance review
    RETURNED = "returned"
    ACCEPTED = "accepted"
    COMMISSIONED = "commissioned"  # finance's own or a third party's, awaiting its result
    CONCLUDED = "concluded"


REVIEW_OUTCOMES = ("accepted", "returned")
ASSESSORS = ("finance", "third_party")


@transcoded("ex_ante_score")
@dataclass(frozen=True)
class DimensionScore:
    dimension: str
    score: Decimal
    points: Decimal


def scored(policy: Policy, scores: dict[str, Decimal]) -> tuple[DimensionScore, ...]:
    """The policy's dimensions, each scored once within 0..dimension_points."""
    rules = policy.section("ex_ante")
    dimensions, points = rules["dimensions"], Decimal(rules["dimension_points"])
    if set(scores) != set(dimensions):
        raise InvalidInput(f"scores name exactly these dimensions: {dimensions}", "scores")
    rows = []
    for name in dimensions:
        value = Decimal(scores[name])
        if not value.is_finite() or not 0 <= value <= points:
            raise InvalidInput(f"score of {name} is between 0 and {points}", "scores")
        rows.append(DimensionScore(name, value, points))
    return tuple(rows)


class ExAnteAssessment(Aggregate):
    TOPIC = "jixiao:ExAnteAssessment"  # the stored name: fixed, whatever module holds it

    class Created(Aggregate.Created):  # explicit topics ask it of every class; never recorded
        TOPIC = "jixiao:ExAnteAssessment.Created"

    @staticmethod
    def create_id(object_id: UUID) -> UUID:
        return ex_ante_id(object_id)

    @event("RequirementJudged", topic="jixiao:ExAnteAssessment.RequirementJudged")
    def __init__(
        self,
        act: Act,
        object_id: UUID,
        department_id: UUID,
        unit_id: UUID | None,
        required: bool,
        reasons: tuple[str, ...],
        exemption: str | None,
        policy: PolicyRef,
    ) -> None:
        self.object_id = object_id
        self.department_id = department_id
        self.unit_id = unit_id
        self._apply_requirement(required, reasons, exemption, policy)
        self.state = AssessmentState.JUDGED
        self.submitted_by: str | None = None
        self.assessor = "department"
        self.assessor_org_id: str | None = None
        self.scores: tuple[DimensionScore, ...] = ()
        self.total: Decimal | None = None
        self.conclusion: str | None = None
        self.report: EvidenceRef | None = None
        self.revision = 0

    def _apply_requirement(
        self, required: bool, reasons: tuple[str, ...], exemption: str | None, policy: PolicyRef
    ) -> None:
        self.required = required
        self.reasons = tuple(reasons)
        self.exemption = exemption
        self.policy = policy

    @classmethod
    def open(
        cls, act: Act, object_id: UUID, department_id: UUID, unit_id: UUID | None, r: Requirement
    ) -> ExAnteAssessment:
        return cls(
            act=act,
            object_id=object_id,
            department_id=department_id,
            unit_id=unit_id,
            required=r.required,
            reasons=r.reasons,
            exemption=r.exemption,
            policy=r.policy,
        )

    def passes(self, policy: Policy) -> bool:
        passing = policy.section("ex_ante")["passing_conclusions"]
        done = self.state in (AssessmentState.ACCEPTED, AssessmentState.CONCLUDED)
        return done and self.conclusion in passing

    # --- the requirement, judged again when the department's declaration changes ---------

    def rejudge(self, act: Act, r: Requirement) -> None:
        act.requiring_reason("declaring the ex-ante requirement again")
        if (r.required, r.exemption, r.reasons) == (self.required, self.exemption, self.reasons):
            raise InvalidInput("the declaration changes nothing", "exemption")
        self._requirement_rejudged(
            act=act,
            object_id=self.object_id,
            required=r.required,
            reasons=r.reasons,
            exemption=r.exemption,
            policy=r.policy,
            previous_required=self.required,
            previous_reasons=self.reasons,
        )

    @event("RequirementRejudged", topic="jixiao:ExAnteAssessment.RequirementRejudged")
    def _requirement_rejudged(
        self,
        act: Act,
        object_id: UUID,
        required: bool,
        reasons: tuple[str, ...],
        exemption: str | None,
        policy: PolicyRef,
        previous_required: bool,
        previous_reasons: tuple[str, ...],
    ) -> None:
        self._apply_requirement(required, reasons, exemption, policy)

    # --- submission ------------------------------------------------------------------------

    def submit(
        self,
        act: Act,
        policy: Policy,
        scores: dict[str, Decimal],
        conclusion: str,
        report: EvidenceRef | None,
    ) -> None:
        if self.state == AssessmentState.COMMISSIONED:
            self._require_commissioned_assessor(act)
        elif self.state in (AssessmentState.JUDGED, AssessmentState.RETURNED):
            require_spending_actor(act, self.department_id, self.unit_id)
        else:
            raise InvalidTransition(
                f"an assessment can be submitted only before one is under review or done "
                f"(now {self.state.value})"
            )
        rows = scored(policy, scores)
        if conclusion not in CONCLUSIONS:
            raise InvalidInput(f"conclusion is one of {list(CONCLUSIONS)}", "conclusion")
        if report is None:
            raise InvalidInput("the assessment report (name and sha256) is required", "report")
        if self.state == AssessmentState.RETURNED:
            act.requiring_reason("resubmitting a returned assessment")
        self._submitted(
            act=act,
            object_id=self.object_id,
            assessor=self.assessor if self.state == AssessmentState.COMMISSIONED else "department",
            scores=rows,
            total=sum((r.score for r in rows), Decimal(0)),
            conclusion=conclusion,
            report=report,
            policy=policy.ref,
        )

    def _require_commissioned_assessor(self, act: Act) -> None:
        role = Role.THIRD_PARTY if self.assessor == "third_party" else Role.PERFORMANCE_SECTION
        if act.actor.role != role or act.actor.organisation_id != self.assessor_org_id:
            raise NotPermitted(
                f"this assessment was commissioned from {self.assessor} organisation "
                f"{self.assessor_org_id}: only its {role.value} people submit it"
            )

    @event("Submitted", topic="jixiao:ExAnteAssessment.Submitted")
    def _submitted(
        self,
        act: Act,
        object_id: UUID,
        assessor: str,
        scores: tuple[DimensionScore, ...],
        total: Decimal,
        conclusion: str,
        report: EvidenceRef,
        policy: PolicyRef,
    ) -> None:
        self.submitted_by = act.actor.person_id
        self.scores = tuple(scores)
        self.total = total
        self.conclusion = conclusion
        self.report = report
        self.revision += 1
        commissioned = self.state == AssessmentState.COMMISSIONED
        self.state = AssessmentState.CONCLUDED if commissioned else AssessmentState.SUBMITTED

    # --- finance review and commissioning ------------------------------------------------

    def review(self, act: Act, outcome: str, comments: str | None) -> None:
        if self.state != AssessmentState.SUBMITTED:
            raise InvalidTransition(
                f"only a submitted department assessment is reviewed (now {self.state.value})"
            )
        if act.actor.role not in (Role.BUSINESS_SECTION, Role.PERFORMANCE_SECTION):
            raise NotPermitted("the business or performance section reviews an assessment")
        if act.actor.person_id == self.submitted_by:
            raise SegregationOfDuties("segregation of duties: you submitted this assessment")
        if outcome not in REVIEW_OUTCOMES:
            raise InvalidInput(f"outcome is one of {list(REVIEW_OUTCOMES)}", "outcome")
        if outcome == "returned" and not (comments and comments.strip()):
            raise InvalidInput("a returned assessment needs review comments", "comments")
        self._reviewed(act=act, object_id=self.object_id, outcome=outcome, comments=comments)

    @event("Reviewed", topic="jixiao:ExAnteAssessment.Reviewed")
    def _reviewed(self, act: Act, object_id: UUID, outcome: str, comments: str | None) -> None:
        accepted = outcome == "accepted"
        self.state = AssessmentState.ACCEPTED if accepted else AssessmentState.RETURNED

    def commission(self, act: Act, assessor: str, organisation: Organisation) -> None:
        if act.actor.role != Role.PERFORMANCE_SECTION:
            raise NotPermitted("the performance section commissions an assessment")
        if self.state not in (
            AssessmentState.JUDGED,
            AssessmentState.SUBMITTED,
            AssessmentState.RETURNED,
        ):
            raise InvalidTransition(
                f"an assessment can no longer be commissioned (now {self.state.value})"
            )
        if assessor not in ASSESSORS:
            raise InvalidInput(f"assessor is one of {list(ASSESSORS)}", "assessor")
        kind = OrgKind.THIRD_PARTY if assessor == "third_party" else OrgKind.PERFORMANCE_SECTION
        if organisation.kind != kind:
            raise InvalidInput(
                f"a {assessor} assessment is made by a {kind.value}", "organisation_id"
            )
        self._commissioned(
            act=act,
            object_id=self.object_id,
            assessor=assessor,
            organisation_id=organisation.id,
            organisation_name=organisation.name,
        )

    @event("Commissioned", topic="jixiao:ExAnteAssessment.Commissioned")
    def _commissioned(
        self,
        act: Act,
        object_id: UUID,
        assessor: str,
        organisation_id: UUID,
        organisation_name: str,
    ) -> None:
        self.state = AssessmentState.COMMISSIONED
        self.assessor = assessor
        self.assessor_org_id = str(organisation_id)


def require_spending_actor(act: Act, department_id: UUID, unit_id: UUID | None) -> None:
    if act.actor.role not in SPENDING_ROLES:
        raise NotPermitted("the spending department or unit submits its ex-ante assessment")
    own = {str(department_id)} | ({str(unit_id)} if unit_id else set())
    if act.actor.organisation_id not in own:
        raise NotPermitted("you may act only for your own department or unit")
