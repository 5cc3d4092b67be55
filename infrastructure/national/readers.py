"""Reading a national table from CSV (UTF-8 with or without BOM, or GB18030, which these
systems export) or .xlsx (the header row holds the field names, any case)."""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from infrastructure.national.cells import CellError, text_of, typed
from infrastructure.national.layouts import Layout, layouts, table_of
from infrastructure.national.problems import Problem

SUFFIXES = (".csv", ".xlsx")


@dataclass(frozen=True)
class Row:
    number: int  # 1-based data row: the line after the header is row 1
    values: dict[str, object]  # typed values of the layout's columns (None when empty)
    ok: bool = True  # False: a cell of it has a problem (reported), so nothing builds on it


@dataclass
class TableFile:
    path: Path
    sha256: str
    table: str
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.path.name


def files_in(paths: list[Path]) -> list[Path]:
    """The files to read: those given, and the .csv and .xlsx files of directories given."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if p.suffix.lower() in SUFFIXES)
        else:
            found.append(path)
    return found


def read_table(path: Path) -> TableFile | Problem:
    table = table_of(path.stem)
    if table is None:
        return Problem(path.name, None, None, f"not a national table: one of {sorted(layouts())}")
    data = path.read_bytes()
    found = TableFile(path, hashlib.sha256(data).hexdigest(), table)
    try:
        lines = _xlsx_lines(data) if path.suffix.lower() == ".xlsx" else _csv_lines(data)
    except (ValueError, KeyError, OSError, zipfile.BadZipFile) as e:  # damaged or undecodable
        found.problems.append(Problem(path.name, None, None, f"cannot be read: {e}"))
        return found
    if not lines:
        found.problems.append(Problem(path.name, None, None, "empty: no header row"))
        return found
    _parse(found, layouts()[table], lines[0], lines[1:])
    return found


def _csv_lines(data: bytes) -> list[list[object]]:
    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("gb18030")  # raises ValueError when it is neither
    return [list(r) for r in csv.reader(io.StringIO(text, newline=""))]


def _xlsx_lines(data: bytes) -> list[list[object]]:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        return [list(r) for r in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _parse(found: TableFile, layout: Layout, header: list[object], body: list[list[object]]):
    where = {}
    for index, cell in enumerate(header):
        name = (text_of(cell) or "").lower()
        if name in layout.names and name not in where:
            where[name] = index
    for column in layout.columns:
        if column.required and column.name not in where:
            found.problems.append(
                Problem(found.name, None, column.name, f"required column missing in {layout.table}")
            )
    if found.problems:
        return
    for number, cells in enumerate(body, start=1):
        texts = {n: text_of(cells[i]) if i < len(cells) else None for n, i in where.items()}
        if not any(texts.values()):
            continue  # a blank line keeps its number but is not a row
        values: dict[str, object] = {}
        before = len(found.problems)
        for column in layout.columns:
            text = texts.get(column.name)
            if text is None:
                if column.required:
                    found.problems.append(Problem(found.name, number, column.name, "required"))
                values[column.name] = None
                continue
            try:
                values[column.name] = typed(column.type, text)
            except CellError as e:
                found.problems.append(Problem(found.name, number, column.name, str(e)))
                values[column.name] = None
        found.rows.append(Row(number, values, ok=len(found.problems) == before))
