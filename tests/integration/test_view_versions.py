"""A view declares the version of its tables: at start-up a view found at another version is
dropped and rebuilt from the log (its rows are what the new code writes), one at the same
version keeps its rows and position, and the other views are left alone. Both stores."""

from __future__ import annotations

import threading
from typing import Any

from domain.registry.model import Person
from infrastructure.bootstrap import bootstrap
from infrastructure.settings import Settings
from projections.view import Cursor, View, all_views, on
from tests.fixtures_world import build_world


class PeopleV1(View):
    name = "test_people"
    tables = ("t_people",)
    schema = ("CREATE TABLE IF NOT EXISTS t_people (position BIGINT PRIMARY KEY)",)

    @on(Person.Registered)
    def _registered(self, cur: Cursor, e: Any, position: int) -> None:
        cur.execute("INSERT INTO t_people (position) VALUES (?)", (position,))


class PeopleV2(View):
    """The same view with a column more: version 2."""

    name = "test_people"
    version = 2
    tables = ("t_people",)
    schema = (
        "CREATE TABLE IF NOT EXISTS t_people (position BIGINT PRIMARY KEY, login TEXT NOT NULL)",
    )

    @on(Person.Registered)
    def _registered(self, cur: Cursor, e: Any, position: int) -> None:
        cur.execute("INSERT INTO t_people (position, login) VALUES (?, ?)", (position, e.login))


def _rows(services: Any) -> list[dict]:
    with services.views_db.transaction(write=False) as cur:
        return cur.execute("SELECT * FROM t_people ORDER BY position").fetchall()


def test_a_view_at_another_version_is_rebuilt(settings: Settings) -> None:
    first = bootstrap(settings, views=[*all_views(), PeopleV1()])
    try:
        build_world(first)
        first.follower.catch_up()
        head = first.follower.head()
        people = [r["position"] for r in _rows(first)]
        assert people and first.follower.rebuilding == []
        others = {k: v for k, v in first.follower.positions().items() if k != "test_people"}
    finally:
        first.close()

    same = bootstrap(settings, views=[*all_views(), PeopleV1()])
    try:  # the same version: nothing dropped, nothing to read again
        assert same.follower.rebuilding == []
        assert same.follower.positions()["test_people"] == head
        assert [r["position"] for r in _rows(same)] == people
    finally:
        same.close()

    newer = bootstrap(settings, views=[*all_views(), PeopleV2()])
    try:
        assert newer.follower.rebuilding == ["test_people"]
        positions = newer.follower.positions()
        assert positions["test_people"] == 0 and _rows(newer) == []
        assert {k: v for k, v in positions.items() if k != "test_people"} == others
        newer.follower.catch_up()
        rows = _rows(newer)
        assert [r["position"] for r in rows] == people
        assert all(r["login"] for r in rows), "the rebuilt rows are the new version's"
    finally:
        newer.close()

    again = bootstrap(settings, views=[*all_views(), PeopleV2()])
    try:  # recorded as version 2 now: not rebuilt a second time
        assert again.follower.rebuilding == []
        assert again.follower.positions()["test_people"] == head
    finally:
        again.close()


def test_a_view_from_before_versions_counts_as_version_1(settings: Settings) -> None:
    first = bootstrap(settings, views=[PeopleV1()])
    try:
        build_world(first)
        first.follower.catch_up()
        head = first.follower.head()
        with first.views_db.transaction() as cur:  # as a database from before versions
            cur.execute("DELETE FROM view_versions")
    finally:
        first.close()
    same = bootstrap(settings, views=[PeopleV1()])
    try:
        assert same.follower.rebuilding == []
        assert same.follower.positions()["test_people"] == head
        with same.views_db.transaction() as cur:
            cur.execute("DELETE FROM view_versions")
    finally:
        same.close()
    newer = bootstrap(settings, views=[PeopleV2()])
    try:
        assert newer.follower.rebuilding == ["test_people"]
    finally:
        newer.close()


def test_processes_starting_together_rebuild_a_changed_view_once(settings: Settings) -> None:
    """Several servers started at once after an upgrade: one drops and rebuilds the view,
    the others find it at its version; none fails (on PostgreSQL they used to deadlock)."""
    first = bootstrap(settings, views=[PeopleV1()])
    try:
        build_world(first)
        first.follower.catch_up()
        people = [r["position"] for r in _rows(first)]
    finally:
        first.close()
    # The log's own tables exist (the library's CREATE statements race on PostgreSQL when
    # several processes create them at once: the first start creates them, as in production).
    upgraded = settings.model_copy(update={"create_tables": False})
    start = threading.Barrier(3)
    rebuilt: list[list[str]] = []
    failures: list[BaseException] = []

    def server() -> None:
        try:
            start.wait(timeout=30)
            services = bootstrap(upgraded, views=[PeopleV2()])
            try:
                rebuilt.append(services.follower.rebuilding)
                services.follower.catch_up()
                assert not services.follower.failures(), services.follower.failures()
            finally:
                services.close()
        except BaseException as e:  # reported below, on the test's thread
            failures.append(e)

    threads = [threading.Thread(target=server) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not failures, failures
    assert sorted(rebuilt) == [[], [], ["test_people"]], rebuilt
    last = bootstrap(settings, views=[PeopleV2()])
    try:
        assert [r["position"] for r in _rows(last)] == people
    finally:
        last.close()
