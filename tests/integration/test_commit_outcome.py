"""A write whose connection dies during COMMIT (PostgreSQL): the caller is told the outcome
is unknown, never "nothing was recorded"; a retry with its Idempotency-Key resolves it: it
finds what was recorded, or (as here, the COMMIT having been cut) runs the command once.
The cut is real: a deferred trigger holds the COMMIT open and another session terminates
the writer's backend meanwhile."""

from __future__ import annotations

import threading
import time
from uuid import UUID

import psycopg
import pytest

from tests.fixtures_world import build_world, object_body
from tests.http_checks import PROBLEM, client_for

SLOW_COMMIT = """
CREATE FUNCTION slow_commit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM pg_sleep(3); RETURN NULL; END $$;
CREATE CONSTRAINT TRIGGER slow_commit AFTER INSERT ON tree_heads
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION slow_commit();
"""


def terminate_the_committer(location, stop: threading.Event) -> None:
    with psycopg.connect(**location.psycopg_kwargs(), autocommit=True) as conn:
        while not stop.is_set():
            killed = conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE query = 'COMMIT' AND state = 'active' AND pid <> pg_backend_pid() "
                # the held COMMIT, not another session's ordinary one caught in passing
                "AND clock_timestamp() - query_start > interval '1 second'"
            ).fetchall()
            if killed:
                return
            time.sleep(0.05)


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_a_commit_cut_off_is_unknown_and_keeps_its_key(server) -> None:
    services = server.services
    world = build_world(services)
    location = services.settings.store
    with psycopg.connect(**location.psycopg_kwargs(), autocommit=True) as conn:
        conn.execute(SLOW_COMMIT)
    staff = client_for(server, world, "wangfang")
    stop = threading.Event()
    killer = threading.Thread(target=terminate_the_committer, args=(location, stop))
    killer.start()
    try:
        key = {"Idempotency-Key": "cut-off-1"}
        r = staff.post("/objects", json=object_body(world), headers=key)
    finally:
        stop.set()
        killer.join()
        with psycopg.connect(**location.psycopg_kwargs(), autocommit=True) as conn:
            conn.execute("DROP TRIGGER slow_commit ON tree_heads")
    assert r.status_code == 503, r.text
    assert r.headers["content-type"].startswith(PROBLEM)
    assert r.json()["type"] == "urn:jixiao:problem:commit-outcome-unknown"
    assert r.headers["retry-after"]
    again = staff.post("/objects", json=object_body(world), headers=key)
    assert again.status_code == 201, again.text  # the cut COMMIT recorded nothing: run once
    replay = staff.post("/objects", json=object_body(world), headers=key)
    assert replay.status_code == 201 and replay.headers["idempotent-replayed"] == "true"
    assert {k: replay.json()[k] for k in ("id", "version", "position")} == {
        k: again.json()[k] for k in ("id", "version", "position")
    }
    registered = [
        e
        for e in services.ledger.recorder.select_events(UUID(again.json()["id"]))
        if e.topic.endswith(".Registered")
    ]
    assert len(registered) == 1
    assert services.integrity.verify().ok  # whatever happened, the log is whole
