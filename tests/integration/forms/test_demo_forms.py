"""Every form of the demo year (浔阳区 2023, loaded through the real commands) exported to a
real .xlsx file and imported again: each says what the ledger holds, and nothing new is
recorded."""

from __future__ import annotations

import pytest

from domain.evaluation.model import SelfEvaluation
from domain.monitoring.model import MonitoringTask
from domain.objects.model import PerformanceObject
from infrastructure.demo.load import load_demo
from infrastructure.forms.importing.plan import Unchanged, record
from tests.integration.forms.helpers import Forms, position
from tests.unit.lifecycle_helpers import World


def _ids(ledger) -> dict[str, set]:
    found: dict[str, set] = {}
    start = 1
    while notifications := ledger.recorder.select_notifications(start, 500):
        for n in notifications:
            found.setdefault(n.topic.split(".")[0], set()).add(n.originator_id)
        start = notifications[-1].id + 1
    return found


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_every_demo_form_round_trips_unchanged(services, tmp_path) -> None:
    ledger = services.ledger
    load_demo(ledger, services.signer, services.settings)
    forms, ids = Forms(ledger), _ids(ledger)
    staff = World("360403").act_as("wangfang")  # planning does not check the signer
    before = position(ledger)
    checked = []
    exports = [
        (forms.export_goal, forms.plan_goal, oid)
        for oid in ids["jixiao:PerformanceObject"]
        if ledger.load(PerformanceObject, oid).indicators
    ]
    exports += [
        (forms.export_monitoring, forms.plan_monitoring, tid)
        for tid in ids["jixiao:MonitoringTask"]
        if ledger.load(MonitoringTask, tid).entry is not None
    ]
    exports += [
        (forms.export_self_evaluation, forms.plan_self_evaluation, e.object_id)
        for e in (ledger.load(SelfEvaluation, i) for i in ids["jixiao:SelfEvaluation"])
    ]
    for n, (export, plan, target) in enumerate(exports):
        path = tmp_path / f"{n}.xlsx"
        path.write_bytes(export(target).content)
        planned = plan(staff, target, path.read_bytes(), None)
        assert (planned.action, planned.problems) == ("unchanged", []), planned.report(dry_run=True)
        with pytest.raises(Unchanged):
            record(planned)
        checked.append(planned.form)
    assert position(ledger) == before
    # the demo year's 8 projects and 1 department's overall spending, its 24 entered
    # monitoring periods and 8 self-evaluations
    assert {form: checked.count(form) for form in set(checked)} == {
        "goal": 8,
        "department_goal": 1,
        "monitoring": 24,
        "self_evaluation": 8,
    }
