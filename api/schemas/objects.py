"""Request and response shapes for performance objects and their goals."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from api.schemas.common import ActFields, EvidenceIn, Points, Yuan
from domain.comparators import normalised
from domain.errors import InvalidInput
from domain.indicators import Indicator

ObjectKind = Literal["project", "department_overall", "transfer_payment", "policy"]
FundType = Literal["general_public", "government_fund", "state_capital", "social_insurance"]


class ObjectRegister(ActFields):
    mof_div_code: str = Field(min_length=1, max_length=20, examples=["360403"])
    fiscal_year: int = Field(ge=2000, le=2100)
    pro_code: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=300)
    kind: ObjectKind
    department_id: UUID
    unit_id: UUID | None = None
    fund_type: FundType
    amount: Yuan
    is_new: bool
    last_year_amount: Yuan | None = None


def _kept_spelling(value: object) -> object:
    """≥ ＞ ＝ ＜ ≤ 定性 as forms write them; an unknown sign is left for the enum to refuse."""
    try:
        return normalised(str(value))
    except InvalidInput:
        return value


Comparator = Annotated[
    Literal["≥", ">", "=", "<", "≤", "range", "qualitative"], BeforeValidator(_kept_spelling)
]


class IndicatorIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    level1: Literal["产出", "效益", "满意度"]
    level2: str = Field(min_length=1, max_length=20, examples=["数量"])
    name: str = Field(min_length=1, max_length=300)
    comparator: Comparator = Field(description="计算符号: ≥ ＞ ＝ ＜ ≤ 定性, either width")
    value: Decimal | None = Field(default=None, max_digits=20, decimal_places=6)
    upper: Decimal | None = Field(default=None, max_digits=20, decimal_places=6)
    qualitative_target: str | None = Field(default=None, max_length=500)
    unit: str = Field(default="", max_length=40)
    weight: Points = Decimal(0)
    library_entry_id: UUID | None = Field(
        default=None,
        description="drafted from this indicator library entry (指标库): its 一级/二级/三级, "
        "comparator and unit must be the entry's; the goal records the entry's version",
    )

    def to_domain(self) -> Indicator:
        return Indicator(**self.model_dump(exclude={"library_entry_id"}))


class GoalSubmit(ActFields):
    indicators: list[IndicatorIn] = Field(min_length=1, max_length=200)

    def domain_indicators(self) -> list[Indicator]:
        return [i.to_domain() for i in self.indicators]

    def library_entries(self) -> list[UUID | None]:
        """The library entry each indicator is drafted from (None: written freely)."""
        return [i.library_entry_id for i in self.indicators]


class GoalReview(ActFields):
    stage: Literal["initial", "second", "final"] = Field(description="初审 / 复核 / 终审")
    outcome: Literal["优", "良", "中", "差", "returned"]
    comments: str | None = Field(default=None, max_length=4000)


class GoalApprove(ActFields):
    approved_amount: Yuan
    approval_ref: str = Field(min_length=1, max_length=200, description="批复文号")


class GoalAdjustmentApply(GoalSubmit):
    """The indicators as they would stand, the amount if it changes, why, and the documents."""

    reason: str = Field(min_length=1, max_length=4000)
    evidence: list[EvidenceIn] = Field(min_length=1, max_length=50)
    amount: Yuan | None = Field(default=None, description="the approved amount, if it changes")


class GoalAdjustmentReview(ActFields):
    outcome: Literal["agreed", "returned"]
    comments: str | None = Field(default=None, max_length=4000)


class GoalAdjustmentApprove(ActFields):
    approval_ref: str = Field(min_length=1, max_length=200, description="调整批复文号")


class LibraryRefOut(BaseModel):
    entry_id: str
    code: str
    version: int = Field(description="the library entry's version the indicator was drafted from")


class IndicatorOut(BaseModel):
    level1: str
    level2: str
    name: str
    comparator: str
    value: str | None
    upper: str | None
    qualitative_target: str | None
    unit: str
    weight: str
    library: LibraryRefOut | None = None


class ObjectPublic(BaseModel):
    id: str
    version: int
    mof_div_code: str
    fiscal_year: int
    pro_code: str
    name: str
    kind: str
    department_id: str
    unit_id: str | None
    fund_type: str
    amount: str
    is_new: bool
    last_year_amount: str | None
    goal_status: str
    pending_stage: str | None
    goal_revision: int
    indicators: list[IndicatorOut]
    approved_amount: str | None
    approval_ref: str | None
    in_library: bool
    adjustment: AdjustmentOut | None = Field(
        default=None, description="an application to adjust the approved goal, under way"
    )


class AdjustmentOut(BaseModel):
    stage: Literal["applied", "reviewed"] = Field(
        description="applied: awaits the business section; reviewed: awaits the budget section"
    )
    amount: str | None = Field(description="the amount applied for, if it changes")
    applied_by: str
    indicators: list[IndicatorOut]


class ObjectSummary(BaseModel):
    object_id: str
    mof_div_code: str
    fiscal_year: int
    pro_code: str
    name: str
    kind: str
    department_id: str
    department_name: str | None
    unit_id: str | None
    unit_name: str | None
    fund_type: str
    amount: str
    is_new: bool
    goal_status: str
    pending_stage: str | None
    goal_revision: int
    approved_amount: str | None
    key_review: bool | None = Field(
        default=None, description="重点审核 judged at submission (None: not submitted yet)"
    )
    ex_ante_required: bool | None = Field(description="事前绩效评估 required (None: not judged)")
    ex_ante_state: str | None
    ex_ante_policy: str | None = Field(description="the policy and version that judged it")
    ex_ante_conclusion: str | None
    in_library: bool = Field(description="admitted to the project library (入库)")
    monitoring_period: str | None
    monitoring_status: str | None = Field(
        description="latest judged entry: on_track/warning/serious"
    )
    version: int
    updated_at: str


class HistoryEntry(BaseModel):
    position: int
    aggregate_id: str
    aggregate_type: str = Field(description="PerformanceObject, or the capability's aggregate")
    version: int = Field(description="that aggregate's version after this event")
    event: str
    recorded_at: str
    business_date: str | None
    actor_id: str
    actor_name: str
    actor_role: str
    actor_org_id: str | None
    actor_org_name: str | None
    reason: str | None
    evidence: list[dict]
    details: dict
