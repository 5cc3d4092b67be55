"""A performance object (绩效对象) for one fiscal year, and its performance goal's lifecycle.

Goal lifecycle: submitted → 初审 (business section) → 复核 (performance section) → 终审
(budget section) → approved (批复, with the budget) → adjusted by procedure (调整).
Any stage may return the goal with comments; the department then resubmits and review
starts again at 初审. Outcomes follow 财预〔2015〕88号 art. 25: 优/良 pass on, 中 means
revise and resubmit, 差 means the goal may not enter the budget.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain import ids
from domain.errors import InvalidInput, InvalidTransition, NotPermitted, SegregationOfDuties
from domain.indicators import Indicator, validated_indicators
from domain.objects.adjustment import (
    Adjustment,
    check_review,
    checked_application,
    checked_approval,
)
from domain.objects.key_review import KeyReview
from domain.policy import PolicyRef
from domain.roles import SPENDING_ROLES, Role
from domain.values import Act, yuan

OBJECT_KINDS = {
    "project": "项目支出",
    "department_overall": "部门整体支出",
    "transfer_payment": "转移支付",
    "policy": "政策",
}
FUND_TYPES = {
    "general_public": "一般公共预算",
    "government_fund": "政府性基金预算",
    "state_capital": "国有资本经营预算",
    "social_insurance": "社会保险基金预算",
}


class GoalStatus(StrEnum):
    NONE = "none"
    UNDER_REVIEW = "under_review"
    RETURNED = "returned"
    REJECTED = "rejected"
    REVIEWED = "reviewed"  # passed 终审, awaiting 批复
    APPROVED = "approved"


# Review stages in order, with the role that performs each.
STAGES: tuple[tuple[str, str, Role], ...] = (
    ("initial", "初审", Role.BUSINESS_SECTION),
    ("second", "复核", Role.PERFORMANCE_SECTION),
    ("final", "终审", Role.BUDGET_SECTION),
)
STAGE_NAMES = {code: label for code, label, _ in STAGES}
PASSING = ("优", "良")
OUTCOMES = ("优", "良", "中", "差", "returned")


class PerformanceObject(Aggregate):
    TOPIC = "jixiao:PerformanceObject"  # the stored name: fixed, whatever module holds it

    class Created(Aggregate.Created):  # explicit topics ask it of every class; never recorded
        TOPIC = "jixiao:PerformanceObject.Created"

    @staticmethod
    def create_id(mof_div_code: str, fiscal_year: int, pro_code: str) -> UUID:
        return ids.performance_object_id(mof_div_code, fiscal_year, pro_code)

    @event("Registered", topic="jixiao:PerformanceObject.Registered")
    def __init__(
        self,
        act: Act,
        mof_div_code: str,
        fiscal_year: int,
        pro_code: str,
        name: str,
        kind: str,
        department_id: UUID,
        unit_id: UUID | None,
        fund_type: str,
        amount: Decimal,
        is_new: bool,
        last_year_amount: Decimal | None,
    ) -> None:
        self.mof_div_code = mof_div_code
        self.fiscal_year = fiscal_year
        self.pro_code = pro_code
        self.name = name
        self.kind = kind
        self.department_id = department_id
        self.unit_id = unit_id
        self.fund_type = fund_type
        self.amount = amount
        self.is_new = is_new
        self.last_year_amount = last_year_amount
        self.goal_status = GoalStatus.NONE
        self.indicators: tuple[Indicator, ...] = ()
        self.goal_revision = 0  # submissions and adjustments, each a new revision
        self.adjustment: Adjustment | None = None  # an application under way
        self.stage_index = 0
        self.reviewers: list[str] = []
        self.submitted_by: str | None = None
        self.key_review: KeyReview | None = None
        self.approved_amount: Decimal | None = None
        self.approval_ref: str | None = None
        self.in_library = False  # admitted to the project library (入库)

    @classmethod
    def register(
        cls,
        act: Act,
        *,
        mof_div_code: str,
        fiscal_year: int,
        pro_code: str,
        name: str,
        kind: str,
        department_id: UUID,
        unit_id: UUID | None,
        fund_type: str,
        amount: Decimal,
        is_new: bool,
        last_year_amount: Decimal | None,
    ) -> PerformanceObject:
        if kind not in OBJECT_KINDS:
            raise InvalidInput(f"kind is one of {list(OBJECT_KINDS)}", "kind")
        if fund_type not in FUND_TYPES:
            raise InvalidInput(f"fund_type is one of {list(FUND_TYPES)}", "fund_type")
        if not 2000 <= fiscal_year <= 2100:
            raise InvalidInput("fiscal_year is a four-digit year", "fiscal_year")
        if not name.strip():
            raise InvalidInput("name is required", "name")
        if not pro_code.strip():
            raise InvalidInput("pro_code is required", "pro_code")
        if is_new and last_year_amount is not None:
            raise InvalidInput("a new object has no last year's amount", "last_year_amount")
        if not is_new and last_year_amount is None:
            raise InvalidInput("a continuing object states last year's amount", "last_year_amount")
        _require_spending_actor(act, department_id, unit_id)
        return cls(
            act=act,
            mof_div_code=mof_div_code,
            fiscal_year=fiscal_year,
            pro_code=pro_code.strip(),
            name=name.strip(),
            kind=kind,
            department_id=department_id,
            unit_id=unit_id,
            fund_type=fund_type,
            amount=yuan(amount),
            is_new=is_new,
            last_year_amount=(
                None
                if last_year_amount is None
                else yuan(last_year_amount, field_name="last_year_amount")
            ),
        )

    # --- goal submission ---------------------------------------------------------------

    def submit_goal(
        self, act: Act, indicators: list[Indicator], key_review: KeyReview | None = None
    ) -> None:
        _require_spending_actor(act, self.department_id, self.unit_id)
        rows = validated_indicators(indicators)
        if self.goal_status == GoalStatus.RETURNED:
            self._goal_resubmitted(act=act, indicators=rows, key_review=key_review)
        elif self.goal_status == GoalStatus.NONE:
            self._goal_submitted(act=act, indicators=rows, key_review=key_review)
        else:
            raise InvalidTransition(
                f"a goal can be submitted only when none exists or it was returned "
                f"(now {self.goal_status.value})"
            )

    # key_review defaults to None so submissions recorded before it existed still read.
    @event("GoalSubmitted", topic="jixiao:PerformanceObject.GoalSubmitted")
    def _goal_submitted(
        self, act: Act, indicators: tuple[Indicator, ...], key_review: KeyReview | None = None
    ) -> None:
        self._start_review(act, indicators, key_review)

    @event("GoalResubmitted", topic="jixiao:PerformanceObject.GoalResubmitted")
    def _goal_resubmitted(
        self, act: Act, indicators: tuple[Indicator, ...], key_review: KeyReview | None = None
    ) -> None:
        self._start_review(act, indicators, key_review)

    def _start_review(
        self, act: Act, indicators: tuple[Indicator, ...], key_review: KeyReview | None
    ) -> None:
        self.submitted_by = act.actor.person_id
        self.key_review = key_review
        self.indicators = tuple(indicators)
        self.goal_revision += 1
        self.goal_status = GoalStatus.UNDER_REVIEW
        self.stage_index = 0
        self.reviewers = []

    # --- review ------------------------------------------------------------------------

    @property
    def pending_stage(self) -> str | None:
        if self.goal_status != GoalStatus.UNDER_REVIEW:
            return None
        return STAGES[self.stage_index][0]

    def review_goal(self, act: Act, stage: str, outcome: str, comments: str | None) -> None:
        if self.goal_status != GoalStatus.UNDER_REVIEW:
            raise InvalidTransition(f"the goal is not under review (now {self.goal_status.value})")
        if stage not in STAGE_NAMES:
            raise InvalidInput(f"stage is one of {list(STAGE_NAMES)}", "stage")
        expected, label, role = STAGES[self.stage_index]
        if stage != expected:
            raise InvalidTransition(
                f"review out of order: {STAGE_NAMES[stage]} cannot precede {label} ({expected})",
                "stage",
            )
        if act.actor.role != role:
            raise NotPermitted(f"{label} is performed by the {role.value} role", "stage")
        # Segregation of duties (不相容职务分离): no one reviews their own submission, and
        # each stage of one submission is taken by a different person.
        if act.actor.person_id == self.submitted_by:
            raise SegregationOfDuties("segregation of duties: you submitted this goal", "stage")
        if act.actor.person_id in self.reviewers:
            raise SegregationOfDuties(
                "segregation of duties: you already reviewed another stage of this goal", "stage"
            )
        if outcome not in OUTCOMES:
            raise InvalidInput(f"outcome is one of {list(OUTCOMES)}", "outcome")
        written = bool(comments and comments.strip())
        if outcome not in PASSING and not written:
            raise InvalidInput("a goal that does not pass needs review comments", "comments")
        key_review = self.key_review
        if stage == "second" and key_review is not None and key_review.required and not written:
            raise InvalidInput(
                f"this goal is under key review (重点审核, {key_review.policy.policy_id} "
                f"v{key_review.policy.version}): 复核 records the written opinion",
                "comments",
            )
        self._goal_reviewed(act=act, stage=stage, outcome=outcome, comments=comments)

    @event("GoalReviewed", topic="jixiao:PerformanceObject.GoalReviewed")
    def _goal_reviewed(self, act: Act, stage: str, outcome: str, comments: str | None) -> None:
        self.reviewers.append(act.actor.person_id)
        if outcome in PASSING:
            self.stage_index += 1
            if self.stage_index == len(STAGES):
                self.goal_status = GoalStatus.REVIEWED
        elif outcome == "差":
            self.goal_status = GoalStatus.REJECTED
        else:  # 中 or returned: revise and resubmit
            self.goal_status = GoalStatus.RETURNED

    # --- approval and adjustment ---------------------------------------------------------

    def approve_goal(self, act: Act, approved_amount: Decimal, approval_ref: str) -> None:
        # A goal moved in from the national system was reviewed there; its tables hold the
        # approved goal, not the reviews, so a migrated approval follows the submission.
        migrated = act.migrated is not None and self.goal_status == GoalStatus.UNDER_REVIEW
        if self.goal_status != GoalStatus.REVIEWED and not migrated:
            raise InvalidTransition(
                f"only a goal that passed all three reviews can be approved "
                f"(now {self.goal_status.value})"
            )
        if act.actor.role != Role.BUDGET_SECTION:
            raise NotPermitted("goals are approved (批复) with the budget by the budget section")
        if not approval_ref.strip():
            raise InvalidInput("approval_ref (批复文号) is required", "approval_ref")
        self._goal_approved(
            act=act,
            approved_amount=yuan(approved_amount, field_name="approved_amount"),
            approval_ref=approval_ref.strip(),
        )

    @event("GoalApproved", topic="jixiao:PerformanceObject.GoalApproved")
    def _goal_approved(self, act: Act, approved_amount: Decimal, approval_ref: str) -> None:
        self.goal_status = GoalStatus.APPROVED
        self.approved_amount = approved_amount
        self.approval_ref = approval_ref

    # --- adjustment by procedure (财预〔2015〕88号 第二十八条: an approved goal is normally
    # not adjusted; an adjustment follows the budget-adjustment procedure) ------------------

    def apply_adjustment(
        self, act: Act, indicators: list[Indicator], amount: Decimal | None
    ) -> None:
        """The department applies, with the reason and its documents; the approved goal
        stands until the budget section approves the adjustment (domain/objects/adjustment.py)."""
        _require_spending_actor(act, self.department_id, self.unit_id)
        rows, amount = checked_application(self, act, indicators, amount)
        self._adjustment_applied(act=act, indicators=rows, amount=amount)

    @event("GoalAdjustmentApplied", topic="jixiao:PerformanceObject.GoalAdjustmentApplied")
    def _adjustment_applied(
        self, act: Act, indicators: tuple[Indicator, ...], amount: Decimal | None
    ) -> None:
        self.adjustment = Adjustment(tuple(indicators), amount, act.actor.person_id)

    def review_adjustment(self, act: Act, outcome: str, comments: str | None) -> None:
        """The business section (初审) agrees or returns the application."""
        check_review(self, act, outcome, comments)
        self._adjustment_reviewed(act=act, outcome=outcome, comments=comments)

    @event("GoalAdjustmentReviewed", topic="jixiao:PerformanceObject.GoalAdjustmentReviewed")
    def _adjustment_reviewed(self, act: Act, outcome: str, comments: str | None) -> None:
        if outcome == "returned":
            self.adjustment = None
        else:
            self.adjustment = replace(self.adjustment, reviewed_by=act.actor.person_id)

    def approve_adjustment(self, act: Act, approval_ref: str) -> None:
        """The budget section approves (批复) the adjustment, citing its approval; what it
        replaces stays in the history (the event keeps it)."""
        pending = checked_approval(self, act, approval_ref)
        self._goal_adjusted(
            act=act,
            previous=self.indicators,
            indicators=pending.indicators,
            approval_ref=approval_ref.strip(),
            previous_amount=self.approved_amount,
            approved_amount=pending.amount,
        )

    class GoalAdjusted(Aggregate.Event):
        """An adjustment in force. Version 2 (2026-12): approved by the budget section after
        the department applied and the business section reviewed, and it may change the
        amount. Version 1 was recorded by the department alone, indicators only."""

        TOPIC = "jixiao:PerformanceObject.GoalAdjusted"
        class_version = 2
        act: Act
        previous: tuple[Indicator, ...]
        indicators: tuple[Indicator, ...]
        approval_ref: str
        previous_amount: Decimal | None
        approved_amount: Decimal | None

        @staticmethod
        def upcast_v1_v2(state: dict) -> None:
            # The amount did not change by a version-1 adjustment: neither is recorded.
            state["previous_amount"] = None
            state["approved_amount"] = None

    @event(GoalAdjusted)
    def _goal_adjusted(
        self,
        act: Act,
        previous: tuple[Indicator, ...],
        indicators: tuple[Indicator, ...],
        approval_ref: str,
        previous_amount: Decimal | None,
        approved_amount: Decimal | None,
    ) -> None:
        # The previous indicators travel in the event so the history reads without replay.
        self.indicators = tuple(indicators)
        self.goal_revision += 1
        if approved_amount is not None:
            self.approved_amount = approved_amount
        self.adjustment = None

    # --- the project library (项目库) ---------------------------------------------------------

    def admit_to_library(
        self, act: Act, ex_ante_required: bool, basis: tuple[str, ...], policy: PolicyRef
    ) -> None:
        """入库: the finance bureau admits the project; the use case has checked the
        ex-ante gate and passes its basis, which the event keeps with the policy."""
        if act.actor.role not in (Role.BUSINESS_SECTION, Role.BUDGET_SECTION):
            raise NotPermitted("the business or budget section admits projects to the library")
        if self.in_library:
            raise InvalidTransition("the project is already in the library (已入库)")
        self._admitted_to_library(
            act=act, ex_ante_required=ex_ante_required, basis=basis, policy=policy
        )

    @event("AdmittedToLibrary", topic="jixiao:PerformanceObject.AdmittedToLibrary")
    def _admitted_to_library(
        self, act: Act, ex_ante_required: bool, basis: tuple[str, ...], policy: PolicyRef
    ) -> None:
        self.in_library = True


def _require_spending_actor(act: Act, department_id: UUID, unit_id: UUID | None) -> None:
    actor = act.actor
    if actor.role not in SPENDING_ROLES:
        raise NotPermitted("goals are prepared by the spending department or unit (填报人)")
    own = {str(department_id)} | ({str(unit_id)} if unit_id else set())
    if actor.organisation_id not in own:
        raise NotPermitted("you may act only for your own department or unit")
