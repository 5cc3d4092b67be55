"""The goal lifecycle as a state machine (domain/objects/model.py through the Ledger's
use cases, on the in-memory store): random sequences of submissions, reviews, approvals and
adjustments by random people, including ones who may not act. A small model says which
commands must be accepted; after each step the ledger agrees with it, a refused command
recorded nothing, and an accepted one added exactly one event."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from domain.errors import DomainError
from domain.indicators import Indicator
from domain.objects.model import PASSING, STAGES, GoalStatus, PerformanceObject
from domain.roles import SPENDING_ROLES
from domain.values import Act, Actor, EvidenceRef
from tests.fixtures_world import ORGS
from tests.scenarios.helpers import indicators
from tests.unit.lifecycle_helpers import head, pass_ex_ante, register, worlds

# (login whose person acts, the role they act in, the organisation code they act for)
PEOPLE = {
    "staff": ("wangfang", "department_staff", "D101"),
    "unit": ("lijun", "unit_staff", "D101001"),
    "other department": ("zhaoyun", "department_staff", "D102"),
    "business": ("chenjing", "business_section", "B01"),
    "business 2": ("wuhua", "business_section", "B01"),
    "performance": ("liuqiang", "performance_section", "P01"),
    "budget": ("sunli", "budget_section", "Y01"),
    # one person in two roles: segregation of duties must still stop them
    "business as performance": ("chenjing", "performance_section", "P01"),
    "staff as business": ("wangfang", "business_section", "B01"),
}
OWN_ORGS = {"D101", "D101001"}
STAGE_ROLES = {code: role.value for code, _, role in STAGES}


@dataclass
class Model:
    """What the rules say the goal's state is, from the commands the ledger accepted."""

    status: GoalStatus = GoalStatus.NONE
    stage: int = 0
    submitter: str | None = None
    reviewers: list[str] = field(default_factory=list)
    indicators: tuple[Indicator, ...] = ()


def variant(n: int) -> list[Indicator]:
    """The world's indicators with the first target changed by n (n=0: unchanged)."""
    rows = indicators()
    rows[0] = Indicator(**{**rows[0].__dict__, "value": rows[0].value + n})
    return rows


