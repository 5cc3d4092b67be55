"""`python -m bench national-import`: a generated district-year (about 550 projects, each
goal approved with eight indicators, three monitoring entries) in the national tables'
layouts, imported into an empty ledger, in events per second; against the rate of the same
acts issued straight to the ledger's use cases in another empty ledger in the same run (no
files read, nothing checked beforehand, no look-ups for what is already recorded); and the
second import of the same files, which records nothing."""

from __future__ import annotations

import gc
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.national_district import MOF, YEAR, generate
from bench.report import bench_settings, drop_schema, new_report, store_url, write_report
from domain import ids
from infrastructure.bootstrap import Services, bootstrap, cli_act
from infrastructure.logging import configure_logging
from infrastructure.national.importer import checked_plan, import_year
from infrastructure.national.library_import import keeper_act
from infrastructure.national.plan import Plan
from infrastructure.national.signer import Signer, signer_for

LOGIN = "bench.migration"


def ready(url: str) -> tuple[Services, Signer]:
    """An empty ledger with its jurisdiction and the administrator who runs the import."""
    services = bootstrap(bench_settings(url))
    act, registry = cli_act("bench"), services.ledger.registry
    registry.register_jurisdiction(act, MOF, "基准区", "district")
    registry.register_organisation(act, MOF, "ADMIN", "基准区绩效系统管理", "administration")
    registry.register_person(act, LOGIN, "迁移员")
    registry.grant_role(
        act, ids.person_id(LOGIN), "administrator", ids.organisation_id(MOF, "ADMIN")
    )
    return services, signer_for(services.ledger, LOGIN, MOF)


def commands(services: Services, plan: Plan, signer: Signer) -> None:
    """The plan's acts straight through the use cases, as the import records them."""
    from domain.monitoring.model import monitoring_task_id
    from domain.registry.model import Organisation
    from domain.roles import Role

    ledger = services.ledger
    orgs: dict[str, Organisation] = {}
    for org in sorted(plan.organisations.values(), key=lambda o: o.kind):
        parent = orgs[org.parent].id if org.parent else None
        ledger.registry.register_organisation(
            signer.act(Role.ADMINISTRATOR, org.cite), MOF, org.code, org.name, org.kind, parent
        )
        orgs[org.code] = ledger.load(Organisation, ids.organisation_id(MOF, org.code))
    for entry in plan.library.values():
        dept = orgs[entry.department] if entry.department else None
        ledger.library.add(
            keeper_act(signer, entry.cite, dept),
            mof_div_code=MOF,
            code=entry.code,
            department_id=dept.id if dept else None,
            **entry.values,
        )

    def spending(item, cite, **kw):
        org = orgs[item.unit] if item.unit else orgs[item.department]
        role = Role.UNIT_STAFF if item.unit else Role.DEPARTMENT_STAFF
        return signer.act(role, cite, org, **kw)

    for op in plan.objects.values():
        outcome = ledger.goals.register_object(
            spending(op, op.cite),
            mof_div_code=MOF,
            fiscal_year=YEAR,
            pro_code=op.pro_code,
            name=op.name,
            kind=op.kind,
            department_id=orgs[op.department].id,
            unit_id=orgs[op.unit].id if op.unit else None,
            fund_type=op.fund_type,
            amount=op.amount,
            is_new=op.is_new,
            last_year_amount=op.last_year_amount,
        )
        oid = outcome.aggregate_id
        drafted = [ids.library_indicator_id(MOF, c) if c else None for c in op.library_codes]
        entries = drafted if any(op.library_codes) else ()
        ledger.goals.submit_goal(spending(op, op.cite), oid, op.indicators, library_entries=entries)
        act = signer.act(Role.BUDGET_SECTION, op.cite)
        ledger.goals.approve_goal(act, oid, op.approved_amount, op.approval_ref)
    for task in plan.tasks.values():
        act = signer.act(Role.BUSINESS_SECTION, task.cite)
        ledger.monitoring.open_monitoring_task(act, task.object_id, task.period_code, task.mode)
        entry_act = spending(task, task.info[0][0], business_date=task.as_of)
        task_id = monitoring_task_id(task.object_id, task.period_code)
        ledger.monitoring.submit_monitoring_entry(entry_act, task_id, task.entry)


