"""An accountability case (追责问责): from a finding to its outcome at discipline inspection.

洪财绩〔2022〕4号 二(三)11: findings of falsification (弄虚作假) or serious deviation from
goals (严重背离) are ordered corrected; those responsible for seriously inefficient use
causing major losses are held accountable; leads are referred to discipline inspection
(移送纪检监察). The case is the evidence package: cited ledger events (pinned by record
hash), documents, and responsible persons whose role in each act is read from the cited
event itself, never typed in.

Lifecycle: open (package is built) → referred → received → closed (outcome). Once referred,
the package is what was referred and no longer changes; a closed case changes no more.
Who may do what:
- open, cite, attach, name: performance section, business section, auditor, discipline
  (those who find problems in 监督、审计、管理);
- refer: performance section or auditor (the finance and audit bureaus refer leads);
- receive and decide: a discipline person of the organisation it was referred to.
Segregation of duties: whoever opened the case cannot be named in it nor decide it; a
person named as responsible cannot act on the case at all.
"""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.accountability.values import (
    FINDING_KINDS,
    NOT_REFERRED,
    OUTCOMES,
    ActRole,
    CaseStatus,
    ResponsiblePerson,
    case_id,
)
from domain.citation.cited_event import CitedEvent
from domain.errors import (
    AlreadyExists,
    InvalidInput,
    InvalidTransition,
    NotPermitted,
    SegregationOfDuties,
)
from domain.policy import PolicyRef
from domain.roles import Role
from domain.values import Act, EvidenceRef

BUILDING_ROLES = frozenset(
    {Role.PERFORMANCE_SECTION, Role.BUSINESS_SECTION, Role.AUDITOR, Role.DISCIPLINE}
)
REFERRING_ROLES = frozenset({Role.PERFORMANCE_SECTION, Role.AUDITOR})


