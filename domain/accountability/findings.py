"""Findings (问责线索) are computed from the log by a view; what people do about one is an act
of its own. A finding is dismissed by a named person with a reason, as an event: the view
then shows it dismissed, and the dismissal itself can be questioned later. No one named in a
finding dismisses it (segregation of duties). A finding cited into a case is an event too,
beside the case's citations of its events.
"""

from __future__ import annotations

from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.errors import InvalidTransition, NotPermitted, SegregationOfDuties
from domain.ids import NAMESPACE
from domain.roles import Role
from domain.values import Act

# Who judges findings: the auditors, the discipline commission and the performance section.
DISMISSING_ROLES = (Role.AUDITOR, Role.DISCIPLINE, Role.PERFORMANCE_SECTION)


def finding_id(kind: str, key: str) -> UUID:
    """A finding's id follows from what it is about, so the view never lists it twice and a
    rebuild gives it the same id."""
    return uuid5(NAMESPACE, f"finding:{kind}:{key}")


def dismissal_id(finding: UUID) -> UUID:
    return uuid5(NAMESPACE, f"finding-dismissal:{finding}")


def citation_id(finding: UUID, case: UUID) -> UUID:
    return uuid5(NAMESPACE, f"finding-citation:{finding}:{case}")


class FindingDismissal(Aggregate):
    TOPIC = "jixiao:FindingDismissal"  # the stored name: fixed, whatever module holds it

    class Created(Aggregate.Created):  # explicit topics ask it of every class; never recorded
        TOPIC = "jixiao:FindingDismissal.Created"

    @staticmethod
    def create_id(finding_id: UUID) -> UUID:
        return dismissal_id(finding_id)

    @event("Dismissed", topic="jixiao:FindingDismissal.Dismissed")
    def __init__(
        self,
        act: Act,
        finding_id: UUID,
        kind: str,
        mof_div_code: str,
        fiscal_year: int | None,
        department_id: UUID | None,
        object_id: UUID | None,
    ) -> None:
        self.finding_id = finding_id
        self.kind = kind

    @classmethod
    def dismiss(
        cls,
        act: Act,
        *,
        finding_id: UUID,
        kind: str,
        mof_div_code: str,
        fiscal_year: int | None,
        department_id: UUID | None,
        object_id: UUID | None,
        named_person_ids: frozenset[str],
        status: str,
    ) -> FindingDismissal:
        if act.actor.role not in DISMISSING_ROLES:
            raise NotPermitted(
                "findings are dismissed by the auditor, the discipline commission or the "
                "performance section"
            )
        if act.actor.person_id in named_person_ids:
            raise SegregationOfDuties("segregation of duties: you are named in this finding")
        if status != "open":
            raise InvalidTransition(f"the finding is {status}; only an open one is dismissed")
        act.requiring_reason("dismissing a finding")
        return cls(
            act=act,
            finding_id=finding_id,
            kind=kind,
            mof_div_code=mof_div_code,
            fiscal_year=fiscal_year,
            department_id=department_id,
            object_id=object_id,
        )


class FindingCitation(Aggregate):
    """That a case cites this finding (not merely one of its events, which another finding
    may share): written in the same transaction as the case's citations of its events."""

    TOPIC = "jixiao:FindingCitation"  # the stored name: fixed, whatever module holds it

    class Created(Aggregate.Created):  # explicit topics ask it of every class; never recorded
        TOPIC = "jixiao:FindingCitation.Created"

    @staticmethod
    def create_id(finding_id: UUID, case_id: UUID) -> UUID:
        return citation_id(finding_id, case_id)

    @event("Cited", topic="jixiao:FindingCitation.Cited")
    def __init__(
        self, act: Act, finding_id: UUID, case_id: UUID, kind: str, positions: tuple[int, ...]
    ) -> None:
        self.finding_id = finding_id
        self.case_id = case_id
        self.positions = tuple(positions)
