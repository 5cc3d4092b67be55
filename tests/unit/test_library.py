"""The indicator library (指标库) on the ledger itself (in-memory store, no I/O): who keeps
which entries, comparators and scoring rules, versions, and goals drafted from entries that
keep the version they read."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest

from domain.errors import AlreadyExists, InvalidInput, InvalidTransition, NotPermitted
from domain.indicators import Indicator, LibraryRef
from domain.ledger import Ledger
from domain.library.model import LibraryIndicator
from domain.library.rules import scoring_rule_for
from domain.objects.model import PerformanceObject
from domain.values import EvidenceRef
from tests.fixtures_world import World, build_world
from tests.scenarios.helpers import indicators


@pytest.fixture
def ledger() -> Ledger:
    return Ledger()


@pytest.fixture(params=[("360403", "浔阳区", ""), ("360734", "信丰县", "xf.")], ids=["xy", "xf"])
def world(request: pytest.FixtureRequest, ledger: Ledger) -> World:
    code, name, prefix = request.param
    return build_world(SimpleNamespace(ledger=ledger), code, name, prefix)


def common(ledger: Ledger, world: World, code: str = "CP001", **fields) -> LibraryIndicator:
    values = (
        dict(
            level1="产出",
            level2="数量",
            name="改造老旧小区数量",
            comparator="＞＝",
            unit="个",
            explanation="年内完成改造的老旧小区个数",
            industry_major="城乡社区",
            keywords=("老旧小区", "改造", "老旧小区"),
        )
        | fields
    )
    entry_id = ledger.library.add(
        world.act_as("liuqiang"),
        mof_div_code=world.mof_div_code,
        code=code,
        department_id=None,
        **values,
    ).aggregate_id
    return ledger.load(LibraryIndicator, entry_id)


def project(ledger: Ledger, world: World, pro_code: str = "L1", department: str = "D101"):
    login = "wangfang" if department == "D101" else "zhaoyun"
    return ledger.goals.register_object(
        world.act_as(login),
        mof_div_code=world.mof_div_code,
        fiscal_year=2025,
        pro_code=pro_code,
        name="老旧小区改造",
        kind="project",
        department_id=world.org(department),
        unit_id=None,
        fund_type="general_public",
        amount=Decimal("1000000.00"),
        is_new=True,
    ).aggregate_id


def test_a_common_entry_is_normalised_and_kept_by_the_performance_section(ledger, world):
    entry = common(ledger, world)
    said = entry.definition
    assert (said.comparator, said.scoring_rule) == ("≥", "positive")
    assert said.keywords == ("老旧小区", "改造")
    assert entry.is_common and entry.version == 1
    assert entry.available_to(world.org("D102"))
    with pytest.raises(AlreadyExists):
        common(ledger, world)
    for login in ("wangfang", "chenjing", "sunli"):
        with pytest.raises(NotPermitted):
            ledger.library.add(
                world.act_as(login),
                mof_div_code=world.mof_div_code,
                code="CP009",
                department_id=None,
                level1="产出",
                level2="数量",
                name="x",
                comparator="≥",
            )


def test_scoring_rules_follow_the_comparator_and_refuse_contradictions() -> None:
    assert scoring_rule_for("≤", None) == "reverse"
    assert scoring_rule_for("qualitative", "定性") == "qualitative"
    assert scoring_rule_for("=", "正向") == "positive"
    with pytest.raises(InvalidInput, match="state scoring_rule") as e:
        scoring_rule_for("range", None)
    assert e.value.field == "scoring_rule"
    for comparator, rule in (("≥", "reverse"), ("<", "positive"), ("qualitative", "positive")):
        with pytest.raises(InvalidInput, match="contradicts"):
            scoring_rule_for(comparator, rule)
    with pytest.raises(InvalidInput, match="contradicts"):
        scoring_rule_for("≥", "qualitative")


def test_bad_fields_are_refused_with_the_field_named(ledger, world):
    for fields, field in (
        ({"comparator": "约等于"}, "comparator"),
        ({"level2": "社会"}, "level2"),
        ({"name": "  "}, "name"),
        ({"valid_from": date(2025, 1, 1), "valid_to": date(2024, 12, 31)}, "valid_to"),
        ({"comparator": "≤", "scoring_rule": "positive"}, "scoring_rule"),
    ):
        with pytest.raises(InvalidInput) as e:
            common(ledger, world, "BAD", **fields)
        assert e.value.field == field


def test_own_entries_are_the_departments_and_granted_by_the_performance_section(ledger, world):
    own = ledger.library.add(
        world.act_as("zhoujie"),  # 住建局 head
        mof_div_code=world.mof_div_code,
        code="D101-01",
        department_id=world.org("D101"),
        level1="效益",
        level2="社会",
        name="受益居民户数",
        comparator="≥",
        unit="户",
    ).aggregate_id
    with pytest.raises(NotPermitted):  # another department keeps no one else's entries
        ledger.library.add(
            world.act_as("zhaoyun"),
            mof_div_code=world.mof_div_code,
            code="D101-02",
            department_id=world.org("D101"),
            level1="效益",
            level2="社会",
            name="y",
            comparator="≥",
        )
    with pytest.raises(NotPermitted):
        ledger.library.grant(world.act_as("wangfang"), own, world.org("D102"))
    with pytest.raises(InvalidInput):  # a unit is not a department
        ledger.library.grant(world.act_as("liuqiang"), own, world.org("D101001"))
    ledger.library.grant(world.act_as("liuqiang"), own, world.org("D102"))
    entry = ledger.load(LibraryIndicator, own)
    assert entry.available_to(world.org("D102")) and entry.version == 2
    with pytest.raises(AlreadyExists):
        ledger.library.grant(world.act_as("liuqiang"), own, world.org("D102"))
    with pytest.raises(NotPermitted):  # the keeper of own entries is the department
        ledger.library.revise(world.act_as("liuqiang", reason="改"), own, {"unit": "户次"})


def test_revising_needs_a_reason_and_a_change_and_retiring_ends_the_entry(ledger, world):
    entry = common(ledger, world)
    staff = world.act_as("liuqiang")
    with pytest.raises(InvalidInput, match="reason"):
        ledger.library.revise(staff, entry.id, {"unit": "处"})
    why = world.act_as("liuqiang", reason="按2025年指标库修订")
    with pytest.raises(InvalidInput, match="changes nothing"):
        ledger.library.revise(why, entry.id, {"unit": "个"})
    with pytest.raises(InvalidInput) as e:
        ledger.library.revise(why, entry.id, {"code": "X"})
    assert e.value.field == "code"
    # A changed comparator takes the rule it implies unless one is stated.
    ledger.library.revise(why, entry.id, {"comparator": "≤", "explanation": "上限"})
    revised = ledger.load(LibraryIndicator, entry.id)
    assert (revised.definition.scoring_rule, revised.version) == ("reverse", 2)
    with pytest.raises(InvalidInput, match="reason"):
        ledger.library.retire(staff, entry.id)
    ledger.library.retire(world.act_as("liuqiang", reason="不再适用"), entry.id)
    with pytest.raises(InvalidTransition):
        ledger.library.revise(why, entry.id, {"unit": "处"})


def _rows(entry: LibraryIndicator) -> list[Indicator]:
    rows = indicators()
    rows[0] = replace(rows[0], comparator=">=", unit=" 个 ")  # spelt otherwise, same meaning
    return rows


def test_a_goal_drafted_from_the_library_keeps_the_version_it_read(ledger, world):
    entry = common(ledger, world)
    oid = project(ledger, world)
    ledger.goals.submit_goal(
        world.act_as("wangfang"), oid, _rows(entry), library_entries=[entry.id, None, None, None]
    )
    ledger.library.revise(
        world.act_as("liuqiang", reason="口径调整"), entry.id, {"explanation": "竣工验收个数"}
    )
    goal = ledger.load(PerformanceObject, oid)
    assert goal.indicators[0].library == LibraryRef(entry.id, "CP001", 1)
    assert [row.library for row in goal.indicators[1:]] == [None, None, None]
    assert ledger.load(LibraryIndicator, entry.id).version == 2


def test_drafting_refuses_what_the_entry_does_not_allow(ledger, world):
    entry = common(ledger, world, valid_from=date(2026, 1, 1))
    oid = project(ledger, world)
    staff, entries = world.act_as("wangfang"), [entry.id, None, None, None]

    def refused(rows, field: str, match: str) -> None:
        with pytest.raises(InvalidInput, match=match) as e:
            ledger.goals.submit_goal(staff, oid, rows, library_entries=entries)
        assert e.value.field == field
        assert ledger.load(PerformanceObject, oid).version == 1

    refused(_rows(entry), "indicators.0.library_entry_id", "not in force in 2025")
    why = world.act_as("liuqiang", reason="提前施行")
    ledger.library.revise(why, entry.id, {"valid_from": date(2024, 1, 1)})
    mismatch = _rows(entry)
    mismatch[0] = replace(mismatch[0], unit="处")
    refused(mismatch, "indicators.0.unit", "not the library entry")
    renamed = _rows(entry)
    renamed[0] = replace(renamed[0], name="改造小区数量")
    refused(renamed, "indicators.0.name", "not the library entry")
    with pytest.raises(InvalidInput, match="one library entry"):
        ledger.goals.submit_goal(staff, oid, _rows(entry), library_entries=[entry.id])
    own = ledger.library.add(
        world.act_as("zhaoyun"),
        mof_div_code=world.mof_div_code,
        code="D102-01",
        department_id=world.org("D102"),
        level1="产出",
        level2="数量",
        name="改造老旧小区数量",
        comparator="≥",
        unit="个",
    ).aggregate_id
    entries = [own, None, None, None]
    refused(_rows(entry), "indicators.0.library_entry_id", "not granted")
    ledger.library.grant(world.act_as("liuqiang"), own, world.org("D101"))
    ledger.goals.submit_goal(staff, oid, _rows(entry), library_entries=entries)
    assert ledger.load(PerformanceObject, oid).indicators[0].library.version == 2
    ledger.library.retire(world.act_as("liuqiang", reason="停用"), entry.id)
    other = project(ledger, world, "L2")
    with pytest.raises(InvalidInput, match="retired"):
        ledger.goals.submit_goal(
            staff, other, _rows(entry), library_entries=[entry.id] + [None] * 3
        )


def test_an_adjustment_drafted_from_the_library_records_the_version_it_read(ledger, world):
    entry = common(ledger, world)
    oid = project(ledger, world)
    ledger.goals.submit_goal(world.act_as("wangfang"), oid, indicators())
    for login, stage in (("chenjing", "initial"), ("liuqiang", "second"), ("sunli", "final")):
        ledger.goals.review_goal(world.act_as(login), oid, stage, "良", "同意")
    ledger.goals.approve_goal(
        world.act_as("sunli"), oid, Decimal("1000000.00"), "浔财预〔2025〕1号"
    )
    ledger.library.revise(
        world.act_as("liuqiang", reason="口径调整"), entry.id, {"reference_value": "≥15"}
    )
    rows = _rows(entry)
    rows[0] = replace(rows[0], value=Decimal(10))
    applying = world.act_as(
        "wangfang",
        reason="拆迁受阻，调减改造数量",
        evidence=(EvidenceRef("调整申请.pdf", "b" * 64),),
    )
    with pytest.raises(InvalidInput) as e:  # the adjustment is checked like a submission
        mismatch = [replace(rows[0], level2="质量"), *rows[1:]]
        ledger.goals.apply_goal_adjustment(
            applying, oid, mismatch, library_entries=[entry.id, None, None, None]
        )
    assert e.value.field == "indicators.0.level2"
    ledger.goals.apply_goal_adjustment(
        applying, oid, rows, library_entries=[entry.id, None, None, None]
    )
    ledger.goals.review_goal_adjustment(world.act_as("chenjing"), oid, "agreed")
    ledger.goals.approve_goal_adjustment(world.act_as("sunli"), oid, "浔财预〔2025〕9号")
    goal = ledger.load(PerformanceObject, oid)
    assert goal.indicators[0].library == LibraryRef(entry.id, "CP001", 2)
    assert goal.indicators[0].value == Decimal(10)
