"""Response shape of the coverage report (覆盖面): each target with the policy's number and
comparison, the actual figure, met or not, and the policy that judged it."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from api.schemas.evaluations import PolicyRefOut


class ThresholdOut(BaseModel):
    value: str
    op: str = Field(description="comparison the source's wording implies (不少于 → >=)")


class CoverageTargetOut(BaseModel):
    target: str = Field(description="the policy key, e.g. spot_checks_min")
    section: str = Field(description="the policy section: coverage or supervision")
    label: str
    measure: Literal["percent", "count"]
    required: ThresholdOut
    actual: str | None = Field(
        description="the figure judged (a percent truncated to 0.01 for display; judged "
        "exactly); null when the base is 0"
    )
    numerator: str
    denominator: str | None = Field(description="the base of a share; null for counts")
    met: bool
    reason: str
    policy: PolicyRefOut


class CoverageReport(BaseModel):
    mof_div_code: str
    fiscal_year: int
    policy: PolicyRefOut
    sources: dict[str, str] = Field(description="each section's source document and paragraph")
    all_met: bool
    targets: list[CoverageTargetOut]
