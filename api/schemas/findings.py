"""Shapes of findings (问责线索) and of the accountability ledgers built on them."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from pydantic import BaseModel, Field

from api.schemas.common import ActFields


class FindingActor(BaseModel):
    person_id: str
    name: str
    role: str
    organisation_id: str | None
    organisation_name: str | None


class FindingEvent(BaseModel):
    position: int = Field(description="the event's position in the log")
    originator_id: str
    version: int
    event: str = Field(description="aggregate and event class, e.g. SpotCheck.SpotCheckRecorded")
    recorded_at: str = Field(description="when the log recorded it (UTC)")
    business_date: str | None = Field(description="the date the act claims, if any")
    record_sha256: str = Field(description="SHA-256 of the stored record, as cases pin it")
    actor: FindingActor


class FindingPerson(BaseModel):
    part: str = Field(
        description="填报 prepared, 审核 reviewed, 批准 approved, 录入 entered, 修改 revised"
    )
    person_id: str
    name: str
    role: str = Field(description="the role they acted in, at the time")
    organisation_id: str | None
    organisation_name: str | None
    position: int | None = Field(description="the act's log position (none for an attempt)")


class FindingDismissalOut(BaseModel):
    position: int
    at: str
    reason: str
    by: FindingActor


class FindingOut(BaseModel):
    finding_id: str
    kind: str
    title: str
    mof_div_code: str
    fiscal_year: int | None
    department_id: str | None
    object_id: str | None
    policy: dict[str, Any] | None = Field(description="the policy version that judged it")
    statistic: dict[str, Any] = Field(description="what was measured, and against what")
    falsification_trace: bool = Field(description="a self-score above the re-check by the gap")
    events: list[FindingEvent]
    persons: list[FindingPerson]
    status: str = Field(description="open, dismissed or cited")
    dismissal: FindingDismissalOut | None
    cited_in: list[str] = Field(description="cases that cite its events")
    found_at_position: int | None = Field(
        description="the log position that completed it (none when time or a refusal made it)"
    )


class FindingPage(BaseModel):
    items: list[FindingOut]
    total: int = Field(
        description="the findings that match; those the log made counted up to the server's "
        "cap (JIXIAO_TOTAL_CAP), those the time or a refusal made all counted"
    )
    total_exact: bool = Field(description="false: more than `total` match (page on to see them)")
    next_after: int | None = Field(description="pass as `after` for the next page")
    position: int = Field(description="the log position the findings view reflects")
    lag: int = Field(description="events the findings view has still to read")


class FindingDismiss(ActFields):
    """Dismissing a finding: the reason (required) and any document."""


class FindingCite(ActFields):
    case_id: UUID = Field(description="the accountability case to cite the finding's events in")
    note: str = Field(default="", max_length=4000, description="what the finding shows")


class SignedCounts(BaseModel):
    total: int
    by_event: dict[str, int]


class PersonAccountability(BaseModel):
    person_id: str
    name: str | None
    mof_div_code: str
    signed: SignedCounts
    findings: list[FindingOut]


class DepartmentPerson(BaseModel):
    person_id: str
    name: str
    findings: int


class RepeatedKind(BaseModel):
    kind: str
    years: list[int] = Field(description="the fiscal years it was found in")


class DepartmentAccountability(BaseModel):
    department_id: str
    mof_div_code: str
    findings_total: int
    by_kind: dict[str, int]
    falsification_traces: int
    repeated: list[RepeatedKind] = Field(
        description="kinds found in consecutive fiscal years (the same finding year after year)"
    )
    persons: list[DepartmentPerson]
