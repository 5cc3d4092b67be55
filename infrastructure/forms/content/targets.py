"""An indicator's target on a form (计算符号 | 指标值 | 计量单位 | 分值) both ways."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from domain.comparators import PRINTED, normalised
from domain.errors import InvalidInput
from domain.indicators import Indicator
from infrastructure.forms.content.levels import level1_of, level2_of
from infrastructure.forms.sheet.reader import ReadRow
from infrastructure.forms.sheet.values import CellError, Problem, indicator_number, key_of, text_of

_RANGE = re.compile(r"^\s*([\d.,]+)\s*[-–—~～至]\s*([\d.,]+)\s*$")


def target_value(indicator: Indicator) -> Any:
    """What the 指标值 cell holds: the number, "low–high" for a range, the wording."""
    if indicator.comparator == "qualitative":
        return indicator.qualitative_target
    if indicator.comparator == "range":
        return f"{indicator.value}–{indicator.upper}"
    return indicator.value


def printed_target(indicator: Indicator) -> str:
    """年度指标值 in one cell (the self-evaluation form): ≥12个, 区间10–20%, the wording."""
    if indicator.comparator == "qualitative":
        return indicator.qualitative_target or ""
    value = target_value(indicator)
    return f"{PRINTED[indicator.comparator]}{value}{indicator.unit}"


def indicator_cells(indicator: Indicator) -> dict[str, Any]:
    return {
        "comparator": PRINTED[indicator.comparator],
        "target": target_value(indicator),
        "unit": indicator.unit or None,
        "weight": indicator.weight if indicator.weight else None,
    }


def levels_of(row: ReadRow, problems: list[Problem]) -> tuple[str, str] | None:
    """The row's 一级 and 二级, or None with a problem at the cell that is wrong."""
    cell1, cell2 = row.cells["level1"], row.cells["level2"]
    if cell1.value is None:
        problems.append(cell1.problem("一级指标 is empty (and no row above gives it)"))
        return None
    try:
        level1 = level1_of(cell1.value)
    except CellError as e:
        problems.append(cell1.problem(str(e)))
        return None
    if cell2.value is None:
        problems.append(cell2.problem("二级指标 is empty (and no row above gives it)"))
        return None
    try:
        return level1, level2_of(cell2.value, level1)
    except CellError as e:
        problems.append(cell2.problem(str(e)))
        return None


def indicator_of(row: ReadRow, problems: list[Problem]) -> Indicator | None:
    """A goal indicator from a row of the goal forms, or None with its problems."""
    levels = levels_of(row, problems)
    before = len(problems)
    comparator_cell, target_cell = row.cells["comparator"], row.cells["target"]
    comparator = None
    if comparator_cell.value is None:
        problems.append(comparator_cell.problem("计算符号 is required (≥ ＞ ＝ ＜ ≤ 定性)"))
    else:
        try:
            comparator = normalised(text_of(comparator_cell.value))
        except InvalidInput as e:
            problems.append(comparator_cell.problem(e.detail))
    fields: dict[str, Any] = {}
    if comparator is not None:
        fields = _target_fields(comparator, target_cell, problems)
    weight = Decimal(0)
    weight_cell = row.cells.get("weight")
    if weight_cell is not None and weight_cell.value is not None:
        try:
            weight = indicator_number(weight_cell.value)
        except CellError as e:
            problems.append(weight_cell.problem(f"分值: {e}"))
    if levels is None or len(problems) > before:
        return None
    unit_cell = row.cells.get("unit")
    try:
        return Indicator(
            level1=levels[0],
            level2=levels[1],
            name=row.value("name"),
            comparator=comparator,
            unit="" if unit_cell is None or unit_cell.value is None else text_of(unit_cell.value),
            weight=weight,
            **fields,
        )
    except InvalidInput as e:
        problems.append(row.cells["name"].problem(e.detail))
        return None


def _target_fields(comparator: str, cell, problems: list[Problem]) -> dict[str, Any]:
    if cell.value is None:
        problems.append(cell.problem("年度指标值 is required"))
        return {}
    if comparator == "qualitative":
        return {"qualitative_target": text_of(cell.value)}
    try:
        if comparator == "range":
            found = _RANGE.match(key_of(cell.value))
            if not found:
                raise CellError(f"a range is written low–high, not {text_of(cell.value)!r}")
            low, high = found.group(1), found.group(2)
            return {"value": indicator_number(low), "upper": indicator_number(high)}
        return {"value": indicator_number(cell.value)}
    except CellError as e:
        problems.append(cell.problem(f"年度指标值: {e}"))
        return {}
