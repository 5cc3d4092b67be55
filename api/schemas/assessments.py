"""Request and response shapes for ex-ante assessment (事前绩效评估) and 入库."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, Field

from api.schemas.common import ActFields, EvidenceIn, Points

Score = Points


class ExAnteDeclare(ActFields):
    exemption: Literal["emergency", "disaster_relief"] | None = Field(
        default=None, description="应急 / 救灾: declared with its reason"
    )


class ExAnteSubmit(ActFields):
    scores: dict[Annotated[str, Field(max_length=40)], Score] = Field(
        min_length=1,
        max_length=20,
        description="each of the policy's dimensions (立项必要性, 投入经济性, ...) and its score",
    )
    conclusion: Literal["予以支持", "调整后支持", "不予支持"]
    report: EvidenceIn = Field(description="the assessment report, pinned by its SHA-256")


class ExAnteReview(ActFields):
    outcome: Literal["accepted", "returned"]
    comments: str | None = Field(default=None, max_length=4000)


class ExAnteCommission(ActFields):
    assessor: Literal["finance", "third_party"]
    organisation_id: UUID | None = Field(
        default=None,
        description="the third party (or performance section; default your own) that assesses",
    )


class LibraryAdmit(ActFields):
    pass


class ScoreOut(BaseModel):
    dimension: str
    score: str
    points: str


class PolicyRefOut(BaseModel):
    policy_id: str
    version: int
    document: str


class ExAntePublic(BaseModel):
    id: str
    version: int
    object_id: str
    required: bool
    reasons: list[str]
    exemption: str | None
    policy: PolicyRefOut
    state: str
    assessor: str
    assessor_org_id: str | None
    scores: list[ScoreOut]
    total: str | None
    conclusion: str | None
    report: dict | None
    revision: int
    passes: bool
