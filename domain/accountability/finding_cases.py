"""Use cases on findings: dismiss one (an event naming who and why), or cite it into an
accountability case (its events, and the citation of the finding itself) in one write. The
finding comes from the findings view; the caller passes what the view says of it (its kind,
place, the persons it names, its status), and every event cited is checked against the log
itself, as every citation is."""

from __future__ import annotations

from uuid import UUID

from domain.accountability.cases import AccountabilityCases
from domain.accountability.findings import FindingCitation, FindingDismissal, citation_id
from domain.accountability.model import AccountabilityCase
from domain.citation.cited_event import cite
from domain.errors import AlreadyExists, NotFound
from domain.ledger_core import LedgerCore, Outcome
from domain.values import Act


class FindingCases:
    def __init__(self, store: LedgerCore, accountability: AccountabilityCases) -> None:
        self.store = store
        self.accountability = accountability

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
        return self.store._save(dismissal, conflict=AlreadyExists)

    def cite_finding_in_case(
        self,
        act: Act,
        case_id: UUID,
        finding_id: UUID,
        kind: str,
        events: list[tuple[int, UUID, int]],
        note: str,
        expected_version: int | None = None,
    ) -> Outcome:
        """Cite each of the finding's events (position, originator id, version) the case does
        not cite yet, and record that the case cites the finding, in one write."""
        case = self.store.load(AccountabilityCase, case_id, expected_version)
        try:
            self.store.read(FindingCitation, citation_id(finding_id, case_id))
        except NotFound:
            pass
        else:
            raise AlreadyExists("the case already cites this finding", "case_id")
        case.require_buildable_by(act)
        for position, originator_id, version in events:
            if position in case.citations:
                continue
            cited = cite(self.store, position, originator_id, version)
            if cited.object_id is not None:
                self.accountability.case_object(cited.object_id, case.mof_div_code, "case_id")
            case.cite_event(act, cited, note)
        citation = FindingCitation(
            act=act,
            finding_id=finding_id,
            case_id=case_id,
            kind=kind,
            positions=tuple(p for p, _, _ in events),
        )
        return self.store._save(case, citation)
