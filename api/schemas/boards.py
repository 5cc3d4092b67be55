"""Response shapes of the two boards: the NPC's supervision board (人大监督) and the finance
bureau's board (整改 with working days left, blocked approvals, results not applied,
funding blocks)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from api.schemas.coverage import CoverageReport
from api.schemas.evaluations import PolicyRefOut, ProposalOut

# --- the NPC supervision board ------------------------------------------------------------


class KeyProjectOut(BaseModel):
    object_id: str
    pro_code: str
    name: str
    department_id: str
    amount: str


class RatingOut(BaseModel):
    submission_id: str | None = None
    department_id: str | None = None
    rater_name: str
    rating: str = Field(description="满意度测评")
    comments: str | None


class SubmissionOut(BaseModel):
    submission_id: str
    mof_div_code: str
    fiscal_year: int
    department_ids: list[str]
    key_projects: list[KeyProjectOut]
    budget_draft_ref: str
    departments_min: int = Field(description="the policy's minimum number of departments")
    policy_id: str
    policy_version: int
    submitted_by_name: str
    submitted_at: str
    version: int
    ratings: list[RatingOut]


class IndicatorOut(BaseModel):
    level1: str
    level2: str
    name: str
    comparator: str
    value: str | None = Field(description="the target (null for a qualitative indicator)")
    upper: str | None
    qualitative_target: str | None
    unit: str
    weight: str


class GoalOut(BaseModel):
    object_id: str
    pro_code: str
    name: str
    kind: str
    unit_id: str | None
    amount: str
    goal_status: str
    approved_amount: str | None
    approval_ref: str | None
    goal_revision: int
    indicators: list[IndicatorOut] = Field(description="as they stand (after any adjustment)")


class BoardEvaluationOut(BaseModel):
    evaluation_id: str
    kind: str
    object_id: str
    pro_code: str
    status: str
    score: str | None
    grade: str | None
    self_score: str | None
    gap: str | None
    policy_id: str | None
    policy_version: int | None


class AppliedResultOut(BaseModel):
    result_id: str
    evaluation_id: str
    evaluation_kind: str
    grade: str
    proposed_measure: str
    measure: str
    follows_proposal: bool
    percentage: str | None
    amount: str | None
    reason: str | None
    applied_by: str
    applied_at: str


class NoticeBriefOut(BaseModel):
    notice_id: str
    notice_ref: str
    issued_on: str
    due: str
    status: str
    responded_on: str | None
    late: bool


class BlockBriefOut(BaseModel):
    block_id: str
    pro_code: str
    evaluated_year: int
    active: bool
    gap: str | None
    reason: str
    lifted_by_notice: str | None


class WeakObjectOut(BaseModel):
    evaluation_id: str
    evaluation_kind: str
    object_id: str
    pro_code: str
    score: str | None
    grade: Literal["中", "差"]
    results_applied: list[AppliedResultOut]
    rectifications: list[NoticeBriefOut]
    funding_blocks: list[BlockBriefOut]


class DepartmentBoardOut(BaseModel):
    department_id: str
    name: str | None
    code: str | None
    goals: list[GoalOut]
    evaluations: list[BoardEvaluationOut]
    ratings: list[RatingOut]
    weak: list[WeakObjectOut] = Field(description="objects graded 中 or 差, and what was done")


class NpcBoardOut(BaseModel):
    mof_div_code: str
    fiscal_year: int
    submissions: list[SubmissionOut]
    departments: list[DepartmentBoardOut] = Field(description="the submitted departments only")
    key_projects: list[KeyProjectOut]
    coverage: CoverageReport


# --- the finance bureau board ---------------------------------------------------------------


class BoardNoticeOut(BaseModel):
    notice_id: str
    object_id: str
    mof_div_code: str
    fiscal_year: int
    pro_code: str
    department_id: str
    department_name: str | None
    section_id: str | None = Field(description="the supervising business section (归口)")
    section_name: str | None
    notice_ref: str
    issued_on: str
    working_days: int
    due: str
    calendar: str
    status: str
    responded_on: str | None
    policy_id: str
    policy_version: int
    state: Literal["open", "due_soon", "overdue", "answered"] = Field(
        description="answered: a written answer awaits verification (no countdown)"
    )
    working_days_left: int | None = Field(
        description="official working days left to the due day (0 on it; negative when "
        "overdue); null once answered"
    )


class TallyOut(BaseModel):
    id: str | None
    name: str | None
    open: int
    due_soon: int
    overdue: int
    answered: int


class BlockedObjectOut(BaseModel):
    object_id: str
    pro_code: str
    name: str
    fiscal_year: int
    goal_status: str
    pending_stage: str | None
    blockers: list[str] = Field(description="every reason the domain gives for refusing 批复")


class BlockedDepartmentOut(BaseModel):
    department_id: str
    department_name: str | None
    section_id: str | None
    section_name: str | None
    objects: list[BlockedObjectOut]


class UnappliedResultOut(BaseModel):
    evaluation_id: str
    kind: str
    object_id: str
    mof_div_code: str
    fiscal_year: int
    pro_code: str
    department_id: str
    department_name: str | None
    section_id: str | None
    section_name: str | None
    score: str | None
    grade: str
    proposal: ProposalOut | None = Field(description="what the policy proposes")


class BoardFundingBlockOut(BaseModel):
    block_id: str
    mof_div_code: str
    pro_code: str
    object_id: str
    department_id: str
    department_name: str | None
    section_id: str | None
    section_name: str | None
    evaluated_year: int
    gap: str | None
    measure: str | None
    reason: str
    policy_id: str
    policy_version: int


class FinanceBoardOut(BaseModel):
    mof_div_code: str
    fiscal_year: int = Field(description="the budget year whose approvals are examined")
    on: date = Field(description="the day working days are counted from (CST)")
    due_soon_working_days: int
    policy: PolicyRefOut
    rectifications: list[BoardNoticeOut] = Field(description="every notice not yet verified")
    rectifications_by_department: list[TallyOut]
    rectifications_by_section: list[TallyOut]
    blocked_approvals: list[BlockedDepartmentOut]
    unapplied_results: list[UnappliedResultOut]
    funding_blocks: list[BoardFundingBlockOut] = Field(description="active blocks")
