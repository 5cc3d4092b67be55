"""What a monitoring entry states, and the rules it must satisfy against the goal.

Field names follow the national integration system's notions: per indicator the actual so
far (perf_comp), the full-year forecast (est_perf_annual), the likelihood of meeting the
target (complete_rate) and the deviation analysis (ana_dev_reasons, "无偏差" when none);
for the money, budget executed so far and the full-year forecast.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from domain.errors import InvalidInput
from domain.indicators import Indicator
from domain.monitoring.deviation import shortfall_pct
from domain.transcodings import transcoded
from domain.values import Act, measured, yuan

LIKELIHOODS = ("确定能完成", "有可能完成", "完全不可能完成")
NO_DEVIATION = "无偏差"


@transcoded("indicator_progress")
@dataclass(frozen=True)
class IndicatorProgress:
    name: str
    likelihood: str
    actual: Decimal | None = None
    forecast: Decimal | None = None
    qualitative_actual: str | None = None
    deviation_cause: str = NO_DEVIATION
    corrective_measures: str = ""


@transcoded("monitoring_entry")
@dataclass(frozen=True)
class Entry:
    budget_executed: Decimal
    budget_forecast: Decimal
    indicators: tuple[IndicatorProgress, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "indicators", tuple(self.indicators))

    def forecasts(self) -> dict[str, Decimal | None]:
        return {row.name: row.forecast for row in self.indicators}


def validated_entry(
    act: Act, entry: Entry, targets: tuple[Indicator, ...], fiscal_year: int
) -> Entry:
    if act.business_date is None:
        raise InvalidInput("an entry states its business date (数据截至日期)", "business_date")
    if act.business_date.year != fiscal_year:
        raise InvalidInput(f"the business date is in fiscal year {fiscal_year}", "business_date")
    executed = yuan(entry.budget_executed, field_name="budget_executed")
    forecast = yuan(entry.budget_forecast, field_name="budget_forecast")
    if forecast < executed:
        raise InvalidInput("the full-year forecast is at least what is executed", "budget_forecast")
    by_name = {t.name: t for t in targets}
    names = [row.name for row in entry.indicators]
    if sorted(names) != sorted(by_name):
        raise InvalidInput(
            f"the entry reports each of the goal's indicators once: {sorted(by_name)}",
            "indicators",
        )
    rows = tuple(_validated_row(row, by_name[row.name]) for row in entry.indicators)
    return Entry(executed, forecast, rows)


def _validated_row(row: IndicatorProgress, target: Indicator) -> IndicatorProgress:
    where = f"indicator {row.name!r}"
    if row.likelihood not in LIKELIHOODS:
        raise InvalidInput(f"{where}: likelihood is one of {list(LIKELIHOODS)}", "indicators")
    if target.comparator == "qualitative":
        if not (row.qualitative_actual and row.qualitative_actual.strip()):
            raise InvalidInput(f"{where}: state the progress in words", "indicators")
        misses = False
    else:
        if row.actual is None or row.forecast is None:
            raise InvalidInput(f"{where}: actual to date and forecast are required", "indicators")
        for value in (row.actual, row.forecast):
            measured(value, field_name="indicators", where=f"{where}: ")
        misses = bool(shortfall_pct(target, Decimal(row.forecast)))
    cause = (row.deviation_cause or "").strip() or NO_DEVIATION
    if (misses or row.likelihood != LIKELIHOODS[0]) and (
        cause == NO_DEVIATION or not row.corrective_measures.strip()
    ):
        raise InvalidInput(
            f"{where}: a forecast that misses the target, or a doubtful likelihood, needs "
            "its deviation cause and corrective measures (偏差原因及纠偏措施)",
            "indicators",
        )
    return replace(row, deviation_cause=cause, corrective_measures=row.corrective_measures.strip())
