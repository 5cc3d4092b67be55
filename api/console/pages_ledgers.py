"""Ledgers (台账): a department's, or a person's (everything they signed), and the red flags
on the year's reported figures with the persons who signed them."""

from __future__ import annotations

from fastapi import APIRouter, Request

from api.console.params import ReaderDep, Text, YearQuery
from api.console.reads import Reader
from api.console.render import page
from api.routers import ledgers, red_flags

router = APIRouter()
DEPARTMENT_LEDGER = "/ledgers/departments/{org_id}"
PERSON_LEDGER = "/ledgers/persons/{person_id}"


def _departments(who: Reader) -> list[dict]:
    """The jurisdiction's departments by name, for the picker (names are no one's records:
    any role reads an organisation of its jurisdiction)."""
    with who.services.views_db.transaction(write=False) as cur:
        return cur.execute(
            "SELECT org_id, name FROM v_org_scope WHERE kind = 'department' AND mof_div_code = ?"
            " ORDER BY code",
            (who.mof_div_code,),
        ).fetchall()


@router.get("/ledgers")
def ledger(request: Request, who: ReaderDep, department_id: Text = None, person_id: Text = None):
    found, heading = None, None
    if person_id:
        reach = who.check(PERSON_LEDGER, {"person_id": person_id})
        found = ledgers.person_ledger(person_id, who.services, reach, after=0, limit=500)
        heading = "个人台账（本人签署的全部行为）"
    else:
        reach = who.check(DEPARTMENT_LEDGER, {"org_id": department_id or ""})
        if department_id:
            found = ledgers.department_ledger(department_id, who.services, reach, 0, 500)
            heading = "部门台账"
    return page(
        request,
        "ledgers.html",
        who,
        found=found,
        heading=heading,
        departments=_departments(who),
        department_id=department_id,
        person_id=person_id,
    )


@router.get("/red-flags")
def flags(request: Request, who: ReaderDep, year: YearQuery = None):
    mof, fiscal_year = who.mof_div_code, who.year(year)
    reach = who.check(red_flags.PATH, {"mof_div_code": mof, "fiscal_year": fiscal_year})
    found = red_flags.red_flags(mof, fiscal_year, who.services, reach)
    return page(request, "red_flags.html", who, found=found, year=fiscal_year)
