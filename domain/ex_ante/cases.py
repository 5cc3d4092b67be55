"""Use cases of ex-ante assessment (事前绩效评估) and admission to the project library (入库).

The requirement is judged by the object's jurisdiction policy the first time anyone acts on
the object's ex-ante file (the department's declaration or submission, the performance
section's commission, or an admission that needs none) and is recorded with the policy's
reference. A project that requires an assessment and lacks a passing one is neither
admitted to the library nor has its goal approved (洪财绩〔2022〕4号 二(二)3; 信财绩字〔2025〕3号
第十三、十四条).
"""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

from domain.errors import AlreadyExists, InvalidInput, InvalidTransition, NotFound
from domain.ex_ante.model import (
    AssessmentState,
    ExAnteAssessment,
    ex_ante_id,
    require_spending_actor,
)
from domain.ex_ante.rules import Requirement, judge_requirement
from domain.ledger_core import LedgerCore, Outcome
from domain.multi_save import save_together
from domain.objects.model import PerformanceObject
from domain.policy import Policy
from domain.registry.model import Organisation
from domain.values import Act, EvidenceRef

_STATE_WORDS = {
    AssessmentState.JUDGED: "no assessment has been submitted (未提交事前绩效评估)",
    AssessmentState.SUBMITTED: "the assessment awaits the finance bureau's review (待审核)",
    AssessmentState.RETURNED: "the assessment was returned for revision (已退回)",
    AssessmentState.COMMISSIONED: "the commissioned assessment has not been delivered (委托评估中)",
}


