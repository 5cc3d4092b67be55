"""The demo's evaluations after the year: self-evaluations, department and finance key
evaluations, the finance bureau's spot checks, and the results applied from the policy's
proposals.

A self-evaluation's actuals default to the goal's targets (qualitative ones 达成预期); the
data file gives the actuals that differ. Scores and grades are the ledger's, never typed,
except the scores a person gives (key evaluations, spot checks).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from domain.evaluation.scoring import IndicatorActual
from domain.objects.model import PerformanceObject
from infrastructure.demo.context import Demo

QUALITATIVE_MET = "达成预期"


def evaluate(demo: Demo, plan: dict[str, Any]) -> None:
    for row in plan.get("self", []):
        _self_evaluation(demo, row)
    for row in plan.get("key", []):
        _key_evaluation(demo, row)
    for row in plan.get("spot_checks", []):
        demo.first(
            "spot checks",
            lambda row=row: demo.ledger.evaluation.recheck_self_evaluation(
                demo.act(row["by"], row["date"], evidence=row.get("evidence", ())),
                demo.evaluation_id(row["pro_code"], "self"),
                Decimal(row["score"]),
                row["comments"],
            ),
        )


def apply_results(demo: Demo, rows: list[dict[str, Any]]) -> None:
    """Each result as the policy proposes it, unless the data gives another measure (which
    then states its reason, as the ledger requires)."""
    for row in rows:
        eval_id = demo.evaluation_id(row["pro_code"], row["evaluation"])
        measure = row.get("measure") or demo.ledger.results.result_proposal(eval_id).measure
        demo.first(
            "results applied",
            lambda row=row, eval_id=eval_id, measure=measure: demo.ledger.results.apply_result(
                demo.act(row["by"], row["date"], row.get("reason"), row.get("evidence", ())),
                eval_id,
                measure,
                percentage=Decimal(row["percentage"]) if row.get("percentage") else None,
                amount=Decimal(row["amount"]) if row.get("amount") else None,
            ),
        )


def _self_evaluation(demo: Demo, row: dict[str, Any]) -> None:
    pro_code = row["pro_code"]
    obj = demo.object(pro_code)
    demo.first(
        "self-evaluations",
        lambda: demo.ledger.evaluation.submit_self_evaluation(
            demo.act(row.get("by") or demo.fillers[pro_code], row["date"], None, row["evidence"]),
            obj.id,
            actuals_of(obj, row.get("actuals", {})),
            Decimal(row["executed"]),
        ),
    )


def actuals_of(obj: PerformanceObject, given: dict[str, Any]) -> list[IndicatorActual]:
    rows = []
    for target in obj.indicators:
        reported = given.get(target.name, {})
        if isinstance(reported, str):
            reported = {"actual": reported}
        where = {"level1": target.level1, "level2": target.level2, "name": target.name}
        cause = reported.get("deviation_cause")
        if target.comparator == "qualitative":
            grade = reported.get("grade", QUALITATIVE_MET)
            rows.append(IndicatorActual(**where, grade=grade, deviation_cause=cause))
        else:
            actual = Decimal(reported.get("actual", target.value))
            rows.append(IndicatorActual(**where, actual=actual, deviation_cause=cause))
    return rows


def _key_evaluation(demo: Demo, row: dict[str, Any]) -> None:
    """A department or finance key evaluation: opened, given to a third party if named,
    scored by whoever the ledger lets score it."""
    ledger, kind = demo.ledger, row["kind"]
    opened = demo.first(
        f"{kind} evaluations",
        lambda: ledger.evaluation.open_evaluation(
            demo.act(row["opened_by"], row["opened_on"], row.get("reason")),
            demo.object_id(row["pro_code"]),
            kind,
            {level: Decimal(w) for level, w in row["weights"].items()},
        ),
    )
    if opened is None:
        return
    if third_party := row.get("third_party"):
        demo.did(
            "evaluation acts",
            ledger.evaluation.assign_third_party(
                demo.act(row["opened_by"], row["opened_on"]),
                opened.aggregate_id,
                demo.org[third_party],
            ),
        )
    scored = row["scored"]
    demo.did(
        "evaluation acts",
        ledger.evaluation.submit_evaluation_scores(
            demo.act(scored["by"], scored["date"], None, scored.get("evidence", ())),
            opened.aggregate_id,
            {level: Decimal(s) for level, s in scored["scores"].items()},
        ),
    )
