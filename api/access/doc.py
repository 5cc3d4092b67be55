"""The access table as Markdown, for docs/access-control.md (a test keeps the page in step):
`python -m api.access.doc` prints it, `python -m api.access.doc --write` replaces the table
in the page."""

from __future__ import annotations

import sys
from pathlib import Path

from api.access.rules import RULES
from domain.roles import Role

ABBREVIATIONS = {
    Role.UNIT_STAFF: "US",
    Role.UNIT_HEAD: "UH",
    Role.DEPARTMENT_STAFF: "DS",
    Role.DEPARTMENT_HEAD: "DH",
    Role.BUSINESS_SECTION: "BS",
    Role.PERFORMANCE_SECTION: "PS",
    Role.BUDGET_SECTION: "YS",
    Role.TREASURY_SECTION: "TS",
    Role.AUDITOR: "AU",
    Role.NPC: "NPC",
    Role.DISCIPLINE: "DI",
    Role.THIRD_PARTY: "TP",
    Role.ADMINISTRATOR: "AD",
}


def table_markdown() -> str:
    roles = list(Role)
    lines = [
        "| operation | scope | logged | "
        + " | ".join(ABBREVIATIONS[r] for r in roles)
        + " | note |",
        "| --- | --- | --- | " + " | ".join("---" for _ in roles) + " | --- |",
    ]
    for (method, path), rule in RULES.items():
        cells = " | ".join("✓" if r in rule.roles else "" for r in roles)
        logged = "yes" if rule.logged else ""
        note = rule.note or ""
        lines.append(f"| `{method} {path}` | {rule.scope.value} | {logged} | {cells} | {note} |")
    return "\n".join(lines) + "\n"


PAGE = Path(__file__).resolve().parents[2] / "docs" / "access-control.md"


def write_page(page: Path = PAGE) -> None:
    """Replace the page's table (from its header row to the next blank line) with today's."""
    text = page.read_text(encoding="utf-8")
    start = text.index("| operation | scope | logged |")
    end = text.find("\n\n", start)
    end = len(text) if end == -1 else end + 1
    page.write_text(text[:start] + table_markdown() + text[end:], encoding="utf-8")


if __name__ == "__main__":
    if "--write" in sys.argv:
        write_page()
    else:
        print(table_markdown(), end="")
