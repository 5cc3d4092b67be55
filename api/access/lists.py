"""Lists are narrowed to the actor's reach rather than refused: the filters a view supports
are pushed down (jurisdiction, department), the rest is decided row by row, and pages are
counted over visible rows only, so `limit`/`offset` page through what the actor may see."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from api.access.reach import DEPARTMENT_ROLES, UNIT_ROLES, Reach
from domain.roles import Role
from projections.org_scope_view import jurisdiction_of, supervised_departments
from projections.view import Cursor

Row = dict[str, Any]


class RowFilter:
    """Whether a row of a list view is within reach; lookups are cached per request."""

    def __init__(self, reach: Reach, cur: Cursor) -> None:
        self.reach, self.cur = reach, cur
        self._mof: dict[str, str | None] = {}
        self._supervised: set[str] | None = None
        self._unit_objects: set[str] | None = None
        self._cases: dict[str, Row | None] = {}
        self._object_departments: dict[str, str | None] = {}

    def __call__(self, row: Row) -> bool:
        reach, role = self.reach, self.reach.role
        mof = row.get("mof_div_code") or self._mof_of(row.get("department_id"))
        if mof is not None and mof != reach.mof_div_code:
            return False
        if role in UNIT_ROLES:
            if "unit_id" in row:
                return row["unit_id"] == reach.org_id
            return row.get("object_id") in self.unit_objects()
        if role in DEPARTMENT_ROLES:
            return row.get("department_id") == reach.org_id
        if role == Role.BUSINESS_SECTION:
            return bool(self._departments(row) & self.supervised())
        if role == Role.DISCIPLINE:
            case = row if "referred_to_id" in row else self._case(row.get("case_id"))
            return case is not None and case.get("referred_to_id") == reach.org_id
        if role == Role.THIRD_PARTY:
            return row.get("third_party_id") == reach.org_id
        return reach.jurisdiction_wide

    # --- lookups -------------------------------------------------------------------------

    def _mof_of(self, department_id: Any) -> str | None:
        if department_id is None:
            return None
        key = str(department_id)
        if key not in self._mof:
            self._mof[key] = jurisdiction_of(self.cur, key)
        return self._mof[key]

    def supervised(self) -> set[str]:
        if self._supervised is None:
            self._supervised = supervised_departments(self.cur, self.reach.org_id)
        return self._supervised

    def unit_objects(self) -> set[str]:
        if self._unit_objects is None:
            rows = self.cur.execute(
                "SELECT object_id FROM v_objects WHERE unit_id = ?", (self.reach.org_id,)
            ).fetchall()
            self._unit_objects = {r["object_id"] for r in rows}
        return self._unit_objects

    def _case(self, case_id: Any) -> Row | None:
        key = str(case_id)
        if key not in self._cases:
            self._cases[key] = self.cur.execute(
                "SELECT referred_to_id, object_ids FROM v_cases WHERE case_id = ?", (key,)
            ).fetchone()
        return self._cases[key]

    def _departments(self, row: Row) -> set[str]:
        if row.get("department_id"):
            return {str(row["department_id"])}
        object_ids = row.get("object_ids")
        if object_ids is None and row.get("case_id"):
            case = self._case(row["case_id"])
            object_ids = case and case["object_ids"]
        if isinstance(object_ids, str):
            object_ids = json.loads(object_ids)
        return {d for o in object_ids or () if (d := self._object_department(str(o)))}

    def _object_department(self, object_id: str) -> str | None:
        if object_id not in self._object_departments:
            row = self.cur.execute(
                "SELECT department_id FROM v_objects WHERE object_id = ?", (object_id,)
            ).fetchone()
            self._object_departments[object_id] = row["department_id"] if row else None
        return self._object_departments[object_id]


def pushdown(reach: Reach, mof_div_code: str | None, department_id: Any) -> dict[str, Any]:
    """Filters the view can apply itself: the actor's jurisdiction, and a spending actor's
    department, unless the request asked for something narrower (rows still decide)."""
    dept = None if department_id is None else str(department_id)
    if reach.role in UNIT_ROLES | DEPARTMENT_ROLES and dept is None:
        dept = reach.department_id
    return {"mof_div_code": mof_div_code or reach.mof_div_code, "department_id": dept}


def visible_page(
    fetch: Callable[[int, int], list[Row]],
    visible: Callable[[Row], bool],
    limit: int,
    offset: int,
) -> list[Row]:
    """`limit` visible rows after skipping `offset` visible rows, fetching in batches."""
    found: list[Row] = []
    skipped, position, batch = 0, 0, max(limit, 200)
    while True:
        rows = fetch(batch, position)
        for row in rows:
            if not visible(row):
                continue
            if skipped < offset:
                skipped += 1
                continue
            found.append(row)
            if len(found) == limit:
                return found
        if len(rows) < batch:
            return found
        position += batch


def visible_rows(rows: list[Row], visible: Callable[[Row], bool]) -> list[Row]:
    return [row for row in rows if visible(row)]
