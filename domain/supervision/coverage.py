"""Coverage targets (覆盖面): judging a jurisdiction's year against its policy.

洪财绩〔2022〕4号 二(二)6 and 二(三)9 set minimums for how much is evaluated and reported:
不少于60%的单位和60%的项目资金开展部门评价; 不少于60个抽查复核; 不少于10个部门整体支出、
10个重大政策（项目）财政重点评价; 不少于5个主管部门 to the NPC. 不少于 includes the number, so
each target is compared with the policy's own `Threshold` (its `op` says so). This module is
pure: the counting is done from the views (projections/coverage_queries.py), the numbers
and comparisons come from the policy, and every judgement names the policy that judged it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from domain.policy import Policy, PolicyRef, Threshold

CENT = Decimal("0.01")
OP_WORDS = {">=": "≥", ">": ">", "<=": "≤", "<": "<"}


@dataclass(frozen=True)
class CoverageCounts:
    """What the views say one jurisdiction did for one fiscal year."""

    units: int  # organisations of kind unit in the jurisdiction
    units_evaluated: int  # of those, units with a scored department evaluation that year
    project_funds: Decimal  # approved amounts of the year's approved projects
    project_funds_evaluated: Decimal  # of that, projects with a scored department evaluation
    spot_checks: int  # 抽查复核 recorded for the year's self-evaluations
    key_evaluations_department: int  # scored finance key evaluations, department_overall
    key_evaluations_policy: int  # scored finance key evaluations, policies and projects
    npc_departments: int  # departments in the year's NPC submission (0 if none)
    npc_submitted: bool = True


@dataclass(frozen=True)
class CoverageJudgement:
    target: str  # the policy key, e.g. "spot_checks_min"
    section: str  # the policy section the key is in
    label: str
    measure: str  # "percent" or "count"
    required: Threshold
    actual: Decimal | None  # None when there is nothing to take a share of
    numerator: Decimal
    denominator: Decimal | None  # shares only
    met: bool
    reason: str
    policy: PolicyRef


def target_threshold(policy: Policy, section: str, key: str) -> Threshold | None:
    """The policy's threshold for a target. A bare number under a `*_min` key (as the
    shipped `spot_checks_min: 60`) states a minimum: 不少于 N, which includes N."""
    raw = policy.section(section).get(key)
    if raw is None:
        return None
    if isinstance(raw, dict):
        return policy.threshold(section, key)
    if key.endswith("_min") and isinstance(raw, int) and not isinstance(raw, bool):
        return Threshold(Decimal(raw), ">=")
    raise ValueError(f"policy {policy.policy_id} v{policy.version}: {section}.{key} is {raw!r}")


def share_pct(part: Decimal | int, whole: Decimal | int) -> Decimal | None:
    """part / whole in percent, exact (judged as is; shown truncated to 0.01)."""
    if not whole:
        return None
    return Decimal(part) * 100 / Decimal(whole)


# (section, key, label, measure, numerator, denominator or None for counts)
_Get = Callable[[CoverageCounts], Decimal | int]
TARGETS: tuple[tuple[str, str, str, str, _Get, _Get | None], ...] = (
    ("coverage", "department_evaluation_units_pct", "部门评价覆盖单位比例", "percent",
     lambda c: c.units_evaluated, lambda c: c.units),
    ("coverage", "department_evaluation_funds_pct", "部门评价覆盖项目资金比例", "percent",
     lambda c: c.project_funds_evaluated, lambda c: c.project_funds),
    ("coverage", "spot_checks_min", "抽查复核数量", "count", lambda c: c.spot_checks, None),
    ("coverage", "key_evaluations_department_min", "部门整体支出财政重点评价数量", "count",
     lambda c: c.key_evaluations_department, None),
    ("coverage", "key_evaluations_policy_min", "重大政策（项目）财政重点评价数量", "count",
     lambda c: c.key_evaluations_policy, None),
    ("supervision", "npc_departments_min", "报送人大审查的部门数量", "count",
     lambda c: c.npc_departments, None),
)  # fmt: skip


def judge_coverage(policy: Policy, counts: CoverageCounts) -> list[CoverageJudgement]:
    """Each target the policy sets, with the actual figure and whether it is met."""
    judgements = []
    for section, key, label, measure, numerator, denominator in TARGETS:
        required = target_threshold(policy, section, key)
        if required is None:
            continue  # this policy sets no such target
        part = Decimal(numerator(counts))
        whole = None if denominator is None else Decimal(denominator(counts))
        exact = part if whole is None else share_pct(part, whole)
        met = exact is not None and required.met_by(exact)
        shown = None if exact is None else exact.quantize(CENT, rounding=ROUND_DOWN)
        judgements.append(
            CoverageJudgement(
                target=key,
                section=section,
                label=label,
                measure=measure,
                required=required,
                actual=shown if measure == "percent" else exact,
                numerator=part,
                denominator=whole,
                met=met,
                reason=_reason(policy, section, key, required, part, whole, shown, met, counts),
                policy=policy.ref,
            )
        )
    return judgements


def _reason(policy, section, key, required, part, whole, shown, met, counts) -> str:
    rule = f"{OP_WORDS[required.op]} {required.value}"
    if whole is None:
        figure = f"{part} against {rule}"
        if key == "npc_departments_min" and not counts.npc_submitted:
            figure = f"no NPC submission recorded for the year: 0 against {rule}"
    elif shown is None:
        figure = f"nothing to take a share of (the base is 0) against {rule}%"
    else:
        figure = f"{part} of {whole} = {shown}% against {rule}%"
    verdict = "met" if met else "not met"
    return (
        f"{figure}: {verdict} ({section}.{key} of policy {policy.policy_id} "
        f"v{policy.version}, {policy.document})"
    )
