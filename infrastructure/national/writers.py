"""Writing a national table: CSV in UTF-8 with a BOM (what spreadsheet programs on Chinese
Windows open without mangling), or .xlsx, every cell text so amounts keep every digit."""

from __future__ import annotations

import csv
from pathlib import Path

from infrastructure.national.cells import written
from infrastructure.national.layouts import Layout

FORMATS = ("csv", "xlsx")


def write_table(directory: Path, layout: Layout, rows: list[dict], fmt: str) -> Path:
    lines = [[written(row.get(name)) for name in layout.names] for row in rows]
    path = directory / f"{layout.table}.{fmt}"
    if fmt == "csv":
        with path.open("w", encoding="utf-8-sig", newline="") as f:
            out = csv.writer(f)
            out.writerow(layout.names)
            out.writerows(lines)
    elif fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(layout.table)
        sheet.append(list(layout.names))
        for line in lines:
            sheet.append(line)
        workbook.save(path)
    else:
        raise ValueError(f"format is one of {FORMATS}")
    return path
