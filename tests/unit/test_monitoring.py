"""Dual monitoring through the ledger's own commands (in memory): the policy's schedule,
entries judged against the policy's thresholds, corrections, follow-up acts, refusals."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal
from importlib import resources

import pytest

from domain.errors import AlreadyExists, InvalidInput, InvalidTransition, NotPermitted
from domain.monitoring.deviation import expected_execution, judge_entry
from domain.monitoring.entry import Entry, IndicatorProgress
from domain.monitoring.model import MonitoringTask, monitoring_task_id
from domain.policy import Policy, PolicyBook
from tests.fixtures_world import INDICATORS
from tests.scenarios.helpers import indicators
from tests.unit.lifecycle_helpers import approved_object, head, register, worlds

H1 = date(2023, 6, 30)


def entry(executed: str, **forecasts: str) -> Entry:
    rows = []
    for row in INDICATORS:
        forecast = forecasts.get(row["name"], row["value"])
        missing = Decimal(forecast) < Decimal(row["value"])
        rows.append(
            IndicatorProgress(
                name=row["name"],
                likelihood="有可能完成" if missing else "确定能完成",
                actual=Decimal(forecast) / 2,
                forecast=Decimal(forecast),
                deviation_cause="拆迁协调滞后" if missing else "无偏差",
                corrective_measures="倒排工期，加派施工班组" if missing else "",
            )
        )
    return Entry(Decimal(executed), Decimal("60000000.00"), tuple(rows))


def _events(ledger, task_id):
    return list(ledger.repository.event_store.get(task_id))


def test_schedule_is_the_policy_six_periods_in_nanchang_three_by_default() -> None:
    ledger, xy, nc = worlds()
    _, nanchang = ledger.monitoring.monitoring_schedule("360100", 2023)
    policy, default = ledger.monitoring.monitoring_schedule("360403", 2023)
    assert [p.code for p in nanchang] == ["Q1", "Q2", "Q3", "M10", "M11", "M12"]
    assert [p.purpose for p in nanchang][:3] == ["warning", "warning", "correction"]
    assert [p.code for p in default] == ["H1", "M10", "M12"]
    assert policy.policy_id == "xunyang-2022"  # its monitoring section is the default's
    xy_object, nc_object = approved_object(ledger, xy), approved_object(ledger, nc)
    ledger.monitoring.open_monitoring_task(nc.act_as("chenjing"), nc_object, "Q1")
    before = head(ledger)
    with pytest.raises(InvalidInput) as refused:
        ledger.monitoring.open_monitoring_task(xy.act_as("chenjing"), xy_object, "Q1")
    assert "['H1', 'M10', 'M12']" in refused.value.detail and "xunyang-2022" in refused.value.detail
    with pytest.raises(AlreadyExists):
        ledger.monitoring.open_monitoring_task(nc.act_as("chenjing"), nc_object, "Q1")
    assert head(ledger) == before


def test_time_proportional_expectation() -> None:
    assert expected_execution(date(2023, 12, 31)) == 1
    assert round(expected_execution(H1) * 100, 2) == Decimal("49.59")  # 181 / 365


def test_entry_judged_serious_then_corrected_and_rejudged() -> None:
    ledger, xy, _ = worlds()
    object_id = approved_object(ledger, xy)
    task_id = ledger.monitoring.open_monitoring_task(
        xy.act_as("chenjing"), object_id, "H1"
    ).aggregate_id
    staff = xy.act_as("wangfang", business_date=H1)
    ledger.monitoring.submit_monitoring_entry(
        staff, task_id, entry("12000000.00", 改造老旧小区数量="8")
    )
    judged = _events(ledger, task_id)[-1].judgement
    assert judged.status == "serious"
    assert (judged.execution_pct, judged.lag_points) == (Decimal("20.00"), Decimal("29.59"))
    assert judged.policy.policy_id == "xunyang-2022"
    assert "落后 29.59 个百分点" in judged.reasons[0] and "严重偏离" in judged.reasons[0]
    assert "差 33.33%" in judged.reasons[1]

    before = head(ledger)
    with pytest.raises(InvalidInput, match="reason"):
        ledger.monitoring.correct_monitoring_entry(staff, task_id, entry("27000000.00"))
    with pytest.raises(InvalidTransition, match="correct"):
        ledger.monitoring.submit_monitoring_entry(staff, task_id, entry("27000000.00"))
    assert head(ledger) == before
    fixing = xy.act_as("wangfang", business_date=H1, reason="误将5月数据填为6月数据")
    ledger.monitoring.correct_monitoring_entry(fixing, task_id, entry("27000000.00"))
    *_, submitted, first, corrected, rejudged = _events(ledger, task_id)
    assert type(corrected).__name__ == "EntryCorrected"
    assert corrected.previous == submitted.entry and corrected.previous.budget_executed == Decimal(
        "12000000.00"
    )
    assert first.judgement.status == "serious" and rejudged.judgement.status == "on_track"
    assert rejudged.entry_revision == 2


def test_thresholds_are_settable_by_a_newer_policy_version() -> None:
    raw = json.loads(
        (resources.files("domain") / "policies" / "nanchang-2022.json").read_text("utf-8")
    )
    raw["version"] = 3
    raw["rules"]["deviation"] = {
        "source": "test: a stricter serious threshold set by the finance bureau",
        "execution_lag_warning_points": {"value": "10", "op": ">="},
        "execution_lag_serious_points": {"value": "40", "op": ">="},
        "attainment_shortfall_warning_pct": {"value": "10", "op": ">="},
        "attainment_shortfall_serious_pct": {"value": "50", "op": ">="},
    }
    book = PolicyBook([*PolicyBook.shipped().all(), Policy.from_json(raw)])
    shipped = PolicyBook.shipped().for_jurisdiction("360100", 2023)
    newer = book.for_jurisdiction("360100", 2023)
    targets = tuple(indicators())
    figures = dict(
        as_of=H1,
        budget=Decimal("60000000.00"),
        executed=Decimal("12000000.00"),
        targets=targets,
        forecasts={"改造老旧小区数量": Decimal("8")},
    )
    under_shipped, under_newer = judge_entry(shipped, **figures), judge_entry(newer, **figures)
    assert (under_shipped.status, under_shipped.policy.version) == ("serious", 2)
    assert (under_newer.status, under_newer.policy.version) == ("warning", 3)

    ledger, _, nc = worlds(book)
    object_id = approved_object(ledger, nc)
    task_id = ledger.monitoring.open_monitoring_task(
        nc.act_as("chenjing"), object_id, "Q2"
    ).aggregate_id
    ledger.monitoring.submit_monitoring_entry(
        nc.act_as("wangfang", business_date=H1), task_id, entry("12000000.00")
    )
    assert ledger.load(MonitoringTask, task_id).judgement.policy.version == 3


def test_follow_up_acts_by_their_roles() -> None:
    ledger, xy, _ = worlds()
    object_id = approved_object(ledger, xy)
    task_id = ledger.monitoring.open_monitoring_task(
        xy.act_as("liuqiang"), object_id, "H1", "finance_key"
    )
    task_id = task_id.aggregate_id
    with pytest.raises(InvalidTransition, match="no entry"):
        ledger.monitoring.follow_up_monitoring(
            xy.act_as("chenjing", reason="纠偏"), task_id, "correction_ordered"
        )
    with pytest.raises(NotPermitted, match="performance section"):  # finance key: not the dept
        ledger.monitoring.submit_monitoring_entry(
            xy.act_as("wangfang", business_date=H1), task_id, entry("6000000.00")
        )
    ledger.monitoring.submit_monitoring_entry(
        xy.act_as("liuqiang", business_date=H1), task_id, entry("6000000.00")
    )
    before = head(ledger)
    with pytest.raises(NotPermitted, match="treasury_section"):
        ledger.monitoring.follow_up_monitoring(
            xy.act_as("chenjing", reason="停拨"), task_id, "payments_suspended"
        )
    with pytest.raises(InvalidInput, match="reason"):
        ledger.monitoring.follow_up_monitoring(xy.act_as("zhengyi"), task_id, "payments_suspended")
    with pytest.raises(InvalidInput, match="amount"):
        ledger.monitoring.follow_up_monitoring(
            xy.act_as("sunli", reason="调减"), task_id, "budget_reduced"
        )
    assert head(ledger) == before
    ledger.monitoring.follow_up_monitoring(
        xy.act_as("chenjing", reason="限期纠偏"), task_id, "correction_ordered"
    )
    ledger.monitoring.follow_up_monitoring(
        xy.act_as("zhengyi", reason="严重滞后"), task_id, "payments_suspended"
    )
    ledger.monitoring.follow_up_monitoring(
        xy.act_as("sunli", reason="政策调整，目标无法实现"),
        task_id,
        "budget_reduced",
        Decimal("20000000.00"),
    )
    ledger.monitoring.follow_up_monitoring(
        xy.act_as("zhengyi", reason="收回结余"), task_id, "funds_recovered", Decimal("5000000.00")
    )
    # Only unspent funds are recovered: 40M now, 6M executed by the entry, 5M recovered.
    assert ledger.load(MonitoringTask, task_id).unspent == Decimal("29000000.00")
    before = head(ledger)
    with pytest.raises(InvalidInput, match="only unspent funds"):
        ledger.monitoring.follow_up_monitoring(
            xy.act_as("zhengyi", reason="再收回"),
            task_id,
            "funds_recovered",
            Decimal("29000000.01"),
        )
    assert head(ledger) == before
    with pytest.raises(InvalidTransition, match="already"):
        ledger.monitoring.follow_up_monitoring(
            xy.act_as("zhengyi", reason="再停"), task_id, "payments_suspended"
        )
    task = ledger.load(MonitoringTask, task_id)
    assert task.suspended and task.budget_now == Decimal("40000000.00")
    names = [type(e).__name__ for e in _events(ledger, task_id)]
    assert names[-4:] == [
        "CorrectionOrdered",
        "PaymentsSuspended",
        "BudgetReduced",
        "FundsRecovered",
    ]
    # The next period is monitored against the reduced budget.
    later = ledger.monitoring.open_monitoring_task(
        xy.act_as("chenjing"), object_id, "M10"
    ).aggregate_id
    assert ledger.load(MonitoringTask, later).budget == Decimal("40000000.00")


def test_on_track_entry_calls_for_no_suspension() -> None:
    ledger, xy, _ = worlds()
    object_id = approved_object(ledger, xy)
    task_id = ledger.monitoring.open_monitoring_task(
        xy.act_as("chenjing"), object_id, "H1"
    ).aggregate_id
    ledger.monitoring.submit_monitoring_entry(
        xy.act_as("lijun", business_date=H1), task_id, entry("30000000.00")
    )
    assert ledger.load(MonitoringTask, task_id).judgement.status == "on_track"
    with pytest.raises(InvalidTransition, match="serious"):
        ledger.monitoring.follow_up_monitoring(
            xy.act_as("zhengyi", reason="停拨"), task_id, "payments_suspended"
        )


def test_out_of_order_wrong_role_and_malformed_entries_record_nothing() -> None:
    ledger, xy, _ = worlds()
    unapproved = register(ledger, xy, "1000000.00", pro_code="P2")
    object_id = approved_object(ledger, xy)
    before = head(ledger)
    with pytest.raises(InvalidTransition, match="approved goal"):
        ledger.monitoring.open_monitoring_task(xy.act_as("chenjing"), unapproved, "H1")
    with pytest.raises(NotPermitted):
        ledger.monitoring.open_monitoring_task(xy.act_as("wangfang"), object_id, "H1")
    with pytest.raises(NotPermitted):
        ledger.monitoring.open_monitoring_task(
            xy.act_as("chenjing"), object_id, "H1", "finance_key"
        )
    assert head(ledger) == before
    task_id = ledger.monitoring.open_monitoring_task(
        xy.act_as("chenjing"), object_id, "H1"
    ).aggregate_id
    before = head(ledger)
    good = entry("30000000.00")
    with pytest.raises(InvalidTransition, match="no entry"):
        ledger.monitoring.correct_monitoring_entry(xy.act_as("wangfang", reason="x"), task_id, good)
    cases = [
        (xy.act_as("zhaoyun", business_date=H1), good, NotPermitted),  # another department
        (xy.act_as("chenjing", business_date=H1), good, NotPermitted),  # self-monitoring
        (xy.act_as("wangfang"), good, InvalidInput),  # no business date
        (xy.act_as("wangfang", business_date=date(2022, 12, 31)), good, InvalidInput),
        (
            xy.act_as("wangfang", business_date=H1),
            replace(good, indicators=good.indicators[1:]),
            InvalidInput,
        ),
        (
            xy.act_as("wangfang", business_date=H1),
            replace(good, budget_forecast=Decimal("1.00")),
            InvalidInput,
        ),
    ]
    missing_cause = replace(
        good,
        indicators=(replace(good.indicators[0], forecast=Decimal("8")), *good.indicators[1:]),
    )
    cases.append((xy.act_as("wangfang", business_date=H1), missing_cause, InvalidInput))
    for act, bad, error in cases:
        with pytest.raises(error):
            ledger.monitoring.submit_monitoring_entry(act, task_id, bad)
    assert head(ledger) == before
    assert monitoring_task_id(object_id, "H1") == task_id
