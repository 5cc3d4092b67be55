"""The people, projects and plan of the year of activity (tests/scenarios/year_of_activity.py):
the departments and people it adds, the projects and what each period executes, and the
small helpers building its acts, entries and actuals."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import UUID

from domain.evaluation.scoring import IndicatorActual
from domain.indicators import Indicator
from domain.monitoring.entry import IndicatorProgress
from domain.values import Act, Actor, EvidenceRef
from infrastructure.bootstrap import Services
from tests.fixtures_world import INDICATORS, ORGS, PEOPLE, World
from tests.scenarios.helpers import indicators

FISCAL_YEAR = 2025
ON_TRACK = "确定能完成"
MAYBE = "有可能完成"

# Departments and people this builder adds to fixtures_world's (additively, here only).
EXTRA_ORGS = {"D103": ("浔阳区教育体育局", "department", None)}
EXTRA_SUPERVISORS = {"D103": "B01"}  # D102 is supervised by B02 (fixtures_world)
# login → (name, first role, org code)
EXTRA_PEOPLE = {
    "gaofeng": ("高峰", "department_staff", "D101"),
    "liming": ("李明", "department_staff", "D102"),
    "liuyang": ("刘洋", "department_staff", "D103"),
    "qianjin": ("钱进", "business_section", "B02"),
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
    unit: str | None = None  # org code of the unit it belongs to, if any
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
    Project("P7", "D102", "zhaoyun", Decimal("1000000.00")),
    Project("Q1", "D103", "liuyang", Decimal("1800000.00")),
    Project("Q2", "D103", "liuyang", Decimal("900000.00")),
    Project("Q3", "D103", "liuyang", Decimal("1000000.00")),
    Project("Q4", "D103", "liuyang", Decimal("1200000.00")),
    # Ordinary projects, nothing to find: one of 甘棠街道 (a unit of 住建局), by its staff.
    Project("R1", "D101", "lijun", Decimal("650000.00"), unit="D101001"),
    Project("R2", "D101", "wangfang", Decimal("1340000.00")),
    Project("R3", "D102", "zhaoyun", Decimal("480000.00")),
    Project("R4", "D102", "zhaoyun", Decimal("1990000.00")),
    Project("R5", "D103", "liuyang", Decimal("720000.00")),
    Project("R6", "D103", "liuyang", Decimal("1150000.00")),
]
# Share of the approved budget executed by each period's as-of date.
EXECUTION = {
    # P2 and Q3 far behind (serious); Q4 behind (warning); P6 claims 90% at mid-year ...
    "H1": {"P2": "0.10", "P6": "0.90", "P7": "0.45", "Q3": "0.10", "Q4": "0.35"},
    # ... and goes down to 85%; P7 far behind and left alone
    "M10": {"P6": "0.85", "P7": "0.50"},
}
DEFAULT_EXECUTION = {"H1": "0.55", "M10": "0.86", "M12": "0.98"}
# Q3's budget is cut by 200,000 after its serious mid-year deviation: executed of 800,000.
Q3_CUT = Decimal("200000.00")
EXECUTED_AFTER_CUT = {"M10": Decimal("700000.00"), "M12": Decimal("790000.00")}
# Goals adjusted in July: P2 lowered after a serious deviation (planted); Q3 raised after
# one and Q4 lowered after a mere warning (neither is a finding).
ADJUSTED_QUANTITY = {"P2": "8", "Q3": "14", "Q4": "10"}
AS_OF = {"H1": "2025-06-30", "M10": "2025-10-31", "M12": "2025-12-31"}
ENTERED = {"H1": "2025-07-04", "M10": "2025-11-05", "M12": "2026-01-06"}
BACK_DATED_RECORDED = "2025-11-10"  # P4's H1 entry: 133 days after 30 June
P4_M10_RECORDED = "2025-11-12"  # after the late H1 entry, so the entries stay in order
AT_TOLERANCE_RECORDED = "2025-07-31"  # Q2's H1 entry: 31 days after 30 June, not more


def executed(project: Project, period: str) -> Decimal:
    if project.key == "Q3" and period in EXECUTED_AFTER_CUT:
        return EXECUTED_AFTER_CUT[period]
    share = EXECUTION.get(period, {}).get(project.key, DEFAULT_EXECUTION[period])
    return (project.amount * Decimal(share)).quantize(Decimal("0.01"))


def _targets(p: Project, period: str) -> dict[str, str]:
    targets = dict(TARGETS)
    if p.key in ADJUSTED_QUANTITY and period != "H1":
        targets["改造老旧小区数量"] = ADJUSTED_QUANTITY[p.key]
    return targets


def _self_overrides(key: str) -> dict[str, str] | None:
    if key == "P5":
        return {"受益居民户数": "2000"}  # the mid-year on-track claim was not met
    if key in ADJUSTED_QUANTITY:
        return {"改造老旧小区数量": str(int(ADJUSTED_QUANTITY[key]) + 1)}
    return None
