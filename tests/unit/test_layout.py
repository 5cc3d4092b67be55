"""The shape a newcomer relies on: no import cycle among the project's modules, a domain
that imports nothing of the outer layers (nor any library but the event store's), and no
module over 400 lines."""

from __future__ import annotations

import ast
import sys
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("domain", "projections", "api", "infrastructure")
MOST_LINES = 400


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _imports(path: Path) -> set[str]:
    """Every module an import statement names, at the top or inside a function."""
    named: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            named.add(node.module)
            named.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            named.update(alias.name for alias in node.names)
    return named


def test_no_import_cycle() -> None:
    modules = _modules()
    graph = {m: {n for n in _imports(p) if n in modules and n != m} for m, p in modules.items()}
    try:
        tuple(TopologicalSorter(graph).static_order())
    except CycleError as e:
        raise AssertionError(f"import cycle: {' -> '.join(e.args[1])}") from None


def test_the_domain_imports_only_itself_the_standard_library_and_the_event_store() -> None:
    allowed = {"domain", "eventsourcing", "__future__", *sys.stdlib_module_names}
    for name, path in _modules().items():
        if name.split(".")[0] != "domain":
            continue
        outside = {n for n in _imports(path) if n.split(".")[0] not in allowed}
        assert not outside, f"{name} imports {sorted(outside)}"


def test_no_module_is_over_400_lines() -> None:
    long = {
        str(path.relative_to(ROOT)): n
        for path in _modules().values()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MOST_LINES
    }
    assert not long, f"split these (at most {MOST_LINES} lines): {long}"
