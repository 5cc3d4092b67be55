"""What the annual report states, each figure with the log positions of the events it counts
(the annex prints them), read once from the views for a jurisdiction and year."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from projections.view import Cursor

GRADES = ("优", "良", "中", "差")


@dataclass(frozen=True)
class Figure:
    section: str  # the report's section, e.g. "二、覆盖情况"
    label: str
    value: str
    sources: tuple[int, ...]  # log positions of the events counted
    withheld: bool = False  # the positions are not the reader's to see (the count is)


@dataclass
class AnnualReport:
    mof_div_code: str
    fiscal_year: int
    jurisdiction: str | None
    policy: dict[str, Any]
    generated_at: str  # ISO instant (UTC)
    head: int  # the log position the views had read when the report was made
    coverage: list[dict[str, Any]] = field(default_factory=list)  # the API's judgements
    grades: list[dict[str, Any]] = field(default_factory=list)  # kind, department, counts
    results: list[dict[str, Any]] = field(default_factory=list)
    rectifications: list[dict[str, Any]] = field(default_factory=list)
    monitoring: list[dict[str, Any]] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)
    cases: list[dict[str, Any]] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    # The departments the rows cover; None: the whole jurisdiction (the NPC: those submitted).
    departments: list[str] | None = None

    def add(
        self, section: str, label: str, value: object, sources: list[int], withheld: bool = False
    ) -> None:
        kept = () if withheld else tuple(sorted(set(sources)))
        self.figures.append(Figure(section, label, str(value), kept, withheld))

    def figure(self, label: str) -> Figure:
        return next(f for f in self.figures if f.label == label)


def latest_position_in_year(cur: Cursor, mof: str, year: int, originator_id: str) -> list[int]:
    """The latest event of one aggregate of a jurisdiction's year (one without a view row
    that keeps its position), found by the log index's year index."""
    row = cur.execute(
        "SELECT MAX(position) AS p FROM v_log_index "
        "WHERE mof_div_code = ? AND fiscal_year = ? AND originator_id = ?",
        (mof, year, originator_id),
    ).fetchone()
    return [] if row is None or row["p"] is None else [int(row["p"])]


def paged(read: Any, **filters: Any) -> list[dict[str, Any]]:
    """Every row of a list query that pages by limit and offset."""
    rows: list[dict[str, Any]] = []
    while True:
        page = read(limit=1000, offset=len(rows), **filters)
        rows += page
        if len(page) < 1000:
            return rows
