"""Use cases on findings: dismiss one (an event naming who and why), or cite its events into
an accountability case in one write. The finding itself comes from the findings view; the
caller passes what the view says of it (its kind, place, the persons it names, its status),
and the citation is checked against the log itself, as every citation is."""

from __future__ import annotations

from uuid import UUID

from domain.accountability import AccountabilityCase
from domain.accountability_cases import AccountabilityCases
from domain.errors import AlreadyExists, InvalidInput
from domain.event_citation import cite
from domain.finding import FindingDismissal
from domain.ledger_core import Outcome
from domain.values import Act


class FindingCases(AccountabilityCases):
    def dismiss_finding(
        self,
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
    ) -> Outcome:
        dismissal = FindingDismissal.dismiss(
            act,
            finding_id=finding_id,
            kind=kind,
            mof_div_code=mof_div_code,
            fiscal_year=fiscal_year,
            department_id=department_id,
            object_id=object_id,
            named_person_ids=named_person_ids,
            status=status,
        )
        return self._save(dismissal, conflict=AlreadyExists)

    def cite_finding_in_case(
        self,
        act: Act,
        case_id: UUID,
        events: list[tuple[int, UUID, int]],
        note: str,
        expected_version: int | None = None,
    ) -> Outcome:
        """Cite each of the finding's events (position, originator id, version) not yet
        cited in the case; all of them or none."""
        case = self.load(AccountabilityCase, case_id, expected_version)
        fresh = [e for e in events if e[0] not in case.citations]
        if not fresh:
            raise InvalidInput("the case already cites every event of this finding", "case_id")
        for position, originator_id, version in fresh:
            cited = cite(self, position, originator_id, version)
            if cited.object_id is not None:
                self._case_object(cited.object_id, case.mof_div_code, "case_id")
            case.cite_event(act, cited, note)
        return self._save(case)
