"""Where an event of the log sits, for the reads that return one (evidence packages and
inclusion proofs, by position or event id): the case it belongs to, the performance object
it concerns, the supervision record it is part of, or the registry; and the discipline
commissions it was referred to as evidence of a case.

Read from the stored record and the aggregates, like placement.py. The one exception is
"which cases cite this event": no aggregate indexes that, so the case view names the
candidates and each case's own aggregate confirms that it cites the event and where it was
referred (a view that lags can only leave a case out, never let one in).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from contextlib import suppress
from dataclasses import replace
from typing import Any
from uuid import UUID

import psycopg
from eventsourcing.domain import Aggregate
from pydantic import TypeAdapter, ValidationError

from api.access.placement import (
    RECORDS,
    SUPERVISION,
    Placement,
    Target,
    case_placement,
    object_placement,
)
from domain.accountability.model import AccountabilityCase
from domain.citation.cited_event import concerned_object, stored_record
from domain.errors import NotFound
from domain.ledger import Ledger
from domain.registry.model import Organisation, Person
from domain.supervision.model import NpcSubmission
from domain.supervision.work_assessment import WorkAssessment

CITING_CASES = (
    "SELECT case_id FROM v_case_evidence WHERE originator_id = ? AND originator_version = ?"
)


INT64 = 2**63 - 1  # what both stores can hold; beyond it the route's validation answers


_AS_THE_ROUTE_READS = TypeAdapter(int)  # lax, as FastAPI reads it: "5.0" and " 5" are 5


def _int(value: Any) -> int | None:
    if value is None:
        return None
    try:
        number = _AS_THE_ROUTE_READS.validate_python(value)
    except ValidationError:
        return None  # the route refuses it too (422)
    return number if -INT64 <= number <= INT64 else None


def _event_id(value: Any) -> tuple[UUID, int] | None:
    originator, _, version = str(value or "").partition("@")
    try:
        return UUID(originator), int(version)
    except ValueError:
        return None


def _stored(ledger: Ledger, path_params: Mapping[str, Any], query: Mapping[str, Any]) -> Any:
    """The stored record the request names: by position first (as the route reads it),
    else by event id; None if the request names none that exists (the route answers)."""
    position = _int(path_params.get("position", query.get("position")))
    if position is not None:
        return stored_record(ledger, position)
    named = _event_id(query.get("event_id"))
    if named is None or not 1 <= named[1] <= INT64:
        return None
    originator, version = named
    found = ledger.recorder.select_events(originator, gt=version - 1, lte=version, limit=1)
    return found[0] if found else None


def _records(mof_div_code: str | None, department_id: Any = None) -> Placement:
    departments = frozenset({str(department_id)}) if department_id else frozenset()
    return Placement(mof_div_code, RECORDS, departments)


def _owned(ledger: Ledger, event: Any) -> Target:
    """The placement of the record the event is part of."""
    try:
        owner = ledger.read(Aggregate, event.originator_id)
    except NotFound:
        owner = None
    if isinstance(owner, AccountabilityCase):
        return Target((case_placement(ledger, owner.id),))
    object_id = concerned_object(event)
    if object_id is not None:
        with suppress(NotFound):
            return Target((object_placement(ledger, object_id, third_parties=False),))
    if isinstance(owner, NpcSubmission):
        return Target((Placement(owner.mof_div_code, SUPERVISION),))
    if isinstance(owner, WorkAssessment):
        departments = frozenset({str(owner.department_id)})
        return Target((Placement(owner.mof_div_code, SUPERVISION, departments),))
    if isinstance(owner, Person):  # where the person holds a role (any one will do)
        codes = {ledger.read(Organisation, org).mof_div_code for _, org in owner.roles}
        return Target(tuple(_records(code) for code in sorted(codes)) or (_records(None),), False)
    # The registry and anything else: jurisdiction-wide readers only.
    return Target((_records(getattr(owner, "mof_div_code", None)),))


def _referred_with(ledger: Ledger, views: Any, originator: UUID, version: int) -> frozenset[str]:
    """The commissions that cases citing this event were referred to."""
    if views is None:
        return frozenset()
    try:
        with views.transaction(write=False) as cur:
            rows = cur.execute(CITING_CASES, (str(originator), version)).fetchall()
    except (sqlite3.Error, psycopg.Error):  # no case view in this deployment: nothing cited
        return frozenset()
    commissions: set[str] = set()
    for row in rows:
        try:
            case = ledger.read(AccountabilityCase, UUID(str(row["case_id"])))
        except (NotFound, ValueError):
            continue
        cites = any(
            c.originator_id == originator and c.version == version for c in case.citations.values()
        )
        if cites and case.referred_to is not None:
            commissions.add(case.referred_to[0])
    return frozenset(commissions)


def event_target(
    ledger: Ledger, views: Any, path_params: Mapping[str, Any], query: Mapping[str, Any]
) -> Target:
    stored = _stored(ledger, path_params, query)
    if stored is None:
        return Target()
    try:
        event = ledger.mapper.to_domain_event(stored)
    except Exception:  # a record the ledger cannot decode (a forged row)
        return Target((_records(None),))  # jurisdiction-wide readers investigate it
    target = _owned(ledger, event)
    originator = UUID(str(stored.originator_id))
    referred = _referred_with(ledger, views, originator, stored.originator_version)
    if not referred:
        return target
    return Target(tuple(replace(p, referred_with=referred) for p in target.placements), target.all)