def imported(url: str, files: Path) -> dict[str, Any]:
    """One import into an empty ledger, timed end to end, then the same files again."""
    try:
        services, signer = ready(url)
        start = services.follower.head() or 0
        gc.collect()
        started = time.perf_counter()
        report = import_year(services.ledger, [files], MOF, YEAR, signer)
        seconds = time.perf_counter() - started
        events = (services.follower.head() or 0) - start
        started = time.perf_counter()
        again = import_year(services.ledger, [files], MOF, YEAR, signer)
        rerun = time.perf_counter() - started
        assert not again.recorded, "the second import recorded something"
        services.close()
    finally:
        drop_schema(url)
    return {"report": report, "seconds": seconds, "events": events, "rerun": rerun}


def commanded(url: str, files: Path) -> dict[str, Any]:
    """The same acts through the use cases into an empty ledger (planned beforehand)."""
    try:
        services, signer = ready(url)
        start = services.follower.head() or 0
        started = time.perf_counter()
        plan, _ = checked_plan(services.ledger, [files], MOF, YEAR, signer)
        checking = time.perf_counter() - started
        gc.collect()
        started = time.perf_counter()
        commands(services, plan, signer)
        seconds = time.perf_counter() - started
        events = (services.follower.head() or 0) - start
        services.close()
    finally:
        drop_schema(url)
    return {"seconds": seconds, "events": events, "checking": checking}


def measure(store: str, folder: Path, files: Path, repeat: int) -> dict[str, Any]:
    """Each side `repeat` times, alternating, each in a fresh ledger; the best of each."""
    runs_i, runs_c = [], []
    for n in range(repeat):
        runs_i.append(imported(store_url(store, folder, f"national_import_{n}"), files))
        runs_c.append(commanded(store_url(store, folder, f"national_commands_{n}"), files))
    best_i = min(runs_i, key=lambda r: r["seconds"])
    best_c = min(runs_c, key=lambda r: r["seconds"])
    events = best_i["events"]
    assert {r["events"] for r in runs_i + runs_c} == {events}, "the runs recorded differently"
    report = best_i["report"]
    return {
        "rows": report.rows,
        "recorded": dict(report.recorded),
        "events": events,
        "runs": repeat,
        "import_seconds": [round(r["seconds"], 2) for r in runs_i],
        "import_events_per_second": round(events / best_i["seconds"], 1),
        "read_and_check_seconds": round(min(r["checking"] for r in runs_c), 2),
        "commands_seconds": [round(r["seconds"], 2) for r in runs_c],
        "commands_events_per_second": round(events / best_c["seconds"], 1),
        "ratio": round(best_c["seconds"] / best_i["seconds"], 2),
        "rerun_seconds": round(min(r["rerun"] for r in runs_i), 2),
    }


def main(args) -> None:
    configure_logging("console", "WARNING")
    report = new_report("national-import", projects=args.projects)
    with tempfile.TemporaryDirectory() as tmp:
        files = Path(tmp) / "files"
        report["rows"] = generate(files, args.projects)
        for store in ["sqlite", "postgres"] if args.store == "both" else [args.store]:
            figures = measure(store, Path(tmp), files, args.repeat)
            report["stores"][store] = figures
            print(
                f"{store}: {figures['events']} events from {figures['rows']} rows — import "
                f"{figures['import_events_per_second']}/s (best of {figures['import_seconds']} s, "
                f"reading and checking ~{figures['read_and_check_seconds']} s), the same "
                f"acts through the use cases {figures['commands_events_per_second']}/s: "
                f"{figures['ratio']}×; a second import {figures['rerun_seconds']} s, nothing "
                "recorded"
            )
    write_report(report, args.out)
