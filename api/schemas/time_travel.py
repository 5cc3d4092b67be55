"""Schemas of the time-travel reads: the diff of an object between two instants."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class ChangeEvent(BaseModel):
    position: int = Field(description="the event's log position")
    version: int = Field(description="the object's version after it")
    event: str = Field(description="e.g. PerformanceObject.GoalAdjusted")
    recorded_at: datetime
    business_date: date | None
    actor_id: str
    actor_name: str
    actor_role: str
    actor_org_id: str | None
    actor_org_name: str | None
    reason: str | None


class FieldChange(BaseModel):
    path: str = Field(
        description="dotted path; indicators by levels and name, e.g. "
        "indicators.产出指标/数量指标/改造户数.target"
    )
    before: Any = Field(description="null if the field was not there")
    after: Any = Field(description="null if the field is gone")
    events: list[ChangeEvent] = Field(description="the events between that changed it")


class ObjectDiff(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    object_id: str
    from_: datetime = Field(alias="from")
    to: datetime
    from_version: int = Field(description="0 if the object did not exist yet at `from`")
    from_position: int | None
    to_version: int
    to_position: int
    changes: list[FieldChange]
