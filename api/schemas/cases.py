"""Request and response shapes for accountability cases (追责问责)."""

from __future__ import annotations

from datetime import date
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field

from api.schemas.common import ActFields, EvidenceIn
from domain.accountability.model import AccountabilityCase

FindingKind = Literal["falsification", "serious_deviation", "inefficient_loss", "other"]
CaseOutcome = Literal["责令改正", "追责问责", "移送查处", "不予追究"]


class CaseOpen(ActFields):
    mof_div_code: str = Field(min_length=1, max_length=20, examples=["360403"])
    fiscal_year: int = Field(ge=2000, le=2100)
    case_no: str = Field(
        min_length=1, max_length=64, description="案件编号, unique per jurisdiction"
    )
    finding_kind: FindingKind = Field(
        description="弄虚作假 / 严重背离 / 严重低效无效造成重大损失 / other"
    )
    object_ids: list[UUID] = Field(default_factory=list, max_length=100)
    description: str = Field(min_length=1, max_length=8000, description="the facts found")


class EventCite(ActFields):
    position: int = Field(ge=1, le=2**62, description="the event's log position")
    originator_id: UUID = Field(description="the event's aggregate id")
    version: int = Field(ge=1, le=2**31, description="the event's aggregate version")
    note: str = Field(default="", max_length=4000, description="what this event shows")


class DocumentsAttach(ActFields):
    documents: list[EvidenceIn] = Field(min_length=1, max_length=50)
    description: str = Field(default="", max_length=4000)


class PersonName(ActFields):
    person_id: str = Field(min_length=1, max_length=100, description="the person who acted")
    positions: list[int] = Field(
        min_length=1, max_length=200, description="cited events (log positions) they did"
    )
    description: str = Field(min_length=1, max_length=4000, description="their responsibility")


class CaseRefer(ActFields):
    organisation_id: UUID = Field(description="the discipline commission (纪委监委)")
    referral_ref: str = Field(min_length=1, max_length=200, description="移送函文号")
    business_date: date = Field(description="the referral's date (移送日期)")


class CaseClose(ActFields):
    """不予移送: why the case is closed without referral (required), and any document."""

    reason: str = Field(min_length=1, max_length=4000, description="why it is not referred")


class CaseDecide(ActFields):
    outcome: CaseOutcome
    reason: str = Field(min_length=1, max_length=8000, description="the grounds of the decision")


class CasePublic(BaseModel):
    id: str
    version: int
    mof_div_code: str
    fiscal_year: int
    case_no: str
    finding_kind: str
    object_ids: list[str]
    description: str
    status: str
    opened_by: dict
    citations: list[dict]
    documents: list[dict]
    persons: list[dict]
    referred_to: dict | None
    outcome: str | None

    @classmethod
    def of(cls, case: AccountabilityCase) -> CasePublic:
        return cls(
            id=str(case.id),
            version=case.version,
            mof_div_code=case.mof_div_code,
            fiscal_year=case.fiscal_year,
            case_no=case.case_no,
            finding_kind=case.finding_kind,
            object_ids=[str(o) for o in case.object_ids],
            description=case.description,
            status=case.status.value,
            opened_by=vars(case.opened_by),
            citations=[
                {
                    "position": c.position,
                    "originator_id": str(c.originator_id),
                    "version": c.version,
                    "event": c.event,
                    "recorded_at": c.recorded_at.isoformat(),
                    "actor": vars(c.actor),
                    "object_id": str(c.object_id) if c.object_id else None,
                    "record_sha256": c.record_sha256,
                }
                for c in case.citations.values()
            ],
            documents=[vars(d) for d in case.documents],
            persons=[
                {
                    "person_id": p.person_id,
                    "name": p.name,
                    "acts": [vars(a) for a in p.acts],
                    "description": p.description,
                    "lifelong_responsibility": case.lifelong[p.person_id],
                }
                for p in case.persons.values()
            ],
            referred_to=(
                {"organisation_id": case.referred_to[0], "name": case.referred_to[1]}
                if case.referred_to
                else None
            ),
            outcome=case.outcome,
        )


class EvidenceCheck(BaseModel):
    position: int
    sha256: str
    intact: bool = Field(description="the stored record still hashes as when it was cited")
