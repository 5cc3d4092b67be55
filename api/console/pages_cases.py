"""Discipline inspection's pages: the cases referred, each one's referral package (facts,
cited events with their proofs, documents, persons) and its PDF."""

from __future__ import annotations

import json
from uuid import UUID

from fastapi import APIRouter, Request, Response

from api.console.params import ReaderDep
from api.console.reads import api_request
from api.console.render import page
from api.routers import cases

router = APIRouter()


@router.get("/cases")
def case_list(request: Request, who: ReaderDep):
    reach = who.check("/cases")
    rows = cases.list_(who.services, who.actor, reach, None, None, None, limit=1000, offset=0)
    return page(request, "cases.html", who, rows=rows)


@router.get("/cases/{case_id}")
def case_package(request: Request, who: ReaderDep, case_id: UUID):
    who.check("/cases/{case_id}/package", {"case_id": case_id})
    answer = cases.package(case_id, api_request(request), who.services, who.actor)
    package = json.loads(answer.body)
    return page(request, "case.html", who, package=package, case_id=case_id)


@router.get("/cases/{case_id}/package.pdf")
def case_pdf(request: Request, who: ReaderDep, case_id: UUID) -> Response:
    who.check("/cases/{case_id}/package.pdf", {"case_id": case_id})
    return cases.package_pdf(case_id, api_request(request), who.services, who.actor)
