"""The indicator library in the national tables: common entries (BAS_PERF_INDICATOR) and a
department's own (PERF_T_DEPTINDICATOR), with a goal drafted from them, exported and moved
into an empty ledger: the same entries (retired ones retired again), the goal indicators
drafted from the same codes (version 1 in the new ledger), each act signed in the role it
requires; a re-run records nothing; errors are refused whole, by file, row and column."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from domain import ids
from domain.indicators import Indicator, LibraryRef
from domain.library.model import LibraryIndicator
from domain.registry.model import Organisation
from domain.values import Act, Actor
from infrastructure.bootstrap import Services
from infrastructure.demo.load import load_demo
from infrastructure.national.importer import import_year
from infrastructure.national.library_export import entry_ids
from tests.integration.national_helpers import MOF, YEAR, empty_ledger, events, importer, state
from tests.integration.test_national_refusals import edit, refused, rows_of
from tests.integration.test_national_round_trip import exported

PRO = "360403233010009"  # a project of 301 whose goal is drafted from the library
PEOPLE = {
    "xy.wanglei": ("王磊", "performance_section", "CZJ-JXPJ", "浔阳区财政局绩效评价服务股"),
    "xy.huangmin": ("黄敏", "department_staff", "301", "浔阳区住房和城乡建设局"),
}


def act_as(login: str, reason: str | None = None) -> Act:
    name, role, org, org_name = PEOPLE[login]
    actor = Actor(
        str(ids.person_id(login)), name, role, str(ids.organisation_id(MOF, org)), org_name
    )
    return Act(actor, reason=reason, business_date=date(2023, 2, 1))


def drafting_ledger(services: Services) -> None:
    """The demo (three common entries) with two own entries of 301, one retired, a revised
    common entry, and a project whose goal is drafted from a common and an own entry."""
    load_demo(services.ledger, services.signer, services.settings)
    library, staff = services.ledger.library, act_as("xy.huangmin")
    dept = ids.organisation_id(MOF, "301")
    for code, name in (("D301-001", "受益居民户数"), ("D301-002", "加装电梯数")):
        library.add(
            staff,
            mof_div_code=MOF,
            code=code,
            department_id=dept,
            level1="效益",
            level2="社会",
            name=name,
            comparator="≥",
            unit="户",
            explanation="改造后受益的居民户数",
            reference_value="1000",
            industry_major="城乡社区",
            industry="住房保障",
            fund_use="项目建设",
            project_type="老旧小区改造",
            valid_from=date(2023, 1, 1),
            valid_to=date(2025, 12, 31),
            keywords=("受益", "居民"),
        )
    library.retire(act_as("xy.huangmin", "不再使用"), ids.library_indicator_id(MOF, "D301-002"))
    common = ids.library_indicator_id(MOF, "GX-MYD-001")
    library.revise(act_as("xy.wanglei", "按问卷口径"), common, {"explanation": "抽样问卷"})
    oid = services.ledger.goals.register_object(
        staff,
        mof_div_code=MOF,
        fiscal_year=YEAR,
        pro_code=PRO,
        name="湓浦街道老旧小区改造",
        kind="project",
        department_id=dept,
        unit_id=None,
        fund_type="general_public",
        amount=Decimal("3200000.00"),
        is_new=True,
    ).aggregate_id
    rows = [
        Indicator("产出", "数量", "改造楼栋数", "≥", Decimal(12), unit="栋", weight=Decimal(40)),
        Indicator("效益", "社会", "受益居民户数", "≥", Decimal(600), unit="户", weight=Decimal(30)),
        Indicator("满意度", "满意度", "居民满意度", "≥", Decimal(90), unit="%", weight=Decimal(30)),
    ]
    entries = [None, ids.library_indicator_id(MOF, "D301-001"), common]
    services.ledger.goals.submit_goal(staff, oid, rows, library_entries=entries)
    # Disabled after the goal was drafted from it: the import drafts, then retires.
    library.retire(act_as("xy.huangmin", "项目完成后停用"), entries[1])


def library(services: Services) -> dict[str, tuple]:
    """Each entry of the jurisdiction: its department's code, definition and retirement."""
    services.follower.catch_up()
    found = {}
    for entry_id in entry_ids(services.views_db, MOF):
        entry = services.ledger.load(LibraryIndicator, entry_id)
        dept = entry.department_id and services.ledger.load(Organisation, entry.department_id)
        found[entry.code] = (dept.code if dept else None, entry.definition, entry.retired)
    return found


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_library_and_a_goal_drafted_from_it_move_through_the_national_tables(
    services: Services, database_url: str, tmp_path: Path, fmt: str
) -> None:
    drafting_ledger(services)
    entries, before = library(services), state(services)
    assert len(entries) == 5 and entries["D301-001"][0] == "301"
    assert [code for code, (_, _, retired) in entries.items() if retired] == [
        "D301-001",
        "D301-002",
    ]
    drafted = before[PRO]["indicators"]
    assert drafted[2].library.version == 2  # the common entry was revised before drafting
    directory = exported(services, tmp_path / fmt, fmt)

    with empty_ledger(database_url) as target:
        head = target.follower.head()
        report = import_year(target.ledger, [directory], MOF, YEAR, importer(target))
        # Code, owner, levels, name, comparator, rule, unit, texts, classification, validity,
        # keywords: the whole definition; the retired entry retired.
        assert library(target) == entries
        after = state(target)
        assert {k: v for k, v in after.items() if k != PRO} == {
            k: v for k, v in before.items() if k != PRO
        }
        own, common = (ids.library_indicator_id(MOF, c) for c in ("D301-001", "GX-MYD-001"))
        assert [row.library for row in after[PRO]["indicators"]] == [
            None,
            LibraryRef(own, "D301-001", 1),
            LibraryRef(common, "GX-MYD-001", 1),
        ]
        assert after[PRO]["indicators"] == tuple(
            replace(row, library=row.library and replace(row.library, version=1)) for row in drafted
        )
        assert report.recorded["library entries"] == 5
        assert report.recorded["library entries retired"] == 2

        # Each library act signed by the importer in the role its entry's keeper holds.
        recorded = events(target.ledger)[head:]
        dept = str(ids.organisation_id(MOF, "301"))
        library_events = [e for e in recorded if type(e).__qualname__.startswith("LibraryInd")]
        assert len(library_events) == 7  # 5 added, 2 retired
        for event in library_events:
            actor, source = event.act.actor, event.act.migrated
            if source.table == "BAS_PERF_INDICATOR":
                assert actor.role == "performance_section"
            else:
                assert source.table == "PERF_T_DEPTINDICATOR"
                assert (actor.role, actor.organisation_id) == ("department_staff", dept)
            assert actor.person_id == importer(target).person_id

        again = import_year(target.ledger, [directory], MOF, YEAR, importer(target))
        assert target.follower.head() == head + len(recorded), "a re-run recorded something"
        assert not again.recorded and again.unchanged == report.recorded


