"""A workbook as a bureau prints it, from a layout and a form's data: the title over the
whole width, labelled fixed cells, the money block, the indicator block with its one- or
two-row header (√ groups merged over their columns), 一级/二级 cells merged over their
rows, and the totals row. Values not held print "—"."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from infrastructure.forms.sheet.data import FormData
from infrastructure.forms.sheet.values import sheet_number
from infrastructure.forms.templates.layout import Template

NOT_HELD = "—"
_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _printable(value: Any) -> Any:
    if value is None or value == "":
        return NOT_HELD
    if isinstance(value, Decimal):
        return sheet_number(value)
    return value


def _put(ws: Worksheet, at: str, value: Any, *, bold: bool = False) -> None:
    """A value in a cell or a merged range (its top-left cell)."""
    first = at.split(":")[0]
    if ":" in at:
        ws.merge_cells(at)
    cell = ws[first]
    cell.value = value
    cell.alignment = _CENTRE
    if bold:
        cell.font = Font(bold=True)


def write_workbook(template: Template, data: FormData) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = template.sheet
    width = column_index_from_string(template.width)
    _put(ws, f"A1:{template.width}1", template.title, bold=True)
    ws["A1"].font = Font(bold=True, size=16)
    for cell in template.cells:
        value = cell.text if cell.text is not None else _printable(data.cells.get(cell.field))
        _put(ws, cell.at, value, bold=cell.text is not None)
    if template.money is not None:
        _write_money(ws, template, data)
    last = _write_indicators(ws, template, data)
    for row in ws.iter_rows(min_row=2, max_row=last, max_col=width):
        for cell in row:
            cell.border = _BOX
    for index in range(1, width + 1):
        ws.column_dimensions[get_column_letter(index)].width = 16
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _write_money(ws: Worksheet, template: Template, data: FormData) -> None:
    money = template.money
    _put(ws, money.label_at, money.label, bold=True)
    for column in money.columns:
        _put(ws, f"{column.col}{money.header_row}", column.label, bold=True)
    for row in money.rows:
        if money.label_column and row.label:
            _put(ws, f"{money.label_column}{row.row}", row.label)
        for column in money.columns:
            value = data.money.get((row.field, column.field))
            _put(ws, f"{column.col}{row.row}", _printable(value))


def _write_indicators(ws: Worksheet, template: Template, data: FormData) -> int:
    block = template.indicators
    top, first = block.header_row, block.first_row
    for column in block.columns:
        span = f"{column.col}{top}:{column.col}{first - 1}" if first - top > 1 else None
        _put(ws, span or f"{column.col}{top}", column.label, bold=True)
    for group in block.checks:
        cols = [t.col for t in group.ticks]
        _put(ws, f"{cols[0]}{top}:{cols[-1]}{top}", group.label, bold=True)
        for tick in group.ticks:
            _put(ws, f"{tick.col}{top + 1}", tick.label, bold=True)
    for offset, values in enumerate(data.rows):
        r = first + offset
        for column in block.columns:
            value = values.get(column.field)
            if column.codes and value is not None:
                value = next((code for code, v in column.codes.items() if v == value), value)
            _put(ws, f"{column.col}{r}", _printable(value))
        for group in block.checks:
            chosen = values.get(group.field)
            chosen = set(chosen) if isinstance(chosen, list | tuple) else {chosen}
            for tick in group.ticks:
                _put(ws, f"{tick.col}{r}", "√" if tick.value in chosen else None)
    end = first + len(data.rows) - 1
    _merge_levels(ws, template, data, first)
    if block.total is None:
        return max(end, first - 1)
    total_row = end + 1
    start, stop = block.total.span.split(":")
    _put(ws, f"{start}{total_row}:{stop}{total_row}", block.total.label, bold=True)
    for name in block.total.fields:
        column = block.column(name)
        _put(ws, f"{column.col}{total_row}", _printable(data.total.get(name)), bold=True)
    return total_row


def _merge_levels(ws: Worksheet, template: Template, data: FormData, first: int) -> None:
    """Runs of one 一级 (and, within it, one 二级) merge into one cell, as bureaus print."""
    inherited = [c for c in template.indicators.columns if c.inherit]
    for depth, column in enumerate(inherited):
        keys = [tuple(row.get(c.field) for c in inherited[: depth + 1]) for row in data.rows]
        start = 0
        for i in range(1, len(keys) + 1):
            if i == len(keys) or keys[i] != keys[start]:
                if i - start > 1:
                    ws.merge_cells(f"{column.col}{first + start}:{column.col}{first + i - 1}")
                start = i
