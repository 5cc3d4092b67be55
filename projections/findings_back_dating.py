"""Back-dating (倒签, 补录): an act recorded more days after the business date it claims than
the policy in force tolerates, one finding per person, record and day of recording. Any act
with a business date may be back-dated, so the view hands each such act here. A mixin of the
findings view (projections/findings_view.py), which records what it finds."""

from __future__ import annotations

import json
from typing import Any

from domain.accountability.act_parts import part_of
from domain.accountability.findings import finding_id
from domain.business_dates import CHINA
from domain.errors import DomainError
from domain.policy import PolicyBook
from projections.finding_records import Place, Ref, policy_json
from projections.view import Cursor

# Recorded by the ledger itself beside the act that caused them, under that act's signature
# and date: not acts of their own when counting back-dated acts.
ALONGSIDE = frozenset(
    {
        "MonitoringTask.EntryJudged",
        "ExAnteAssessment.RequirementJudged",
        "FundingBlock.FundingBlocked",
        "FundingBlock.FundingBlockedAgain",
    }
)


class BackDatingTraces:
    _found: Any  # FindingsView._found: records a finding with its events and persons
    policies: PolicyBook

    # --- dates ----------------------------------------------------------------------------

    def _back_dated(self, cur: Cursor, e: Any, ref: Ref, place: Place) -> None:
        year = place.fiscal_year or e.act.business_date.year
        try:
            policy = self.policies.for_jurisdiction(place.mof_div_code, year)
        except DomainError:  # no policy for that place and year: nothing to judge it by
            return
        # Every policy inherits the national default's section: a policy without it is a
        # broken policy file, and the view stops on it (its failure is shown) rather than
        # judging nothing in silence.
        tolerance = int(policy.section("findings")["back_dating_tolerance_days"])
        recorded = e.timestamp.astimezone(CHINA).date()
        late = (recorded - e.act.business_date).days
        if late <= tolerance:
            return
        # One finding per person, record and day of recording: a day's back-dated entries on
        # one record are one trace (a bulk 补录), not one per act.
        subject = place.object_id or ref.originator_id
        key = f"{subject}:{ref.person_id}:{recorded.isoformat()}"
        known = cur.execute(
            "SELECT statistic FROM v_findings WHERE finding_id = ?",
            (str(finding_id("back_dated", key)),),
        ).fetchone()
        before = json.loads(known["statistic"]) if known else {}
        claimed = e.act.business_date.isoformat()
        self._found(
            cur,
            "back_dated",
            key,
            place,
            refs=[ref],
            parts=[(part_of(ref.event, ref.role), ref)],
            statistic={
                "recorded_date": recorded.isoformat(),
                "earliest_business_date": min(
                    before.get("earliest_business_date", claimed), claimed
                ),
                "days_late": max(before.get("days_late", 0), late),
                "acts": before.get("acts", 0) + 1,
                "tolerance_days": tolerance,
            },
            policy=policy_json(policy.ref),
            at=ref,
        )
