"""Key review (重点审核) of a goal: judged by the policy when the goal is submitted.

洪财绩〔2022〕4号 二(二)4: 对市人代会重点审查部门、1000万元以上项目，财政部门组织重点审核.
The amount comes from the policy's goal_review.key_review_amount; the judgement travels in
the submission event with the policy that made it. A key-reviewed goal's 复核 must carry the
performance section's written opinion.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from domain.policy import Policy, PolicyRef
from domain.transcodings import transcoded


@transcoded("key_review")
@dataclass(frozen=True)
class KeyReview:
    required: bool
    reason: str
    policy: PolicyRef


def judge_key_review(policy: Policy, amount: Decimal) -> KeyReview:
    threshold = policy.threshold("goal_review", "key_review_amount")
    if threshold is None:
        return KeyReview(False, "the policy sets no key-review amount", policy.ref)
    wording = policy.section("goal_review")["key_review_amount"].get("wording", "")
    met = threshold.met_by(amount)
    relation = threshold.op if met else "does not reach"
    reason = f"{amount:,.2f} 元 {relation} {threshold.value:,.2f} 元 ({wording})"
    return KeyReview(met, ("重点审核: " if met else "常规审核: ") + reason, policy.ref)
