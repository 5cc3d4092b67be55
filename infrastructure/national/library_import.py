"""The library entries of an import, checked and recorded, and goal indicators drafted from
them. Checks: each entry through the library's own rules (keeper, definition) on an
aggregate held in memory, or compared with the entry the ledger holds (a differing one is
refused at its row: revise it in jixiao); each PM_PERF_INDICATOR.perf_ind_code through the
check drafting a goal from the library applies (domain/library/cases.py drafted_from).
Recording: entries before goals (a goal's indicators name them), retirements after goals (a
goal of the year may have been drafted before the entry was disabled)."""

from __future__ import annotations

from dataclasses import replace

from domain import ids
from domain.errors import DomainError, NotFound
from domain.indicators import Indicator
from domain.library.cases import drafted_from
from domain.library.model import LibraryIndicator
from domain.library.rules import FIELDS, checked_definition, require_keeper
from domain.objects.model import PerformanceObject
from domain.registry.model import Organisation
from domain.roles import OrgKind, Role
from infrastructure.national.library_plan import COLUMNS, EntryPlan
from infrastructure.national.plan import Cite, ObjectPlan, Plan
from infrastructure.national.signer import Signer

# Which PM_PERF_INDICATOR column a drafting refusal is about, by the field it names.
DRAFT_COLUMNS = {
    "library_entry_id": "perf_ind_code",
    "level1": "lv1_perf_ind_name",
    "level2": "lv2_perf_ind_name",
    "name": "lv3_perf_ind_name",
    "comparator": "computesign",
    "unit": "kpi_unit",
}


def keeper_act(signer: Signer, cite: Cite, department: Organisation | None):
    """Common entries are the performance section's; a department's own its staff's."""
    if department is None:
        return signer.act(Role.PERFORMANCE_SECTION, cite)
    return signer.act(Role.DEPARTMENT_STAFF, cite, department)


