"""A synthetic district for the scale benchmarks, recorded through the ledger's real
commands and deterministic for a seed: 56 departments supervised by six business sections,
550 projects a year, each project-year through its lifecycle — registration (with the
ex-ante judgement), goal submission, 初审/复核/终审 and 批复, a monitoring task for each of
the policy's periods with an entry and sometimes corrections, a self-evaluation and the
application of its result — about thirty events per project-year, year after year until
the log holds the events asked for. The district's code (369999) has no policy of its own,
so the national default judges it.

    python -m bench generate --events 100000 --database-url sqlite:///var/district.sqlite
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from domain import ids
from domain.business_dates import BusinessDateWindow
from domain.objects.model import PerformanceObject
from domain.values import Act, Actor
from infrastructure.bootstrap import Services, cli_act
from infrastructure.demo.evaluation import actuals_of
from infrastructure.demo.monitoring import entry_of
from tests.scenarios.helpers import indicators

CODE = "369999"
DEPARTMENTS = 56
SECTIONS = 6
PROJECTS_PER_YEAR = 550
FIRST_YEAR = 2015
PERIODS = (("H1", "0.45", "06-30"), ("M10", "0.85", "10-31"), ("M12", "1", "12-31"))


@dataclass(frozen=True)
class Person:
    login: str
    name: str
    role: str
    org_code: str
    org_name: str


class District:
    def __init__(self) -> None:
        self.people: dict[str, Person] = {}

    def org(self, code: str) -> Any:
        return ids.organisation_id(CODE, code)

    def act(self, login: str, business_date: str | None = None) -> Act:
        p = self.people[login]
        actor = Actor(
            str(ids.person_id(p.login)), p.name, p.role, str(self.org(p.org_code)), p.org_name
        )
        return Act(
            actor,
            business_date=None if business_date is None else date.fromisoformat(business_date),
        )


def register_district(services: Services) -> District:
    ledger, admin = services.ledger, cli_act("synthetic district")
    district = District()
    ledger.registry.register_jurisdiction(admin, CODE, "合成区 (synthetic)", "district")
    finance = [
        (f"B{s:02d}", f"财政局业务{s}股", "business_section") for s in range(1, SECTIONS + 1)
    ]
    finance += [
        ("P01", "财政局绩效股", "performance_section"),
        ("Y01", "财政局预算股", "budget_section"),
    ]
    departments = [(f"D{d:03d}", f"合成区第{d}局", "department") for d in range(1, DEPARTMENTS + 1)]
    for code, name, kind in finance + departments:
        ledger.registry.register_organisation(admin, CODE, code, name, kind, None)
    for d in range(1, DEPARTMENTS + 1):
        section = f"B{(d - 1) % SECTIONS + 1:02d}"
        ledger.registry.assign_supervisor(admin, district.org(f"D{d:03d}"), district.org(section))
    staff = [
        (f"syn.s{code}", f"填报员{code}", "department_staff", code, name)
        for code, name, _ in departments
    ]
    officials = [
        (f"syn.{code.lower()}", f"审核员{code}", role, code, name) for code, name, role in finance
    ]
    for login, name, role, org_code, org_name in staff + officials:
        ledger.registry.register_person(admin, login, name)
        ledger.registry.grant_role(admin, ids.person_id(login), role, district.org(org_code))
        district.people[login] = Person(login, name, role, org_code, org_name)
    return district


def project_year(services: Services, district: District, year: int, n: int, rng: random.Random):
    """One project's year through the commands; returns nothing, records ~30 events."""
    ledger = services.ledger
    d = n % DEPARTMENTS + 1
    dept, staff = f"D{d:03d}", f"syn.sD{d:03d}"
    business = f"syn.b{(d - 1) % SECTIONS + 1:02d}"
    amount = Decimal(rng.randrange(100_000, 9_000_000, 1000)).quantize(Decimal("0.01"))
    oid = ledger.goals.register_object(
        district.act(staff, f"{year - 1}-10-15"),
        mof_div_code=CODE,
        fiscal_year=year,
        pro_code=f"{CODE}{year}{n:05d}",
        name=f"合成区{year}年第{n}号项目",
        kind="project",
        department_id=district.org(dept),
        unit_id=None,
        fund_type="general_public",
        amount=amount,
        is_new=True,
        last_year_amount=None,
    ).aggregate_id
    ledger.goals.submit_goal(district.act(staff), oid, indicators())
    for login, stage in ((business, "initial"), ("syn.p01", "second"), ("syn.y01", "final")):
        ledger.goals.review_goal(district.act(login), oid, stage, "良", "同意")
    ledger.goals.approve_goal(district.act("syn.y01"), oid, amount, f"合财预〔{year}〕{n}号")
    obj = ledger.load(PerformanceObject, oid)
    for code, progress, as_of in PERIODS:
        task = ledger.monitoring.open_monitoring_task(
            district.act(business), oid, code
        ).aggregate_id
        executed = (amount * Decimal(progress) * Decimal(rng.uniform(0.8, 0.97))).quantize(
            Decimal("0.01")
        )
        period = {"progress": progress, "qualitative": "按计划推进"}
        entry = entry_of(obj, period, {"executed": str(executed)})
        ledger.monitoring.submit_monitoring_entry(
            district.act(staff, f"{year}-{as_of}"), task, entry
        )
        for k in range(rng.choice((0, 0, 1, 2))):
            more = (executed * (1 + Decimal(k + 1) / 100)).quantize(Decimal("0.01"))
            corrected = entry_of(obj, period, {"executed": str(more)})
            act = district.act(staff, f"{year}-{as_of}")
            act = Act(act.actor, reason="补录国库直付数据", business_date=act.business_date)
            ledger.monitoring.correct_monitoring_entry(act, task, corrected)
    spent = (amount * Decimal(rng.uniform(0.85, 1.0))).quantize(Decimal("0.01"))
    evaluation = ledger.evaluation.submit_self_evaluation(
        district.act(staff, f"{year + 1}-03-20"), oid, actuals_of(obj, {}), spent
    ).aggregate_id
    proposal = ledger.results.result_proposal(evaluation)
    ledger.results.apply_result(district.act("syn.y01"), evaluation, proposal.measure)


