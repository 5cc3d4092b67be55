"""NPC supervision (人大监督): what goes to the NPC with the budget draft, and its ratings.

洪财绩〔2022〕4号 二(三)9: each year the finance bureau sends the goals and evaluation results
of at least N departments (the policy's `supervision.npc_departments_min`) with the budget
draft to the NPC or its standing committee, which rates them (满意度测评). Key projects are
those at or above the policy's `npc_key_project_amount`.

A submission with fewer departments than the policy's minimum is refused (the minimum is
the rule, not a warning); the accepted submission records the minimum and the policy that
set it. One submission per jurisdiction and fiscal year: submitting twice is a conflict.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.errors import AlreadyExists, InvalidInput, NotPermitted
from domain.ids import NAMESPACE
from domain.policy import Policy, PolicyRef
from domain.roles import Role
from domain.transcodings import transcoded
from domain.values import Act

SUBMITTING_ROLES = frozenset({Role.PERFORMANCE_SECTION, Role.BUDGET_SECTION})
RATINGS = ("满意", "基本满意", "不满意")


def npc_submission_id(mof_div_code: str, fiscal_year: int) -> UUID:
    return uuid5(NAMESPACE, f"npc-submission:{mof_div_code}:{fiscal_year}")


@transcoded("key_project")
@dataclass(frozen=True)
class KeyProject:
    """A key project (重点项目) whose goal and results go to the NPC."""

    object_id: UUID
    pro_code: str
    name: str
    department_id: UUID
    amount: Decimal


class NpcSubmission(Aggregate):
    TOPIC = "jixiao:NpcSubmission"  # the stored name: fixed, whatever module holds it

    class Created(Aggregate.Created):  # explicit topics ask it of every class; never recorded
        TOPIC = "jixiao:NpcSubmission.Created"

    @staticmethod
    def create_id(mof_div_code: str, fiscal_year: int) -> UUID:
        return npc_submission_id(mof_div_code, fiscal_year)

    @event("Submitted", topic="jixiao:NpcSubmission.Submitted")
    def __init__(
        self,
        act: Act,
        mof_div_code: str,
        fiscal_year: int,
        department_ids: tuple[UUID, ...],
        key_projects: tuple[KeyProject, ...],
        budget_draft_ref: str,
        departments_min: int,
        key_project_rule: str,
        policy_ref: PolicyRef,
    ) -> None:
        self.mof_div_code = mof_div_code
        self.fiscal_year = fiscal_year
        self.department_ids = tuple(department_ids)
        self.key_projects = tuple(key_projects)
        self.budget_draft_ref = budget_draft_ref
        self.departments_min = departments_min
        self.key_project_rule = key_project_rule
        self.policy_ref = policy_ref
        self.submitted_by = act.actor.person_id
        self.ratings: dict[tuple[str, UUID], str] = {}  # (rater, department) → rating

    @classmethod
    def submit(
        cls,
        act: Act,
        *,
        mof_div_code: str,
        fiscal_year: int,
        department_ids: list[UUID],
        key_projects: list[KeyProject],
        budget_draft_ref: str,
        policy: Policy,
    ) -> NpcSubmission:
        if act.actor.role not in SUBMITTING_ROLES:
            raise NotPermitted(
                "the finance bureau (performance or budget section) submits to the NPC"
            )
        if len(set(department_ids)) != len(department_ids):
            raise InvalidInput("a department is listed twice", "department_ids")
        rules = policy.section("supervision")
        minimum = int(rules["npc_departments_min"])
        if len(department_ids) < minimum:
            raise InvalidInput(
                f"at least {minimum} departments go to the NPC each year, {len(department_ids)} "
                f"chosen (policy {policy.policy_id} v{policy.version}, {policy.document}: "
                f"{rules['source']})",
                "department_ids",
            )
        line = policy.threshold("supervision", "npc_key_project_amount")
        for project in key_projects:
            if project.department_id not in department_ids:
                raise InvalidInput(
                    f"key project {project.pro_code} is not of a chosen department", "key_projects"
                )
            if line is not None and not line.met_by(project.amount):
                raise InvalidInput(
                    f"{project.pro_code} ({project.amount} yuan) is below the key-project line "
                    f"{line.op} {line.value} of policy {policy.policy_id} v{policy.version}",
                    "key_projects",
                )
        if len({p.object_id for p in key_projects}) != len(key_projects):
            raise InvalidInput("a key project is listed twice", "key_projects")
        if not budget_draft_ref.strip():
            raise InvalidInput("name the budget draft (预算草案) it goes with", "budget_draft_ref")
        return cls(
            act=act,
            mof_div_code=mof_div_code,
            fiscal_year=fiscal_year,
            department_ids=tuple(department_ids),
            key_projects=tuple(key_projects),
            budget_draft_ref=budget_draft_ref.strip(),
            departments_min=minimum,
            key_project_rule="" if line is None else f"{line.op} {line.value}",
            policy_ref=policy.ref,
        )

    def rate(self, act: Act, department_id: UUID, rating: str, comments: str | None) -> None:
        if act.actor.role != Role.NPC:
            raise NotPermitted("satisfaction ratings (满意度测评) are given by NPC deputies")
        if department_id not in self.department_ids:
            raise InvalidInput(
                "that department was not submitted to the NPC this year", "department_id"
            )
        if rating not in RATINGS:
            raise InvalidInput(f"rating is one of {list(RATINGS)}", "rating")
        if rating == "不满意" and not (comments and comments.strip()):
            raise InvalidInput("a rating of 不满意 says why (comments)", "comments")
        if (act.actor.person_id, department_id) in self.ratings:
            raise AlreadyExists("you already rated this department this year", "department_id")
        self._rated(act=act, department_id=department_id, rating=rating, comments=comments)

    @event("SatisfactionRated", topic="jixiao:NpcSubmission.SatisfactionRated")
    def _rated(self, act: Act, department_id: UUID, rating: str, comments: str | None) -> None:
        self.ratings[(act.actor.person_id, department_id)] = rating
