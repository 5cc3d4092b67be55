"""The demo's dual monitoring (双监控): each period of the policy's schedule opened as a round,
an entry per object, judged by the ledger, and the follow-up acts and corrections scripted.

An entry's indicator rows are derived from the goal so the data file stays short: counts
(≥ targets in units such as 个, 户, 平方米) have reached the period's share of physical
progress and are forecast to meet the target; rates, costs and other steady indicators are
on target; a qualitative indicator reports the period's wording. The data file overrides
any row, e.g. to report a doubtful likelihood with its cause and corrective measures.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from domain.monitoring.entry import LIKELIHOODS, Entry, IndicatorProgress
from domain.monitoring.model import MonitoringTask, monitoring_task_id
from domain.objects.model import PerformanceObject
from infrastructure.demo.context import Demo

# Units of indicators that hold a level rather than accumulate over the year.
STEADY_UNITS = frozenset({"%", "‰", "/10万", "年", "万元"})
_NUMBERS = ("actual", "forecast")


def monitor(demo: Demo, periods: list[dict[str, Any]]) -> None:
    for period in periods:
        _period(demo, period)


def _period(demo: Demo, period: dict[str, Any]) -> None:
    code, opener = period["period"], period["opened_by"]
    key = set(period.get("finance_key", []))
    rows = period["entries"]
    own = [demo.object_id(r["pro_code"]) for r in rows if r["pro_code"] not in key]
    opened = demo.first(
        "monitoring rounds",
        lambda: demo.ledger.monitoring.open_monitoring_round(
            demo.act(opener, period["opened_on"], period.get("notice")),
            demo.mof_div_code,
            demo.fiscal_year,
            code,
            own,
            mode="self",
        ),
    )
    if opened is None:
        return  # this period was played when its round was first opened
    demo.summary.recorded["monitoring tasks"] += len(own)
    for pro_code in sorted(key):
        demo.did(
            "monitoring tasks",
            demo.ledger.monitoring.open_monitoring_task(
                demo.act(opener, period["opened_on"], period.get("notice")),
                demo.object_id(pro_code),
                code,
                mode="finance_key",
            ),
        )
    for row in rows:
        _entry(demo, period, row, opener if row["pro_code"] in key else None)


def _entry(demo: Demo, period: dict[str, Any], row: dict[str, Any], key_by: str | None) -> None:
    pro_code = row["pro_code"]
    obj = demo.object(pro_code)
    task_id = monitoring_task_id(obj.id, period["period"])
    # The entry's business date is its 数据截至日期, the period's as-of date in the policy.
    as_of = demo.ledger.load(MonitoringTask, task_id).as_of.isoformat()
    by = row.get("by") or key_by or demo.fillers[pro_code]
    demo.did(
        "monitoring entries",
        demo.ledger.monitoring.submit_monitoring_entry(
            demo.act(by, as_of), task_id, entry_of(obj, period, row)
        ),
    )
    for follow in row.get("follow_ups", []):
        amount = follow.get("amount")
        demo.did(
            "monitoring follow-ups",
            demo.ledger.monitoring.follow_up_monitoring(
                demo.act(follow["by"], follow["date"], follow["reason"]),
                task_id,
                follow["kind"],
                Decimal(amount) if amount else None,
            ),
        )
    if correction := row.get("correction"):
        demo.did(
            "monitoring corrections",
            demo.ledger.monitoring.correct_monitoring_entry(
                demo.act(correction.get("by") or by, as_of, correction["reason"]),
                task_id,
                entry_of(obj, period, {**row, **correction}),
            ),
        )


def entry_of(obj: PerformanceObject, period: dict[str, Any], row: dict[str, Any]) -> Entry:
    progress = Decimal(row.get("progress") or period["progress"])
    overrides = row.get("indicators", {})
    rows = []
    for target in obj.indicators:
        if target.comparator == "qualitative":
            base: dict[str, Any] = {"qualitative_actual": period["qualitative"]}
        else:
            cumulative = target.comparator == "≥" and target.unit not in STEADY_UNITS
            so_far = (target.value * progress).quantize(Decimal(1)) if cumulative else target.value
            base = {"actual": so_far, "forecast": target.value}
        given = {
            k: Decimal(v) if k in _NUMBERS else v for k, v in overrides.get(target.name, {}).items()
        }
        rows.append(
            IndicatorProgress(name=target.name, **{"likelihood": LIKELIHOODS[0], **base, **given})
        )
    forecast = row.get("forecast") or obj.approved_amount
    return Entry(Decimal(row["executed"]), Decimal(forecast), tuple(rows))
