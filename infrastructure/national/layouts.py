"""The national tables' layouts, read from layouts.json (data, not code): each table's
columns, their types, which are required, which are confirmed from the national system and
which are this project's assumption, and which jixiao keeps."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

LAYOUT_FILE = Path(__file__).with_name("layouts.json")


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # code, text, year, amount, decimal, date
    required: bool
    status: str  # confirmed | assumed
    label: str
    kept: bool = True


@dataclass(frozen=True)
class Layout:
    table: str
    label: str
    imported: bool
    columns: tuple[Column, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


@cache
def layouts() -> dict[str, Layout]:
    doc = json.loads(LAYOUT_FILE.read_text(encoding="utf-8"))
    return {
        table: Layout(
            table,
            spec["label"],
            spec["imported"],
            tuple(Column(**column) for column in spec["columns"]),
        )
        for table, spec in doc["tables"].items()
    }


def table_of(stem: str) -> str | None:
    """The table a file or sheet is named after: the name itself, any case, optionally
    followed by `_` or `-` and anything (PM_PERF_GOAL_INFO_2023.csv)."""
    upper = stem.upper()
    for table in sorted(layouts(), key=len, reverse=True):
        if upper == table or upper.startswith((table + "_", table + "-")):
            return table
    return None
