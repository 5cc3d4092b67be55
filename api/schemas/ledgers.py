"""Response shapes of the ledgers and the log search: a page of log entries in log order."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field


class LedgerActor(BaseModel):
    person_id: str
    name: str
    role: str
    organisation_id: str | None
    organisation_name: str | None


class LedgerEntry(BaseModel):
    position: int = Field(description="the event's position in the log")
    event_id: str = Field(description="originator id @ version, as /integrity takes it")
    originator_id: str
    originator_version: int
    event_type: str = Field(
        description="aggregate and event class, e.g. PerformanceObject.Registered"
    )
    topic: str = Field(
        description="the topic the record was stored under: jixiao:<Aggregate>.<Event>, or "
        "before 2026-12-03 the module path of its class then"
    )
    recorded_at: datetime = Field(description="when the log recorded it (UTC)")
    business_date: date | None = Field(description="the date the act claims, if it claims one")
    actor: LedgerActor
    mof_div_code: str | None
    fiscal_year: int | None
    object_id: str | None
    department_id: str | None
    unit_id: str | None
    case_id: str | None

    @classmethod
    def of(cls, row: dict[str, Any]) -> LedgerEntry:
        return cls(
            position=row["position"],
            event_id=f"{row['originator_id']}@{row['originator_version']}",
            originator_id=row["originator_id"],
            originator_version=row["originator_version"],
            event_type=row["event_type"],
            topic=row["topic"],
            recorded_at=datetime.fromisoformat(row["recorded_at"]),
            business_date=date.fromisoformat(row["business_date"])
            if row["business_date"]
            else None,
            actor=LedgerActor(
                person_id=row["actor_id"],
                name=row["actor_name"],
                role=row["actor_role"],
                organisation_id=row["actor_org_id"],
                organisation_name=row["actor_org_name"],
            ),
            mof_div_code=row["mof_div_code"],
            fiscal_year=row["fiscal_year"],
            object_id=row["object_id"],
            department_id=row["department_id"],
            unit_id=row["unit_id"],
            case_id=row["case_id"],
        )


class LedgerPage(BaseModel):
    """Oldest first. Ask for the next page with `after=next_after`; null when this page is the
    last one seen so far (entries appended later appear after it). A business-date search is
    in business-date order instead: an entry recorded later with an earlier business date
    (a 补录) sorts before pages already read, so follow new entries without the date range
    (log order) or start that search again."""

    entries: list[LedgerEntry]
    total: int = Field(
        description="the entries that match, on all pages, within reach; counted up to the "
        "server's cap (JIXIAO_TOTAL_CAP, 1,000 by default), past which it is the cap"
    )
    total_exact: bool = Field(description="false: more than `total` match (page on to see them)")
    next_after: int | None = Field(description="the last position on this page")
    lag: int = Field(description="log entries the index has not yet read (0: up to date)")
