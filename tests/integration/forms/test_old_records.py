"""A form exported from a self-evaluation recorded by an earlier day's code (the committed
fixture log, tests/fixture_log/, whose scored rows carry no `rule`/`met`) and imported again
is "unchanged" and records nothing: what the department entered is compared, never the
scoring derived from it."""

from __future__ import annotations

import gzip
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from domain.evaluation.model import SelfEvaluation
from domain.evaluation.scoring import IndicatorActual, score_self_evaluation
from domain.objects.model import PerformanceObject
from domain.values import Act, Actor
from infrastructure.bootstrap import Services, bootstrap
from tests.conftest import settings_for
from tests.fixture_log.record import log_file
from tests.integration.forms.helpers import Forms, position, run, with_file


@pytest.fixture
def demo_log(tmp_path: Path) -> Iterator[Services]:
    path = tmp_path / "demo.sqlite"
    with gzip.open(log_file("demo")) as packed, path.open("wb") as raw:
        shutil.copyfileobj(packed, raw)
    services = bootstrap(settings_for(f"sqlite:///{path}"))
    yield services
    services.close()


def _first_project_self_evaluation(services: Services) -> SelfEvaluation:
    ledger = services.ledger
    for n in ledger.recorder.select_notifications(start=1, limit=position(ledger)):
        if n.topic.endswith("SelfEvaluation.SelfEvaluationSubmitted"):
            held = ledger.load(SelfEvaluation, n.originator_id)
            if ledger.load(PerformanceObject, held.object_id).kind == "project":
                return held
    raise AssertionError("the demo log holds no project's self-evaluation")


def test_an_old_self_evaluation_exported_and_imported_again_is_unchanged(demo_log, tmp_path):
    ledger, forms = demo_log.ledger, Forms(demo_log.ledger)
    held = _first_project_self_evaluation(demo_log)
    obj = ledger.load(PerformanceObject, held.object_id)
    assert {r.rule for r in held.scoring.rows} == {None}  # recorded before rules were named
    entered = [
        IndicatorActual(r.level1, r.level2, r.name, r.actual, r.grade, r.deviation_cause)
        for r in held.scoring.rows
    ]
    rescored = score_self_evaluation(
        ledger.results.policy_of(obj),
        obj.indicators,
        entered,
        budget_amount=held.scoring.budget_amount,
        executed_amount=held.scoring.executed_amount,
    )
    assert rescored != held.scoring  # today's scoring of the same entries carries rule/met
    (tmp_path / "old.xlsx").write_bytes(forms.export_self_evaluation(obj.id).content)
    content = (tmp_path / "old.xlsx").read_bytes()
    staff = Actor(held.submitted_by, "填报人", "department_staff", str(obj.department_id), None)
    before = position(ledger)
    plan = forms.plan_self_evaluation(with_file(Act(staff), content), obj.id, content, None)
    assert plan.problems == [] and plan.action == "unchanged"
    assert run(plan) == "unchanged"
    assert position(ledger) == before
