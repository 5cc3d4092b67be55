"""A jurisdiction-year's red flags: its reported figures (the reported_figures view) judged
by the red_flags section of the policy in force there (projections/red_flags.py)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from domain.policy import Policy, Threshold
from projections.red_flag_figures import Figure, Signer, Verdict
from projections.red_flags import all_verdicts
from projections.reported_figures_view import figures_of
from projections.view import Cursor

# How many of a flag's figures the answer lists (all of them are counted, and all their
# signers named): a display limit of the answer, not a rule.
RECORDS_SHOWN = 200


def _figure(row: dict[str, Any]) -> Figure:
    return Figure(
        position=int(row["position"]),
        record_kind=row["record_kind"],
        record_id=row["record_id"],
        object_id=row["object_id"],
        pro_code=row["pro_code"],
        fiscal_year=int(row["fiscal_year"]),
        period_code=row["period_code"],
        as_of=date.fromisoformat(row["as_of"]) if row["as_of"] else None,
        field=row["field"],
        indicator=row["indicator"],
        value=None if row["value"] is None else Decimal(row["value"]),
        target=None if row["target"] is None else Decimal(row["target"]),
        comparator=row["comparator"],
        recorded_at=datetime.fromisoformat(row["recorded_at"]),
        event_type=row["event_type"],
        signer=Signer(
            row["signer_id"],
            row["signer_name"],
            row["signer_role"],
            row["signer_org_id"],
            row["signer_org_name"],
        ),
    )


def top_grade(policy: Policy) -> Threshold:
    """The lower bound of the policy's highest grade (优: ≥ 90 under 财预〔2020〕10号)."""
    return Threshold.parse(policy.section("grades")["bands"][0]["min"])


def verdicts(cur: Cursor, policy: Policy, mof_div_code: str, fiscal_year: int) -> list[Verdict]:
    rows = figures_of(cur, mof_div_code, fiscal_year)
    every = [_figure(row) for row in rows]
    latest = [f for f, row in zip(every, rows, strict=True) if not row["superseded"]]
    return all_verdicts(
        latest,
        every,
        policy.section("red_flags"),
        top_grade(policy),
        policy.section("self_evaluation")["due"],
    )


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def flag_out(verdict: Verdict) -> dict[str, Any]:
    return {
        "kind": verdict.kind,
        "title": verdict.title,
        "fired": verdict.fired,
        "skipped": verdict.skipped,
        "statistic": _plain(verdict.statistic),
        "threshold": verdict.threshold,
        "sample_size": verdict.sample_size,
        "minimum_sample": verdict.minimum_sample,
        "details": _plain(verdict.details),
        "records_total": len(verdict.records),
        "records": [f.ref() for f in verdict.records[:RECORDS_SHOWN]],
        "signers": verdict.signers(),
    }
