"""A view declares the version of its tables: at start-up a view found at another version is
dropped and rebuilt from the log (its rows are what the new code writes), one at the same
version keeps its rows and position, and the other views are left alone. Both stores."""

from __future__ import annotations

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
