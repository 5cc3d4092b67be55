"""Sixteen clients at once against a real server process, on each store, for a bounded
time: no 5xx, every acknowledged command in the log exactly once, the views equal to a
rebuild from the log, and the log verifies."""

from __future__ import annotations

from uuid import UUID

from bench.load import free_port, jixiao_server, open_tasks, prepare, run_mix, settings_env
from infrastructure.bootstrap import bootstrap
from infrastructure.integrity.verify import iter_records
from projections.view import all_views

CLIENTS = 16
SECONDS = 6.0


def view_rows(services) -> dict[str, list]:
    rows = {}
    with services.views_db.transaction(write=False) as cur:
        for view in all_views():
            for table in view.tables:
                found = cur.execute(f"SELECT * FROM {table}").fetchall()
                rows[table] = sorted(repr(sorted(r.items())) for r in found)
    return rows


def test_sixteen_clients_on_a_server_process(settings) -> None:
    plan = prepare(settings, objects=CLIENTS)
    port = free_port()
    with jixiao_server(settings_env(settings), port) as url:
        open_tasks(url, plan)
        results = run_mix(url, plan, CLIENTS, SECONDS)
    assert results.server_errors == 0, results.statuses
    assert results.requests > CLIENTS, results.statuses
    assert set(results.statuses) <= {200, 201}, results.statuses
    assert results.registered and results.corrected

    services = bootstrap(settings)
    try:
        ledger = services.ledger
        records = list(iter_records(ledger.recorder))
        originators = [r.originator_id for r in records]
        for object_id in results.registered:  # registered once, as acknowledged
            assert originators.count(str(UUID(object_id))) >= 1
        registered_now = {
            r.originator_id
            for r in records
            if r.topic.endswith("PerformanceObject.Registered") and r.originator_version == 1
        }
        assert set(results.registered) <= registered_now
        for task, versions in results.corrected.items():
            task_id = task.rsplit("/", 1)[1]
            stored = ledger.recorder.select_events(UUID(task_id))
            corrections = [e for e in stored if e.topic.endswith(".EntryCorrected")]
            # exactly the acknowledged corrections, none twice, none unacknowledged: each
            # answer's version is the judgement saved with its correction
            assert len(corrections) == len(versions) == len(set(versions))
            judged = {e.originator_version for e in stored if e.topic.endswith(".EntryJudged")}
            assert set(versions) <= judged
        load_objects = len(registered_now) - CLIENTS
        assert load_objects == len(results.registered)

        services.follower.catch_up()
        live = view_rows(services)
        services.follower.rebuild()
        assert view_rows(services) == live
        report = services.integrity.verify()
        assert report.ok, report.finding
        assert report.checked == len(records)
    finally:
        services.close()