class GoalLifecycle(RuleBasedStateMachine):
    @initialize(
        jurisdiction=st.sampled_from([0, 1]), amount=st.sampled_from(["800000.00", "60000000.00"])
    )
    def register_project(self, jurisdiction: int, amount: str) -> None:
        ledger, xunyang, nanchang = worlds()
        self.ledger, self.world = ledger, (xunyang, nanchang)[jurisdiction]
        self.object_id = register(ledger, self.world, amount)
        pass_ex_ante(ledger, self.world, self.object_id)
        self.model = Model()
        self.steps: list[str] = []

    # --- helpers ------------------------------------------------------------------------

    def act(self, who: str, reason: str | None = None) -> Act:
        login, role, org = PEOPLE[who]
        person = str(self.world.person(login))
        actor = Actor(person, login, role, str(self.world.org(org)), ORGS[org][0])
        return Act(actor, reason=reason)

    def goal(self) -> PerformanceObject:
        return self.ledger.load(PerformanceObject, self.object_id)

    def attempt(self, label: str, expected: bool | None, command) -> bool:
        """Run a command; check the log moved by one event exactly when it was accepted
        and, where the model knows, that acceptance is what the rules say."""
        before_head, before = head(self.ledger), self.goal()
        try:
            command()
            accepted = True
        except DomainError:
            accepted = False
        after = self.goal()
        self.steps.append(f"{label}: {'accepted' if accepted else 'refused'}")
        if accepted:
            assert after.version == before.version + 1, self.steps
            assert head(self.ledger) == before_head + 1, self.steps
        else:
            assert after.version == before.version, self.steps
            assert head(self.ledger) == before_head, "a refused command recorded something"
            assert after.goal_status == before.goal_status and after.reviewers == before.reviewers
        if expected is not None:
            assert accepted == expected, self.steps
        return accepted

    # --- rules --------------------------------------------------------------------------

    @rule(who=st.sampled_from(sorted(PEOPLE)), change=st.integers(min_value=0, max_value=2))
    def submit(self, who: str, change: int) -> None:
        _, role, org = PEOPLE[who]
        m = self.model
        allowed = role in SPENDING_ROLES and org in OWN_ORGS
        expected = allowed and m.status in (GoalStatus.NONE, GoalStatus.RETURNED)
        rows = variant(change)
        act = self.act(who)
        if self.attempt(
            f"{who} submits",
            expected,
            lambda: self.ledger.goals.submit_goal(act, self.object_id, rows),
        ):
            m.status, m.stage, m.reviewers = GoalStatus.UNDER_REVIEW, 0, []
            m.submitter, m.indicators = act.actor.person_id, tuple(rows)

    @rule(
        who=st.sampled_from(sorted(PEOPLE)),
        stage=st.sampled_from([code for code, _, _ in STAGES]),
        outcome=st.sampled_from(["优", "良", "中", "差", "returned"]),
        comments=st.sampled_from([None, "", "意见: 指标需细化"]),
    )
    def review(self, who: str, stage: str, outcome: str, comments: str | None) -> None:
        m, act = self.model, self.act(who)
        person, role = act.actor.person_id, act.actor.role
        written = bool(comments and comments.strip())
        key_review = self.goal().key_review
        expected = (
            m.status == GoalStatus.UNDER_REVIEW
            and stage == STAGES[m.stage][0]
            and role == STAGE_ROLES[stage]
            and person != m.submitter
            and person not in m.reviewers
            and (outcome in PASSING or written)
            and not (stage == "second" and key_review.required and not written)
        )
        if self.attempt(
            f"{who} reviews {stage} {outcome} {comments!r}",
            expected,
            lambda: self.ledger.goals.review_goal(act, self.object_id, stage, outcome, comments),
        ):
            m.reviewers.append(person)
            if outcome in PASSING:
                m.stage += 1
                if m.stage == len(STAGES):
                    m.status = GoalStatus.REVIEWED
            else:
                m.status = GoalStatus.REJECTED if outcome == "差" else GoalStatus.RETURNED

    # Random people rarely get a goal far; these rules act as the right person would (the
    # model still judges them), so sequences reach review, approval and adjustment.
    @rule(who=st.sampled_from(["staff", "unit"]), change=st.integers(min_value=0, max_value=2))
    def submit_as_the_department(self, who: str, change: int) -> None:
        self.submit(who, change)

    @rule(
        pick=st.integers(min_value=0, max_value=5),
        outcome=st.sampled_from(["优", "良", "良", "中", "returned"]),
        comments=st.sampled_from([None, "同意"]),
    )
    def review_as_the_pending_stage(self, pick: int, outcome: str, comments: str | None) -> None:
        """Someone in the pending stage's role; now and then a person segregation of duties
        must stop (the submitter, or the initial reviewer again in another role)."""
        stage = STAGES[min(self.model.stage, len(STAGES) - 1)][0]
        candidates = {
            "initial": ["business", "business 2", "staff as business"],
            "second": ["performance", "business as performance"],
            "final": ["budget"],
        }[stage]
        self.review(candidates[pick % len(candidates)], stage, outcome, comments)

    @rule(who=st.sampled_from(sorted(PEOPLE)))
    def approve(self, who: str) -> None:
        act = self.act(who)
        expected = self.model.status == GoalStatus.REVIEWED and act.actor.role == "budget_section"
        if self.attempt(
            f"{who} approves",
            expected,
            lambda: self.ledger.goals.approve_goal(
                act, self.object_id, Decimal("500000.00"), "财预1号"
            ),
        ):
            self.model.status = GoalStatus.APPROVED

    @rule(
        who=st.sampled_from(sorted(PEOPLE)),
        change=st.integers(min_value=0, max_value=3),
        reason=st.sampled_from([None, "", "项目内容调整"]),
    )
    def adjust(self, who: str, change: int, reason: str | None) -> None:
        m, act = self.model, self.act(who, reason)
        _, role, org = PEOPLE[who]
        rows = variant(change)
        expected = (
            m.status == GoalStatus.APPROVED
            and role in SPENDING_ROLES
            and org in OWN_ORGS
            and bool(reason and reason.strip())
            and tuple(rows) != m.indicators
        )
        # By procedure: the application, then the business section's review and the
        # budget section's approval, which then always pass (other people, right roles).
        goals, documents = self.ledger.goals, (EvidenceRef("调整申请.pdf", "b" * 64),)
        applied = self.attempt(
            f"{who} applies to adjust by {change} ({reason!r})",
            expected,
            lambda: goals.apply_goal_adjustment(
                replace(act, evidence=documents), self.object_id, rows
            ),
        )
        if applied:
            reviewer, approver = self.act("business"), self.act("budget")
            assert self.attempt(
                "business agrees",
                True,
                lambda: goals.review_goal_adjustment(reviewer, self.object_id, "agreed"),
            )
            assert self.attempt(
                "budget approves the adjustment",
                True,
                lambda: goals.approve_goal_adjustment(approver, self.object_id, "财预调2号"),
            )
            m.indicators = tuple(rows)

    # --- invariants ---------------------------------------------------------------------

    @invariant()
    def the_ledger_agrees_with_the_model(self) -> None:
        goal = self.goal()
        assert goal.goal_status == self.model.status, self.steps
        assert goal.indicators == self.model.indicators

    @invariant()
    def approval_only_after_three_stages_by_three_other_people(self) -> None:
        goal = self.goal()
        if goal.goal_status in (GoalStatus.REVIEWED, GoalStatus.APPROVED):
            assert len(goal.reviewers) == len(STAGES) == len(set(goal.reviewers))
            assert goal.submitted_by not in goal.reviewers
        if goal.goal_status == GoalStatus.APPROVED:
            assert goal.approved_amount == Decimal("500000.00")


GoalLifecycle.TestCase.settings = settings(max_examples=100, stateful_step_count=30, deadline=None)
test_goal_lifecycle = GoalLifecycle.TestCase
