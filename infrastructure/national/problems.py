"""What is wrong with an import, each problem where it is: file, data row, column."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None  # 1-based data row (the header is row None)
    column: str | None
    message: str

    def describe(self) -> str:
        where = self.file
        where += f", row {self.row}" if self.row is not None else ", header"
        if self.column:
            where += f", column {self.column}"
        return f"{where}: {self.message}"


class ImportRefused(Exception):
    """The set of files is invalid: nothing was recorded. Lists every problem."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        lines = "\n".join(p.describe() for p in problems[:50])
        more = f"\n… and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"{len(problems)} problem(s), nothing recorded:\n{lines}{more}")
