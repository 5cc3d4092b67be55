"""The business dates an act may claim: a window the jurisdiction's policy sets.

A business date is the date an act claims (data as of, the referral's or publication's
date), separate from the recorded time, so a date far outside any budget year (0001-01-01,
9999-12-31) is a typing error or a forgery, not a claim. The policy that applies is the one
of the aggregate's jurisdiction and fiscal year (the current year in China Standard Time
for aggregates without one, the national default for those without a jurisdiction), so it
is checked here, in the domain, on every event a save is about to record.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from domain.errors import InvalidInput
from domain.policy import Policy, PolicyBook, PolicyRef

CHINA = ZoneInfo("Asia/Shanghai")


def today_in_china() -> date:
    """Today's date in China Standard Time: the business date an act recorded now falls on."""
    return datetime.now(CHINA).date()


@dataclass(frozen=True)
class BusinessDateWindow:
    earliest: date
    latest: date
    policy: PolicyRef

    @classmethod
    def of(cls, policy: Policy, today: date) -> BusinessDateWindow:
        rules = policy.section("business_dates")
        latest_year = today.year + int(rules["latest_years_after_this_year"])
        return cls(date(int(rules["earliest_year"]), 1, 1), date(latest_year, 12, 31), policy.ref)

    def check(self, claimed: date) -> None:
        if not self.earliest <= claimed <= self.latest:
            raise InvalidInput(
                f"business_date {claimed.isoformat()} is outside the window "
                f"{self.earliest.isoformat()} to {self.latest.isoformat()} set by "
                f"{self.policy.policy_id} v{self.policy.version} ({self.policy.document})",
                "business_date",
            )


def _policy_for(policies: PolicyBook, aggregate: Any, today: date) -> Policy:
    mof_div_code = getattr(aggregate, "mof_div_code", None)
    if not isinstance(mof_div_code, str):
        return policies.get(PolicyBook.DEFAULT_ID)
    fiscal_year = getattr(aggregate, "fiscal_year", None)
    return policies.for_jurisdiction(
        mof_div_code, fiscal_year if isinstance(fiscal_year, int) else today.year
    )


def check_business_dates(
    policies: PolicyBook, aggregates: Iterable[Any], today: date | None = None
) -> None:
    """Refuse (InvalidInput) the save if an event about to be recorded claims a business
    date outside its jurisdiction's window."""
    today = today or today_in_china()
    for aggregate in aggregates:
        for event in getattr(aggregate, "pending_events", ()):
            claimed = getattr(getattr(event, "act", None), "business_date", None)
            if isinstance(claimed, date):
                BusinessDateWindow.of(_policy_for(policies, aggregate, today), today).check(claimed)
