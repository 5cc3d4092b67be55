"""An indicator library entry (指标库): a common indicator of the finance bureau (共性) or a
department's own (个性), in one jurisdiction, under its 指标编码.

Every change is an event: added, revised (the whole definition as it now stands and which
fields changed, with the reason), retired (with the reason), granted to another department.
The entry's version is the aggregate's: a goal indicator drafted from the entry records the
id, code and version it read (domain/indicators.py LibraryRef), so a later revision leaves
the goal as recorded and the entry's history shows both versions. The national tables
overwrite and soft-delete instead (FORMS.md); here nothing is overwritten.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain import ids
from domain.errors import AlreadyExists, InvalidInput, InvalidTransition
from domain.library.rules import FIELDS, Definition, checked_definition
from domain.values import Act


class LibraryIndicator(Aggregate):
    TOPIC = "jixiao:LibraryIndicator"  # the stored name: fixed, whatever module holds it

    class Created(Aggregate.Created):  # explicit topics ask it of every class; never recorded
        TOPIC = "jixiao:LibraryIndicator.Created"

    @staticmethod
    def create_id(mof_div_code: str, code: str) -> UUID:
        return ids.library_indicator_id(mof_div_code, code)

    @event("Added", topic="jixiao:LibraryIndicator.Added")
    def __init__(
        self,
        act: Act,
        mof_div_code: str,
        code: str,
        department_id: UUID | None,
        definition: Definition,
    ) -> None:
        self.mof_div_code = mof_div_code
        self.code = code
        self.department_id = department_id  # None: common, the finance bureau's
        self.definition = definition
        self.granted: tuple[UUID, ...] = ()
        self.retired = False

    @classmethod
    def add(
        cls,
        act: Act,
        mof_div_code: str,
        code: str,
        department_id: UUID | None,
        definition: Definition,
    ) -> LibraryIndicator:
        code = (code or "").strip()
        if not code:
            raise InvalidInput("code (指标编码) is required", "code")
        return cls(
            act=act,
            mof_div_code=mof_div_code,
            code=code,
            department_id=department_id,
            definition=definition,
        )

    @property
    def is_common(self) -> bool:
        return self.department_id is None

    def available_to(self, department_id: UUID) -> bool:
        """Common entries are everyone's; an own entry its department's and those granted."""
        return (
            self.is_common or department_id == self.department_id or department_id in (self.granted)
        )

    # --- changes -------------------------------------------------------------------------

    def _require_current(self, what: str) -> None:
        if self.retired:
            raise InvalidTransition(f"the entry {self.code} is retired: it cannot be {what}")

    def revise(self, act: Act, changes: dict[str, Any]) -> None:
        """A new version of the definition. A changed comparator without a stated scoring
        rule takes the rule it implies, rather than keeping one that may contradict it."""
        self._require_current("revised")
        act.requiring_reason("revising a library entry")
        if not changes:
            raise InvalidInput("say what the revision changes", "changes")
        values = asdict(self.definition) | changes
        if "comparator" in changes and "scoring_rule" not in changes:
            values["scoring_rule"] = None
        definition = checked_definition(values)
        changed = tuple(f for f in FIELDS if getattr(definition, f) != getattr(self.definition, f))
        if not changed:
            raise InvalidInput("the revision changes nothing", "changes")
        self._revised(act=act, definition=definition, changed=changed)

    @event("Revised", topic="jixiao:LibraryIndicator.Revised")
    def _revised(self, act: Act, definition: Definition, changed: tuple[str, ...]) -> None:
        self.definition = definition

    def retire(self, act: Act) -> None:
        self._require_current("retired again")
        act.requiring_reason("retiring a library entry")
        self._retired(act=act)

    @event("Retired", topic="jixiao:LibraryIndicator.Retired")
    def _retired(self, act: Act) -> None:
        self.retired = True

    def grant(self, act: Act, department_id: UUID) -> None:
        """Let another department draft goals from this department's own indicator."""
        self._require_current("granted")
        if self.is_common:
            raise InvalidInput(
                "a common indicator (共性指标) is every department's already", "department_id"
            )
        if department_id == self.department_id or department_id in self.granted:
            raise AlreadyExists("that department may use this entry already", "department_id")
        self._granted(act=act, department_id=department_id)

    @event("Granted", topic="jixiao:LibraryIndicator.Granted")
    def _granted(self, act: Act, department_id: UUID) -> None:
        self.granted = (*self.granted, department_id)
