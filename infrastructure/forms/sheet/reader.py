"""Reading a filled form by its layout: the fixed cells, the money block and the indicator
rows, each value with the cell it came from. Merged cells read their top-left value; an
empty 一级/二级 cell inherits the row above's; "—", "*", "/" and blanks are empty; a row
without a 三级指标 name is skipped; √ columns give the ticked value(s); coded answers
("1-确定能") their value. Whatever cannot be read is a Problem naming its cell."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from openpyxl.utils import column_index_from_string
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from infrastructure.forms.sheet.values import (
    CellError,
    Problem,
    is_empty,
    is_tick,
    key_of,
    text_of,
    yuan_of_wan,
)
from infrastructure.forms.templates.layout import Template

_LABEL_NOISE = re.compile(r"[\s*★（）()]")
# A form lists tens of indicators; a sheet claiming a million rows is not read to its end.
MOST_ROWS = 2000


@dataclass(frozen=True)
class Cell:
    value: Any  # None when empty
    sheet: str
    row: int
    column: str

    def problem(self, message: str) -> Problem:
        return Problem(self.sheet, self.row, self.column, message)


@dataclass
class ReadRow:
    row: int
    cells: dict[str, Cell]

    def value(self, name: str) -> Any:
        cell = self.cells.get(name)
        return None if cell is None else cell.value


@dataclass
class ReadForm:
    template: Template
    sheet: str
    cells: dict[str, Cell] = field(default_factory=dict)
    money: dict[tuple[str, str], Cell] = field(default_factory=dict)
    rows: list[ReadRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def amount(self, key: tuple[str, str], label: str) -> Decimal | None:
        """A required amount of the money block, 万元 on the form, in exact yuan."""
        cell = self.money[key]
        if cell.value is None:
            self.problems.append(cell.problem(f"{label} is required"))
            return None
        try:
            return yuan_of_wan(cell.value, key[1])
        except CellError as e:
            self.problems.append(cell.problem(f"{label}: {e}"))
            return None


def _label(value: Any) -> str:
    return _LABEL_NOISE.sub("", unicodedata.normalize("NFKC", str(value or "")))


def _sheet_for(wb: Workbook, template: Template) -> Worksheet | None:
    if template.sheet in wb.sheetnames:
        return wb[template.sheet]
    return wb.worksheets[0] if len(wb.worksheets) == 1 else None


def matches(wb: Workbook, template: Template) -> bool:
    """Whether the workbook is in this layout: its indicator header labels are where the
    layout puts them (ignoring spaces, asterisks of required columns and ★)."""
    ws = _sheet_for(wb, template)
    if ws is None:
        return False
    top = template.indicators.header_row
    for column in template.indicators.columns:
        if _label(ws[f"{column.col}{top}"].value) != _label(column.label):
            return False
    return all(
        _label(ws[f"{g.ticks[0].col}{top}"].value) == _label(g.label)
        for g in template.indicators.checks
    )


class _Grid:
    """Cell values with merged ranges read as their top-left cell."""

    def __init__(self, ws: Worksheet, template: Template) -> None:
        self.ws, self.template = ws, template
        self.merged: dict[tuple[int, int], tuple[int, int]] = {}
        for merged in ws.merged_cells.ranges:
            for r in range(merged.min_row, merged.max_row + 1):
                for c in range(merged.min_col, merged.max_col + 1):
                    self.merged[(r, c)] = (merged.min_row, merged.min_col)

    def raw(self, row: int, col: str) -> Any:
        r, c = self.merged.get((row, column_index_from_string(col)), (row, None))
        return self.ws.cell(row=r, column=c or column_index_from_string(col)).value

    def cell(self, row: int, col: str) -> Cell:
        value = self.raw(row, col)
        empty = is_empty(value, self.template.empty)
        return Cell(None if empty else value, self.ws.title, row, col)


def read_form(wb: Workbook, template: Template) -> ReadForm:
    ws = _sheet_for(wb, template)
    grid = _Grid(ws, template)
    form = ReadForm(template, ws.title)
    for fixed in template.cells:
        if fixed.field:
            first = fixed.at.split(":")[0]
            col = "".join(ch for ch in first if ch.isalpha())
            form.cells[fixed.field] = grid.cell(int(first[len(col) :]), col)
    if template.money is not None:
        for money_row in template.money.rows:
            for column in template.money.columns:
                form.money[(money_row.field, column.field)] = grid.cell(money_row.row, column.col)
    _read_rows(grid, form)
    return form


def _read_rows(grid: _Grid, form: ReadForm) -> None:
    block = form.template.indicators
    name_col = block.column("name").col
    total_label = _label(block.total.label) if block.total else None
    above: dict[str, Cell] = {}
    last = grid.ws.max_row
    if last - block.first_row >= MOST_ROWS:
        form.problems.append(
            Problem(grid.ws.title, None, None, f"more than {MOST_ROWS} indicator rows: not read")
        )
        return
    for r in range(block.first_row, last + 1):
        first = _label(grid.raw(r, block.columns[0].col))
        if total_label and first == total_label:
            break
        cells = {c.field: grid.cell(r, c.col) for c in block.columns}
        fresh = False  # a new 一级 starts its own 二级: nothing deeper is inherited
        for column in (c for c in block.columns if c.inherit):
            if cells[column.field].value is None and column.field in above and not fresh:
                cells[column.field] = above[column.field]
            elif (
                column.field not in above or cells[column.field].value != above[column.field].value
            ):
                fresh = True
            above[column.field] = cells[column.field]
        if cells["name"].value is None:
            continue  # no 三级指标 name: a spacer, a subtotal or a blank line
        cells["name"] = Cell(text_of(cells["name"].value), grid.ws.title, r, name_col)
        row = ReadRow(r, cells)
        _decode(row, form)
        _read_ticks(grid, row, form)
        form.rows.append(row)


def _decode(row: ReadRow, form: ReadForm) -> None:
    for column in form.template.indicators.columns:
        cell = row.cells[column.field]
        if not column.codes or cell.value is None:
            continue
        text = key_of(cell.value)
        decoded = next(
            (
                value
                for code, value in column.codes.items()
                if text in (code, code.split("-")[0], code.split("-")[-1], value)
            ),
            None,
        )
        if decoded is None:
            form.problems.append(
                cell.problem(
                    f"{column.label}: {text_of(cell.value)!r} is not one of {list(column.codes)}"
                )
            )
        row.cells[column.field] = Cell(decoded, cell.sheet, cell.row, cell.column)


def _read_ticks(grid: _Grid, row: ReadRow, form: ReadForm) -> None:
    for group in form.template.indicators.checks:
        ticked = []
        for tick in group.ticks:
            cell = grid.cell(row.row, tick.col)
            if cell.value is None:
                continue
            if is_tick(cell.value):
                ticked.append(tick)
            else:
                form.problems.append(
                    cell.problem(f"{group.label} {tick.label}: tick with √ or leave empty")
                )
        where = ticked[0].col if ticked else group.ticks[0].col
        if not group.multiple and len(ticked) > 1:
            form.problems.append(
                Problem(grid.ws.title, row.row, where, f"{group.label}: tick one column only")
            )
        value: Any = (
            [t.value for t in ticked] if group.multiple else (ticked[0].value if ticked else None)
        )
        row.cells[group.field] = Cell(value or None, grid.ws.title, row.row, where)
