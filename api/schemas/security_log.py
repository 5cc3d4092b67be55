"""Response shapes of the security log: refused segregation-of-duties commands."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field


class SecurityActor(BaseModel):
    person_id: str
    name: str
    role: str = Field(description="the role the token was issued for")
    organisation_id: str | None
    organisation_name: str | None
    mof_div_code: str | None = Field(description="the jurisdiction of the actor's organisation")


class SecurityTarget(BaseModel):
    kind: str | None = Field(description="what the path names: object, evaluation, notice, case…")
    id: str | None
    mof_div_code: str | None = Field(description="the target's (else the actor's) jurisdiction")
    fiscal_year: int | None
    department_id: str | None
    object_id: str | None = Field(description="the performance object the target belongs to")


class SecurityEntry(BaseModel):
    entry_id: str
    at: datetime = Field(description="when the command was refused (UTC)")
    request_id: str | None
    actor: SecurityActor
    method: str
    path: str
    operation: str = Field(description="method and route, e.g. POST /objects/{object_id}/…")
    refusal: str = Field(description="the domain's reason, as answered (403 not-permitted)")
    target: SecurityTarget

    @classmethod
    def of(cls, row: dict[str, Any]) -> SecurityEntry:
        return cls(
            entry_id=row["entry_id"],
            at=datetime.fromisoformat(row["at"]),
            request_id=row["request_id"],
            actor=SecurityActor(
                person_id=row["person_id"],
                name=row["person_name"],
                role=row["role"],
                organisation_id=row["organisation_id"],
                organisation_name=row["organisation_name"],
                mof_div_code=row["actor_mof_div_code"],
            ),
            method=row["method"],
            path=row["path"],
            operation=row["operation"],
            refusal=row["refusal"],
            target=SecurityTarget(
                kind=row["target_kind"],
                id=row["target_id"],
                mof_div_code=row["mof_div_code"],
                fiscal_year=row["fiscal_year"],
                department_id=row["department_id"],
                object_id=row["object_id"],
            ),
        )


class SecurityPage(BaseModel):
    """Oldest first. Ask for the next page with `after=next_after`; null when this page is
    the last one seen so far."""

    entries: list[SecurityEntry]
    next_after: str | None = Field(description="the last entry id on this page")
