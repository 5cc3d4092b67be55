"""Use cases of the indicator library (指标库), and drafting goal indicators from it.

`add` takes the fields of the national library tables one by one (FORMS.md), so an import
of BAS_PERF_INDICATOR / PERF_T_DEPTINDICATOR rows can call it as the API does.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date
from typing import Any
from uuid import UUID

from domain.errors import AlreadyExists, InvalidInput, NotFound
from domain.indicators import Indicator, LibraryRef
from domain.ledger_core import LedgerCore, Outcome
from domain.library.model import LibraryIndicator
from domain.library.rules import checked_definition, require_granter, require_keeper
from domain.registry.cases import RegistryCases
from domain.registry.model import Organisation
from domain.roles import OrgKind
from domain.values import Act

# What a goal indicator takes from the entry it is drafted from (the target is its own).
DRAFTED_FIELDS = ("level1", "level2", "name", "comparator", "unit")


class LibraryCases:
    def __init__(self, store: LedgerCore, registry: RegistryCases) -> None:
        self.store = store
        self.registry = registry

    def add(
        self,
        act: Act,
        *,
        mof_div_code: str,
        code: str,
        department_id: UUID | None,
        level1: str,
        level2: str,
        name: str,
        comparator: str,
        scoring_rule: str | None = None,
        unit: str = "",
        explanation: str = "",
        reference_value: str = "",
        calculation: str = "",
        industry_major: str = "",
        industry: str = "",
        fund_use: str = "",
        project_type: str = "",
        valid_from: date | None = None,
        valid_to: date | None = None,
        keywords: Iterable[str] = (),
    ) -> Outcome:
        """A new entry: common (department_id None, the performance section's) or a
        department's own. scoring_rule None takes the one the comparator implies."""
        self.registry.jurisdiction(mof_div_code)
        if department_id is not None:
            self._department(department_id, mof_div_code, "department_id")
        require_keeper(act, mof_div_code, department_id, self._actor_jurisdiction(act))
        definition = checked_definition(
            {
                "level1": level1,
                "level2": level2,
                "name": name,
                "comparator": comparator,
                "scoring_rule": scoring_rule,
                "unit": unit,
                "explanation": explanation,
                "reference_value": reference_value,
                "calculation": calculation,
                "industry_major": industry_major,
                "industry": industry,
                "fund_use": fund_use,
                "project_type": project_type,
                "valid_from": valid_from,
                "valid_to": valid_to,
                "keywords": tuple(keywords),
            }
        )
        entry = LibraryIndicator.add(act, mof_div_code, code, department_id, definition)
        return self.store._save(entry, conflict=AlreadyExists)

    def revise(
        self,
        act: Act,
        entry_id: UUID,
        changes: dict[str, Any],
        expected_version: int | None = None,
    ) -> Outcome:
        """A new version with the given fields changed (field → new value); a reason."""
        entry = self.store.load(LibraryIndicator, entry_id, expected_version)
        self._require_keeper(act, entry)
        entry.revise(act, changes)
        return self.store._save(entry)

    def retire(self, act: Act, entry_id: UUID, expected_version: int | None = None) -> Outcome:
        entry = self.store.load(LibraryIndicator, entry_id, expected_version)
        self._require_keeper(act, entry)
        entry.retire(act)
        return self.store._save(entry)

    def grant(
        self,
        act: Act,
        entry_id: UUID,
        department_id: UUID,
        expected_version: int | None = None,
    ) -> Outcome:
        entry = self.store.load(LibraryIndicator, entry_id, expected_version)
        require_granter(act, entry.mof_div_code, self._actor_jurisdiction(act))
        self._department(department_id, entry.mof_div_code, "department_id")
        entry.grant(act, department_id)
        return self.store._save(entry)

    # --- drafting goal indicators ------------------------------------------------------

    def drafted(
        self, obj: Any, indicators: Sequence[Indicator], entries: Sequence[UUID | None]
    ) -> list[Indicator]:
        """The goal's indicators, each drafted from a library entry carrying the entry, its
        code and the version read now. The entry must be current, in force in the object's
        fiscal year, available to the object's department, and say what the indicator
        says (the department sets the target)."""
        if not entries:
            return list(indicators)
        if len(entries) != len(indicators):
            raise InvalidInput("one library entry (or none) per indicator", "indicators")
        return [
            row if entry_id is None else self._drafted(obj, row, entry_id, f"indicators.{i}")
            for i, (row, entry_id) in enumerate(zip(indicators, entries, strict=True))
        ]

    def _drafted(self, obj: Any, row: Indicator, entry_id: UUID, where: str) -> Indicator:
        field = f"{where}.library_entry_id"
        try:
            entry = self.store.read(LibraryIndicator, entry_id)
        except NotFound:
            raise InvalidInput(f"{field}: no library entry {entry_id}", field) from None
        return drafted_from(obj, row, entry, where)

    # --- helpers -----------------------------------------------------------------------

    def _require_keeper(self, act: Act, entry: LibraryIndicator) -> None:
        require_keeper(act, entry.mof_div_code, entry.department_id, self._actor_jurisdiction(act))

    def _actor_jurisdiction(self, act: Act) -> str | None:
        try:
            return self.store.read(Organisation, UUID(act.actor.organisation_id or "")).mof_div_code
        except (NotFound, ValueError):
            return None

    def _department(self, department_id: UUID, mof_div_code: str, field: str) -> Organisation:
        try:
            department = self.store.read(Organisation, department_id)
        except NotFound:
            raise InvalidInput(f"{field}: no such organisation", field) from None
        if department.kind != OrgKind.DEPARTMENT or department.mof_div_code != mof_div_code:
            raise InvalidInput(f"{field} is a department of this jurisdiction", field)
        return department


def drafted_from(obj: Any, row: Indicator, entry: LibraryIndicator, where: str) -> Indicator:
    """The indicator drafted from the entry as it stands (an import checks entries it holds
    in memory with this too). The entry must be current, in force in the object's fiscal
    year, available to the object's department, and say what the indicator says (the
    department sets the target)."""
    field = f"{where}.library_entry_id"
    said = entry.definition
    if entry.mof_div_code != obj.mof_div_code:
        raise InvalidInput(f"{field}: the entry is another jurisdiction's", field)
    if entry.retired:
        raise InvalidInput(f"{field}: the entry {entry.code} is retired", field)
    if not said.valid_in(obj.fiscal_year):
        raise InvalidInput(
            f"{field}: the entry {entry.code} is not in force in {obj.fiscal_year}", field
        )
    if not entry.available_to(obj.department_id):
        raise InvalidInput(
            f"{field}: the entry {entry.code} is another department's own indicator, "
            "not granted to this department",
            field,
        )
    for name in DRAFTED_FIELDS:
        mine, theirs = getattr(row, name), getattr(said, name)
        if (mine.strip() if name == "unit" else mine) != theirs:
            raise InvalidInput(
                f"{where}.{name}: {mine!r} is not the library entry {entry.code}'s "
                f"{theirs!r} (a drafted indicator keeps the entry's {name})",
                f"{where}.{name}",
            )
    return replace(row, library=LibraryRef(entry.id, entry.code, entry.version))
