"""An actor's reach: which records their role in their organisation lets them see and act on.

- unit staff and heads: their unit's records; department staff and heads: their department's
  (its units' included);
- business sections: the departments they supervise (归口), and cases they opened;
- performance, budget and treasury sections, auditors, the NPC, administrators: their
  jurisdiction (the table decides which operations each may call at all);
- discipline inspection: cases referred to their commission, and the events those cases
  cite (an event's placement lists the commissions it was referred to);
- the NPC: jurisdiction-wide records and supervision records (what is submitted to it),
  never a department's records or a case;
- third parties: evaluations and assessments assigned to them, while assigned.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from api.access.placement import CASE, JURISDICTION, SUPERVISION, Placement
from domain.errors import NotFound
from domain.ledger import Ledger
from domain.registry.model import Organisation
from domain.roles import Role
from domain.values import Actor

UNIT_ROLES = frozenset({Role.UNIT_STAFF, Role.UNIT_HEAD})
DEPARTMENT_ROLES = frozenset({Role.DEPARTMENT_STAFF, Role.DEPARTMENT_HEAD})
JURISDICTION_ROLES = frozenset(
    {
        Role.PERFORMANCE_SECTION,
        Role.BUDGET_SECTION,
        Role.TREASURY_SECTION,
        Role.AUDITOR,
        Role.NPC,
        Role.ADMINISTRATOR,
    }
)


@dataclass
class Reach:
    actor: Actor
    role: str
    org_id: str
    mof_div_code: str | None
    department_id: str | None  # a unit's department; a department itself
    ledger: Ledger
    _supervises: dict[str, bool] = field(default_factory=dict)

    @classmethod
    def of(cls, ledger: Ledger, actor: Actor) -> Reach:
        org_id = actor.organisation_id or ""
        try:
            org = ledger.read(Organisation, UUID(org_id))
        except (NotFound, ValueError):
            return cls(actor, actor.role, org_id, None, None, ledger)
        department = org.department_id
        return cls(actor, actor.role, org_id, org.mof_div_code, _s(department), ledger)

    @property
    def jurisdiction_wide(self) -> bool:
        return self.role in JURISDICTION_ROLES

    def supervises(self, department_id: str) -> bool:
        """Read from the department itself, so a new assignment counts at once."""
        if department_id not in self._supervises:
            try:
                dept = self.ledger.read(Organisation, UUID(department_id))
                self._supervises[department_id] = str(dept.supervisor_id) == self.org_id
            except (NotFound, ValueError):
                self._supervises[department_id] = False
        return self._supervises[department_id]

    def reaches(self, place: Placement) -> bool:
        if place.mof_div_code is not None and place.mof_div_code != self.mof_div_code:
            return False
        if place.kind == JURISDICTION:
            return True
        role, org = self.role, self.org_id
        if role in UNIT_ROLES:
            return org in place.unit_ids
        if role in DEPARTMENT_ROLES:
            return org in place.department_ids
        if role == Role.BUSINESS_SECTION:
            own_case = place.kind == CASE and place.owner_org == org
            return own_case or any(self.supervises(d) for d in place.department_ids)
        if role == Role.DISCIPLINE:
            return (place.kind == CASE and place.referred_to == org) or org in place.referred_with
        if role == Role.NPC:
            return place.kind == SUPERVISION
        if role == Role.THIRD_PARTY:
            return org in place.third_party_ids
        return self.jurisdiction_wide


def _s(value: object) -> str | None:
    return None if value is None else str(value)
