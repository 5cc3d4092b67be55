"""Request and response shapes of the indicator library (指标库)."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from api.schemas.common import ActFields

Text = Field(default="", max_length=2000)
Short = Field(default="", max_length=200)


class DefinitionFields(BaseModel):
    """What an entry says: 一级/二级/三级, 计算符号 (any usual spelling: ≥ ＞ ＝ ＜ ≤ 定性,
    full or half width), the scoring rule (正向 / 反向 / 定性; omitted: the comparator's),
    unit, explanation, reference value, formula, classification, validity, keywords."""

    model_config = ConfigDict(extra="forbid")
    level1: str = Field(min_length=1, max_length=20, examples=["产出"])
    level2: str = Field(min_length=1, max_length=20, examples=["数量"])
    name: str = Field(min_length=1, max_length=300, description="三级指标")
    comparator: str = Field(min_length=1, max_length=20, examples=["≥", "＞", "定性"])
    scoring_rule: str | None = Field(
        default=None, max_length=20, description="positive 正向 / reverse 反向 / qualitative 定性"
    )
    unit: str = Field(default="", max_length=40)
    explanation: str = Text
    reference_value: str = Field(default="", max_length=200, description="参考值")
    calculation: str = Field(default="", max_length=2000, description="计算公式")
    industry_major: str = Field(default="", max_length=200, description="行业大类")
    industry: str = Field(default="", max_length=200, description="行业类别")
    fund_use: str = Field(default="", max_length=200, description="资金用途")
    project_type: str = Field(default="", max_length=200, description="项目类型")
    valid_from: date | None = None
    valid_to: date | None = None
    keywords: list[str] = Field(default_factory=list, max_length=50)


class LibraryAdd(ActFields, DefinitionFields):
    mof_div_code: str = Field(min_length=1, max_length=20, examples=["360403"])
    code: str = Field(min_length=1, max_length=64, description="指标编码")
    department_id: UUID | None = Field(
        default=None, description="a department's own indicator (个性); omitted: common (共性)"
    )


class LibraryChanges(BaseModel):
    """The fields a revision changes; those not sent stay as they were."""

    model_config = ConfigDict(extra="forbid")
    level1: str | None = Field(default=None, min_length=1, max_length=20)
    level2: str | None = Field(default=None, min_length=1, max_length=20)
    name: str | None = Field(default=None, min_length=1, max_length=300)
    comparator: str | None = Field(default=None, min_length=1, max_length=20)
    scoring_rule: str | None = Field(default=None, max_length=20)
    unit: str | None = Field(default=None, max_length=40)
    explanation: str | None = Field(default=None, max_length=2000)
    reference_value: str | None = Field(default=None, max_length=200)
    calculation: str | None = Field(default=None, max_length=2000)
    industry_major: str | None = Field(default=None, max_length=200)
    industry: str | None = Field(default=None, max_length=200)
    fund_use: str | None = Field(default=None, max_length=200)
    project_type: str | None = Field(default=None, max_length=200)
    valid_from: date | None = None
    valid_to: date | None = None
    keywords: list[str] | None = Field(default=None, max_length=50)


class LibraryRevise(ActFields):
    reason: str = Field(min_length=1, max_length=4000)
    changes: LibraryChanges

    def domain_changes(self) -> dict[str, Any]:
        """What was sent, null included (a null clears a date or text field)."""
        return self.changes.model_dump(exclude_unset=True)


class LibraryRetire(ActFields):
    reason: str = Field(min_length=1, max_length=4000)


class LibraryGrant(ActFields):
    department_id: UUID


class LastYear(BaseModel):
    fiscal_year: int
    object_id: str
    target: dict[str, Any] = Field(description="last year's goal indicator: comparator, value…")
    actual: str | None = Field(description="its self-evaluated actual (定量)")
    actual_grade: str | None = Field(description="the actual as graded (定性), if any")


class LibraryEntry(BaseModel):
    entry_id: str
    mof_div_code: str
    code: str
    department_id: str | None = Field(description="the department keeping it; null: common")
    is_common: bool
    granted_to: list[str]
    level1: str
    level2: str
    name: str
    comparator: str
    scoring_rule: Literal["positive", "reverse", "qualitative"]
    unit: str
    explanation: str
    reference_value: str
    calculation: str
    industry_major: str
    industry: str
    fund_use: str
    project_type: str
    valid_from: str | None
    valid_to: str | None
    keywords: list[str]
    retired: bool
    version: int
    updated_at: str
    last_year: LastYear | None = Field(
        default=None, description="with pro_code and fiscal_year: last year's target and actual"
    )


class LibraryVersion(BaseModel):
    version: int
    position: int
    event: str
    recorded_at: str
    business_date: str | None
    actor_id: str
    actor_name: str
    actor_role: str
    actor_org_id: str | None
    actor_org_name: str | None
    reason: str | None
    evidence: list[dict]
    details: dict


class LibraryEntryWithHistory(LibraryEntry):
    history: list[LibraryVersion]
