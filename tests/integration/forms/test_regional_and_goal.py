"""Hefei's monitoring layout (完成可能性 as "1-确定能" in one cell, 偏差原因 written) read
and written beside the national one; a goal declared on a hand-filled form; a goal under
review is not changed by a form. Both stores."""

from __future__ import annotations

from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from domain.monitoring.model import MonitoringTask
from domain.objects.model import PerformanceObject
from infrastructure.bootstrap import Services
from tests.fixtures_world import build_world
from tests.integration.forms import hand_filled
from tests.integration.forms.helpers import Forms, monitored, position, run, with_file
from tests.unit.lifecycle_helpers import register


@pytest.fixture
def hefei(services: Services):
    return build_world(services, "340100", "合肥市", prefix="hf.")


def test_hefei_monitoring_form_written_and_read_in_its_own_layout(services, hefei, tmp_path):
    ledger, forms = services.ledger, Forms(services.ledger)
    _, task_id = monitored(ledger, hefei)
    exported = forms.export_monitoring(task_id)
    assert exported.template.id == "monitoring-340100-2020-v1"
    (tmp_path / "hf.xlsx").write_bytes(exported.content)
    ws = load_workbook(tmp_path / "hf.xlsx")["绩效运行监控表"]
    assert [ws[f"{c}8"].value for c in "GHIJK"] == [
        "当前完成值",
        "全年预计完成值",
        "完成可能性",
        "偏差原因",
        "纠偏措施",
    ]
    assert [ws[f"I{r}"].value for r in range(9, 13)] == ["2-有可能"] + ["1-确定能"] * 3
    assert ws["J9"].value == "经费保障、人员保障"  # written, no √ columns here
    staff = hefei.act_as("wangfang")
    before = position(ledger)
    plan = forms.plan_monitoring(
        with_file(staff, exported.content), task_id, exported.content, None
    )
    assert plan.template.region == "340100" and run(plan) == "unchanged"

    ws["I10"], ws["J10"], ws["K10"] = "3", "工期受雨季影响", "延长作业时间"  # 年底完工率
    ws["I11"] = "有可能"
    ws["J11"], ws["K11"] = "征迁未完成", "加快征迁"
    ws.parent.save(tmp_path / "hf2.xlsx")
    content = (tmp_path / "hf2.xlsx").read_bytes()
    act = with_file(staff, content, "按合肥市表式更正")
    assert run(forms.plan_monitoring(act, task_id, content, None)) == "correct_monitoring_entry"
    rows = {r.name: r for r in ledger.load(MonitoringTask, task_id).entry.indicators}
    assert rows["年底完工率"].likelihood == "完全不可能完成"
    assert rows["年底完工率"].deviation_cause == "工期受雨季影响"
    assert rows["受益居民户数"].likelihood == "有可能完成"
    assert position(ledger) == before + 2  # the correction and its judgement

    ws["I10"] = "4-不知道"
    ws.parent.save(tmp_path / "hf3.xlsx")
    bad = (tmp_path / "hf3.xlsx").read_bytes()
    plan = forms.plan_monitoring(with_file(staff, bad, "再改"), task_id, bad, None)
    assert run(plan) == "invalid"
    assert [p.cell for p in plan.problems] == ["绩效运行监控表!I10"]


def test_a_hefei_task_still_takes_the_national_layout(services, hefei, tmp_path):
    ledger, forms = services.ledger, Forms(services.ledger)
    _, task_id = monitored(ledger, hefei, entered=False)
    content = hand_filled.monitoring(tmp_path / "national.xlsx")
    plan = forms.plan_monitoring(
        with_file(hefei.act_as("wangfang"), content), task_id, content, None
    )
    assert plan.template.region == "national"
    assert run(plan) == "submit_monitoring_entry"


def test_a_workbook_in_no_known_layout_is_refused_naming_the_layouts(services, hefei, tmp_path):
    ledger, forms = services.ledger, Forms(services.ledger)
    _, task_id = monitored(ledger, hefei, entered=False)
    wb = Workbook()
    wb.active["A1"] = "随便一张表"
    wb.save(tmp_path / "x.xlsx")
    content = (tmp_path / "x.xlsx").read_bytes()
    plan = forms.plan_monitoring(
        with_file(hefei.act_as("wangfang"), content), task_id, content, None
    )
    assert run(plan) == "invalid"
    assert "monitoring-340100-2020-v1" in plan.problems[0].message
    assert "monitoring-national-2020-v1" in plan.problems[0].message


