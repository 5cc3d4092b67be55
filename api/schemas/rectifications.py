"""Request and response shapes for rectification notices and holiday tables."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import BaseModel, Field

from api.schemas.common import ActFields


class RectificationIssue(ActFields):
    notice_ref: str = Field(min_length=1, max_length=200, description="整改通知文号")
    problems: list[str] = Field(min_length=1, max_length=50, description="the problems found")
    evaluation_id: UUID | None = Field(default=None, description="the evaluation behind it")


class RectificationRespond(ActFields):
    response: str = Field(min_length=1, max_length=20000, description="书面反馈")


class RectificationVerify(ActFields):
    comments: str | None = Field(default=None, max_length=4000)


class RectificationReject(ActFields):
    comments: str = Field(min_length=1, max_length=4000, description="what is still missing")


class HolidayTableLoad(ActFields):
    holidays: list[date] = Field(max_length=80, description="放假 days of the year")
    workdays: list[date] = Field(max_length=20, description="调休上班 weekend days")
    document: str = Field(min_length=1, max_length=300, description="the State Council notice")


class RectificationPublic(BaseModel):
    id: str
    version: int
    object_id: str
    mof_div_code: str
    fiscal_year: int
    pro_code: str
    department_id: str
    notice_ref: str
    problems: list[str]
    evaluation_id: str | None
    funding_block_ids: list[str]
    issued_on: date
    due: date
    calendar: str = Field(description="which calendar computed the deadline")
    status: str
    overdue: bool
    working_days_left: int | None = Field(
        default=None, description="official working days to the due day (negative: overdue)"
    )
    policy: dict


class RectificationSummary(BaseModel):
    notice_id: str
    object_id: str
    mof_div_code: str
    fiscal_year: int
    pro_code: str
    department_id: str
    notice_ref: str
    problems: list[str]
    issued_on: str
    working_days: int
    due: str
    calendar: str
    status: str
    responded_on: str | None
    late: bool
    overdue: bool
    working_days_left: int | None = Field(
        default=None, description="official working days to the due day (negative: overdue)"
    )
    policy_id: str
    policy_version: int
    issued_by: str
    version: int
    updated_at: str


class HolidayTablePublic(BaseModel):
    year: int
    version: int
    holidays: list[date]
    workdays: list[date]
    document: str


class DeadlineOut(BaseModel):
    start: date
    working_days: int
    due: date
    calendar: str
