"""A year of activity (fiscal 2025) for three departments of 浔阳区, built through the
ledger's own commands as the people whose job it is, each act at its time of year.

The clock is moved through the year with time_machine (goals in January 2025, monitoring
entries a few days after each period's as-of date, self-evaluations in March 2026, spot
checks in May 2026, rectifications after), so that only the planted back-dated entry is
recorded long after the date it claims.

Planted (each on its own project, so each trace stands alone):
  住建局 D101  P1 an inflated self-score caught by the finance bureau's re-check (gap ≥ 15)
              P2 a serious deviation at mid-year, ordered corrected, then the goal lowered
              P3 a segregation-of-duties breach: the preparer of the goal, granted the
                 budget-section role, approves it himself
  卫健委 D102  P4 a back-dated monitoring entry (as of 30 June, first recorded in November)
              P5 an on-track claim (确定能完成) the self-evaluation finds unmet
              P6 budget executed going down between two entries
              and (over HTTP, by the test) a segregation-of-duties attempt: the preparer of
              P4's self-evaluation, moved to the performance section, tries to re-check it
  教体局 D103  nothing: two clean projects, one spot-checked within the gap, one
              rectification answered on time and verified
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import UUID

import time_machine

from domain.evaluation_scoring import IndicatorActual
from domain.indicators import Indicator
from domain.ledger import Ledger
from domain.monitoring import monitoring_task_id
from domain.monitoring_entry import Entry, IndicatorProgress
from domain.values import Act, Actor, EvidenceRef
from infrastructure.bootstrap import Services, cli_act
from tests.fixtures_world import INDICATORS, ORGS, PEOPLE, World, build_world
from tests.scenarios.helpers import indicators

FISCAL_YEAR = 2025
ON_TRACK = "确定能完成"
MAYBE = "有可能完成"

# Departments and people this builder adds to fixtures_world's (additively, here only).
EXTRA_ORGS = {"D103": ("浔阳区教育体育局", "department", None)}
EXTRA_SUPERVISORS = {"D103": "B01"}
# login → (name, first role, org code)
EXTRA_PEOPLE = {
    "gaofeng": ("高峰", "department_staff", "D101"),
    "liming": ("李明", "department_staff", "D102"),
    "liuyang": ("刘洋", "department_staff", "D103"),
}
# Role changes during the year: login → (role, org code)
ROLE_CHANGES = {
    "gaofeng": ("budget_section", "Y01"),  # 调任预算股, keeps his department role
    "liming": ("performance_section", "P01"),  # 调任绩效评价服务股
}


def at(day: str, hour: int = 2) -> datetime:
    """An instant on a day in UTC (02:00 UTC is 10:00 China Standard Time, same date)."""
    d = date.fromisoformat(day)
    return datetime(d.year, d.month, d.day, hour, 0, tzinfo=UTC)


def evidence(name: str) -> tuple[EvidenceRef, ...]:
    return (EvidenceRef(name, hashlib.sha256(name.encode()).hexdigest()),)


@dataclass
class Project:
    key: str
    department: str  # org code
    preparer: str  # login who registers and submits the goal
    amount: Decimal
    object_id: UUID | None = None
    tasks: dict[str, UUID] = field(default_factory=dict)
    self_evaluation_id: UUID | None = None
    spot_check_id: UUID | None = None


@dataclass
class Year:
    services: Services
    world: World
    projects: dict[str, Project]
    departments: dict[str, str]  # code → name
    notices: dict[str, UUID] = field(default_factory=dict)

    def person(self, login: str) -> UUID:
        return self.world.person(login)

    def org(self, code: str) -> UUID:
        return self.world.org(code)


def _name_role_org(login: str) -> tuple[str, str, str]:
    return PEOPLE.get(login) or EXTRA_PEOPLE[login]


def _org_name(code: str) -> str:
    return (ORGS.get(code) or EXTRA_ORGS[code])[0]


class Acts:
    """The Act the API would build for a person's token, in a role they hold."""

    def __init__(self, world: World) -> None:
        self.world = world

    def __call__(self, login: str, role_org: tuple[str, str] | None = None, **fields) -> Act:
        name, role, org = _name_role_org(login)
        if role_org:
            role, org = role_org
        actor = Actor(
            str(self.world.person(login)), name, role, str(self.world.org(org)), _org_name(org)
        )
        return Act(actor, **fields)


