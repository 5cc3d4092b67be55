"""Forms filled by hand (built cell by cell with openpyxl, merged 一级/二级 cells, "—"/"*"/"/",
numbers typed as text, √ columns) import to the expected events; a form with errors records
nothing and names each error's cell. Both stores."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from domain.evaluation.model import SelfEvaluation, evaluation_id
from domain.monitoring.model import MonitoringTask
from infrastructure.bootstrap import Services
from tests.fixtures_world import build_world
from tests.integration.forms import hand_filled
from tests.integration.forms.helpers import Forms, monitored, position, run, with_file
from tests.unit.lifecycle_helpers import approved_object

SHEET = "项目支出绩效自评表"


@pytest.fixture
def world(services: Services):
    return build_world(services)


def _topics(ledger, after: int) -> list[str]:
    return [n.topic for n in ledger.notification_log.select(after + 1, 10)]


def test_a_hand_filled_self_evaluation_is_submitted_as_written(services, world, tmp_path):
    ledger, forms = services.ledger, Forms(services.ledger)
    oid = approved_object(ledger, world, "60000000.00")
    content = hand_filled.self_evaluation(tmp_path / "自评表.xlsx")
    act = with_file(world.act_as("wangfang"), content)
    before = position(ledger)

    dry = forms.plan_self_evaluation(act, oid, content, None)
    assert dry.problems == [] and dry.action == "submit_self_evaluation"
    assert [r["row"] for r in dry.rows] == [6, 13, 14, 15, 17]  # the blank line 16 skipped
    assert position(ledger) == before  # planning records nothing
    assert run(dry) == "submit_self_evaluation"

    assert _topics(ledger, before) == ["jixiao:SelfEvaluation.SelfEvaluationSubmitted"]
    held = ledger.load(SelfEvaluation, evaluation_id(oid, "self"))
    s = held.scoring
    assert s.executed_amount == Decimal("58765432.10")  # 5876.54321 万元, exactly
    assert s.budget_amount == Decimal("60000000.00")  # "6,000.00" typed as text
    assert [(r.level1, r.level2, r.name, r.actual) for r in s.rows] == [
        ("产出", "数量", "改造老旧小区数量", Decimal(11)),
        ("产出", "时效", "年底完工率", Decimal(96)),  # "96%"; 一级 from the merged cell
        ("效益", "社会", "受益居民户数", Decimal(3100)),  # "3,100"
        ("满意度", "满意度", "居民满意度", Decimal(93)),
    ]
    assert [r.deviation_cause for r in s.rows] == ["一处小区延至次年", None, None, None]
    assert held.submitted_by == str(world.person("wangfang"))
    # The scores are the policy's: 得分 "—" in the file, computed on record.
    assert s.total > 0 and s.rows[0].score < s.rows[0].points


def test_a_self_evaluation_with_errors_records_nothing_and_names_each_cell(
    services, world, tmp_path
):
    ledger, forms = services.ledger, Forms(services.ledger)
    oid = approved_object(ledger, world, "60000000.00")
    rows = list(hand_filled.SELF_ROWS)
    rows[0] = (*rows[0][:5], "十一", *rows[0][6:])  # 实际完成值 not a number
    rows[2] = (
        "A15",
        "效益指标（30分）",
        "社会效益指标",
        "受益居民人数",
        "≥3000户",
        3100,
        None,
        None,
        None,
    )  # not a goal indicator (人数, not 户数)
    rows[4] = (
        "A17",
        "满意度指标（20分）",
        "服务对象满意度指标",
        "居民满意度",
        "≥90%",
        "—",
        None,
        None,
        None,
    )  # left empty
    content = hand_filled.self_evaluation(
        tmp_path / "bad.xlsx", project="老旧小区改造工程", executed="5876.5432101", rows=rows
    )
    before = position(ledger)
    plan = forms.plan_self_evaluation(
        with_file(world.act_as("wangfang"), content), oid, content, None
    )
    assert run(plan) == "invalid"
    assert position(ledger) == before
    found = {p.cell: p.message for p in plan.problems}
    assert set(found) == {
        f"{SHEET}!B3",
        f"{SHEET}!E6",
        f"{SHEET}!E13",
        f"{SHEET}!C15",
        f"{SHEET}!E17",
        SHEET,
    }
    assert "老旧小区改造工程" in found[f"{SHEET}!B3"]
    assert "fen" in found[f"{SHEET}!E6"]
    assert "十一" in found[f"{SHEET}!E13"]
    assert "受益居民人数" in found[f"{SHEET}!C15"]
    assert "受益居民户数" in found[SHEET]  # the goal indicator the file leaves out
    assert (plan.problems[0].row, plan.problems[0].column) == (3, "B")


def test_a_hand_filled_monitoring_form_with_ticks_is_entered(services, world, tmp_path):
    ledger, forms = services.ledger, Forms(services.ledger)
    _, task_id = monitored(ledger, world, entered=False)
    content = hand_filled.monitoring(tmp_path / "监控表.xlsx")
    before = position(ledger)
    plan = forms.plan_monitoring(
        with_file(world.act_as("wangfang"), content), task_id, content, None
    )
    assert plan.problems == []
    assert run(plan) == "submit_monitoring_entry"
    assert _topics(ledger, before) == [
        "jixiao:MonitoringTask.EntrySubmitted",
        "jixiao:MonitoringTask.EntryJudged",
    ]
    entry = ledger.load(MonitoringTask, task_id).entry
    assert (entry.budget_executed, entry.budget_forecast) == (
        Decimal("25000000.00"),
        Decimal("59000000.00"),
    )
    houses, rate, people, satisfaction = entry.indicators
    assert (houses.likelihood, houses.actual, houses.forecast) == ("有可能完成", 5, 10)
    assert houses.deviation_cause == "经费保障、人员保障"  # the ticked √ columns, in order
    assert houses.corrective_measures == "倒排工期，增派施工班组"
    assert rate.likelihood == "确定能完成" and rate.deviation_cause == "无偏差"
    assert people.forecast == 3000 and satisfaction.actual == 91  # "91%"
    stored = ledger.notification_log.select(before + 1, 1)[0]
    assert date(2023, 6, 30).isoformat() in stored.state.decode()  # 数据截至日期 "2023年6月30日"


def test_monitoring_ticks_that_cannot_be_read_record_nothing(services, world, tmp_path):
    ledger, forms = services.ledger, Forms(services.ledger)
    _, task_id = monitored(ledger, world, entered=False)
    rows = dict(hand_filled.MONITORING_ROWS)
    rows["改造老旧小区数量"] = (5, 10, "IJ", "LN", None, "倒排工期")  # two likelihoods
    rows["年底完工率"] = (48, 95, "", "P", None, "—")  # none; 其他 without 说明
    content = hand_filled.monitoring(tmp_path / "bad.xlsx", rows=rows, as_of="六月底")
    before = position(ledger)
    plan = forms.plan_monitoring(
        with_file(world.act_as("wangfang"), content), task_id, content, None
    )
    assert run(plan) == "invalid" and position(ledger) == before
    sheet = "项目支出绩效运行监控表"
    assert {p.cell for p in plan.problems} == {
        f"{sheet}!B5",  # 六月底 is not a date
        f"{sheet}!I10",  # two of 确定能 / 有可能 ticked
        f"{sheet}!I11",  # none ticked
        f"{sheet}!Q11",  # 其他 ticked, nothing said
    }


def test_a_sheet_claiming_too_many_rows_is_not_read_to_its_end(services, world, tmp_path):
    from openpyxl import load_workbook

    ledger, forms = services.ledger, Forms(services.ledger)
    oid = approved_object(ledger, world, "60000000.00")
    path = tmp_path / "long.xlsx"
    hand_filled.self_evaluation(path)
    wb = load_workbook(path)
    wb.active["C900000"] = "某指标"
    wb.save(path)
    content = path.read_bytes()
    before = position(ledger)
    plan = forms.plan_self_evaluation(
        with_file(world.act_as("wangfang"), content), oid, content, None
    )
    assert run(plan) == "invalid" and position(ledger) == before
    assert "more than 2000 indicator rows" in plan.problems[0].message
