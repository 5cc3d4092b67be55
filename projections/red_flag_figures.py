"""What a red-flag test reads and what it answers: a reported Figure with the person who
signed it, and a Verdict, with the rule every test judges by (a sample below the policy's
minimum is skipped, never called quiet). Apart from the tests themselves (red_flags.py,
red_flag_statistics.py) so that both can share them without importing each other."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from domain.policy import Threshold

FOUR = Decimal("0.0001")
TWO = Decimal("0.01")
# Figures a person reports as having happened (not forecasts, targets or likelihoods): the
# ones repeats and round-number heaping are looked for in.
ACTUALS = frozenset({"budget_executed", "indicator_actual", "executed_amount", "row_actual"})


@dataclass(frozen=True)
class Signer:
    person_id: str
    name: str
    role: str
    organisation_id: str | None
    organisation_name: str | None


@dataclass(frozen=True)
class Figure:
    """One reported figure, as the reported_figures view keeps it."""

    position: int
    record_kind: str  # monitoring | self_evaluation | recheck
    record_id: str  # the monitoring task or the evaluation
    object_id: str
    pro_code: str | None
    fiscal_year: int
    period_code: str | None  # the monitoring period; None for evaluations
    as_of: date | None  # the monitoring period's as-of date
    field: str  # budget_executed, budget_forecast, indicator_actual, score, row_actual, ...
    indicator: str  # the indicator's name; "" for amounts and scores
    value: Decimal | None
    target: Decimal | None
    comparator: str | None
    recorded_at: datetime
    event_type: str
    signer: Signer

    def ref(self) -> dict[str, Any]:
        return {
            "position": self.position,
            "record_kind": self.record_kind,
            "record_id": self.record_id,
            "object_id": self.object_id,
            "pro_code": self.pro_code,
            "period_code": self.period_code,
            "field": self.field,
            "indicator": self.indicator,
            "value": None if self.value is None else str(self.value),
            "recorded_at": self.recorded_at.isoformat(),
            "signer_id": self.signer.person_id,
        }


@dataclass
class Verdict:
    kind: str
    title: str
    fired: bool
    statistic: Decimal | None
    threshold: dict[str, Any]
    sample_size: int
    minimum_sample: int
    skipped: str | None = None
    details: dict[str, Any] = field(default_factory=dict)
    records: list[Figure] = field(default_factory=list)

    def signers(self) -> list[dict[str, Any]]:
        """Each person who signed a figure behind the flag, with how many."""
        counts: dict[Signer, int] = defaultdict(int)
        for figure in self.records:
            counts[figure.signer] += 1
        return [
            vars(signer) | {"records": n}
            for signer, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].person_id))
        ]


def threshold_of(raw: dict[str, Any]) -> tuple[Threshold, dict[str, Any]]:
    return Threshold.parse(raw), {k: raw[k] for k in ("value", "op", "wording") if k in raw}


def too_small(n: int, minimum: int) -> str | None:
    return None if n >= minimum else f"sample too small: {n} of the {minimum} needed"


def share_of(part: int, whole: int) -> Decimal:
    return (Decimal(part) / Decimal(whole)).quantize(FOUR) if whole else Decimal(0)


def verdict_of(
    kind: str,
    title: str,
    rule: dict[str, Any],
    key: str,
    statistic: Decimal | None,
    n: int,
    records: list[Figure],
    details: dict[str, Any],
    extra_condition: bool = True,
) -> Verdict:
    threshold, shown = threshold_of(rule[key])
    minimum = int(rule["min_sample"])
    skipped = too_small(n, minimum)
    fired = (
        skipped is None
        and statistic is not None
        and threshold.met_by(statistic)
        and extra_condition
    )
    return Verdict(
        kind, title, fired, statistic, shown, n, minimum, skipped, details,
        records if fired else [],
    )  # fmt: skip
