"""Use cases of accountability (追责问责): open a case, build its evidence package from the
ledger itself, name the responsible persons, refer it to discipline inspection, close it."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.accountability.model import AccountabilityCase
from domain.citation.cited_event import cite, still_intact
from domain.errors import AlreadyExists, InvalidInput, NotFound
from domain.ids import jurisdiction_id
from domain.ledger_core import LedgerCore, Outcome
from domain.objects.model import PerformanceObject
from domain.registry.model import Jurisdiction, Organisation
from domain.roles import OrgKind
from domain.values import Act, EvidenceRef


class AccountabilityCases:
    def __init__(self, store: LedgerCore) -> None:
        self.store = store

    def open_case(
        self,
        act: Act,
        *,
        mof_div_code: str,
        fiscal_year: int,
        case_no: str,
        finding_kind: str,
        object_ids: list[UUID],
        description: str,
    ) -> Outcome:
        self._case_jurisdiction(mof_div_code)
        self.store.policies.for_jurisdiction(mof_div_code, fiscal_year)  # validates the year
        for object_id in object_ids:
            self.case_object(object_id, mof_div_code, "object_ids")
        case = AccountabilityCase.open(
            act,
            mof_div_code=mof_div_code,
            fiscal_year=fiscal_year,
            case_no=case_no,
            finding_kind=finding_kind,
            object_ids=object_ids,
            description=description,
        )
        return self.store._save(case, conflict=AlreadyExists)

    def cite_event_in_case(
        self,
        act: Act,
        case_id: UUID,
        position: int,
        originator_id: UUID,
        version: int,
        note: str,
        expected_version: int | None = None,
    ) -> Outcome:
        case = self.store.load(AccountabilityCase, case_id, expected_version)
        cited = cite(self.store, position, originator_id, version)
        if cited.object_id is not None:
            # Evidence comes from the case's own jurisdiction.
            self.case_object(cited.object_id, case.mof_div_code, "position")
        case.cite_event(act, cited, note)
        return self.store._save(case)

    def attach_case_documents(
        self,
        act: Act,
        case_id: UUID,
        documents: list[EvidenceRef],
        description: str,
        expected_version: int | None = None,
    ) -> Outcome:
        case = self.store.load(AccountabilityCase, case_id, expected_version)
        case.attach_documents(act, documents, description)
        return self.store._save(case)

    def name_responsible_person(
        self,
        act: Act,
        case_id: UUID,
        person_id: str,
        positions: list[int],
        description: str,
        expected_version: int | None = None,
    ) -> Outcome:
        case = self.store.load(AccountabilityCase, case_id, expected_version)
        # 重大项目责任人绩效终身责任制 where the policy keeps it: judged on the objects of
        # the acts this person is named for.
        policy = self.store.policies.for_jurisdiction(case.mof_div_code, case.fiscal_year)
        line = policy.threshold("accountability", "lifelong_responsibility_major_project_amount")
        lifelong = False
        if line is not None:
            for position in positions:
                cited = case.citations.get(position)
                if cited is not None and cited.object_id is not None:
                    obj = self.store.load(PerformanceObject, cited.object_id)
                    lifelong = lifelong or line.met_by(obj.amount)
        case.name_person(act, person_id, positions, description, lifelong, policy.ref)
        return self.store._save(case)

    def refer_case(
        self,
        act: Act,
        case_id: UUID,
        organisation_id: UUID,
        referral_ref: str,
        expected_version: int | None = None,
    ) -> Outcome:
        case = self.store.load(AccountabilityCase, case_id, expected_version)
        try:
            org = self.store.load(Organisation, organisation_id)
        except NotFound:
            raise InvalidInput("organisation_id: no such organisation", "organisation_id") from None
        if org.kind != OrgKind.DISCIPLINE_COMMISSION or org.mof_div_code != case.mof_div_code:
            raise InvalidInput(
                f"{org.name} is not a discipline inspection commission (纪委监委) of this "
                "jurisdiction: cases are referred to discipline inspection",
                "organisation_id",
            )
        case.refer(act, org.id, org.name, referral_ref)
        return self.store._save(case)

    def receive_case(self, act: Act, case_id: UUID, expected_version: int | None = None) -> Outcome:
        case = self.store.load(AccountabilityCase, case_id, expected_version)
        case.receive(act)
        return self.store._save(case)

    def decide_case(
        self, act: Act, case_id: UUID, outcome: str, expected_version: int | None = None
    ) -> Outcome:
        case = self.store.load(AccountabilityCase, case_id, expected_version)
        case.decide(act, outcome)
        return self.store._save(case)

    def close_case_without_referral(
        self, act: Act, case_id: UUID, expected_version: int | None = None
    ) -> Outcome:
        case = self.store.load(AccountabilityCase, case_id, expected_version)
        case.close_without_referral(act)
        return self.store._save(case)

    def check_case_evidence(self, case_id: UUID) -> list[dict[str, Any]]:
        """Whether each cited record is still as it was when cited (no I/O beyond the log)."""
        case = self.store.load(AccountabilityCase, case_id)
        return [
            {
                "position": c.position,
                "sha256": c.record_sha256,
                "intact": still_intact(self.store, c),
            }
            for c in case.citations.values()
        ]

    def _case_jurisdiction(self, mof_div_code: str) -> None:
        try:
            self.store.load(Jurisdiction, jurisdiction_id(mof_div_code))
        except NotFound:
            raise InvalidInput(f"unknown jurisdiction {mof_div_code!r}", "mof_div_code") from None

    def case_object(self, object_id: UUID, mof_div_code: str, field: str) -> PerformanceObject:
        try:
            obj = self.store.load(PerformanceObject, object_id)
        except NotFound:
            raise InvalidInput(f"{field}: no performance object {object_id}", field) from None
        if obj.mof_div_code != mof_div_code:
            raise InvalidInput(f"{field}: object {object_id} is of another jurisdiction", field)
        return obj
