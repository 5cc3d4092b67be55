"""Use cases of supervision and disclosure: submissions to the NPC and its satisfaction
ratings, publication (信息公开), and the annual assessment of departments' work (考核)."""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

from domain.citation.cited_event import cite
from domain.errors import AlreadyExists, InvalidInput, NotFound, NotPermitted
from domain.ids import jurisdiction_id
from domain.ledger_core import LedgerCore, Outcome
from domain.objects.model import PerformanceObject
from domain.registry.model import Jurisdiction, Organisation
from domain.roles import OrgKind
from domain.supervision.disclosure import Disclosure
from domain.supervision.model import KeyProject, NpcSubmission
from domain.supervision.work_assessment import WorkAssessment
from domain.values import Act


class SupervisionCases:
    def __init__(self, store: LedgerCore) -> None:
        self.store = store

    def submit_to_npc(
        self,
        act: Act,
        *,
        mof_div_code: str,
        fiscal_year: int,
        department_ids: list[UUID],
        key_project_ids: list[UUID],
        budget_draft_ref: str,
    ) -> Outcome:
        self._supervised_jurisdiction(mof_div_code)
        for department_id in department_ids:
            self._department(department_id, mof_div_code, "department_ids")
        key_projects = []
        for object_id in key_project_ids:
            try:
                obj = self.store.load(PerformanceObject, object_id)
            except NotFound:
                raise InvalidInput(
                    f"no performance object {object_id}", "key_project_ids"
                ) from None
            if obj.mof_div_code != mof_div_code or obj.fiscal_year != fiscal_year:
                raise InvalidInput(
                    f"{obj.pro_code} is not of this jurisdiction and year", "key_project_ids"
                )
            key_projects.append(
                KeyProject(obj.id, obj.pro_code, obj.name, obj.department_id, obj.amount)
            )
        submission = NpcSubmission.submit(
            act,
            mof_div_code=mof_div_code,
            fiscal_year=fiscal_year,
            department_ids=department_ids,
            key_projects=key_projects,
            budget_draft_ref=budget_draft_ref,
            policy=self.store.policies.for_jurisdiction(mof_div_code, fiscal_year),
        )
        return self.store._save(submission, conflict=AlreadyExists)

    def key_project_line(self, mof_div_code: str, fiscal_year: int):
        """The policy's key-project threshold (for proposing key projects) and its policy."""
        policy = self.store.policies.for_jurisdiction(mof_div_code, fiscal_year)
        return policy.threshold("supervision", "npc_key_project_amount"), policy

    def rate_department(
        self,
        act: Act,
        submission_id: UUID,
        department_id: UUID,
        rating: str,
        comments: str | None,
        expected_version: int | None = None,
    ) -> Outcome:
        submission = self.store.load(NpcSubmission, submission_id, expected_version)
        if act.actor.organisation_id is not None:
            org = self.store.load(Organisation, UUID(act.actor.organisation_id))
            if org.mof_div_code != submission.mof_div_code:
                raise NotPermitted("deputies rate their own jurisdiction's departments")
        submission.rate(act, department_id, rating, comments)
        return self.store._save(submission)

    def publish(
        self,
        act: Act,
        *,
        object_id: UUID,
        subject: str,
        position: int,
        originator_id: UUID,
        version: int,
        channel: str,
        url: str | None,
    ) -> Outcome:
        obj = self.store.load(PerformanceObject, object_id)
        cited = cite(self.store, position, originator_id, version)
        disclosure = Disclosure.publish(act, obj, subject, cited, channel, url)
        return self.store._save(disclosure, conflict=AlreadyExists)

    def score_work(
        self,
        act: Act,
        *,
        mof_div_code: str,
        fiscal_year: int,
        department_id: UUID,
        score: Decimal | str,
        comments: str | None,
    ) -> Outcome:
        self._supervised_jurisdiction(mof_div_code)
        self._department(department_id, mof_div_code, "department_id")
        assessment = WorkAssessment.score_department(
            act,
            mof_div_code=mof_div_code,
            fiscal_year=fiscal_year,
            department_id=department_id,
            score=score,
            comments=comments,
            policy=self.store.policies.for_jurisdiction(mof_div_code, fiscal_year),
        )
        return self.store._save(assessment, conflict=AlreadyExists)

    def revise_work_score(
        self,
        act: Act,
        assessment_id: UUID,
        score: Decimal | str,
        expected_version: int | None = None,
    ) -> Outcome:
        assessment = self.store.load(WorkAssessment, assessment_id, expected_version)
        policy = self.store.policies.for_jurisdiction(
            assessment.mof_div_code, assessment.fiscal_year
        )
        assessment.revise(act, score, policy)
        return self.store._save(assessment)

    def _supervised_jurisdiction(self, mof_div_code: str) -> None:
        try:
            self.store.load(Jurisdiction, jurisdiction_id(mof_div_code))
        except NotFound:
            raise InvalidInput(f"unknown jurisdiction {mof_div_code!r}", "mof_div_code") from None

    def _department(self, department_id: UUID, mof_div_code: str, field: str) -> Organisation:
        try:
            org = self.store.load(Organisation, department_id)
        except NotFound:
            raise InvalidInput(f"{field}: no organisation {department_id}", field) from None
        if org.kind != OrgKind.DEPARTMENT or org.mof_div_code != mof_div_code:
            raise InvalidInput(f"{field}: {org.name} is not a department of {mof_div_code}", field)
        return org
