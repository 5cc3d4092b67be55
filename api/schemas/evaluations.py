"""Request and response shapes for evaluations, spot checks and result application."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from api.schemas.common import ActFields, Points, Yuan
from domain.evaluation.scoring import IndicatorActual

Level = Literal["决策", "过程", "产出", "效益"]
Measure = Literal[
    "priority",
    "support",
    "zero_growth",
    "reduce",
    "cut_recurring",
    "no_similar_project",
    "no_funding_until_rectified",
]


class IndicatorActualIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    level1: Literal["产出", "效益", "满意度"]
    level2: str = Field(min_length=1, max_length=20)
    name: str = Field(min_length=1, max_length=300)
    actual: Decimal | None = Field(
        default=None, ge=0, max_digits=20, decimal_places=6, description="实际完成值"
    )
    grade: str | None = Field(
        default=None,
        max_length=20,
        description="qualitative: a grade of the policy (national: 达成年度指标 / "
        "部分达成年度指标并具有一定效果 / 未达成年度指标且效果较差; fixed percentages: 达成预期 / "
        "部分达成 / 未达成)",
    )
    deviation_cause: str | None = Field(
        default=None, max_length=2000, description="偏差原因分析及改进措施"
    )
    score: Decimal | None = Field(
        default=None,
        ge=0,
        max_digits=8,
        decimal_places=2,
        description="qualitative under the band rule: the score stated within the grade's band",
    )

    def to_domain(self) -> IndicatorActual:
        return IndicatorActual(**self.model_dump())


class SelfEvaluationSubmit(ActFields):
    actuals: list[IndicatorActualIn] = Field(min_length=1, max_length=200)
    executed_amount: Yuan = Field(description="全年执行数")
    budget_amount: Yuan | None = Field(
        default=None, description="全年预算数; the approved amount when omitted"
    )

    def domain_actuals(self) -> list[IndicatorActual]:
        return [a.to_domain() for a in self.actuals]


class SelfEvaluationRevise(SelfEvaluationSubmit):
    reason: str = Field(min_length=1, max_length=4000)


class EvaluationOpen(ActFields):
    kind: Literal["department", "finance_key"]
    weights: dict[Level, Points] = Field(description="决策/过程/产出/效益, totalling 100")


class ThirdPartyAssign(ActFields):
    organisation_id: UUID = Field(description="the third party (第三方机构)")


class ScoresSubmit(ActFields):
    scores: dict[Level, Points] = Field(description="points per level, each within its weight")


class ScoreRevise(ActFields):
    reason: str = Field(min_length=1, max_length=4000)
    scores: dict[Level, Points] | None = Field(
        default=None, description="department / finance key evaluation"
    )
    score: Points | None = Field(default=None, description="spot check")


class RecheckSubmit(ActFields):
    score: Points
    comments: str = Field(min_length=1, max_length=4000, description="复核意见")


class ResultApply(ActFields):
    measure: Measure
    percentage: Annotated[Decimal, Field(gt=0, le=100, max_digits=5, decimal_places=2)] | None = (
        None
    )
    amount: Yuan | None = Field(default=None, description="unspent funds recovered (yuan)")


class ResultCorrect(ResultApply):
    """The corrected measure, percentage and amount; why (required)."""

    reason: str = Field(min_length=1, max_length=4000, description="why the result is corrected")


class PolicyRefOut(BaseModel):
    policy_id: str
    version: int
    document: str


class EvaluationPublic(BaseModel):
    id: str
    version: int
    kind: str
    object_id: str
    mof_div_code: str
    fiscal_year: int
    pro_code: str
    department_id: str
    score: str | None
    grade: str | None
    policy: PolicyRefOut | None
    details: dict = Field(description="the scoring table, weights and scores, or the gap")
    due: date | None = Field(
        default=None,
        description="a self-evaluation's due day under its policy (null for other kinds and "
        "for those recorded before lateness was judged)",
    )
    late: bool | None = Field(
        default=None, description="recorded (CST) after its due day; null where not judged"
    )


class ProposalOut(BaseModel):
    measure: str
    label: str
    basis: str = Field(description="grade (the table for grade and kind) or recheck_gap")
    table: str
    grade: str
    recover_unspent: bool
    policy: PolicyRefOut


class EvaluationSummary(BaseModel):
    evaluation_id: str
    kind: str
    object_id: str
    mof_div_code: str
    fiscal_year: int
    pro_code: str
    department_id: str
    status: str
    score: str | None
    grade: str | None
    revisions: int
    self_score: str | None
    gap: str | None
    gap_rule_met: bool | None
    due: date | None = None
    late: bool | None = None
    third_party_id: str | None
    policy_id: str | None
    policy_version: int | None
    version: int
    updated_at: str


class FundingBlockOut(BaseModel):
    block_id: str
    mof_div_code: str
    pro_code: str
    object_id: str
    department_id: str
    evaluated_year: int
    active: bool
    gap: str | None
    measure: str | None
    reason: str
    policy_id: str
    policy_version: int
    lifted_by_notice: str | None


class ResultOut(BaseModel):
    result_id: str
    evaluation_id: str
    evaluation_kind: str
    object_id: str
    department_id: str
    grade: str
    proposed_measure: str
    measure: str
    follows_proposal: bool
    percentage: str | None
    amount: str | None
    reason: str | None
    applied_by: str
    policy_id: str
    policy_version: int
    applied_at: str
    corrected_by: str | None = Field(default=None, description="who last corrected it")
    corrected_at: str | None = None