class AssessmentCases:
    def __init__(self, store: LedgerCore) -> None:
        self.store = store

    # --- reading -------------------------------------------------------------------------

    def ex_ante_file(self, object_id: UUID) -> ExAnteAssessment | None:
        try:
            return self.store.load(ExAnteAssessment, ex_ante_id(object_id))
        except NotFound:
            return None

    def _object_policy(self, obj: PerformanceObject) -> Policy:
        return self.store.policies.for_jurisdiction(obj.mof_div_code, obj.fiscal_year)

    def _requirement(
        self, obj: PerformanceObject, exemption: str | None = None, why: str | None = None
    ) -> Requirement:
        return judge_requirement(
            self._object_policy(obj),
            kind=obj.kind,
            amount=obj.amount,
            is_new=obj.is_new,
            last_year_amount=obj.last_year_amount,
            exemption=exemption,
            exemption_reason=why,
        )

    def ex_ante_companion(self, act: Act, obj: PerformanceObject) -> list:
        # 洪财绩〔2022〕4号 二(二)3 and the like: whether an assessment is required is judged
        # when the object is registered, in the same write, so the log says why from the start.
        return [
            ExAnteAssessment.open(
                act, obj.id, obj.department_id, obj.unit_id, self._requirement(obj)
            )
        ]

    def _file_or_open(
        self, act: Act, obj: PerformanceObject, expected_version: int | None
    ) -> ExAnteAssessment:
        try:
            return self.store.load(ExAnteAssessment, ex_ante_id(obj.id), expected_version)
        except NotFound:
            return ExAnteAssessment.open(
                act, obj.id, obj.department_id, obj.unit_id, self._requirement(obj)
            )

    # --- the department's declaration and submission -------------------------------------

    def declare_ex_ante(
        self,
        act: Act,
        object_id: UUID,
        exemption: str | None = None,
        expected_version: int | None = None,
    ) -> Outcome:
        """The department declares the project (with an exemption such as 应急/救灾 and its
        reason, if any); the policy judges whether an assessment is required."""
        obj = self.store.load(PerformanceObject, object_id)
        require_spending_actor(act, obj.department_id, obj.unit_id)
        requirement = self._requirement(obj, exemption, act.reason)
        file = self.ex_ante_file(object_id)
        if file is None:
            opened = ExAnteAssessment.open(act, obj.id, obj.department_id, obj.unit_id, requirement)
            return self.store._save(opened, conflict=AlreadyExists)
        file = self.store.load(ExAnteAssessment, file.id, expected_version)
        file.rejudge(act, requirement)
        return self.store._save(file)

    def submit_ex_ante(
        self,
        act: Act,
        object_id: UUID,
        scores: dict[str, Decimal],
        conclusion: str,
        report: EvidenceRef | None,
        expected_version: int | None = None,
    ) -> Outcome:
        obj = self.store.load(PerformanceObject, object_id)
        file = self._file_or_open(act, obj, expected_version)
        file.submit(act, self._object_policy(obj), scores, conclusion, report)
        return self.store._save(file)

    # --- the finance bureau ----------------------------------------------------------------

    def review_ex_ante(
        self,
        act: Act,
        object_id: UUID,
        outcome: str,
        comments: str | None,
        expected_version: int | None = None,
    ) -> Outcome:
        self.store.load(PerformanceObject, object_id)
        if self.ex_ante_file(object_id) is None:
            raise InvalidTransition("no ex-ante assessment has been submitted for review")
        file = self.store.load(ExAnteAssessment, ex_ante_id(object_id), expected_version)
        file.review(act, outcome, comments)
        return self.store._save(file)

    def commission_ex_ante(
        self,
        act: Act,
        object_id: UUID,
        assessor: str,
        organisation_id: UUID | None = None,
        expected_version: int | None = None,
    ) -> Outcome:
        obj = self.store.load(PerformanceObject, object_id)
        org_id = organisation_id or (
            UUID(act.actor.organisation_id) if act.actor.organisation_id else None
        )
        if org_id is None:
            raise InvalidInput("organisation_id names who makes the assessment", "organisation_id")
        try:
            organisation = self.store.load(Organisation, org_id)
        except NotFound:
            raise InvalidInput("organisation_id: no such organisation", "organisation_id") from None
        if organisation.mof_div_code != obj.mof_div_code:
            raise InvalidInput("the assessor is of the object's jurisdiction", "organisation_id")
        file = self._file_or_open(act, obj, expected_version)
        file.commission(act, assessor, organisation)
        return self.store._save(file)

    def admit_to_library(
        self, act: Act, object_id: UUID, expected_version: int | None = None
    ) -> Outcome:
        """入库. Where no judgement was recorded yet and none is required, the judgement is
        recorded with the admission in one write."""
        obj = self.store.load(PerformanceObject, object_id, expected_version)
        policy = self._object_policy(obj)
        file = self.ex_ante_file(object_id)
        blockers = self._ex_ante_blockers(obj, file, policy)
        if blockers:
            raise InvalidTransition(
                "the project cannot be admitted to the library (入库): " + "；".join(blockers)
            )
        opened = file is None
        if file is None:
            file = ExAnteAssessment.open(
                act, obj.id, obj.department_id, obj.unit_id, self._requirement(obj)
            )
        basis = file.reasons
        if file.required:
            basis = (*basis, f"事前绩效评估 {file.conclusion} (总分 {file.total})")
        obj.admit_to_library(act, file.required, basis, policy.ref)
        return save_together(self.store, obj, file) if opened else self.store._save(obj)

    # --- the gates -------------------------------------------------------------------------

    def ex_ante_gate(self, obj: PerformanceObject) -> list[str]:
        """An approval gate: an ex-ante assessment the policy requires and the file lacks."""
        return self._ex_ante_blockers(obj, self.ex_ante_file(obj.id), self._object_policy(obj))

    def _ex_ante_blockers(
        self, obj: PerformanceObject, file: ExAnteAssessment | None, policy: Policy
    ) -> list[str]:
        if file is None:
            requirement = self._requirement(obj)
            if not requirement.required:
                return []
            return [
                _why(requirement.policy, requirement.reasons, _STATE_WORDS[AssessmentState.JUDGED])
            ]
        if not file.required or file.passes(policy):
            return []
        state = _STATE_WORDS.get(file.state) or (
            f"the assessment concluded {file.conclusion}, which does not pass"
        )
        return [_why(file.policy, file.reasons, state)]


def _why(ref, reasons: tuple[str, ...], state: str) -> str:
    return (
        f"事前绩效评估 is required under {ref.policy_id} v{ref.version} ({ref.document}): "
        f"{'；'.join(reasons)}; {state}"
    )
