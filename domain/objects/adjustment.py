"""Adjusting an approved goal by procedure (财预〔2015〕88号 第二十八条: approved goals are
normally not adjusted; an adjustment follows the budget-adjustment procedure): the
department applies with the reason and its documents, the business section reviews, the
budget section approves. What each step checks; the goal's events are on PerformanceObject."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from domain.errors import InvalidInput, InvalidTransition, NotPermitted, SegregationOfDuties
from domain.indicators import Indicator, validated_indicators
from domain.roles import Role
from domain.values import Act, yuan

ADJUSTMENT_REVIEWS = ("agreed", "returned")


@dataclass(frozen=True)
class Adjustment:
    """An application to adjust an approved goal, while it is under way."""

    indicators: tuple[Indicator, ...]
    amount: Decimal | None
    applied_by: str
    reviewed_by: str | None = None


def checked_application(
    goal: Any, act: Act, indicators: list[Indicator], amount: Decimal | None
) -> tuple[tuple[Indicator, ...], Decimal | None]:
    """The indicators and amount applied for, once the application may be made."""
    if goal.goal_status != "approved":
        raise InvalidTransition(
            f"only an approved goal can be adjusted (now {goal.goal_status}); "
            "before approval, return and resubmit it"
        )
    if goal.adjustment is not None:
        raise InvalidTransition("an adjustment of this goal is already under way")
    act.requiring_reason("applying to adjust an approved goal")
    if not act.evidence:
        raise InvalidInput("an application to adjust carries its documents", "evidence")
    rows = validated_indicators(indicators)
    amount = None if amount is None else yuan(amount, field_name="amount")
    if rows == goal.indicators and amount in (None, goal.approved_amount):
        raise InvalidInput("the adjustment changes nothing", "indicators")
    return rows, amount


def check_review(goal: Any, act: Act, outcome: str, comments: str | None) -> None:
    pending = _pending(goal, "reviewed")
    if pending.reviewed_by is not None:
        raise InvalidTransition("the application was reviewed: the budget section approves")
    if act.actor.role != Role.BUSINESS_SECTION:
        raise NotPermitted("the business section reviews an application to adjust a goal")
    if outcome not in ADJUSTMENT_REVIEWS:
        raise InvalidInput(f"outcome is one of {list(ADJUSTMENT_REVIEWS)}", "outcome")
    if outcome == "returned" and not (comments or "").strip():
        raise InvalidInput("a returned application says why", "comments")
    if act.actor.person_id == pending.applied_by:
        raise SegregationOfDuties("segregation of duties: you applied for this adjustment")


def checked_approval(goal: Any, act: Act, approval_ref: str) -> Adjustment:
    """The application the budget section may now approve."""
    pending = _pending(goal, "approved")
    if pending.reviewed_by is None:
        raise InvalidTransition("the business section reviews the application first")
    if act.actor.role != Role.BUDGET_SECTION:
        raise NotPermitted("the budget section approves an adjustment (批复)")
    if act.actor.person_id in (pending.applied_by, pending.reviewed_by):
        raise SegregationOfDuties(
            "segregation of duties: you applied for or reviewed this adjustment"
        )
    if not approval_ref.strip():
        raise InvalidInput("an adjustment cites its approval (调整批复文号)", "approval_ref")
    return pending


def _pending(goal: Any, what: str) -> Adjustment:
    if goal.adjustment is None:
        raise InvalidTransition(f"no application to adjust this goal is to be {what}")
    return goal.adjustment
