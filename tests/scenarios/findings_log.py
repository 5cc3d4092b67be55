"""The log as tests/scenarios/expected_findings.py reads it: every stored notification,
decoded with the ledger's own mapper, with its position, originator, version, event name and
record hash."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from domain.citation.cited_event import record_sha256


@dataclass
class Logged:
    position: int
    originator_id: UUID
    version: int
    name: str  # "MonitoringTask.EntrySubmitted"
    event: Any
    sha256: str

    @property
    def short(self) -> str:
        return self.name.rsplit(".", 1)[-1]

    @property
    def actor_id(self) -> str:
        return self.event.act.actor.person_id


@dataclass
class Log:
    events: list[Logged]
    by_position: dict[int, Logged] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_position = {e.position: e for e in self.events}


def read_log(ledger) -> Log:
    out: list[Logged] = []
    start = 1
    while True:
        batch = ledger.recorder.select_notifications(start=start, limit=500)
        for n in batch:
            e = ledger.mapper.to_domain_event(n)
            out.append(
                Logged(
                    n.id,
                    n.originator_id,
                    n.originator_version,
                    type(e).__qualname__,
                    e,
                    record_sha256(n),
                )
            )
        if len(batch) < 500:
            return Log(out)
        start = batch[-1].id + 1