def test_library_errors_are_refused_by_file_row_and_column(
    services: Services, database_url: str, tmp_path: Path
) -> None:
    drafting_ledger(services)
    clean = exported(services, tmp_path / "clean", "csv")
    bas, own = clean / "BAS_PERF_INDICATOR.csv", clean / "PERF_T_DEPTINDICATOR.csv"
    goal_rows = rows_of(clean / "PM_PERF_INDICATOR.csv")
    drafted = {r["perf_ind_code"]: n for n, r in enumerate(goal_rows, 1) if r["perf_ind_code"]}
    assert set(drafted) == {"D301-001", "GX-MYD-001"}
    wrong = tmp_path / "wrong"
    shutil.copytree(clean, wrong)
    edit(wrong / bas.name, 2, computesign="大约")
    edit(wrong / own.name, 2, dept_code="399", dept_name="")  # no such department
    indicators = wrong / "PM_PERF_INDICATOR.csv"
    edit(indicators, drafted["GX-MYD-001"], perf_ind_code="GX-NONE")
    edit(indicators, drafted["D301-001"], kpi_unit="人")
    # A demo project's indicator naming no entry: its goal is left out, and its monitoring
    # rows, which join it, add no problem of their own.
    monitored = {r["pro_code"] for r in rows_of(clean / "PAY_PERF_MONITOR_INFO.csv")}
    demo_row = next(n for n, r in enumerate(goal_rows, 1) if r["pro_code"] in monitored)
    edit(indicators, demo_row, perf_ind_code="GX-NONE")

    with empty_ledger(database_url) as target:
        assert refused(target, wrong) == {
            (bas.name, 2, "computesign"),
            (own.name, 2, "dept_code"),
            ("PM_PERF_INDICATOR.csv", drafted["GX-MYD-001"], "perf_ind_code"),
            ("PM_PERF_INDICATOR.csv", drafted["D301-001"], "kpi_unit"),
            ("PM_PERF_INDICATOR.csv", demo_row, "perf_ind_code"),
        }
        import_year(target.ledger, [clean], MOF, YEAR, importer(target))
        # A file changed after its import: refused at the row, not silently skipped.
        edit(bas, 3, perf_ind_name="居民满意率")
        edit(own, 2, is_enabled="1")  # D301-002 is retired in jixiao
        rows = {r["perf_ind_code"]: n for n, r in enumerate(rows_of(bas), 1)}
        assert rows["GX-MYD-001"] == 3
        assert refused(target, clean) == {
            (bas.name, 3, "perf_ind_name"),
            (own.name, 2, "is_enabled"),
        }


TREE = (
    "perf_ind_code,perf_ind_name,findex,sindex,computesign,targetunit,scoreformula,parent_id,"
    "level_no,is_leaf,is_deleted,dept_code,dept_name,start_date,end_date\n"
    "X1,效益指标,,,,,,,1,0,,,,,\n"
    "X1-2,生态效益指标,,,,,,X1,2,0,,,,,\n"
    "X1-2-01,绿化覆盖率,,,＝,%,正向,X1-2,3,1,0,401,浔阳区林业局,2023-01-01,2023-12-31\n"
    "X1-2-02,裸土面积,,,＜,平方米,,X1-2,3,1,1,401,浔阳区林业局,,\n"
)


def test_a_departments_tree_of_the_national_library_into_an_empty_ledger(
    database_url: str, tmp_path: Path
) -> None:
    """Category rows are not entries; a leaf's levels come from the rows above; a new
    department named by dept_name is registered; a deleted leaf is recorded, then retired."""
    (tmp_path / "PERF_T_DEPTINDICATOR_2023.csv").write_text(TREE, encoding="gb18030")
    with empty_ledger(database_url) as target:
        report = import_year(target.ledger, [tmp_path], MOF, YEAR, importer(target))
        assert report.recorded == {
            "organisations": 1,
            "library entries": 2,
            "library entries retired": 1,
        }
        found = library(target)
        assert list(found) == ["X1-2-01", "X1-2-02"]
        (dept, green, retired), (_, bare, gone) = found.values()
        assert dept == "401" and not retired and gone
        assert (green.level1, green.level2, green.comparator, green.scoring_rule) == (
            "效益",
            "生态",
            "=",
            "positive",
        )
        assert (green.valid_from, green.valid_to) == (date(2023, 1, 1), date(2023, 12, 31))
        assert (bare.comparator, bare.scoring_rule, bare.unit) == ("<", "reverse", "平方米")
