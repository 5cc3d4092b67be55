"""Who signs a migrated act. The national tables do not name the people who acted there, so
every act moved in is signed by the person running the import (a registered person holding
the administrator role in the jurisdiction), in the role the act requires, for the
organisation it is done for; `act.migrated` names the file (SHA-256), table and row, so no
reader takes the importer for the one who filled in, reviewed or approved it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from domain import ids
from domain.errors import InvalidInput, NotFound
from domain.ledger import Ledger
from domain.registry.model import Organisation, Person
from domain.roles import Role
from domain.values import Act, Actor, EvidenceRef
from infrastructure.national.plan import Cite


@dataclass(frozen=True)
class Signer:
    person_id: str
    name: str
    organisation_id: str
    organisation_name: str

    def act(
        self,
        role: Role,
        cite: Cite,
        organisation: Organisation | None = None,
        evidence: tuple[EvidenceRef, ...] = (),
        business_date: date | None = None,
        rows: str = "",
    ) -> Act:
        """`organisation`: the department or unit a spending act is done for; finance and
        registry acts name the importer's own office."""
        org_id = str(organisation.id) if organisation else self.organisation_id
        org_name = organisation.name if organisation else self.organisation_name
        return Act(
            Actor(self.person_id, self.name, role.value, org_id, org_name),
            reason=f"迁入 moved in from the national system: {cite.table} {cite.file} row "
            f"{cite.row}{rows}",
            evidence=evidence,
            business_date=business_date,
            migrated=cite.source,
        )


def signer_for(ledger: Ledger, login: str, mof_div_code: str) -> Signer:
    """The person running the import, who must administer the jurisdiction's registry."""
    try:
        person = ledger.load(Person, ids.person_id(login))
    except NotFound:
        raise InvalidInput(f"no registered person with login {login!r}", "person") from None
    for role, org_id in person.roles:
        org = ledger.load(Organisation, UUID(str(org_id)))
        if role == Role.ADMINISTRATOR and org.mof_div_code == mof_div_code:
            return Signer(str(person.id), person.name, str(org.id), org.name)
    raise InvalidInput(
        f"{person.name} does not hold the administrator role in {mof_div_code}", "person"
    )