class LibraryChecks:
    def __init__(self, ledger, plan: Plan, signer: Signer, orgs: dict[str, Organisation]):
        self.ledger, self.plan, self.signer, self.orgs = ledger, plan, signer, orgs
        self.entries: dict[str, LibraryIndicator] = {}  # code → as goals will find it

    def check(self) -> None:
        for entry in self.plan.library.values():
            self._entry(entry)

    def _department(self, ep: EntryPlan) -> Organisation | None:
        code = ep.department
        if code in self.orgs:
            return self.orgs[code]
        if code in self.plan.organisations:
            return None  # its own problem is reported
        try:
            org = self.ledger.load(Organisation, ids.organisation_id(self.plan.mof_div_code, code))
        except NotFound:
            self.plan.problem(
                ep.cite, "dept_code", f"no department {code}: register it, or give dept_name"
            )
            return None
        if org.kind != OrgKind.DEPARTMENT:
            self.plan.problem(ep.cite, "dept_code", f"{code} is {org.name}, not a department")
            return None
        return org

    def _entry(self, ep: EntryPlan) -> None:
        plan, mof = self.plan, self.plan.mof_div_code
        department = self._department(ep) if ep.department else None
        if ep.department and department is None:
            return
        department_id = department.id if department else None
        try:
            definition = checked_definition(ep.values)
            known = self._recorded(ep.code)
            if known is None:
                act = keeper_act(self.signer, ep.cite, department)
                require_keeper(act, mof, department_id, mof)  # the signer is of mof
                known = LibraryIndicator.add(act, mof, ep.code, department_id, definition)
            else:
                self._same(ep, known, department_id, definition)
        except DomainError as e:
            column = COLUMNS.get(e.field or "", "perf_ind_code" if e.field == "code" else None)
            plan.problem(ep.cite, column or "perf_ind_name", e.detail)
            return
        self.entries[ep.code] = known

    def _recorded(self, code: str) -> LibraryIndicator | None:
        entry_id = ids.library_indicator_id(self.plan.mof_div_code, code)
        try:
            return self.ledger.load(LibraryIndicator, entry_id)
        except NotFound:
            return None

    def _same(self, ep: EntryPlan, known: LibraryIndicator, department_id, definition) -> None:
        if known.department_id != department_id:
            column = "dept_code" if ep.department else "perf_ind_code"
            whose = "a common entry" if known.is_common else "another department's own"
            self.plan.problem(ep.cite, column, f"{ep.code} is recorded as {whose}")
        for name in FIELDS:
            recorded, said = getattr(known.definition, name), getattr(definition, name)
            if recorded != said:
                self.plan.problem(
                    ep.cite,
                    COLUMNS[name],
                    f"{ep.code} is recorded with {name} {recorded!r}, the file says {said!r} "
                    "(revise it in jixiao)",
                )
                break
        if known.retired and not ep.retired:
            self.plan.problem(ep.cite, "is_enabled", f"{ep.code} is retired in jixiao")

    # --- goals -----------------------------------------------------------------------

    def drafted(self, op: ObjectPlan, obj: PerformanceObject) -> list[Indicator] | None:
        """The goal's indicators, those naming a library code drafted from its entry; None
        when one cannot be (reported at its row)."""
        rows: list[Indicator] = []
        given = zip(op.indicators, op.library_codes, op.indicator_cites, strict=True)
        for row, code, cite in given:
            entry = self._entry_for(code, cite) if code else None
            if entry is None:
                rows.append(row)
                continue
            try:
                rows.append(drafted_from(obj, row, entry, "indicator"))
            except DomainError as e:
                field = (e.field or "").rsplit(".", 1)[-1]
                self.plan.problem(cite, DRAFT_COLUMNS.get(field, "perf_ind_code"), e.detail)
        if len(rows) != len(op.indicators) or any(
            c and r.library is None for r, c in zip(rows, op.library_codes, strict=True)
        ):
            return None
        return rows

    def _entry_for(self, code: str, cite: Cite) -> LibraryIndicator | None:
        entry = self.entries.get(code)
        if entry is None and code not in self.plan.library:
            entry = self._recorded(code)
            if entry is None and code not in self.plan.unreadable:
                self.plan.problem(
                    cite,
                    "perf_ind_code",
                    f"no library entry {code} (BAS_PERF_INDICATOR, PERF_T_DEPTINDICATOR)",
                )
        return entry  # None after a problem of the entry's own row

    def same_goal(self, op: ObjectPlan, obj: PerformanceObject) -> bool:
        """A recorded goal is the file's: the same indicators, drafted from the same codes
        (BGT_PERF_INDICATOR has no perf_ind_code: there the codes are not compared)."""
        plain = [replace(row, library=None) for row in obj.indicators]
        if plain != list(op.indicators):
            return False
        codes = [row.library.code if row.library else None for row in obj.indicators]
        return op.cite.table != "PM_PERF_GOAL_INFO" or codes == op.library_codes


class LibraryRecords:
    """The Recorder's library part: adds before the goals, retirements after."""

    def __init__(self, recorder) -> None:
        self.recorder = recorder
        self.ledger, self.plan, self.signer = recorder.ledger, recorder.plan, recorder.signer

    def entry_id(self, code: str):
        return ids.library_indicator_id(self.plan.mof_div_code, code)

    def add(self, ep: EntryPlan) -> None:
        try:
            self.ledger.load(LibraryIndicator, self.entry_id(ep.code))
            return self.recorder.did("library entries", False)
        except NotFound:
            pass
        department = self.recorder.org(ep.department)
        self.ledger.library.add(
            keeper_act(self.signer, ep.cite, department),
            mof_div_code=self.plan.mof_div_code,
            code=ep.code,
            department_id=department.id if department else None,
            **ep.values,
        )
        self.recorder.did("library entries", True)

    def retire(self, ep: EntryPlan) -> None:
        entry = self.ledger.load(LibraryIndicator, self.entry_id(ep.code))
        if entry.retired:
            return self.recorder.did("library entries retired", False)
        department = self.recorder.org(ep.department)
        self.ledger.library.retire(keeper_act(self.signer, ep.cite, department), entry.id)
        self.recorder.did("library entries retired", True)

    def entries_of(self, op: ObjectPlan) -> list:
        """library_entries= of the goal's submission (empty when none is drafted)."""
        if not any(op.library_codes):
            return []
        return [self.entry_id(c) if c else None for c in op.library_codes]
