"""Request and response shapes for dual monitoring (双监控)."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from api.schemas.common import ActFields, Yuan
from domain.monitoring.entry import Entry, IndicatorProgress

Number = Decimal | None
Mode = Literal["self", "finance_key"]


class TaskOpen(ActFields):
    period_code: str = Field(min_length=1, max_length=10, examples=["Q1", "H1"])
    mode: Mode = Field(default="self", description="部门自行监控 self / 财政重点监控 finance_key")


class RoundOpen(TaskOpen):
    mof_div_code: str = Field(min_length=1, max_length=20)
    fiscal_year: int = Field(ge=2000, le=2100)
    object_ids: list[UUID] = Field(min_length=1, max_length=500)


class ProgressIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=300, description="the goal indicator's name")
    actual: Decimal | None = Field(default=None, max_digits=20, decimal_places=6)
    forecast: Decimal | None = Field(default=None, max_digits=20, decimal_places=6)
    qualitative_actual: str | None = Field(default=None, max_length=1000)
    likelihood: Literal["确定能完成", "有可能完成", "完全不可能完成"]
    deviation_cause: str = Field(default="无偏差", max_length=2000)
    corrective_measures: str = Field(default="", max_length=2000)


class EntryIn(ActFields):
    budget_executed: Yuan = Field(description="budget executed to date (yuan)")
    budget_forecast: Yuan = Field(description="full-year execution forecast (yuan)")
    indicators: list[ProgressIn] = Field(min_length=1, max_length=200)

    def to_domain(self) -> Entry:
        return Entry(
            self.budget_executed,
            self.budget_forecast,
            tuple(IndicatorProgress(**row.model_dump()) for row in self.indicators),
        )


class EntryCorrect(EntryIn):
    reason: str = Field(min_length=1, max_length=4000)


class FollowUp(ActFields):
    kind: Literal["correction_ordered", "budget_reduced", "payments_suspended", "funds_recovered"]
    amount: Yuan | None = None
    reason: str = Field(min_length=1, max_length=4000)


class TaskPublic(BaseModel):
    id: str
    version: int
    object_id: str
    mof_div_code: str
    fiscal_year: int
    period_code: str
    period_label: str
    as_of: str
    purpose: str
    mode: str
    budget: str
    budget_now: str
    entry: dict | None
    entry_revision: int
    judgement: dict | None
    suspended: bool
    reduced: str
    recovered: str
    policy: dict


Light = Literal["red", "yellow", "green", "blue"]


class IndicatorLightOut(BaseModel):
    name: str
    rule: str = Field(description="positive / reverse / equal / range / qualitative")
    light: Light | None
    progress_pct: str | None = Field(description="progress against time, % (None: not by number)")
    basis: str = Field(description="the arithmetic, or why there is no light")


class TaskSummary(BaseModel):
    task_id: str
    object_id: str
    mof_div_code: str
    fiscal_year: int
    pro_code: str | None
    object_name: str | None
    department_id: str
    period_code: str
    period_label: str
    as_of: str
    purpose: str
    mode: str
    budget: str
    status: str
    entry_revision: int
    business_date: str | None
    budget_executed: str | None
    budget_forecast: str | None
    judgement: str | None
    expected_execution_pct: str | None
    execution_pct: str | None
    lag_points: str | None
    light: Light | None = Field(
        default=None, description="the object's light: the worst of its indicators' lights"
    )
    budget_light: Light | None = Field(
        default=None, description="budget execution rate ÷ time progress, lit per the policy"
    )
    time_progress_pct: str | None = None
    budget_progress_pct: str | None = None
    indicator_lights: list[IndicatorLightOut] = Field(
        default_factory=list, description="each indicator's progress and light"
    )
    reasons: list[str]
    policy_id: str
    policy_version: int
    policy_document: str
    reduced: str
    recovered: str
    suspended: bool
    follow_ups: list[dict]
    version: int
    updated_at: str
