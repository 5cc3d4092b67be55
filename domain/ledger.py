"""The ledger: one eventsourcing Application whose methods are the use cases.

Each method loads what it needs, runs the command on the aggregate (which raises a
DomainError before any event exists if the act is not allowed), and saves in one atomic
write. `expected_version` carries the caller's If-Match.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import RecordConflictError, Transcoder

from domain import transcodings
from domain.errors import (
    AlreadyExists,
    DomainError,
    InvalidInput,
    NotFound,
    NotPermitted,
    VersionConflict,
)
from domain.ids import jurisdiction_id
from domain.indicators import Indicator
from domain.performance_object import PerformanceObject
from domain.registry import Jurisdiction, Organisation, Person
from domain.roles import OrgKind, Role
from domain.values import Act, Actor

A = TypeVar("A", bound=Aggregate)


@dataclass(frozen=True)
class Outcome:
    """What a command produced: the aggregate, its new version, and the log position."""

    aggregate_id: UUID
    version: int
    position: int


class Ledger(Application[UUID]):
    name = "Ledger"

    def register_transcodings(self, transcoder: Transcoder) -> None:
        super().register_transcodings(transcoder)
        for transcoding in transcodings.ALL:
            transcoder.register(transcoding)

    # --- reading aggregates --------------------------------------------------------------

    def load(self, kind: type[A], aggregate_id: UUID, expected_version: int | None = None) -> A:
        try:
            aggregate = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            raise NotFound(f"no {kind.__name__} with id {aggregate_id}") from None
        if not isinstance(aggregate, kind):
            raise NotFound(f"no {kind.__name__} with id {aggregate_id}")
        if expected_version is not None and aggregate.version != expected_version:
            raise VersionConflict(
                f"expected version {expected_version}, the record is at version "
                f"{aggregate.version}; read it again before changing it"
            )
        return aggregate

    def _save(
        self, aggregate: Aggregate, *, conflict: type[DomainError] = VersionConflict
    ) -> Outcome:
        try:
            recordings = self.save(aggregate)
        except RecordConflictError:
            raise conflict(
                "already registered"
                if conflict is AlreadyExists
                else "the record changed while this command ran; read it again"
            ) from None
        position = max((r.notification.id for r in recordings), default=0)
        return Outcome(aggregate.id, aggregate.version, position)

    # --- registry ------------------------------------------------------------------------
    # Administrators keep the registry (and tokens); they do not touch budget data.

    def register_jurisdiction(self, act: Act, mof_div_code: str, name: str, level: str) -> Outcome:
        _require_administrator(act)
        return self._save(
            Jurisdiction.register(act, mof_div_code, name, level), conflict=AlreadyExists
        )

    def register_organisation(
        self,
        act: Act,
        mof_div_code: str,
        code: str,
        name: str,
        kind: str,
        parent_id: UUID | None = None,
    ) -> Outcome:
        _require_administrator(act)
        self._jurisdiction(mof_div_code)
        parent = self.load(Organisation, parent_id) if parent_id else None
        if parent and parent.mof_div_code != mof_div_code:
            raise InvalidInput("a unit's department is in the same jurisdiction", "parent_id")
        org = Organisation.register(act, mof_div_code, code, name, kind, parent)
        return self._save(org, conflict=AlreadyExists)

    def assign_supervisor(
        self, act: Act, department_id: UUID, section_id: UUID, expected_version: int | None = None
    ) -> Outcome:
        _require_administrator(act)
        department = self.load(Organisation, department_id, expected_version)
        department.assign_supervisor(act, self.load(Organisation, section_id))
        return self._save(department)

    def register_person(self, act: Act, login: str, name: str) -> Outcome:
        _require_administrator(act)
        return self._save(Person.register(act, login, name), conflict=AlreadyExists)

    def grant_role(
        self,
        act: Act,
        person_id: UUID,
        role: str,
        organisation_id: UUID,
        expected_version: int | None = None,
    ) -> Outcome:
        _require_administrator(act)
        person = self.load(Person, person_id, expected_version)
        person.grant_role(act, role, self.load(Organisation, organisation_id))
        return self._save(person)

    def issue_token(
        self,
        act: Act,
        person_id: UUID,
        token_id: str,
        role: str,
        organisation_id: UUID,
        expires_at: datetime,
    ) -> Outcome:
        _require_administrator(act)
        person = self.load(Person, person_id)
        person.issue_token(act, token_id, role, organisation_id, expires_at)
        return self._save(person)

    def revoke_token(self, act: Act, person_id: UUID, token_id: str) -> Outcome:
        if act.actor.person_id != str(person_id):
            _require_administrator(act)  # anyone may revoke their own token
        person = self.load(Person, person_id)
        person.revoke_token(act, token_id)
        return self._save(person)

    def actor_for_token(self, person_id: UUID, token_id: str, now: datetime) -> Actor:
        """The actor a (signature-checked) token stands for, if it is still live."""
        try:
            person = self.load(Person, person_id)
        except NotFound:
            raise NotPermitted("unknown person") from None
        token = person.tokens.get(token_id)
        if token is None or token["revoked"] or token["expires_at"] <= now:
            raise NotPermitted("token revoked, expired or unknown")
        organisation = self.load(Organisation, token["organisation_id"])
        return Actor(
            person_id=str(person.id),
            name=person.name,
            role=token["role"],
            organisation_id=str(organisation.id),
            organisation_name=organisation.name,
        )

    def _jurisdiction(self, mof_div_code: str) -> Jurisdiction:
        try:
            return self.load(Jurisdiction, jurisdiction_id(mof_div_code))
        except NotFound:
            raise InvalidInput(f"unknown jurisdiction {mof_div_code!r}", "mof_div_code") from None

    # --- performance objects and goals ---------------------------------------------------

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
        self._jurisdiction(mof_div_code)
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
        return self._save(obj, conflict=AlreadyExists)

    def _organisation(self, organisation_id: UUID, field: str) -> Organisation:
        try:
            return self.load(Organisation, organisation_id)
        except NotFound:
            raise InvalidInput(f"{field}: no such organisation", field) from None

    def submit_goal(
        self,
        act: Act,
        object_id: UUID,
        indicators: list[Indicator],
        expected_version: int | None = None,
    ) -> Outcome:
        obj = self.load(PerformanceObject, object_id, expected_version)
        obj.submit_goal(act, indicators)
        return self._save(obj)

    def review_goal(
        self,
        act: Act,
        object_id: UUID,
        stage: str,
        outcome: str,
        comments: str | None,
        expected_version: int | None = None,
    ) -> Outcome:
        obj = self.load(PerformanceObject, object_id, expected_version)
        obj.review_goal(act, stage, outcome, comments)
        return self._save(obj)

    def approve_goal(
        self,
        act: Act,
        object_id: UUID,
        approved_amount: Decimal,
        approval_ref: str,
        expected_version: int | None = None,
    ) -> Outcome:
        obj = self.load(PerformanceObject, object_id, expected_version)
        obj.approve_goal(act, approved_amount, approval_ref)
        return self._save(obj)

    def adjust_goal(
        self,
        act: Act,
        object_id: UUID,
        indicators: list[Indicator],
        approval_ref: str,
        expected_version: int | None = None,
    ) -> Outcome:
        obj = self.load(PerformanceObject, object_id, expected_version)
        obj.adjust_goal(act, indicators, approval_ref)
        return self._save(obj)


def _require_administrator(act: Act) -> None:
    if act.actor.role != Role.ADMINISTRATOR:
        raise NotPermitted("the registry is kept by administrators")
