"""Request shapes for supervision and disclosure: NPC, 信息公开, 考核."""

from __future__ import annotations

from datetime import date
from typing import Literal
from uuid import UUID

from pydantic import Field

from api.schemas.common import ActFields, Points


class NpcSubmit(ActFields):
    mof_div_code: str = Field(min_length=1, max_length=20)
    fiscal_year: int = Field(ge=2000, le=2100)
    department_ids: list[UUID] = Field(min_length=1, max_length=500)
    key_project_ids: list[UUID] | None = Field(
        default=None,
        max_length=2000,
        description="omit to send every project of the chosen departments at or above the "
        "policy's key-project amount (proposed automatically)",
    )
    budget_draft_ref: str = Field(min_length=1, max_length=200, description="预算草案")


class NpcRate(ActFields):
    department_id: UUID
    rating: Literal["满意", "基本满意", "不满意"]
    comments: str | None = Field(default=None, max_length=4000)


class Publish(ActFields):
    object_id: UUID
    subject: Literal["goal", "result"]
    position: int = Field(ge=1, le=2**62, description="log position of the published record")
    originator_id: UUID
    version: int = Field(ge=1, le=2**31)
    channel: str = Field(min_length=1, max_length=300, examples=["浔阳区人民政府网 信息公开"])
    url: str | None = Field(default=None, max_length=2000)
    business_date: date = Field(description="the publication date")


class WorkScore(ActFields):
    mof_div_code: str = Field(min_length=1, max_length=20)
    fiscal_year: int = Field(ge=2000, le=2100)
    department_id: UUID
    score: Points
    comments: str | None = Field(default=None, max_length=4000)


class WorkScoreRevise(ActFields):
    score: Points
    reason: str = Field(min_length=1, max_length=4000)
