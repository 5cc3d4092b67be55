"""A self-evaluation says when its policy wanted it (self_evaluation.due of the next year,
信财绩字〔2025〕3号 第二十五条: 3月底前) and whether it was recorded later, by the day in China
Standard Time it was recorded, whatever day it claims; under two jurisdictions' policies. A
self-evaluation recorded before lateness was judged (version 1) reads with neither."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from importlib import resources

import time_machine
from eventsourcing.persistence import StoredEvent

from domain.evaluation.model import SelfEvaluation, evaluation_id
from domain.policy import Policy, PolicyBook
from tests.scenarios.year_of_activity import _actuals
from tests.unit.lifecycle_helpers import approved_object, worlds


def _book_with_nanchang_due(due: str) -> PolicyBook:
    raw = json.loads(
        (resources.files("domain") / "policies" / "nanchang-2022.json").read_text("utf-8")
    )
    raw["version"] = 3
    shipped = PolicyBook.shipped().for_jurisdiction("360100", 2023)
    raw["rules"]["self_evaluation"] = {
        **shipped.section("self_evaluation"),
        "source": "test: a later self-evaluation deadline set by the finance bureau",
        "due": due,
    }
    return PolicyBook([*PolicyBook.shipped().all(), Policy.from_json(raw)])


def _submit_at(ledger, world, instant: datetime, pro_code: str) -> SelfEvaluation:
    object_id = approved_object(ledger, world, pro_code=pro_code)
    with time_machine.travel(instant, tick=False):
        ledger.evaluation.submit_self_evaluation(
            world.act_as("wangfang", business_date=date(2024, 3, 20)),  # what it claims
            object_id,
            _actuals(),
            Decimal("55000000.00"),
        )
    return ledger.load(SelfEvaluation, evaluation_id(object_id, "self"))


def test_late_by_the_day_it_was_recorded_in_china_under_each_policy() -> None:
    ledger, xy, nc = worlds(_book_with_nanchang_due("04-30"))
    mid_april = datetime(2024, 4, 15, 2, tzinfo=UTC)
    xunyang = _submit_at(ledger, xy, mid_april, "P1")  # xunyang-2022: the national 03-31
    nanchang = _submit_at(ledger, nc, mid_april, "P1")  # the test's 04-30
    assert (xunyang.due, xunyang.late) == (date(2024, 3, 31), True)
    assert (nanchang.due, nanchang.late) == (date(2024, 4, 30), False)
    # The last day counts in China: 23:30 CST on 31 March is on time, 00:30 on 1 April is not.
    on_time = _submit_at(ledger, xy, datetime(2024, 3, 31, 15, 30, tzinfo=UTC), "P2")
    late = _submit_at(ledger, xy, datetime(2024, 3, 31, 16, 30, tzinfo=UTC), "P3")
    assert (on_time.late, late.late) == (False, True)


def test_a_version_1_record_reads_with_neither_due_nor_late() -> None:
    ledger, xy, _ = worlds()
    evaluation = _submit_at(ledger, xy, datetime(2024, 3, 1, tzinfo=UTC), "P1")
    [n] = [
        n
        for n in ledger.recorder.select_notifications(start=1, limit=10_000)
        if n.originator_id == evaluation.id and n.originator_version == 1
    ]
    state = json.loads(n.state)
    assert state.pop("class_version") == 2 and state["late"] is False
    del state["due"], state["late"]  # what the code before 2026-12 recorded
    v1 = StoredEvent(n.originator_id, 1, n.topic, json.dumps(state).encode())
    read = ledger.mapper.to_domain_event(v1)
    assert (read.due, read.late) == (None, None)
    assert read.scoring == ledger.mapper.to_domain_event(n).scoring
