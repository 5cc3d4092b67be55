"""The composition root: builds the ledger, the views and their follower from settings."""

from __future__ import annotations

import getpass
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import structlog

from domain.ledger import Ledger
from domain.values import Act, Actor
from infrastructure import security_log
from infrastructure.idempotency import IdempotencyStore
from infrastructure.integrity.chain_writer import ChainWriter
from infrastructure.integrity.service import IntegrityService
from infrastructure.settings import Settings
from infrastructure.tokens import TokenSigner
from infrastructure.views.follower import Backoff, Follower
from infrastructure.views.viewdb import ViewDatabase, ensure_postgres_schema
from infrastructure.working_day_calendar import ChineseWorkingDayCalendar
from projections.view import View, all_views

log = structlog.get_logger(__name__)


class LoggedLedger(Ledger):
    """The ledger, logging each saved event and waking the follower."""

    name = "Ledger"  # the same tables as Ledger (PostgreSQL: ledger_events)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.on_saved: list[Any] = []

    def save(self, *objs: Any, **kwargs: Any) -> Any:
        recordings = super().save(*objs, **kwargs)
        for r in recordings:
            log.info(
                "event.saved",
                aggregate_id=str(r.domain_event.originator_id),
                event_name=type(r.domain_event).__qualname__,
                version=r.domain_event.originator_version,
                position=r.notification.id,
            )
        for callback in self.on_saved:
            callback()
        return recordings


@dataclass
class Services:
    settings: Settings
    ledger: Ledger
    views_db: ViewDatabase
    follower: Follower
    signer: TokenSigner
    idempotency: IdempotencyStore
    views: Sequence[View] = field(default_factory=list)
    integrity: IntegrityService | None = None

    def close(self) -> None:
        self.follower.stop()
        self.views_db.close()
        self.ledger.close()


def bootstrap(settings: Settings | None = None, views: Sequence[View] | None = None) -> Services:
    settings = settings or Settings()
    location = settings.store
    if location.kind == "postgres":
        ensure_postgres_schema(location)
    ledger = LoggedLedger(
        env=location.eventsourcing_env(settings.create_tables),
        calendar=ChineseWorkingDayCalendar(),
    )
    views_db = ViewDatabase(location)
    views = list(views) if views is not None else all_views()
    for view in views:
        view.use_policies(ledger.policies)  # judged by the same rules as the ledger's acts
    backoff = Backoff(settings.view_retry_first_seconds, settings.view_retry_max_seconds)
    follower = Follower(ledger, views_db, views, backoff=backoff)
    follower.create_tables()
    ledger.on_saved.append(follower.nudge)
    idempotency = IdempotencyStore(views_db, settings.idempotency_takeover_seconds)
    idempotency.create_table()
    security_log.install(views_db)  # not a view: a rebuild never drops it
    key, generated = settings.signing_key()
    if generated:
        log.warning(
            "tokens.development_key",
            detail="generated signing key; set "
            "JIXIAO_TOKEN_SIGNING_KEY and JIXIAO_ENVIRONMENT=production in production",
        )
    services = Services(settings, ledger, views_db, follower, TokenSigner(key), idempotency, views)
    services.integrity = IntegrityService.from_services(services)  # tables + triggers
    # The recorder chains and signs each write in its own transaction, with the key held
    # here; nothing else ever chains (a row it did not write stays unlinked, and verify
    # names it).
    ledger.recorder.chain = ChainWriter(services.integrity.signer)
    return services


def cli_act(reason: str | None = None) -> Act:
    """The actor for acts done from the command line by whoever runs it (registry, demo)."""
    user = getpass.getuser()
    return Act(
        Actor(
            person_id=f"cli:{user}",
            name=f"命令行管理员 CLI administrator ({user})",
            role="administrator",
            organisation_id=None,
            organisation_name=None,
        ),
        reason=reason,
    )