def _indicators_with(quantity: str = "12") -> list[Indicator]:
    rows = indicators()
    return [
        replace(row, value=Decimal(quantity)) if row.name == "改造老旧小区数量" else row
        for row in rows
    ]


def _progress(
    targets: dict[str, str], doubtful: dict[str, str] | None = None
) -> tuple[IndicatorProgress, ...]:
    """Each indicator on track at its target, except `doubtful` (name → forecast), which
    says 有可能完成 with its cause and measures."""
    doubtful = doubtful or {}
    rows = []
    for name, target in targets.items():
        if name in doubtful:
            rows.append(
                IndicatorProgress(
                    name=name,
                    likelihood=MAYBE,
                    actual=Decimal(doubtful[name]) / 2,
                    forecast=Decimal(doubtful[name]),
                    deviation_cause="进度滞后，部分任务延期",
                    corrective_measures="倒排工期，加快推进",
                )
            )
        else:
            rows.append(
                IndicatorProgress(
                    name=name,
                    likelihood=ON_TRACK,
                    actual=Decimal(target) / 2,
                    forecast=Decimal(target),
                )
            )
    return tuple(rows)


def _actuals(overrides: dict[str, str] | None = None) -> list[IndicatorActual]:
    overrides = overrides or {}
    out = []
    for row in INDICATORS:
        value = overrides.get(row["name"], row["value"])
        # A little above each ≥ target, as real reports are.
        actual = Decimal(value) if row["name"] in overrides else Decimal(value) + 1
        out.append(IndicatorActual(row["level1"], row["level2"], row["name"], actual=actual))
    return out


TARGETS = {row["name"]: row["value"] for row in INDICATORS}
PROJECTS = [
    Project("P1", "D101", "wangfang", Decimal("1500000.00")),
    Project("P2", "D101", "wangfang", Decimal("1200000.00")),
    Project("P3", "D101", "gaofeng", Decimal("800000.00")),
    Project("P4", "D102", "zhaoyun", Decimal("1000000.00")),
    Project("P5", "D102", "zhaoyun", Decimal("1600000.00")),
    Project("P6", "D102", "zhaoyun", Decimal("1000000.00")),
    Project("Q1", "D103", "liuyang", Decimal("1800000.00")),
    Project("Q2", "D103", "liuyang", Decimal("900000.00")),
]
# Share of the approved budget executed by each period's as-of date.
EXECUTION = {
    "H1": {"P2": "0.10", "P6": "0.90"},  # P2 far behind (serious); P6 claims 90%
    "M10": {"P6": "0.85"},  # P6 goes down to 85%
}
DEFAULT_EXECUTION = {"H1": "0.55", "M10": "0.86", "M12": "0.98"}
AS_OF = {"H1": "2025-06-30", "M10": "2025-10-31", "M12": "2025-12-31"}
ENTERED = {"H1": "2025-07-04", "M10": "2025-11-05", "M12": "2026-01-06"}
BACK_DATED_RECORDED = "2025-11-10"  # P4's H1 entry: 133 days after 30 June
P4_M10_RECORDED = "2025-11-12"  # after the late H1 entry, so the entries stay in order


def executed(project: Project, period: str) -> Decimal:
    share = EXECUTION.get(period, {}).get(project.key, DEFAULT_EXECUTION[period])
    return (project.amount * Decimal(share)).quantize(Decimal("0.01"))


def build_year(services: Services) -> Year:
    """Build the whole year; returns what the test needs to find its way in it."""
    with time_machine.travel(at("2024-12-20"), tick=True) as clock:
        return _build(services, clock)


