"""What every stage of the demo shares: the summary it reports, the people acting, and how a
stage finds the records (objects, evaluations, log positions) earlier stages made."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from domain import ids
from domain.errors import AlreadyExists
from domain.evaluation.model import evaluation_id
from domain.ledger import Ledger, Outcome
from domain.objects.model import PerformanceObject
from domain.values import Act, Actor, EvidenceRef

_PAGE = 500


def ensure(command: Callable[[], Outcome]) -> Outcome | None:
    """Run a registration; None if it is already recorded, so running it again is harmless."""
    try:
        return command()
    except AlreadyExists:
        return None


@dataclass
class DemoSummary:
    """What a load recorded and found, and a token per demo person to try the API with."""

    jurisdictions: list[str] = field(default_factory=list)
    recorded: Counter[str] = field(default_factory=Counter)
    present: Counter[str] = field(default_factory=Counter)
    # login → (name, role, bearer token)
    people: dict[str, tuple[str, str, str]] = field(default_factory=dict)

    def count(self, kind: str, outcome: Outcome | None) -> Outcome | None:
        (self.recorded if outcome is not None else self.present)[kind] += 1
        return outcome

    def describe(self) -> str:
        def listed(counter: Counter[str]) -> str:
            return ", ".join(f"{kind} {n}" for kind, n in counter.items()) or "nothing"

        lines = [
            f"demo {'; '.join(self.jurisdictions)}",
            f"  newly recorded: {listed(self.recorded)}",
            f"  already present: {listed(self.present)}",
            "  people (send Authorization: Bearer <token>):",
        ]
        width = max((len(login) for login in self.people), default=0)
        for login, (name, role, token) in self.people.items():
            # Pad names with ideographic spaces so the columns line up in a terminal.
            lines.append(f"    {login:<{width}}  {name:　<4}{role:<20} {token}")
        return "\n".join(lines)


def documents(names: Iterable[str]) -> tuple[EvidenceRef, ...]:
    """The demo names its documents only; the hash of the name stands in for the file's."""
    return tuple(EvidenceRef(n, hashlib.sha256(n.encode()).hexdigest()) for n in names)


@dataclass
class Demo:
    """One jurisdiction's demo year: its ledger, people (login → actor) and objects."""

    ledger: Ledger
    summary: DemoSummary
    mof_div_code: str
    fiscal_year: int
    actors: dict[str, Actor]
    org: dict[str, UUID]  # organisation code → id
    fillers: dict[str, str]  # pro_code → login of whoever fills in the object's records

    def act(
        self,
        login: str,
        day: str,
        reason: str | None = None,
        evidence: Iterable[str] = (),
    ) -> Act:
        return Act(
            self.actors[login],
            reason=reason,
            evidence=documents(evidence),
            business_date=date.fromisoformat(day),
        )

    def object_id(self, pro_code: str) -> UUID:
        return ids.performance_object_id(self.mof_div_code, self.fiscal_year, pro_code)

    def object(self, pro_code: str) -> PerformanceObject:
        return self.ledger.load(PerformanceObject, self.object_id(pro_code))

    def evaluation_id(self, pro_code: str, kind: str) -> UUID:
        return evaluation_id(self.object_id(pro_code), kind)

    def first(self, kind: str, command: Callable[[], Outcome]) -> Outcome | None:
        """A stage's first act: None (and counted as present) if an earlier load made it,
        in which case the caller skips the acts that followed it then."""
        return self.summary.count(kind, ensure(command))

    def did(self, kind: str, outcome: Outcome) -> Outcome:
        self.summary.recorded[kind] += 1
        return outcome

    def record_of(self, originator_id: UUID, event: str) -> tuple[int, int]:
        """Log position and version of the latest `event` of an aggregate, for citing it."""
        found, start = None, 1
        while True:
            page = self.ledger.recorder.select_notifications(start=start, limit=_PAGE)
            for n in page:
                if str(n.originator_id) == str(originator_id) and n.topic.endswith(f".{event}"):
                    found = (n.id, n.originator_version)
            if len(page) < _PAGE:
                break
            start = page[-1].id + 1
        if found is None:
            raise LookupError(f"no {event} of {originator_id} in the log")
        return found
