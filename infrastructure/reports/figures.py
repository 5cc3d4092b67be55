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

    def add(self, section: str, label: str, value: object, sources: list[int]) -> None:
        self.figures.append(Figure(section, label, str(value), tuple(sorted(set(sources)))))

    def figure(self, label: str) -> Figure:
        return next(f for f in self.figures if f.label == label)


def latest_positions(cur: Cursor, originator_ids: list[str]) -> list[int]:
    """The latest event of each aggregate counted (the one that left it as counted), from
    the log index; read in slices so a long list does not overflow the bound parameters."""
    found: list[int] = []
    for at in range(0, len(originator_ids), 500):
        ids = originator_ids[at : at + 500]
        marks = ", ".join("?" for _ in ids)
        rows = cur.execute(
            f"SELECT MAX(position) AS p FROM v_log_index WHERE originator_id IN ({marks}) "
            "GROUP BY originator_id",
            tuple(ids),
        ).fetchall()
        found += [int(r["p"]) for r in rows]
    return sorted(found)


def paged(read: Any, **filters: Any) -> list[dict[str, Any]]:
    """Every row of a list query that pages by limit and offset."""
    rows: list[dict[str, Any]] = []
    while True:
        page = read(limit=1000, offset=len(rows), **filters)
        rows += page
        if len(page) < 1000:
            return rows
