"""What a form holds, field by field, between the ledger and a workbook."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class FormData:
    """`cells`: fixed cells by field; `money`: (row field, column field) → value;
    `rows`: the indicator rows, field → value (a √ group's field → the ticked value, or a
    list of them); `total`: the totals row, field → value."""

    cells: dict[str, Any] = field(default_factory=dict)
    money: dict[tuple[str, str], Any] = field(default_factory=dict)
    rows: list[dict[str, Any]] = field(default_factory=list)
    total: dict[str, Any] = field(default_factory=dict)