def _goal_form(path, rows) -> bytes:
    """The national goal declaration as a department fills it."""
    wb = Workbook()
    ws = wb.active
    ws.title = "项目支出绩效目标申报表"
    ws["A3"], ws["B3"], ws["A4"], ws["B4"] = "项目名称", "老旧小区改造", "主管部门及代码", "住建局"
    ws["A6"], ws["C6"], ws["D6"], ws["B7"], ws["D7"] = (
        "项目资金（万元）",
        "中期资金总额",
        "年度资金总额",
        "资金总额",
        "6000",
    )
    labels = ("一级指标", "二级指标", "三级指标", "计算符号", "年度指标值", "计量单位", "分值")
    for col, label in zip("ABCDEFGH", (*labels, "中期指标值"), strict=True):
        ws[f"{col}12"] = label
    for r, row in enumerate(rows, start=13):
        for col, value in zip("ABCDEFG", row, strict=True):
            ws[f"{col}{r}"] = value
    ws.merge_cells("A13:A14")
    wb.save(path)
    return path.read_bytes()


def test_a_goal_declared_on_a_hand_filled_form(services, tmp_path):
    world = build_world(services)
    ledger, forms = services.ledger, Forms(services.ledger)
    oid = register(ledger, world, "60000000.00")
    rows = [
        ("产出指标", "数量指标", "改造老旧小区数量", ">=", 12, "个", 30),
        (None, "质量指标", "竣工验收合格率", "＝", "100", "%", 20),
        ("效益指标", "社会效益指标", "居民居住条件", "定性", "明显改善", "—", 30),
        (None, None, "受益居民户数", "区间", "3000-3500", "户", None),  # 二级 from above
        ("满意度指标", "服务对象满意度指标", "居民满意度", "≥", "90", "%", 20),
    ]
    content = _goal_form(tmp_path / "goal.xlsx", rows)
    before = position(ledger)
    blank = forms.export_goal(oid).content  # no goal yet: the form to fill
    plan = forms.plan_goal(with_file(world.act_as("wangfang"), blank), oid, blank, None)
    assert run(plan) == "invalid"
    assert [p.message for p in plan.problems] == ["the form lists no indicator"]
    plan = forms.plan_goal(with_file(world.act_as("wangfang"), content), oid, content, None)
    assert plan.problems == [] and run(plan) == "submit_goal"
    assert position(ledger) == before + 1
    obj = ledger.load(PerformanceObject, oid)
    assert [(i.level1, i.level2, i.name, i.comparator) for i in obj.indicators] == [
        ("产出", "数量", "改造老旧小区数量", "≥"),
        ("产出", "质量", "竣工验收合格率", "="),
        ("效益", "社会", "居民居住条件", "qualitative"),
        ("效益", "社会", "受益居民户数", "range"),
        ("满意度", "满意度", "居民满意度", "≥"),
    ]
    assert obj.indicators[2].qualitative_target == "明显改善"
    assert (obj.indicators[3].value, obj.indicators[3].upper) == (Decimal(3000), Decimal(3500))
    assert obj.indicators[0].weight == 30 and obj.indicators[3].weight == 0

    # Under review, a changed form is refused (it is changed once returned), by cell-free
    # problem; the same form is unchanged.
    assert (
        run(forms.plan_goal(with_file(world.act_as("wangfang"), content), oid, content, None))
        == "unchanged"
    )
    rows[0] = ("产出指标", "数量指标", "改造老旧小区数量", ">=", 15, "个", 30)
    changed = _goal_form(tmp_path / "goal2.xlsx", rows)
    plan = forms.plan_goal(with_file(world.act_as("wangfang"), changed), oid, changed, None)
    assert run(plan) == "invalid" and "under_review" in plan.problems[0].message
    rows[0] = ("产出指标", "数量指标", "改造老旧小区数量", "约", 15, "个", 30)
    bad = _goal_form(tmp_path / "goal3.xlsx", rows)
    plan = forms.plan_goal(with_file(world.act_as("wangfang"), bad), oid, bad, None)
    assert [p.cell for p in plan.problems] == ["项目支出绩效目标申报表!D13"]
    assert position(ledger) == before + 1
