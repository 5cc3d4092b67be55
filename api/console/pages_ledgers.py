"""Ledgers (台账): a department's, or a person's (everything they signed), and the red flags
on the year's reported figures with the persons who signed them."""

from __future__ import annotations

from fastapi import APIRouter, Request

from api.console.params import ReaderDep, Text, YearQuery
from api.console.render import page
from api.routers import ledgers, red_flags

router = APIRouter()
DEPARTMENT_LEDGER = "/ledgers/departments/{org_id}"
PERSON_LEDGER = "/ledgers/persons/{person_id}"


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
        departments=who.organisations("department"),
        department_id=department_id,
        person_id=person_id,
    )


@router.get("/red-flags")
def flags(request: Request, who: ReaderDep, year: YearQuery = None):
    mof, fiscal_year = who.mof_div_code, who.year(year)
    reach = who.check(red_flags.PATH, {"mof_div_code": mof, "fiscal_year": fiscal_year})
    found = red_flags.red_flags(mof, fiscal_year, who.services, reach)
    return page(request, "red_flags.html", who, found=found, year=fiscal_year)
