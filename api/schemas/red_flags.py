"""Response shape of a jurisdiction-year's red flags on reported figures (统计预警)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from api.schemas.evaluations import PolicyRefOut


class FlagRecordOut(BaseModel):
    position: int = Field(description="the log position of the event that reported the figure")
    record_kind: str = Field(description="monitoring | self_evaluation | recheck")
    record_id: str
    object_id: str
    pro_code: str | None
    period_code: str | None
    field: str
    indicator: str
    value: str | None
    recorded_at: str
    signer_id: str


class FlagSignerOut(BaseModel):
    person_id: str
    name: str
    role: str
    organisation_id: str | None
    organisation_name: str | None
    records: int = Field(description="how many of the flag's figures this person signed")


class FlagOut(BaseModel):
    kind: str
    title: str
    fired: bool
    skipped: str | None = Field(description="why the test did not run (sample too small)")
    statistic: str | None
    threshold: dict[str, Any] = Field(description="the policy's value and comparison")
    sample_size: int
    minimum_sample: int
    details: dict[str, Any]
    records_total: int
    records: list[FlagRecordOut] = Field(description="the figures behind a fired flag")
    signers: list[FlagSignerOut]


class RedFlagsOut(BaseModel):
    mof_div_code: str
    fiscal_year: int
    policy: PolicyRefOut
    position: int = Field(description="the log position the reported_figures view has reached")
    lag: int
    flags: list[FlagOut]
