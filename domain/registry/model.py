"""The registry: jurisdictions (财政区划), organisations and people. Changes here are events too."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain import ids
from domain.errors import AlreadyExists, InvalidInput, InvalidTransition
from domain.roles import ROLE_ORG_KIND, OrgKind, Role
from domain.values import Act


def _required(value: str, field: str) -> str:
    if not value or not value.strip():
        raise InvalidInput(f"{field} is required", field)
    return value.strip()


class Jurisdiction(Aggregate):
    """A fiscal jurisdiction, identified by its 财政区划 code (mof_div_code)."""

    TOPIC = "jixiao:Jurisdiction"  # the stored name: fixed, whatever module holds it

    class Created(Aggregate.Created):  # explicit topics ask it of every class; never recorded
        TOPIC = "jixiao:Jurisdiction.Created"

    @staticmethod
    def create_id(mof_div_code: str) -> UUID:
        return ids.jurisdiction_id(mof_div_code)

    @event("Registered", topic="jixiao:Jurisdiction.Registered")
    def __init__(self, act: Act, mof_div_code: str, name: str, level: str) -> None:
        self.mof_div_code = mof_div_code
        self.name = name
        self.level = level
        self.registered_by = act.actor

    @classmethod
    def register(cls, act: Act, mof_div_code: str, name: str, level: str) -> Jurisdiction:
        return cls(
            act=act,
            mof_div_code=_required(mof_div_code, "mof_div_code"),
            name=_required(name, "name"),
            level=_required(level, "level"),
        )


class Organisation(Aggregate):
    """A department, unit, finance-bureau section, audit bureau, NPC committee, ..."""

    TOPIC = "jixiao:Organisation"  # the stored name: fixed, whatever module holds it

    class Created(Aggregate.Created):  # explicit topics ask it of every class; never recorded
        TOPIC = "jixiao:Organisation.Created"

    @staticmethod
    def create_id(mof_div_code: str, code: str) -> UUID:
        return ids.organisation_id(mof_div_code, code)

    @event("Registered", topic="jixiao:Organisation.Registered")
    def __init__(
        self,
        act: Act,
        mof_div_code: str,
        code: str,
        name: str,
        kind: str,
        parent_id: UUID | None,
    ) -> None:
        self.mof_div_code = mof_div_code
        self.code = code
        self.name = name
        self.kind = kind
        self.parent_id = parent_id
        self.supervisor_id: UUID | None = None

    @classmethod
    def register(
        cls,
        act: Act,
        mof_div_code: str,
        code: str,
        name: str,
        kind: str,
        parent: Organisation | None = None,
    ) -> Organisation:
        if kind not in OrgKind.__members__.values():
            raise InvalidInput(f"unknown organisation kind {kind!r}", "kind")
        if kind == OrgKind.UNIT:
            if parent is None or parent.kind != OrgKind.DEPARTMENT:
                raise InvalidInput("a unit (单位) belongs to a department (部门)", "parent_id")
        elif parent is not None:
            raise InvalidInput("only units have a parent department", "parent_id")
        return cls(
            act=act,
            mof_div_code=_required(mof_div_code, "mof_div_code"),
            code=_required(code, "code"),
            name=_required(name, "name"),
            kind=kind,
            parent_id=parent.id if parent else None,
        )

    @property
    def department_id(self) -> UUID | None:
        """The department this organisation spends under (itself, or a unit's parent)."""
        if self.kind == OrgKind.DEPARTMENT:
            return self.id
        return self.parent_id if self.kind == OrgKind.UNIT else None

    def assign_supervisor(self, act: Act, section: Organisation) -> None:
        """Name the business section (业务股室) that supervises this department (归口)."""
        if self.kind != OrgKind.DEPARTMENT:
            raise InvalidInput("only departments have a supervising section (归口)", "org_id")
        if section.kind != OrgKind.BUSINESS_SECTION:
            raise InvalidInput("the supervisor must be a business section", "section_id")
        if self.supervisor_id == section.id:
            raise AlreadyExists("that section already supervises this department", "section_id")
        self._supervisor_assigned(act=act, section_id=section.id)

    @event("SupervisorAssigned", topic="jixiao:Organisation.SupervisorAssigned")
    def _supervisor_assigned(self, act: Act, section_id: UUID) -> None:
        self.supervisor_id = section_id


class Person(Aggregate):
    """A person, their roles in organisations, and the tokens they may act with."""

    TOPIC = "jixiao:Person"  # the stored name: fixed, whatever module holds it

    class Created(Aggregate.Created):  # explicit topics ask it of every class; never recorded
        TOPIC = "jixiao:Person.Created"

    @staticmethod
    def create_id(login: str) -> UUID:
        return ids.person_id(login)

    @event("Registered", topic="jixiao:Person.Registered")
    def __init__(self, act: Act, login: str, name: str) -> None:
        self.login = login
        self.name = name
        self.roles: list[tuple[str, UUID]] = []
        self.tokens: dict[str, dict] = {}

    @classmethod
    def register(cls, act: Act, login: str, name: str) -> Person:
        login = _required(login, "login")
        if not login.isascii() or " " in login:
            raise InvalidInput("login is ASCII without spaces (the name may be Chinese)", "login")
        return cls(act=act, login=login, name=_required(name, "name"))

    def grant_role(self, act: Act, role: str, organisation: Organisation) -> None:
        if role not in Role.__members__.values():
            raise InvalidInput(f"unknown role {role!r}", "role")
        expected = ROLE_ORG_KIND[Role(role)]
        if organisation.kind != expected:
            raise InvalidInput(
                f"role {role} is held in a {expected.value}, not a {organisation.kind}", "role"
            )
        if (role, organisation.id) in self.roles:
            raise AlreadyExists(f"{self.name} already holds {role} there", "role")
        self._role_granted(act=act, role=role, organisation_id=organisation.id)

    @event("RoleGranted", topic="jixiao:Person.RoleGranted")
    def _role_granted(self, act: Act, role: str, organisation_id: UUID) -> None:
        self.roles.append((role, organisation_id))

    def holds(self, role: str, organisation_id: UUID) -> bool:
        return (role, organisation_id) in [(r, o) for r, o in self.roles]

    def issue_token(
        self, act: Act, token_id: str, role: str, organisation_id: UUID, expires_at: datetime
    ) -> None:
        if not self.holds(role, organisation_id):
            raise InvalidInput(f"{self.name} does not hold {role} in that organisation", "role")
        self._token_issued(
            act=act,
            token_id=token_id,
            role=role,
            organisation_id=organisation_id,
            expires_at=expires_at,
        )

    @event("TokenIssued", topic="jixiao:Person.TokenIssued")
    def _token_issued(
        self, act: Act, token_id: str, role: str, organisation_id: UUID, expires_at: datetime
    ) -> None:
        # Only the token's id is kept; the token itself is an HMAC over it (see infrastructure).
        self.tokens[token_id] = {
            "role": role,
            "organisation_id": organisation_id,
            "expires_at": expires_at,
            "revoked": False,
        }

    def revoke_token(self, act: Act, token_id: str) -> None:
        if token_id not in self.tokens:
            raise InvalidInput("no such token for this person", "token_id")
        if self.tokens[token_id]["revoked"]:
            raise InvalidTransition("token already revoked", "token_id")
        self._token_revoked(act=act, token_id=token_id)

    @event("TokenRevoked", topic="jixiao:Person.TokenRevoked")
    def _token_revoked(self, act: Act, token_id: str) -> None:
        self.tokens[token_id]["revoked"] = True
