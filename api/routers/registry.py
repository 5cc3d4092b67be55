"""The registry over HTTP, for administrators: jurisdictions, organisations, people, roles."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse

from api.commands import CommandDep
from api.deps import CurrentActor, ServicesDep
from api.schemas.common import CommandResult
from api.schemas.registry import (
    JurisdictionRegister,
    OrganisationPublic,
    OrganisationRegister,
    PersonPublic,
    PersonRegister,
    RoleGrant,
    SupervisorAssign,
)
from domain.registry.model import Organisation, Person

router = APIRouter(tags=["registry 机构与人员"])


@router.post("/jurisdictions", status_code=201, response_model=CommandResult)
def register_jurisdiction(body: JurisdictionRegister, cmd: CommandDep) -> JSONResponse:
    return cmd.run(
        body,
        lambda act, _: cmd.ledger.registry.register_jurisdiction(
            act, body.mof_div_code, body.name, body.level
        ),
        status_code=201,
    )


@router.post("/organisations", status_code=201, response_model=CommandResult)
def register_organisation(body: OrganisationRegister, cmd: CommandDep) -> JSONResponse:
    return cmd.run(
        body,
        lambda act, _: cmd.ledger.registry.register_organisation(
            act, body.mof_div_code, body.code, body.name, body.kind, body.parent_id
        ),
        status_code=201,
        location=lambda o: f"/organisations/{o.aggregate_id}",
    )


@router.get("/organisations/{organisation_id}", response_model=OrganisationPublic)
def read_organisation(
    organisation_id: UUID, services: ServicesDep, actor: CurrentActor, response: Response
) -> OrganisationPublic:
    org = services.ledger.load(Organisation, organisation_id)
    response.headers["ETag"] = f'"{org.version}"'
    return OrganisationPublic(
        id=str(org.id),
        version=org.version,
        mof_div_code=org.mof_div_code,
        code=org.code,
        name=org.name,
        kind=org.kind,
        parent_id=str(org.parent_id) if org.parent_id else None,
        supervisor_id=str(org.supervisor_id) if org.supervisor_id else None,
    )


@router.post("/organisations/{organisation_id}/supervisor", response_model=CommandResult)
def assign_supervisor(
    organisation_id: UUID, body: SupervisorAssign, cmd: CommandDep
) -> JSONResponse:
    return cmd.run(
        body,
        lambda act, v: cmd.ledger.registry.assign_supervisor(
            act, organisation_id, body.section_id, v
        ),
    )


@router.post("/persons", status_code=201, response_model=CommandResult)
def register_person(body: PersonRegister, cmd: CommandDep) -> JSONResponse:
    return cmd.run(
        body,
        lambda act, _: cmd.ledger.registry.register_person(act, body.login, body.name),
        status_code=201,
        location=lambda o: f"/persons/{o.aggregate_id}",
    )


@router.get("/persons/{person_id}", response_model=PersonPublic)
def read_person(
    person_id: UUID, services: ServicesDep, actor: CurrentActor, response: Response
) -> PersonPublic:
    person = services.ledger.load(Person, person_id)
    response.headers["ETag"] = f'"{person.version}"'
    return PersonPublic(
        id=str(person.id),
        version=person.version,
        login=person.login,
        name=person.name,
        roles=[{"role": r, "organisation_id": str(o)} for r, o in person.roles],
    )


@router.post("/persons/{person_id}/roles", response_model=CommandResult)
def grant_role(person_id: UUID, body: RoleGrant, cmd: CommandDep) -> JSONResponse:
    return cmd.run(
        body,
        lambda act, v: cmd.ledger.registry.grant_role(
            act, person_id, body.role, body.organisation_id, v
        ),
    )
