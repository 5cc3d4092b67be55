"""Reach checks of the two boards, whose jurisdiction is a path parameter (the table's
scope is LIST: rows are narrowed here and by RowFilter, not by a placement).

- the NPC board: the actor's own jurisdiction only; the NPC reads the departments
  submitted to it that year and no other (out-of-scope), the performance section and the
  audit bureau read every submitted department;
- the finance board: the actor's own jurisdiction only; rows are then narrowed by
  RowFilter (business sections: the departments they supervise; departments: their own).
"""

from __future__ import annotations

from api.access.gate import out_of_scope
from api.access.reach import Reach
from domain.errors import NotFound
from domain.roles import Role


def require_jurisdiction(reach: Reach, mof_div_code: str, path: str) -> None:
    if reach.mof_div_code is None or reach.mof_div_code != mof_div_code:
        raise out_of_scope(reach.actor, "GET", path)


def require_submitted(reach: Reach, department_id: str, submitted: list[str], path: str) -> None:
    """A department not submitted to the NPC that year: out of the NPC's scope; for the
    other readers simply not on the board (404)."""
    if department_id in submitted:
        return
    if reach.role == Role.NPC:
        raise out_of_scope(reach.actor, "GET", path)
    raise NotFound(f"department {department_id} was not submitted to the NPC that year")
