"""Logs recorded by an earlier day's code (tests/fixture_log/, recorded before issue 10 moved
the domain) still load, verify, replay and rebuild to the same view rows: a moved class, a
new event version or a changed view must not strand what a bureau has already recorded."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest

from infrastructure.bootstrap import bootstrap
from infrastructure.integrity.heads import HeadSigner
from infrastructure.integrity.readonly import verify_store
from tests.conftest import TEST_INTEGRITY_KEY, settings_for
from tests.fixture_log.record import ABOUT, LOGS, log_file, on_columns, rows_file


@pytest.mark.parametrize("name", sorted(LOGS))
def test_an_old_log_loads_verifies_replays_and_rebuilds_alike(name: str, tmp_path: Path) -> None:
    recorded = json.loads(ABOUT.read_text(encoding="utf-8"))["logs"][name]
    path = tmp_path / f"{name}.sqlite"
    with gzip.open(log_file(name)) as packed, path.open("wb") as raw:
        shutil.copyfileobj(packed, raw)
    settings = settings_for(f"sqlite:///{path}")
    services = bootstrap(settings)
    try:
        ledger = services.ledger
        assert services.follower.head() == recorded["head"], "opening the log changed it"
        # Verifies: the chain and the signed heads, as recorded then, on a read-only snapshot.
        report = verify_store(
            settings.store, None, HeadSigner.from_text(TEST_INTEGRITY_KEY).public_key
        )
        assert report.ok, report.finding and report.finding.describe()
        assert report.checked == recorded["head"]
        # Replays: every stored event decodes to a class of today's code, and every
        # aggregate loads to its last version.
        notifications = ledger.recorder.select_notifications(start=1, limit=recorded["head"])
        last: dict = {}
        for n in notifications:
            event = ledger.mapper.to_domain_event(n)
            last[event.originator_id] = event.originator_version
        for originator_id, version in last.items():
            assert ledger.repository.get(originator_id).version == version
        # Rebuilds: every view, from nothing, to the rows recorded then, in every column
        # recorded then (a column a view has added since is not compared).
        services.follower.catch_up()
        assert not services.follower.failures(), services.follower.failures()
        with gzip.open(rows_file(name), "rt", encoding="utf-8") as f:
            expected = json.load(f)
        with services.views_db.transaction(write=False) as cur:
            for table, recorded in expected.items():
                rows = cur.execute(f"SELECT * FROM {table}").fetchall()
                assert not rows or set(recorded["columns"]) <= set(rows[0]), table
                rebuilt = on_columns(rows, recorded["columns"])
                assert rebuilt == recorded["rows"], f"{name}: {table} rebuilt differently"
    finally:
        services.close()