def _build(services: Services, clock) -> Year:
    ledger: Ledger = services.ledger
    world = build_world(services)
    act = Acts(world)
    setup = cli_act("test set-up")
    for code, (name, kind, parent) in EXTRA_ORGS.items():
        parent_id = world.org(parent) if parent else None
        ledger.register_organisation(setup, world.mof_div_code, code, name, kind, parent_id)
    for department, section in EXTRA_SUPERVISORS.items():
        ledger.assign_supervisor(setup, world.org(department), world.org(section))
    for login, (name, role, org) in EXTRA_PEOPLE.items():
        ledger.register_person(setup, login, name)
        ledger.grant_role(setup, world.person(login), role, world.org(org))
    projects = {p.key: Project(p.key, p.department, p.preparer, p.amount) for p in PROJECTS}
    year = Year(
        services,
        world,
        projects,
        {code: _org_name(code) for code in ("D101", "D102", "D103")},
    )

    # --- January 2025: registration, goals, reviews, approval --------------------------------
    clock.move_to(at("2025-01-06"))
    for p in projects.values():
        p.object_id = ledger.register_object(
            act(p.preparer),
            mof_div_code=world.mof_div_code,
            fiscal_year=FISCAL_YEAR,
            pro_code=f"3604032025{p.key}",
            name=f"{_org_name(p.department)}2025年项目{p.key}",
            kind="project",
            department_id=world.org(p.department),
            unit_id=None,
            fund_type="general_public",
            amount=p.amount,
            is_new=True,
            last_year_amount=None,
        ).aggregate_id
        ledger.submit_goal(act(p.preparer), p.object_id, indicators())
    clock.move_to(at("2025-01-09"))
    # 高峰 moves to the budget section (he keeps his department role).
    login, (role, org) = "gaofeng", ROLE_CHANGES["gaofeng"]
    ledger.grant_role(act("admin"), world.person(login), role, world.org(org))
    clock.move_to(at("2025-01-10"))
    for p in projects.values():
        for login, stage in (("chenjing", "initial"), ("liuqiang", "second"), ("sunli", "final")):
            ledger.review_goal(act(login), p.object_id, stage, "良", "同意")
    clock.move_to(at("2025-01-15"))
    for p in projects.values():
        approver = act("gaofeng", ROLE_CHANGES["gaofeng"]) if p.key == "P3" else act("sunli")
        ledger.approve_goal(approver, p.object_id, p.amount, f"浔财预〔2025〕{p.key}号")

    # --- the year's monitoring: H1, M10, M12 --------------------------------------------
    all_ids = [p.object_id for p in projects.values()]
    for period, opened in (("H1", "2025-06-20"), ("M10", "2025-10-20"), ("M12", "2025-12-20")):
        clock.move_to(at(opened))
        ledger.open_monitoring_round(
            act("chenjing"), world.mof_div_code, FISCAL_YEAR, period, all_ids
        )
        for p in projects.values():
            p.tasks[period] = ids_task(p.object_id, period)
        if period == "H1":
            clock.move_to(at(ENTERED["H1"]))
            for p in projects.values():
                if p.key != "P4":
                    _enter(ledger, act, p, "H1")
            # P2 is seriously behind: the business section orders it corrected ...
            clock.move_to(at("2025-07-08"))
            ledger.follow_up_monitoring(
                act(
                    "chenjing",
                    reason="执行进度严重滞后，限期纠偏",
                    business_date=date(2025, 7, 8),
                ),
                projects["P2"].tasks["H1"],
                "correction_ordered",
            )
            # ... and the department lowers the goal instead (12 → 8 communities).
            clock.move_to(at("2025-07-21"))
            ledger.adjust_goal(
                act("wangfang", reason="征迁受阻，调减改造数量"),
                projects["P2"].object_id,
                _indicators_with("8"),
                "浔财预调〔2025〕2号",
            )
        elif period == "M10":
            clock.move_to(at(ENTERED["M10"]))
            for p in projects.values():
                if p.key != "P4":
                    _enter(ledger, act, p, "M10")
            # P4's mid-year entry is first recorded now, claiming 30 June.
            clock.move_to(at(BACK_DATED_RECORDED))
            _enter(ledger, act, projects["P4"], "H1")
            clock.move_to(at(P4_M10_RECORDED))
            _enter(ledger, act, projects["P4"], "M10")
        else:
            clock.move_to(at(ENTERED["M12"]))
            for p in projects.values():
                _enter(ledger, act, p, "M12")

    # --- March 2026: self-evaluations ----------------------------------------------------
    clock.move_to(at("2026-03-16"))
    for p in projects.values():
        preparer = "liming" if p.key == "P4" else p.preparer
        overrides = {"改造老旧小区数量": "8"} if p.key == "P2" else None
        if p.key == "P5":
            overrides = {"受益居民户数": "2000"}  # the on-track claim was not met
        p.self_evaluation_id = ledger.submit_self_evaluation(
            act(
                preparer,
                business_date=date(2026, 3, 16),
                evidence=evidence("项目支出绩效自评表.pdf"),
            ),
            p.object_id,
            _actuals(overrides),
            executed(p, "M12"),
        ).aggregate_id

    # 李明 moves to the performance section (he keeps his department role).
    clock.move_to(at("2026-04-01"))
    login, (role, org) = "liming", ROLE_CHANGES["liming"]
    ledger.grant_role(act("admin"), world.person(login), role, world.org(org))

    # --- May 2026: spot checks and results -------------------------------------------------
    clock.move_to(at("2026-05-12"))
    rechecks = {"P1": "80", "P6": "95", "Q1": "96"}  # P1: 99.80 self vs 80 → gap 19.80
    for key, score in rechecks.items():
        p = projects[key]
        p.spot_check_id = ledger.recheck_self_evaluation(
            act("liuqiang", business_date=date(2026, 5, 12), evidence=evidence("抽查复核底稿.pdf")),
            p.self_evaluation_id,
            Decimal(score),
            "抽查复核意见",
        ).aggregate_id
    clock.move_to(at("2026-05-20"))
    for p in projects.values():
        target = p.spot_check_id or p.self_evaluation_id
        proposal = ledger.result_proposal(target)
        percentage = Decimal("10") if proposal.measure in ("reduce", "cut_recurring") else None
        amount = Decimal("30000.00") if proposal.measure == "no_funding_until_rectified" else None
        ledger.apply_result(act("sunli"), target, proposal.measure, percentage, amount)

    # --- rectification: issued, answered in time, verified -----------------------------------
    clock.move_to(at("2026-05-25"))
    for key, ref in (("P1", "浔财绩整〔2026〕1号"), ("Q1", "浔财绩整〔2026〕2号")):
        p = projects[key]
        year.notices[key] = ledger.issue_rectification(
            act("chenjing", business_date=date(2026, 5, 25)),
            p.object_id,
            ref,
            ["自评佐证材料不足"],
            p.spot_check_id,
        ).aggregate_id
    clock.move_to(at("2026-06-05"))
    for key in ("P1", "Q1"):
        p = projects[key]
        ledger.respond_rectification(
            act(p.preparer, business_date=date(2026, 6, 5), evidence=evidence("整改报告.pdf")),
            year.notices[key],
            "已补充佐证材料并建立复核机制",
        )
    clock.move_to(at("2026-06-10"))
    for key in ("P1", "Q1"):
        ledger.verify_rectification(act("chenjing"), year.notices[key], "整改到位")
    return year


def ids_task(object_id: UUID, period: str) -> UUID:
    return monitoring_task_id(object_id, period)


def _enter(ledger: Ledger, act: Acts, p: Project, period: str) -> None:
    targets = dict(TARGETS)
    if p.key == "P2" and period != "H1":
        targets["改造老旧小区数量"] = "8"  # the adjusted goal
    doubtful = None
    if p.key == "P2" and period == "H1":
        doubtful = {"改造老旧小区数量": "9"}
    if p.key == "P5" and period != "H1":  # only the mid-year entry claims 确定能完成
        doubtful = {"受益居民户数": "2900"}
    entry = Entry(executed(p, period), p.amount, _progress(targets, doubtful))
    ledger.submit_monitoring_entry(
        act(p.preparer, business_date=date.fromisoformat(AS_OF[period])), p.tasks[period], entry
    )


__all__ = ["EXTRA_PEOPLE", "ROLE_CHANGES", "Year", "at", "build_year"]
