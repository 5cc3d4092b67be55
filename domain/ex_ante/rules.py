"""Whether a performance object needs an ex-ante assessment (事前绩效评估), and why.

Pure: the policy's `ex_ante` section decides (new-project amount; continuing projects'
growth rate and growth amount; exemptions such as 应急、救灾), and the answer carries
its reasons in words a reviewer can check against the document.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from domain.errors import InvalidInput
from domain.policy import Policy, PolicyRef, Threshold

EXEMPTION_NAMES = {"emergency": "应急", "disaster_relief": "救灾"}
# The conclusions an ex-ante assessment may reach (national practice); which of them pass
# is policy (`passing_conclusions`).
CONCLUSIONS = ("予以支持", "调整后支持", "不予支持")


@dataclass(frozen=True)
class Requirement:
    required: bool
    reasons: tuple[str, ...]
    exemption: str | None
    policy: PolicyRef


def _yuan(amount: Decimal) -> str:
    return f"{amount:,.2f} 元"


def _compare(threshold: Threshold, met: bool) -> str:
    if met:
        return threshold.op.replace(">=", "≥").replace("<=", "≤")
    return {">=": "<", ">": "≤", "<=": ">", "<": "≥"}[threshold.op]


def judge_requirement(
    policy: Policy,
    *,
    kind: str,
    amount: Decimal,
    is_new: bool,
    last_year_amount: Decimal | None,
    exemption: str | None = None,
    exemption_reason: str | None = None,
) -> Requirement:
    rules = policy.section("ex_ante")
    if exemption is not None:
        allowed = rules.get("exemptions", [])
        if exemption not in allowed:
            raise InvalidInput(
                f"exemption is one of {allowed} under {policy.policy_id} v{policy.version}",
                "exemption",
            )
        if not (exemption_reason and exemption_reason.strip()):
            raise InvalidInput("an exemption is declared with its reason", "reason")
        name = EXEMPTION_NAMES.get(exemption, exemption)
        return Requirement(
            False,
            (f"除应急、救灾等特殊事项: 部门声明为{name}事项 ({exemption}): {exemption_reason}",),
            exemption,
            policy.ref,
        )
    if kind == "department_overall":
        return Requirement(
            False, ("部门整体支出不是新增或延续性项目，不适用事前绩效评估",), None, policy.ref
        )
    if is_new:
        threshold = policy.threshold("ex_ante", "new_project_amount")
        met = threshold is not None and threshold.met_by(amount)
        reason = (
            "no new-project threshold in this policy"
            if threshold is None
            else f"新增项目 {_yuan(amount)} {_compare(threshold, met)} {_yuan(threshold.value)}"
            f" ({rules['new_project_amount'].get('wording', '')})"
        )
        return Requirement(met, (reason,), None, policy.ref)
    return _continuing(policy, rules, amount, last_year_amount or Decimal(0))


def _continuing(policy: Policy, rules: dict, amount: Decimal, last_year: Decimal) -> Requirement:
    growth = amount - last_year
    reasons: list[str] = []
    required = False
    rate_rule = policy.threshold("ex_ante", "continuing_growth_rate")
    if rate_rule is not None:
        if last_year > 0:
            rate = growth / last_year
            met = rate_rule.met_by(rate)
            shown = f"{rate * 100:.2f}%"
            if not met and Decimal(shown[:-1]) == rate_rule.value * 100:
                shown = f"{rate * 100:.6f}%"  # rounding would hide why it falls short
        else:  # nothing last year: any increase is unbounded growth
            met, shown = growth > 0, "∞ (上年为零)"
        required |= met
        reasons.append(
            f"延续性项目年度预算增幅 {shown} {_compare(rate_rule, met)} "
            f"{rate_rule.value * 100:.0f}% ({rules['continuing_growth_rate'].get('wording', '')})"
        )
    amount_rule = policy.threshold("ex_ante", "continuing_growth_amount")
    if amount_rule is not None:
        met = amount_rule.met_by(growth)
        required |= met
        reasons.append(
            f"延续性项目增加金额 {_yuan(growth)} {_compare(amount_rule, met)} "
            f"{_yuan(amount_rule.value)} ({rules['continuing_growth_amount'].get('wording', '')})"
        )
    return Requirement(required, tuple(reasons), None, policy.ref)
