"""Use cases of performance objects and their goals."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from uuid import UUID

from domain.errors import AlreadyExists, InvalidInput, InvalidTransition, NotFound
from domain.indicators import Indicator
from domain.ledger_core import LedgerCore, Outcome
from domain.library.cases import LibraryCases
from domain.objects.key_review import judge_key_review
from domain.objects.model import PerformanceObject
from domain.registry.cases import RegistryCases
from domain.registry.model import Organisation
from domain.roles import OrgKind
from domain.values import Act


class GoalCases:
    def __init__(self, store: LedgerCore, registry: RegistryCases, library: LibraryCases) -> None:
        self.store = store
        self.registry = registry
        self.library = library  # checks and stamps indicators drafted from the library

    def register_object(
        self,
        act: Act,
        *,
        mof_div_code: str,
        fiscal_year: int,
        pro_code: str,
        name: str,
        kind: str,
        department_id: UUID,
        unit_id: UUID | None,
        fund_type: str,
        amount: Decimal,
        is_new: bool,
        last_year_amount: Decimal | None = None,
    ) -> Outcome:
        self.registry.jurisdiction(mof_div_code)
        department = self._organisation(department_id, "department_id")
        if department.kind != OrgKind.DEPARTMENT or department.mof_div_code != mof_div_code:
            raise InvalidInput(
                "department_id is a department of this jurisdiction", "department_id"
            )
        if unit_id is not None:
            unit = self._organisation(unit_id, "unit_id")
            if unit.kind != OrgKind.UNIT or unit.parent_id != department.id:
                raise InvalidInput("unit_id is a unit of that department", "unit_id")
        obj = PerformanceObject.register(
            act,
            mof_div_code=mof_div_code,
            fiscal_year=fiscal_year,
            pro_code=pro_code,
            name=name,
            kind=kind,
            department_id=department.id,
            unit_id=unit_id,
            fund_type=fund_type,
            amount=amount,
            is_new=is_new,
            last_year_amount=last_year_amount,
        )
        return self.store._save(
            obj, *self.store._registration_companions(act, obj), conflict=AlreadyExists
        )

    def _organisation(self, organisation_id: UUID, field: str) -> Organisation:
        try:
            return self.store.load(Organisation, organisation_id)
        except NotFound:
            raise InvalidInput(f"{field}: no such organisation", field) from None

    def submit_goal(
        self,
        act: Act,
        object_id: UUID,
        indicators: list[Indicator],
        expected_version: int | None = None,
        *,
        library_entries: Sequence[UUID | None] = (),
    ) -> Outcome:
        """library_entries: the library entry each indicator is drafted from (or None)."""
        obj = self.store.load(PerformanceObject, object_id, expected_version)
        policy = self.store.policies.for_jurisdiction(obj.mof_div_code, obj.fiscal_year)
        rows = self.library.drafted(obj, indicators, library_entries)
        obj.submit_goal(act, rows, judge_key_review(policy, obj.amount))
        return self.store._save(obj)

    def review_goal(
        self,
        act: Act,
        object_id: UUID,
        stage: str,
        outcome: str,
        comments: str | None,
        expected_version: int | None = None,
    ) -> Outcome:
        obj = self.store.load(PerformanceObject, object_id, expected_version)
        obj.review_goal(act, stage, outcome, comments)
        return self.store._save(obj)

    def approve_goal(
        self,
        act: Act,
        object_id: UUID,
        approved_amount: Decimal,
        approval_ref: str,
        expected_version: int | None = None,
    ) -> Outcome:
        obj = self.store.load(PerformanceObject, object_id, expected_version)
        # The gates judge approvals given here; a migrated one was given in the national
        # system under its own checks (the event says so: act.migrated).
        blockers = [] if act.migrated else self.store.goal_approval_blockers(obj)
        if blockers:
            raise InvalidTransition("the goal cannot be approved: " + "；".join(blockers))
        obj.approve_goal(act, approved_amount, approval_ref)
        return self.store._save(obj)

    def apply_goal_adjustment(
        self,
        act: Act,
        object_id: UUID,
        indicators: list[Indicator],
        amount: Decimal | None = None,
        expected_version: int | None = None,
        *,
        library_entries: Sequence[UUID | None] = (),
    ) -> Outcome:
        obj = self.store.load(PerformanceObject, object_id, expected_version)
        rows = self.library.drafted(obj, indicators, library_entries)
        obj.apply_adjustment(act, rows, amount)
        return self.store._save(obj)

    def review_goal_adjustment(
        self,
        act: Act,
        object_id: UUID,
        outcome: str,
        comments: str | None = None,
        expected_version: int | None = None,
    ) -> Outcome:
        obj = self.store.load(PerformanceObject, object_id, expected_version)
        obj.review_adjustment(act, outcome, comments)
        return self.store._save(obj)

    def approve_goal_adjustment(
        self,
        act: Act,
        object_id: UUID,
        approval_ref: str,
        expected_version: int | None = None,
    ) -> Outcome:
        obj = self.store.load(PerformanceObject, object_id, expected_version)
        obj.approve_adjustment(act, approval_ref)
        return self.store._save(obj)
