"""Use cases of the registry: jurisdictions, organisations, people, roles and tokens.
Administrators keep the registry (and tokens); they do not touch budget data."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from domain.errors import AlreadyExists, InvalidInput, NotFound, NotPermitted
from domain.ids import jurisdiction_id
from domain.ledger_core import LedgerCore, Outcome
from domain.registry.model import Jurisdiction, Organisation, Person
from domain.roles import Role
from domain.values import Act, Actor


class RegistryCases:
    def __init__(self, store: LedgerCore) -> None:
        self.store = store

    def register_jurisdiction(self, act: Act, mof_div_code: str, name: str, level: str) -> Outcome:
        _require_administrator(act)
        return self.store._save(
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
        self.jurisdiction(mof_div_code)
        parent = self.store.load(Organisation, parent_id) if parent_id else None
        if parent and parent.mof_div_code != mof_div_code:
            raise InvalidInput("a unit's department is in the same jurisdiction", "parent_id")
        org = Organisation.register(act, mof_div_code, code, name, kind, parent)
        return self.store._save(org, conflict=AlreadyExists)

    def assign_supervisor(
        self, act: Act, department_id: UUID, section_id: UUID, expected_version: int | None = None
    ) -> Outcome:
        _require_administrator(act)
        department = self.store.load(Organisation, department_id, expected_version)
        department.assign_supervisor(act, self.store.load(Organisation, section_id))
        return self.store._save(department)

    def register_person(self, act: Act, login: str, name: str) -> Outcome:
        _require_administrator(act)
        return self.store._save(Person.register(act, login, name), conflict=AlreadyExists)

    def grant_role(
        self,
        act: Act,
        person_id: UUID,
        role: str,
        organisation_id: UUID,
        expected_version: int | None = None,
    ) -> Outcome:
        _require_administrator(act)
        person = self.store.load(Person, person_id, expected_version)
        person.grant_role(act, role, self.store.load(Organisation, organisation_id))
        return self.store._save(person)

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
        person = self.store.load(Person, person_id)
        person.issue_token(act, token_id, role, organisation_id, expires_at)
        return self.store._save(person)

    def revoke_token(self, act: Act, person_id: UUID, token_id: str) -> Outcome:
        if act.actor.person_id != str(person_id):
            _require_administrator(act)  # anyone may revoke their own token
        person = self.store.load(Person, person_id)
        person.revoke_token(act, token_id)
        return self.store._save(person)

    def actor_for_token(self, person_id: UUID, token_id: str, now: datetime) -> Actor:
        """The actor a (signature-checked) token stands for, if it is still live."""
        try:
            person = self.store.read(Person, person_id)
        except NotFound:
            raise NotPermitted("unknown person") from None
        token = person.tokens.get(token_id)
        if token is None or token["revoked"] or token["expires_at"] <= now:
            raise NotPermitted("token revoked, expired or unknown")
        organisation = self.store.read(Organisation, token["organisation_id"])
        return Actor(
            person_id=str(person.id),
            name=person.name,
            role=token["role"],
            organisation_id=str(organisation.id),
            organisation_name=organisation.name,
        )

    def jurisdiction(self, mof_div_code: str) -> Jurisdiction:
        try:
            return self.store.load(Jurisdiction, jurisdiction_id(mof_div_code))
        except NotFound:
            raise InvalidInput(f"unknown jurisdiction {mof_div_code!r}", "mof_div_code") from None


def _require_administrator(act: Act) -> None:
    if act.actor.role != Role.ADMINISTRATOR:
        raise NotPermitted("the registry is kept by administrators")
