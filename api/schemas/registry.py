"""Request and response shapes for the registry: jurisdictions, organisations, people."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field

from api.schemas.common import ActFields
from domain.roles import OrgKind, Role

OrgKindName = Literal[tuple(k.value for k in OrgKind)]  # type: ignore[valid-type]
RoleName = Literal[tuple(r.value for r in Role)]  # type: ignore[valid-type]


class JurisdictionRegister(ActFields):
    mof_div_code: str = Field(min_length=1, max_length=20, examples=["360403"])
    name: str = Field(min_length=1, max_length=100, examples=["浔阳区"])
    level: Literal["province", "city", "county", "district"]


class OrganisationRegister(ActFields):
    mof_div_code: str = Field(min_length=1, max_length=20)
    code: str = Field(min_length=1, max_length=64, description="dept_code / agency_code")
    name: str = Field(min_length=1, max_length=200)
    kind: OrgKindName
    parent_id: UUID | None = Field(default=None, description="a unit's department")


class SupervisorAssign(ActFields):
    section_id: UUID = Field(description="the business section (业务股室) that supervises (归口)")


class PersonRegister(ActFields):
    login: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._@-]+$")
    name: str = Field(min_length=1, max_length=100, examples=["张伟兰"])


class RoleGrant(ActFields):
    role: RoleName
    organisation_id: UUID


class PersonPublic(BaseModel):
    id: str
    version: int
    login: str
    name: str
    roles: list[dict[str, str]]


class OrganisationPublic(BaseModel):
    id: str
    version: int
    mof_div_code: str
    code: str
    name: str
    kind: str
    parent_id: str | None
    supervisor_id: str | None
