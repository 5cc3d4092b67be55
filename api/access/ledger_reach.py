"""Which part of the log an actor may read in ledgers and searches (api/routers/ledgers.py).

- finance sections (performance, budget, treasury) and the audit bureau: their jurisdiction;
- a business section: the departments it supervises (归口), their cases included;
- department staff and heads: their own department's rows, never an accountability case's
  acts (a department does not learn of a case against it from its ledger);
- a discipline commission: the person ledgers of persons named responsible in cases
  referred to it (their acts in the case's jurisdiction), as the referral puts them before it;
- anyone: their own person ledger, whole.
Everyone else (units, NPC, third parties, administrators) reads only their own person
ledger; the access table refuses them the rest.
"""

from __future__ import annotations

from api.access.gate import out_of_scope
from api.access.reach import DEPARTMENT_ROLES, Reach
from domain.errors import NotFound
from domain.roles import Role
from projections.log_index import EVERYTHING, Narrowing
from projections.org_scope_view import supervised_departments
from projections.view import Cursor

JURISDICTION_READERS = frozenset(
    {Role.PERFORMANCE_SECTION, Role.BUDGET_SECTION, Role.TREASURY_SECTION, Role.AUDITOR}
)


def narrowing(reach: Reach, cur: Cursor) -> Narrowing | None:
    """The rows of the log within the actor's reach; None if none at all."""
    if reach.mof_div_code is None:
        return None
    if reach.role in JURISDICTION_READERS:
        return Narrowing(reach.mof_div_code)
    if reach.role in DEPARTMENT_ROLES and reach.department_id:
        return Narrowing(reach.mof_div_code, (reach.department_id,), cases=False)
    if reach.role == Role.BUSINESS_SECTION:
        supervised = tuple(sorted(supervised_departments(cur, reach.org_id)))
        return Narrowing(reach.mof_div_code, supervised)
    return None


def refuse(reach: Reach, method: str, path: str) -> Exception:
    return out_of_scope(reach.actor, method, path)


def for_person(reach: Reach, cur: Cursor, person_id: str, path: str) -> Narrowing:
    """One's own ledger whole; another's narrowed to what the reader reaches."""
    if person_id == reach.actor.person_id:
        return EVERYTHING
    if reach.role == Role.DISCIPLINE:
        found = Narrowing(reach.mof_div_code) if _referred(reach, cur, person_id) else None
    else:
        found = narrowing(reach, cur)
    if found is None:
        raise refuse(reach, "GET", path)
    return found


def for_department(reach: Reach, cur: Cursor, org_id: str, path: str) -> Narrowing:
    org = cur.execute(
        "SELECT mof_div_code, kind FROM v_org_scope WHERE org_id = ?", (org_id,)
    ).fetchone()
    if org is None or org["kind"] != "department":
        raise NotFound(f"no department with id {org_id}")
    mof = org["mof_div_code"]
    found = narrowing(reach, cur)
    if found is None or mof != found.mof_div_code:
        raise refuse(reach, "GET", path)
    if found.departments is not None and org_id not in found.departments:
        raise refuse(reach, "GET", path)
    return found


def for_jurisdiction(reach: Reach, cur: Cursor, mof_div_code: str, path: str) -> Narrowing:
    found = narrowing(reach, cur)
    if found is None or mof_div_code != found.mof_div_code:
        raise refuse(reach, "GET", path)
    return found


def for_search(reach: Reach, cur: Cursor, path: str) -> Narrowing:
    found = narrowing(reach, cur)
    if found is None:
        raise refuse(reach, "GET", path)
    return found


def _referred(reach: Reach, cur: Cursor, person_id: str) -> bool:
    """Whether a case of the commission's jurisdiction referred to it names this person."""
    row = cur.execute(
        """SELECT 1 AS named FROM v_case_persons p JOIN v_cases c ON c.case_id = p.case_id
           WHERE p.person_id = ? AND c.referred_to_id = ? AND c.mof_div_code = ?""",
        (person_id, reach.org_id, reach.mof_div_code),
    ).fetchone()
    return row is not None
