"""Import a year from the national tables: read every file, plan, check the whole set
(nothing is recorded if anything is wrong), then record each act through the ledger's own
use cases, signed by the importer and marked as migrated: organisations, the indicator
library's entries, objects and goals (drafted from those entries), monitoring, and last
the retirement of entries the national library disabled or deleted. A re-run records
nothing: ids are deterministic and every act whose result the ledger already holds is
skipped."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from domain import ids
from domain.errors import NotFound
from domain.ledger import Ledger
from domain.monitoring.model import MonitoringTask, monitoring_task_id
from domain.objects.model import GoalStatus, PerformanceObject
from domain.registry.model import Organisation
from domain.roles import Role
from domain.values import EvidenceRef
from infrastructure.national.checks import Checker
from infrastructure.national.library_import import LibraryRecords
from infrastructure.national.library_plan import plan_library
from infrastructure.national.plan import Cite, ObjectPlan, Plan, TaskPlan, plan_of
from infrastructure.national.problems import ImportRefused, Problem
from infrastructure.national.readers import TableFile, files_in, read_table
from infrastructure.national.signer import Signer

Progress = Callable[[int], None]


@dataclass
class ImportReport:
    files: list[str]
    rows: int
    recorded: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    not_imported: list[str] = field(default_factory=list)

    def describe(self) -> str:
        done = ", ".join(f"{k} {v}" for k, v in sorted(self.recorded.items())) or "nothing"
        same = ", ".join(f"{k} {v}" for k, v in sorted(self.unchanged.items())) or "none"
        lines = [
            f"{len(self.files)} files, {self.rows} rows",
            f"recorded: {done}",
            f"unchanged (already recorded): {same}",
        ]
        lines += [f"not imported: {n}" for n in self.not_imported]
        return "\n".join(lines)


def read_all(paths: list[Path]) -> tuple[list[TableFile], list[Problem]]:
    tables, problems = [], []
    for path in files_in(paths):
        read = read_table(path)
        if isinstance(read, Problem):
            problems.append(read)
        else:
            tables.append(read)
    return tables, problems


def checked_plan(
    ledger: Ledger, paths: list[Path], mof_div_code: str, fiscal_year: int, signer: Signer
) -> tuple[Plan, list[TableFile]]:
    """The plan of the files, every problem of which refuses the whole import."""
    tables, problems = read_all(paths)
    plan = plan_of(tables, mof_div_code, fiscal_year)
    plan_library(plan, tables)
    plan.problems[:0] = problems
    Checker(ledger, plan, signer).check()  # on the rows that read, so all are listed at once
    if plan.problems:
        raise ImportRefused(plan.problems)
    return plan, tables


def import_year(
    ledger: Ledger,
    paths: list[Path],
    mof_div_code: str,
    fiscal_year: int,
    signer: Signer,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    on_planned: Callable[[int], None] | None = None,
) -> ImportReport:
    plan, tables = checked_plan(ledger, paths, mof_div_code, fiscal_year, signer)
    report = ImportReport([t.name for t in tables], plan.rows, not_imported=plan.not_imported)
    if on_planned:
        on_planned(plan.rows)
    if not dry_run:
        Recorder(ledger, plan, signer, report, progress or (lambda n: None)).run()
    return report


class Recorder:
    def __init__(self, ledger, plan: Plan, signer: Signer, report: ImportReport, progress):
        self.ledger, self.plan, self.signer = ledger, plan, signer
        self.report, self.progress = report, progress
        self.library = LibraryRecords(self)

    def did(self, what: str, recorded: bool) -> None:
        (self.report.recorded if recorded else self.report.unchanged)[what] += 1

    def run(self) -> None:
        for org in sorted(self.plan.organisations.values(), key=lambda o: o.kind):
            self._organisation(org)
        for entry in self.plan.library.values():
            self.library.add(entry)
            self.progress(1)
        for op in self.plan.objects.values():
            self._object(op)
            self.progress(1 + len(op.indicators))
        for task in self.plan.tasks.values():
            self._task(task)
            self.progress(1 + len(task.info))
        for entry in self.plan.library.values():
            if entry.retired:  # after the goals drafted before it was disabled
                self.library.retire(entry)

    def org(self, code: str | None) -> Organisation | None:
        if code is None:
            return None
        return self.ledger.load(Organisation, ids.organisation_id(self.plan.mof_div_code, code))

    def _organisation(self, org) -> None:
        mof = self.plan.mof_div_code
        try:
            self.org(org.code)
            return self.did("organisations", False)
        except NotFound:
            pass
        parent = self.org(org.parent)
        self.ledger.registry.register_organisation(
            self.signer.act(Role.ADMINISTRATOR, org.cite),
            mof,
            org.code,
            org.name,
            org.kind,
            parent.id if parent else None,
        )
        self.did("organisations", True)

    def spending(self, item: ObjectPlan | TaskPlan, cite: Cite, **kw):
        if item.unit:
            return self.signer.act(Role.UNIT_STAFF, cite, self.org(item.unit), **kw)
        return self.signer.act(Role.DEPARTMENT_STAFF, cite, self.org(item.department), **kw)

    def _object(self, op: ObjectPlan) -> None:
        goals = self.ledger.goals
        oid = ids.performance_object_id(op.mof_div_code, op.fiscal_year, op.pro_code)
        try:
            obj = self.ledger.load(PerformanceObject, oid)
            self.did("objects", False)
        except NotFound:
            unit = self.org(op.unit)
            goals.register_object(
                self.spending(op, op.cite),
                mof_div_code=op.mof_div_code,
                fiscal_year=op.fiscal_year,
                pro_code=op.pro_code,
                name=op.name,
                kind=op.kind,
                department_id=self.org(op.department).id,
                unit_id=unit.id if unit else None,
                fund_type=op.fund_type,
                amount=op.amount,
                is_new=op.is_new,
                last_year_amount=op.last_year_amount,
            )
            self.did("objects", True)
            obj = self.ledger.load(PerformanceObject, oid)
        if op.indicators:
            if obj.goal_status == GoalStatus.NONE:
                cites = op.indicator_cites
                rows = f"; indicators {cites[0].table} rows {cites[0].row}-{cites[-1].row}"
                act = self.spending(op, op.cite, evidence=self._files(cites), rows=rows)
                goals.submit_goal(
                    act, oid, op.indicators, library_entries=self.library.entries_of(op)
                )
                self.did("goals submitted", True)
            else:
                self.did("goals submitted", False)
        if op.approved_amount is not None:
            if self.ledger.load(PerformanceObject, oid).goal_status == GoalStatus.APPROVED:
                return self.did("goals approved", False)
            act = self.signer.act(Role.BUDGET_SECTION, op.cite)
            goals.approve_goal(act, oid, op.approved_amount, op.approval_ref)
            self.did("goals approved", True)

    def _files(self, cites: list[Cite]) -> tuple[EvidenceRef, ...]:
        """The files a multi-row act also rests on, pinned by their SHA-256."""
        return tuple(dict.fromkeys(EvidenceRef(c.file, c.sha256) for c in cites))

    def _task(self, task: TaskPlan) -> None:
        monitoring = self.ledger.monitoring
        task_id = monitoring_task_id(task.object_id, task.period_code)
        try:
            opened = self.ledger.load(MonitoringTask, task_id)
            self.did("monitoring tasks", False)
        except NotFound:
            role = Role.PERFORMANCE_SECTION if task.mode == "finance_key" else Role.BUSINESS_SECTION
            act = self.signer.act(role, task.cite)
            monitoring.open_monitoring_task(act, task.object_id, task.period_code, task.mode)
            self.did("monitoring tasks", True)
            opened = None
        if task.entry is None:
            return
        if opened is not None and opened.entry is not None:
            return self.did("monitoring entries", False)
        cites = [c for c, _ in task.info]
        rows = f"; {cites[0].table} rows {cites[0].row}-{cites[-1].row}"
        kw = dict(evidence=self._files(cites), business_date=task.as_of, rows=rows)
        if task.mode == "finance_key":
            act = self.signer.act(Role.PERFORMANCE_SECTION, cites[0], **kw)
        else:
            act = self.spending(task, cites[0], **kw)
        monitoring.submit_monitoring_entry(act, task_id, task.entry)
        self.did("monitoring entries", True)
