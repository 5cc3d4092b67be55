"""Performance indicators (绩效指标) and the rules a goal's indicator set must satisfy."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from domain.comparators import COMPARATORS, NUMERIC_COMPARATORS, normalised
from domain.errors import InvalidInput
from domain.transcodings import transcoded
from domain.values import measured

# Three levels of indicators: level one → its allowed level-two categories.
LEVELS: dict[str, tuple[str, ...]] = {
    "产出": ("数量", "质量", "时效", "成本"),
    "效益": ("经济", "社会", "生态", "可持续影响"),
    "满意度": ("满意度",),
}
__all__ = ["COMPARATORS", "LEVELS", "NUMERIC_COMPARATORS", "Indicator", "LibraryRef"]
# A goal is "missing core indicators" (核心绩效指标缺失, 洪财绩〔2022〕4号 task 4) without these.
CORE_LEVELS = ("产出", "效益")


@transcoded("library_ref")
@dataclass(frozen=True)
class LibraryRef:
    """The indicator library entry (指标库) a goal indicator was drafted from, at the version
    read then: a later revision of the entry does not change what the goal recorded."""

    entry_id: UUID
    code: str
    version: int


@transcoded("indicator")
@dataclass(frozen=True)
class Indicator:
    """One indicator row: what is measured, the target, its unit and weight."""

    level1: str
    level2: str
    name: str
    comparator: str
    value: Decimal | None = None
    upper: Decimal | None = None
    qualitative_target: str | None = None
    unit: str = ""
    weight: Decimal = Decimal(0)
    library: LibraryRef | None = None

    def __post_init__(self) -> None:
        where = f"indicator {self.name!r}"
        object.__setattr__(self, "comparator", normalised(self.comparator, "indicators"))
        if not self.name.strip():
            raise InvalidInput("an indicator needs a name", "indicators")
        if self.level1 not in LEVELS:
            raise InvalidInput(f"{where}: level one must be one of {list(LEVELS)}", "indicators")
        if self.level2 not in LEVELS[self.level1]:
            raise InvalidInput(
                f"{where}: under {self.level1} level two is one of {list(LEVELS[self.level1])}",
                "indicators",
            )
        if self.comparator == "qualitative":
            if not (self.qualitative_target and self.qualitative_target.strip()):
                raise InvalidInput(f"{where}: a qualitative target needs its wording", "indicators")
        elif self.value is None:
            raise InvalidInput(f"{where}: a numeric target needs a value", "indicators")
        if self.comparator == "range" and (self.upper is None or self.upper < self.value):
            raise InvalidInput(f"{where}: a range needs an upper bound ≥ its value", "indicators")
        if self.weight < 0:
            raise InvalidInput(f"{where}: weight cannot be negative", "indicators")


def validated_indicators(
    indicators: list[Indicator] | tuple[Indicator, ...],
) -> tuple[Indicator, ...]:
    """A goal must state output and effect indicators, each named once."""
    rows = tuple(indicators)
    for row in rows:
        for value in (row.value, row.upper, row.weight):
            if value is not None:
                measured(value, field_name="indicators", where=f"indicator {row.name!r}: ")
    present = {i.level1 for i in rows}
    missing = [level for level in CORE_LEVELS if level not in present]
    if missing:
        raise InvalidInput(
            f"a goal without {'、'.join(missing)} indicators is missing core indicators "
            "(核心绩效指标缺失)",
            "indicators",
        )
    seen: set[tuple[str, str, str]] = set()
    for row in rows:
        key = (row.level1, row.level2, row.name)
        if key in seen:
            raise InvalidInput(f"indicator {row.name!r} appears twice", "indicators")
        seen.add(key)
    return rows
