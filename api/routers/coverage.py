"""Coverage report (覆盖面): how much of a jurisdiction's fiscal year was evaluated and
reported, against the targets of the policy in force (部门评价 units and funds, 抽查复核,
财政重点评价 of each kind, departments sent to the NPC)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import CurrentActor, ServicesDep
from api.schemas.coverage import CoverageReport
from domain.supervision.coverage import CoverageJudgement, judge_coverage
from projections.coverage_queries import coverage_counts

router = APIRouter(tags=["coverage 覆盖面"])


def _plain(j: CoverageJudgement) -> dict:
    return {
        "target": j.target,
        "section": j.section,
        "label": j.label,
        "measure": j.measure,
        "required": {"value": str(j.required.value), "op": j.required.op},
        "actual": None if j.actual is None else str(j.actual),
        "numerator": str(j.numerator),
        "denominator": None if j.denominator is None else str(j.denominator),
        "met": j.met,
        "reason": j.reason,
        "policy": vars(j.policy),
    }


@router.get(
    "/coverage",
    response_model=CoverageReport,
    summary="Coverage targets of a jurisdiction's year, judged by its policy 覆盖面",
)
def coverage(
    services: ServicesDep,
    actor: CurrentActor,
    mof_div_code: Annotated[str, Query(min_length=1, max_length=20)],
    fiscal_year: Annotated[int, Query(ge=2000, le=2100)],
) -> dict:
    policy = services.ledger.policies.for_jurisdiction(mof_div_code, fiscal_year)
    with services.views_db.transaction(write=False) as cur:
        counts = coverage_counts(cur, mof_div_code, fiscal_year)
    judgements = judge_coverage(policy, counts)
    sections = sorted({j.section for j in judgements})
    return {
        "mof_div_code": mof_div_code,
        "fiscal_year": fiscal_year,
        "policy": vars(policy.ref),
        "sources": {s: str(policy.section(s).get("source", "")) for s in sections},
        "all_met": all(j.met for j in judgements),
        "targets": [_plain(j) for j in judgements],
    }
