"""GoalAdjusted version 1 (recorded by the department alone, before adjustment by procedure)
reads as version 2 with neither amount: from a record built here, and from the fixture log
recorded before the change (tests/fixture_log/year: three such adjustments)."""

from __future__ import annotations

import gzip
import json
import sqlite3
from pathlib import Path

from eventsourcing.persistence import StoredEvent

from domain.ledger import Ledger
from domain.objects.model import PerformanceObject
from domain.values import EvidenceRef
from tests.fixture_log.record import log_file
from tests.scenarios.helpers import indicators
from tests.unit.lifecycle_helpers import approved_object, worlds


def test_a_version_1_record_reads_with_neither_amount() -> None:
    ledger, xy, _ = worlds()
    object_id = approved_object(ledger, xy)
    rows = [*indicators()]
    rows[0] = type(rows[0])(**{**vars(rows[0]), "value": rows[0].value - 1})
    documents = (EvidenceRef("调整申请.pdf", "c" * 64),)
    ledger.goals.apply_goal_adjustment(
        xy.act_as("wangfang", reason="项目内容调整", evidence=documents), object_id, rows
    )
    ledger.goals.review_goal_adjustment(xy.act_as("chenjing"), object_id, "agreed")
    ledger.goals.approve_goal_adjustment(xy.act_as("sunli"), object_id, "财预调1号")
    [n] = [
        n
        for n in ledger.recorder.select_notifications(start=1, limit=10_000)
        if n.topic == "jixiao:PerformanceObject.GoalAdjusted"
    ]
    state = json.loads(n.state)
    assert state.pop("class_version") == 2
    assert state.pop("approved_amount") is None  # the amount stays as approved
    assert state.pop("previous_amount") == {"_type_": "decimal_str", "_data_": "60000000.00"}
    v1 = ledger.mapper.to_domain_event(
        StoredEvent(n.originator_id, n.originator_version, n.topic, json.dumps(state).encode())
    )
    assert (v1.previous_amount, v1.approved_amount) == (None, None)
    assert v1.indicators == ledger.mapper.to_domain_event(n).indicators


def test_the_fixture_logs_version_1_adjustments_replay(tmp_path: Path) -> None:
    path = tmp_path / "year.sqlite"
    path.write_bytes(gzip.decompress(log_file("year").read_bytes()))
    with sqlite3.connect(path) as db:
        found = db.execute(
            "SELECT rowid, originator_id, originator_version, topic, state FROM stored_events "
            "WHERE topic LIKE '%PerformanceObject.GoalAdjusted'"
        ).fetchall()
    assert len(found) == 3
    ledger = Ledger()
    for _, originator_id, version, topic, state in found:
        assert topic == "domain.performance_object:PerformanceObject.GoalAdjusted"
        assert "class_version" not in json.loads(state)
        event = ledger.mapper.to_domain_event(
            StoredEvent(originator_id, version, topic, bytes(state))
        )
        assert isinstance(event, PerformanceObject.GoalAdjusted)
        assert (event.previous_amount, event.approved_amount) == (None, None)
        assert event.indicators != event.previous and event.approval_ref