class AccountabilityCase(Aggregate):
    TOPIC = "jixiao:AccountabilityCase"  # the stored name: fixed, whatever module holds it

    class Created(Aggregate.Created):  # explicit topics ask it of every class; never recorded
        TOPIC = "jixiao:AccountabilityCase.Created"

    @staticmethod
    def create_id(mof_div_code: str, case_no: str) -> UUID:
        return case_id(mof_div_code, case_no)

    @event("Opened", topic="jixiao:AccountabilityCase.Opened")
    def __init__(
        self,
        act: Act,
        mof_div_code: str,
        fiscal_year: int,
        case_no: str,
        finding_kind: str,
        object_id: UUID | None,
        object_ids: tuple[UUID, ...],
        description: str,
    ) -> None:
        self.mof_div_code = mof_div_code
        self.fiscal_year = fiscal_year
        self.case_no = case_no
        self.finding_kind = finding_kind
        self.object_ids = tuple(object_ids)
        self.description = description
        self.opened_by = act.actor
        self.status = CaseStatus.OPEN
        self.citations: dict[int, CitedEvent] = {}
        self.documents: list[EvidenceRef] = []
        self.persons: dict[str, ResponsiblePerson] = {}
        self.lifelong: dict[str, bool] = {}
        self.referred_to: tuple[str, str] | None = None  # (organisation id, name)
        self.referred_by: str | None = None
        self.outcome: str | None = None

    @classmethod
    def open(
        cls,
        act: Act,
        *,
        mof_div_code: str,
        fiscal_year: int,
        case_no: str,
        finding_kind: str,
        object_ids: list[UUID],
        description: str,
    ) -> AccountabilityCase:
        _require_role(act, BUILDING_ROLES, "cases are opened by the finance, audit or discipline")
        if finding_kind not in FINDING_KINDS:
            raise InvalidInput(f"finding_kind is one of {list(FINDING_KINDS)}", "finding_kind")
        if not case_no.strip():
            raise InvalidInput("case_no (案件编号) is required", "case_no")
        if not description.strip():
            raise InvalidInput("a case states the facts found", "description")
        if len(set(object_ids)) != len(object_ids):
            raise InvalidInput("an object is listed twice", "object_ids")
        return cls(
            act=act,
            mof_div_code=mof_div_code,
            fiscal_year=fiscal_year,
            case_no=case_no.strip(),
            finding_kind=finding_kind,
            # One object: name it in `object_id`, so the object's history shows the case.
            object_id=object_ids[0] if len(object_ids) == 1 else None,
            object_ids=tuple(object_ids),
            description=description.strip(),
        )

    # --- building the package --------------------------------------------------------

    def _check_may_build(self, act: Act) -> None:
        self._check_actor(act)
        _require_role(act, BUILDING_ROLES, "the case file is kept by finance, audit or discipline")
        if self.status != CaseStatus.OPEN:
            raise InvalidTransition(
                f"the evidence package is fixed once referred (now {self.status.value})"
            )

    def require_buildable_by(self, act: Act) -> None:
        """For an act that adds to the case file from beside it (a finding's citation)."""
        self._check_may_build(act)

    def cite_event(self, act: Act, cited: CitedEvent, note: str) -> None:
        self._check_may_build(act)
        if cited.originator_id == self.id:
            raise InvalidInput("a case cites other records, not its own events", "position")
        if cited.position in self.citations:
            raise AlreadyExists(f"the event at {cited.position} is already cited", "position")
        self._event_cited(act=act, cited=cited, object_id=cited.object_id, note=note.strip())

    @event("EventCited", topic="jixiao:AccountabilityCase.EventCited")
    def _event_cited(self, act: Act, cited: CitedEvent, object_id: UUID | None, note: str) -> None:
        self.citations[cited.position] = cited

    def attach_documents(self, act: Act, documents: list[EvidenceRef], description: str) -> None:
        self._check_may_build(act)
        if not documents:
            raise InvalidInput("attach at least one document", "documents")
        known = {d.sha256 for d in self.documents}
        if any(d.sha256 in known for d in documents):
            raise AlreadyExists("a document with that SHA-256 is already attached", "documents")
        self._documents_attached(act=act, documents=tuple(documents), description=description)

    @event("DocumentsAttached", topic="jixiao:AccountabilityCase.DocumentsAttached")
    def _documents_attached(
        self, act: Act, documents: tuple[EvidenceRef, ...], description: str
    ) -> None:
        self.documents.extend(documents)

    def name_person(
        self,
        act: Act,
        person_id: str,
        positions: list[int],
        description: str,
        lifelong: bool,
        policy_ref: PolicyRef,
    ) -> None:
        self._check_may_build(act)
        if person_id == self.opened_by.person_id:
            raise SegregationOfDuties(
                "segregation of duties: the person who opened the case cannot be named in it",
                "person_id",
            )
        if person_id in self.persons:
            raise AlreadyExists("that person is already named in this case", "person_id")
        if not positions or len(set(positions)) != len(positions):
            raise InvalidInput("name the cited acts (positions), each once", "positions")
        if not description.strip():
            raise InvalidInput("say what the person is responsible for", "description")
        acts = []
        for position in positions:
            cited = self.citations.get(position)
            if cited is None:
                raise InvalidInput(
                    f"no cited event at position {position} in this case", "positions"
                )
            if cited.actor.person_id != person_id:
                raise InvalidInput(
                    f"the act at position {position} was done by {cited.actor.name} "
                    f"({cited.actor.person_id}), not by this person",
                    "positions",
                )
            a = cited.actor
            acts.append(
                ActRole(position, cited.event, a.role, a.organisation_id, a.organisation_name)
            )
        person = ResponsiblePerson(person_id, cited.actor.name, tuple(acts), description.strip())
        self._person_named(act=act, person=person, lifelong=lifelong, policy_ref=policy_ref)

    @event("ResponsiblePersonNamed", topic="jixiao:AccountabilityCase.ResponsiblePersonNamed")
    def _person_named(
        self, act: Act, person: ResponsiblePerson, lifelong: bool, policy_ref: PolicyRef
    ) -> None:
        self.persons[person.person_id] = person
        self.lifelong[person.person_id] = lifelong

    # --- referral and outcome ----------------------------------------------------------

    def refer(self, act: Act, organisation_id: UUID, organisation_name: str, ref: str) -> None:
        self._check_actor(act)
        _require_role(act, REFERRING_ROLES, "referrals are made by the finance or audit bureau")
        if self.status != CaseStatus.OPEN:
            raise InvalidTransition(f"the case was already referred (now {self.status.value})")
        if not self.citations or not self.persons:
            raise InvalidTransition(
                "a referral carries its evidence: cite at least one event and name at least "
                "one responsible person first"
            )
        if act.business_date is None:
            raise InvalidInput("the referral's date (移送日期) is required", "business_date")
        if not ref.strip():
            raise InvalidInput(
                "the referral letter's number (移送函文号) is required", "referral_ref"
            )
        self._referred(
            act=act,
            organisation_id=organisation_id,
            organisation_name=organisation_name,
            referral_ref=ref.strip(),
        )

    @event("Referred", topic="jixiao:AccountabilityCase.Referred")
    def _referred(
        self, act: Act, organisation_id: UUID, organisation_name: str, referral_ref: str
    ) -> None:
        self.status = CaseStatus.REFERRED
        self.referred_to = (str(organisation_id), organisation_name)
        self.referred_by = act.actor.person_id

    def receive(self, act: Act) -> None:
        self._check_actor(act)
        if self.status != CaseStatus.REFERRED:
            raise InvalidTransition(
                f"only a referred case can be received (now {self.status.value})"
            )
        self._require_receiving_discipline(act)
        self._received(act=act)

    @event("ReferralReceived", topic="jixiao:AccountabilityCase.ReferralReceived")
    def _received(self, act: Act) -> None:
        self.status = CaseStatus.RECEIVED

    def decide(self, act: Act, outcome: str) -> None:
        self._check_actor(act)
        if self.status == CaseStatus.OPEN:
            raise InvalidTransition("outcome before referral: refer the case to discipline first")
        if self.status == CaseStatus.REFERRED:
            raise InvalidTransition("record the referral's receipt before its outcome")
        self._require_receiving_discipline(act)
        if act.actor.person_id in (self.opened_by.person_id, self.referred_by):
            raise SegregationOfDuties(
                "segregation of duties: whoever opened or referred the case cannot decide it"
            )
        if outcome not in OUTCOMES:
            raise InvalidInput(f"outcome is one of {list(OUTCOMES)}", "outcome")
        act.requiring_reason("deciding a case")
        self._decided(act=act, outcome=outcome)

    @event("OutcomeDecided", topic="jixiao:AccountabilityCase.OutcomeDecided")
    def _decided(self, act: Act, outcome: str) -> None:
        self.status = CaseStatus.CLOSED
        self.outcome = outcome

    def close_without_referral(self, act: Act) -> None:
        """不予移送: the bureau that built the case closes it without referring it, and says
        why; the evidence stays in the case, and the case changes no more."""
        self._check_actor(act)
        _require_role(
            act, REFERRING_ROLES, "the finance or audit bureau decides not to refer a case"
        )
        if self.status != CaseStatus.OPEN:
            raise InvalidTransition(
                f"only a case not yet referred can be closed without referral "
                f"(now {self.status.value})"
            )
        act.requiring_reason("closing a case without referral (不予移送)")
        self._closed_without_referral(act=act)

    @event("ClosedWithoutReferral", topic="jixiao:AccountabilityCase.ClosedWithoutReferral")
    def _closed_without_referral(self, act: Act) -> None:
        self.status = CaseStatus.CLOSED
        self.outcome = NOT_REFERRED

    # --- guards ------------------------------------------------------------------------

    def _check_actor(self, act: Act) -> None:
        if self.status == CaseStatus.CLOSED:
            raise InvalidTransition(f"the case is closed ({self.outcome}); it changes no more")
        if act.actor.person_id in self.persons:
            raise SegregationOfDuties(
                "segregation of duties: you are named as responsible in this case"
            )

    def _require_receiving_discipline(self, act: Act) -> None:
        if act.actor.role != Role.DISCIPLINE or (
            self.referred_to is None or act.actor.organisation_id != self.referred_to[0]
        ):
            raise NotPermitted(
                "only discipline inspection staff of the organisation the case was referred "
                "to may receive or decide it"
            )


def _require_role(act: Act, roles: frozenset[Role], detail: str) -> None:
    if act.actor.role not in roles:
        allowed = ", ".join(sorted(r.value for r in roles))
        raise NotPermitted(f"{detail} ({allowed})")
