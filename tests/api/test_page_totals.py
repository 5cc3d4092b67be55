"""Totals counted up to the server's cap, and a business-date search paged in business-date
order, over HTTP on both stores; each answer checked against what the test reads from the
log itself."""

from __future__ import annotations

from datetime import date

import pytest

from infrastructure.settings import Settings
from tests.api.test_ledgers import _coordinates, _log, _register, world  # noqa: F401 (a fixture)
from tests.conftest import LiveServer, settings_for
from tests.fixtures_world import World
from tests.http_checks import assert_refused, client_for, log_head, ok

CAP = 5


@pytest.fixture
def settings(database_url: str) -> Settings:
    return settings_for(database_url, total_cap=CAP)


def _pages(client, url: str, limit: int, **params) -> list[dict]:
    pages, after = [], 0
    while True:
        page = ok(client.get(url, params={**params, "after": after, "limit": limit}))
        pages.append(page)
        if page["next_after"] is None:
            return pages
        after = page["next_after"]


def test_totals_are_counted_up_to_the_cap(server: LiveServer, world: World) -> None:  # noqa: F811
    auditor = client_for(server, world, "fengshen")
    services = server.services
    assert services.follower.wait_for(services.follower.head(), 10)
    code = world.mof_div_code
    many = _pages(auditor, f"/ledgers/jurisdictions/{code}/2023", 2)
    seen = sum(len(p["entries"]) for p in many)
    assert seen > CAP, "the jurisdiction-year must have more entries than the cap"
    for page in many:
        assert (page["total"], page["total_exact"]) == (CAP, False), page
    # A search with fewer matches than the cap is counted exactly.
    lijun = str(world.person("lijun"))
    few = _pages(auditor, "/log/search", 100, person_id=lijun)
    signed = [e for e in _log(server) if str(e.actor.person_id) == lijun]
    assert 0 < len(signed) <= CAP
    assert (few[0]["total"], few[0]["total_exact"]) == (len(signed), True)
    assert [e["position"] for e in few[0]["entries"]] == [e.position for e in signed]


def test_a_business_date_search_pages_in_business_date_order(
    server: LiveServer,
    world: World,  # noqa: F811
) -> None:
    # Recorded after the world's acts of March 2023, an act dated February 2023: in log
    # order it is last; in business-date order, first.
    late = _register(server, world, "zhaoyun", "D102", "H002", business_date=date(2023, 2, 1))
    services = server.services
    assert services.follower.wait_for(services.follower.head(), 10)
    code = world.mof_div_code
    low, high = date(2023, 1, 1), date(2023, 12, 31)
    log = _log(server)
    known = _coordinates(log)
    dated = sorted(
        (e.event.act.business_date, e.position)
        for e in log
        if e.event.act.business_date is not None
        and low <= e.event.act.business_date <= high
        and known.jurisdiction_of(e) == code
    )
    assert len(dated) >= 3 and dated[0][1] > dated[-1][1], "planted out of log order"
    auditor = client_for(server, world, "fengshen")
    pages = _pages(auditor, "/log/search", 1, business_from=low, business_to=high)
    entries = [e for p in pages for e in p["entries"]]
    assert [(date.fromisoformat(e["business_date"]), e["position"]) for e in entries] == dated
    assert entries[0]["object_id"] == str(late)
    # A keyset that is not an entry with a business date is refused, not guessed at.
    reply = auditor.get(
        "/log/search", params={"business_from": low, "business_to": high, "after": 10**9}
    )
    refused = assert_refused(server, reply, 422, "invalid-input", log_head(server))
    assert "after" in refused["detail"]
    # Nor an entry outside this search (here: of June, for a search of the first quarter).
    june = next(p for d, p in dated if d == date(2023, 6, 1))
    quarter = {"business_from": low, "business_to": date(2023, 3, 31), "after": june}
    reply = auditor.get("/log/search", params=quarter)
    assert_refused(server, reply, 422, "invalid-input", log_head(server))
