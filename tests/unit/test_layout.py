"""The shape a newcomer relies on: no import cycle among the project's modules, a domain
that imports nothing of the outer layers (nor any library but the event store's), and no
module over 400 lines (tests and benches included)."""

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
    """Every module an import statement names, at the top or inside a function; relative
    imports resolved against the module's package."""
    named: set[str] = set()
    package = path.relative_to(ROOT).parent.parts
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package[: len(package) - (node.level - 1)]
                base = ".".join([*up, *([node.module] if node.module else [])])
            named.add(base)
            named.update(f"{base}.{alias.name}" for alias in node.names)
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
    files = [p for top in (*PACKAGES, "tests", "bench") for p in (ROOT / top).rglob("*.py")]
    long = {
        str(path.relative_to(ROOT)): n
        for path in files
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MOST_LINES
    }
    assert not long, f"split these (at most {MOST_LINES} lines): {long}"


def test_use_cases_live_in_small_services_not_one_class() -> None:
    """Each capability's service holds its own use cases (about fifteen at most); the Ledger
    composes them and adds none of its own."""
    from domain.ledger import Ledger
    from domain.ledger_core import LedgerCore

    services = {}
    for path in (ROOT / "domain").rglob("*cases.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ClassDef):
                public = [
                    f.name
                    for f in node.body
                    if isinstance(f, ast.FunctionDef) and not f.name.startswith("_")
                ]
                services[node.name] = public
                assert not node.bases, f"{node.name} inherits {ast.unparse(node.bases[0])}"
    assert len(services) >= 10
    for name, public in services.items():
        assert len(public) <= 15, f"{name} has {len(public)} use cases: split it"
    own = set(vars(Ledger)) - set(vars(LedgerCore)) - {"__module__", "__doc__", "__init__"}
    assert not {n for n in own if not n.startswith("__")}, own