def generate(
    services: Services,
    events: int,
    seed: int = 7,
    progress: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    """Record project-years until the log holds at least `events` events: `generate_rounds`,
    so a large log stays inside the business-date window the ledger enforces."""
    return generate_rounds(services, events, seed, progress=progress)


def last_fiscal_year(services: Services) -> int:
    """The last fiscal year whose self-evaluation (dated the March after) the ledger accepts:
    business dates must fall in the policy's window, which ends a few years after today."""
    policy = services.ledger.policies.for_jurisdiction(CODE, FIRST_YEAR)
    return BusinessDateWindow.of(policy, date.today()).latest.year - 1


def generate_rounds(
    services: Services,
    events: int,
    seed: int,
    district: District | None = None,
    first_round: int = 0,
    deadline: float | None = None,
    progress: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    """The district's project-years, until the log holds `events`: year after year from 2015
    up to the last whose self-evaluation (dated the March after) the business-date window
    accepts, then further rounds of projects (numbered 550 on) in the same years, since the
    ledger refuses dates past its window (a 1M log would otherwise reach 2075). The first
    round is the years-only district of earlier runs, event for event. With a deadline
    (time.time()), it stops after the project-year running then."""
    rng = random.Random(seed)
    started, before = time.perf_counter(), services.follower.head()
    district = district or register_district(services)
    head, last = services.follower.head, last_fiscal_year(services)
    done, number = head(), first_round * PROJECTS_PER_YEAR

    def more(done: int) -> bool:
        return done < events and not (deadline and time.time() >= deadline)

    while more(done):
        for year in range(FIRST_YEAR, last + 1):
            for n in range(number, number + PROJECTS_PER_YEAR):
                if not more(done):
                    break
                project_year(services, district, year, n, rng)
                now = head()
                if progress:
                    progress(now - done)
                done = now
        number += PROJECTS_PER_YEAR
    seconds = time.perf_counter() - started
    made = done - before
    return {
        "events": done,
        "recorded": made,
        "seconds": round(seconds, 1),
        "events_per_s": round(made / seconds),
    }
