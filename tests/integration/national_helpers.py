"""Helpers of the national-tables tests: an empty second ledger beside the test's own, its
administrator, and the state compared after a round trip (objects, goals, entries)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg

from domain import ids
from domain.errors import NotFound
from domain.ledger import Ledger
from domain.monitoring.model import MonitoringTask, monitoring_task_id
from domain.objects.model import PerformanceObject
from domain.registry.model import Organisation
from infrastructure.bootstrap import Services, bootstrap, cli_act
from infrastructure.demo.load import ensure
from infrastructure.national.export import object_ids
from infrastructure.national.signer import Signer, signer_for
from tests.conftest import PG_URL, settings_for

MOF, YEAR, LOGIN = "360403", 2023, "xy.migration"


@contextmanager
def second_database(database_url: str) -> Iterator[str]:
    """A new database beside the test's: another SQLite file, or another PostgreSQL schema
    (dropped afterwards)."""
    if database_url.startswith("sqlite"):
        yield database_url.replace("jixiao.sqlite", "empty.sqlite")
        return
    schema = f"t_{uuid.uuid4().hex[:12]}"
    try:
        yield f"{PG_URL}{'&' if '?' in PG_URL else '?'}schema={schema}"
    finally:
        with psycopg.connect(PG_URL.split("?")[0], autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@contextmanager
def empty_ledger(database_url: str) -> Iterator[Services]:
    """A new database with nothing but a jurisdiction and the administrator who runs the
    import, as `jixiao admin create` leaves it."""
    with second_database(database_url) as url:
        services = bootstrap(settings_for(url))
        try:
            admin_create(services.ledger)
            yield services
        finally:
            services.close()


def admin_create(ledger: Ledger) -> None:
    act, registry = cli_act("administrator bootstrap"), ledger.registry
    ensure(lambda: registry.register_jurisdiction(act, MOF, "浔阳区", "district"))
    ensure(
        lambda: registry.register_organisation(
            act, MOF, "ADMIN", "浔阳区绩效系统管理", "administration"
        )
    )
    ensure(lambda: registry.register_person(act, LOGIN, "赵迁移"))
    admin = ids.organisation_id(MOF, "ADMIN")
    ensure(lambda: registry.grant_role(act, ids.person_id(LOGIN), "administrator", admin))


def importer(services: Services) -> Signer:
    return signer_for(services.ledger, LOGIN, MOF)


def state(services: Services) -> dict[str, dict]:
    """Each object of the year by pro_code: its registration, goal and monitoring entries,
    as the aggregates hold them (organisations by code, so two ledgers compare)."""
    services.follower.catch_up()
    ledger, found = services.ledger, {}
    for object_id in object_ids(services.views_db, MOF, YEAR):
        obj = ledger.load(PerformanceObject, object_id)
        _, periods = ledger.monitoring.monitoring_schedule(MOF, YEAR)
        tasks = {}
        for period in periods:
            try:
                task = ledger.load(MonitoringTask, monitoring_task_id(obj.id, period.code))
            except NotFound:
                continue
            tasks[period.code] = (task.mode, task.as_of, task.entry)
        found[obj.pro_code] = {
            "name": obj.name,
            "kind": obj.kind,
            "department": ledger.load(Organisation, obj.department_id).code,
            "unit": ledger.load(Organisation, obj.unit_id).code if obj.unit_id else None,
            "fund_type": obj.fund_type,
            "amount": obj.amount,
            "is_new": obj.is_new,
            "last_year_amount": obj.last_year_amount,
            "goal_status": obj.goal_status,
            "indicators": obj.indicators,
            "approved_amount": obj.approved_amount,
            "approval_ref": obj.approval_ref,
            "monitoring": tasks,
        }
    return found


def events(ledger: Ledger) -> list:
    """Every event of the log, decoded, in order."""
    found, start = [], 1
    while batch := ledger.recorder.select_notifications(start, 500):
        found += [ledger.mapper.to_domain_event(n) for n in batch]
        start = batch[-1].id + 1
    return found
