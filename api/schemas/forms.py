"""What a form import answers: a dry run, an unchanged form, or (with 422) the problems."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class FormProblem(BaseModel):
    sheet: str
    row: int | None
    column: str | None
    cell: str = Field(description='where, as Excel names it, e.g. "项目支出绩效自评表!E14"')
    message: str


class FormRow(BaseModel):
    sheet: str
    row: int | None
    record: Any = Field(description="what the row records, as the command takes it")


class FormReport(BaseModel):
    form: str
    template: dict[str, Any] | None = Field(description="the layout read: id, region, source")
    sheet: str
    dry_run: bool
    valid: bool
    action: str = Field(description="the command it runs, or unchanged / refused")
    action_means: str
    recorded: bool
    rows: list[FormRow]
    problems: list[FormProblem]
