"""Where a request's target sits: its jurisdiction, the departments and units it belongs
to, the third parties assigned to it, the commission a case was referred to. Read from the
aggregates themselves (not the views), so a record is reachable as soon as it is written."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from contextlib import suppress
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from api.access.rules import Scope
from domain.accountability.model import AccountabilityCase
from domain.errors import NotFound
from domain.evaluation.key_evaluation import KeyEvaluation
from domain.evaluation.model import evaluation_id
from domain.ex_ante.model import ExAnteAssessment, ex_ante_id
from domain.ledger import Ledger
from domain.library.model import LibraryIndicator
from domain.monitoring.model import MonitoringTask
from domain.objects.model import PerformanceObject
from domain.rectification.model import RectificationNotice
from domain.registry.model import Organisation, Person
from domain.supervision.model import NpcSubmission
from domain.supervision.work_assessment import WorkAssessment

JURISDICTION, RECORDS, CASE = "jurisdiction", "records", "case"
SUPERVISION = "supervision"  # submitted to the NPC: its records, and the NPC's too


@dataclass(frozen=True)
class Placement:
    """`kind`: jurisdiction-wide (any permitted role of the jurisdiction), a department's
    records (narrowed by department, unit, supervision, assignment), a case file, or a
    supervision record (records narrowed the same way, and the NPC's)."""

    mof_div_code: str | None
    kind: str = JURISDICTION
    department_ids: frozenset[str] = frozenset()
    unit_ids: frozenset[str] = frozenset()
    third_party_ids: frozenset[str] = frozenset()
    referred_to: str | None = None
    owner_org: str | None = None  # the organisation whose person opened a case
    referred_with: frozenset[str] = frozenset()  # an event: commissions of cases citing it


@dataclass(frozen=True)
class Target:
    """What a request touches: every placement must be reached (`all`), or one suffices
    (a person is readable where they hold any role)."""

    placements: tuple[Placement, ...] = ()
    all: bool = True


def _uuid(value: Any) -> UUID | None:
    try:
        return UUID(str(value))
    except (TypeError, ValueError):
        return None  # not an id: validation answers 422 after the access check


def _s(value: Any) -> str | None:
    return None if value is None else str(value)


def object_placement(ledger: Ledger, object_id: UUID, third_parties: bool = True) -> Placement:
    obj = ledger.read(PerformanceObject, object_id)
    assigned: set[str] = set()
    if third_parties:
        try:
            file = ledger.read(ExAnteAssessment, ex_ante_id(object_id))
        except NotFound:
            file = None
        if file is not None and file.assessor == "third_party" and file.assessor_org_id:
            assigned.add(file.assessor_org_id)
        try:
            key = ledger.read(KeyEvaluation, evaluation_id(object_id, "finance_key"))
        except NotFound:
            key = None
        if key is not None and key.third_party_id is not None:
            assigned.add(str(key.third_party_id))
    return Placement(
        obj.mof_div_code,
        RECORDS,
        frozenset({str(obj.department_id)}),
        frozenset({str(obj.unit_id)}) if obj.unit_id else frozenset(),
        frozenset(assigned),
    )


def _evaluation(ledger: Ledger, evaluation: UUID) -> Placement:
    e = ledger.results.load_evaluation(evaluation)
    place = object_placement(ledger, e.object_id, third_parties=False)
    tp = getattr(e, "third_party_id", None) if isinstance(e, KeyEvaluation) else None
    return Placement(
        place.mof_div_code,
        RECORDS,
        place.department_ids,
        place.unit_ids,
        frozenset({str(tp)}) if tp else frozenset(),
    )


def case_placement(ledger: Ledger, case_id: UUID) -> Placement:
    case = ledger.read(AccountabilityCase, case_id)
    objects = [ledger.read(PerformanceObject, o) for o in case.object_ids]
    return Placement(
        case.mof_div_code,
        CASE,
        frozenset(str(o.department_id) for o in objects),
        frozenset(str(o.unit_id) for o in objects if o.unit_id),
        referred_to=case.referred_to[0] if case.referred_to else None,
        owner_org=case.opened_by.organisation_id,
    )


def _department(mof_div_code: str | None, department_id: Any) -> Placement:
    return Placement(mof_div_code, RECORDS, frozenset({str(department_id)}))


def _work_score(ledger: Ledger, assessment_id: UUID) -> Placement:
    scored = ledger.read(WorkAssessment, assessment_id)
    return Placement(scored.mof_div_code, SUPERVISION, frozenset({str(scored.department_id)}))


def _person(ledger: Ledger, person_id: UUID) -> Target:
    person = ledger.read(Person, person_id)
    codes = {ledger.read(Organisation, org).mof_div_code for _, org in person.roles}
    return Target(tuple(Placement(code) for code in sorted(codes)), all=False)


def _library_entry(ledger: Ledger, entry_id: UUID) -> Placement:
    """A common entry is the jurisdiction's; an own entry its department's."""
    entry = ledger.read(LibraryIndicator, entry_id)
    if entry.department_id is None:
        return Placement(entry.mof_div_code)
    return _department(entry.mof_div_code, entry.department_id)


PATH: dict[Scope, tuple[str, Callable[[Ledger, UUID], Placement | Target]]] = {
    Scope.OBJECT: ("object_id", object_placement),
    Scope.EVALUATION: ("evaluation_id", _evaluation),
    Scope.TASK: (
        "task_id",
        lambda ledger, i: object_placement(
            ledger, ledger.read(MonitoringTask, i).object_id, third_parties=False
        ),
    ),
    Scope.NOTICE: (
        "notice_id",
        lambda ledger, i: object_placement(
            ledger, ledger.read(RectificationNotice, i).object_id, third_parties=False
        ),
    ),
    Scope.CASE: ("case_id", case_placement),
    Scope.SUBMISSION: (
        "submission_id",
        lambda ledger, i: Placement(ledger.read(NpcSubmission, i).mof_div_code),
    ),
    Scope.WORK_SCORE: ("assessment_id", lambda ledger, i: _work_score(ledger, i)),
    Scope.ORGANISATION: (
        "organisation_id",
        lambda ledger, i: Placement(ledger.read(Organisation, i).mof_div_code),
    ),
    Scope.PERSON: ("person_id", _person),
    Scope.LIBRARY: ("entry_id", _library_entry),
}


def _body_target(ledger: Ledger, body: Mapping[str, Any]) -> Target:
    """A command naming its target in the body: each object and department named must be
    within reach, in the jurisdiction the body names."""
    mof = body.get("mof_div_code") if isinstance(body.get("mof_div_code"), str) else None
    found: list[Placement] = []
    object_ids = [body.get("object_id"), *_listed(body.get("object_ids"))]
    for raw in object_ids:
        if (object_id := _uuid(raw)) is not None:
            with suppress(NotFound):  # the command itself answers for a missing object
                found.append(object_placement(ledger, object_id, third_parties=False))
    department_ids = [body.get("department_id"), *_listed(body.get("department_ids"))]
    found += [_department(mof, d) for d in department_ids if _uuid(d) is not None]
    if mof is not None:
        found.append(Placement(mof))
    return Target(tuple(found))


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def target_of(
    scope: Scope,
    ledger: Ledger,
    path_params: Mapping[str, Any],
    query: Mapping[str, Any],
    body: bytes,
) -> Target:
    """The placements the actor must reach for this request; none for scopes that are
    narrowed elsewhere (lists), checked by the domain, or touch no one's records."""
    if scope in PATH:
        name, resolve = PATH[scope]
        value = _uuid(path_params.get(name))
        if value is None:
            return Target()
        found = resolve(ledger, value)
        return found if isinstance(found, Target) else Target((found,))
    if scope == Scope.JURISDICTION:
        mof = query.get("mof_div_code")
        return Target((Placement(mof),)) if mof else Target()
    if scope == Scope.BODY:
        try:
            parsed = json.loads(body or b"null")
        except ValueError:
            return Target()
        return _body_target(ledger, parsed) if isinstance(parsed, dict) else Target()
    return Target()
