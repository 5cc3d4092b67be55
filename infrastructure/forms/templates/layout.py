"""What a layout file says: the sheet, the fixed cells, the money block and the indicator
block (header row, first row, the field of each column, √ column groups, the totals row).
The writer and the reader (infrastructure/forms/sheet/) follow it; neither knows a form."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

FORMS = {
    "goal": "项目支出绩效目标申报表",
    "department_goal": "部门整体支出绩效目标表",
    "monitoring": "绩效运行监控表",
    "self_evaluation": "项目支出绩效自评表",
}


@dataclass(frozen=True)
class FixedCell:
    """A cell (or merged range) holding a printed label (`text`) or a value (`field`)."""

    at: str
    text: str | None = None
    field: str | None = None


@dataclass(frozen=True)
class Column:
    col: str
    label: str
    field: str
    inherit: bool = False  # empty: the row above's value (merged 一级/二级 cells)
    kind: str = "amount"  # money block only: amount (万元), points or percent
    codes: dict[str, str] | None = None  # a coded answer: printed code → value


@dataclass(frozen=True)
class Tick:
    col: str
    label: str
    value: str


@dataclass(frozen=True)
class CheckGroup:
    """√ columns under one merged header: one ticked (multiple=False) or any number."""

    label: str
    field: str
    multiple: bool
    ticks: tuple[Tick, ...]


@dataclass(frozen=True)
class MoneyRow:
    row: int
    label: str | None
    field: str


@dataclass(frozen=True)
class MoneyBlock:
    label: str
    label_at: str
    header_row: int
    label_column: str | None
    columns: tuple[Column, ...]
    rows: tuple[MoneyRow, ...]


@dataclass(frozen=True)
class Total:
    label: str
    span: str  # "A:E": the label's merged columns
    fields: tuple[str, ...]


@dataclass(frozen=True)
class IndicatorBlock:
    header_row: int
    first_row: int  # header_row + 1, or + 2 when √ groups take a second header row
    columns: tuple[Column, ...]
    checks: tuple[CheckGroup, ...]
    total: Total | None

    def column(self, field: str) -> Column | None:
        return next((c for c in self.columns if c.field == field), None)


@dataclass(frozen=True)
class Template:
    form: str
    region: str  # "national" or a 6-digit 行政区划 code (mof_div_code)
    region_name: str
    year_from: int
    version: int
    source: str  # where the layout comes from: confirmed from a real form, or recalled
    sheet: str
    title: str
    width: str  # the last column
    cells: tuple[FixedCell, ...]
    money: MoneyBlock | None
    indicators: IndicatorBlock
    empty: tuple[str, ...]

    @property
    def id(self) -> str:
        return f"{self.form}-{self.region}-{self.year_from}-v{self.version}"

    def summary(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "form": self.form,
            "form_name": FORMS[self.form],
            "region": self.region,
            "region_name": self.region_name,
            "year_from": self.year_from,
            "version": self.version,
            "source": self.source,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Template:
        try:
            if data["form"] not in FORMS:
                raise ValueError(f"form is one of {list(FORMS)}")
            block = data["indicators"]
            money = data.get("money")
            return cls(
                form=data["form"],
                region=str(data["region"]),
                region_name=data["region_name"],
                year_from=int(data["year_from"]),
                version=int(data["version"]),
                source=data["source"],
                sheet=data["sheet"],
                title=data["title"],
                width=data["width"],
                cells=tuple(FixedCell(**c) for c in data.get("cells", ())),
                money=None if money is None else _money(money),
                indicators=IndicatorBlock(
                    header_row=int(block["header_row"]),
                    first_row=int(block["first_row"]),
                    columns=tuple(Column(**c) for c in block["columns"]),
                    checks=tuple(_check(g) for g in block.get("checks", ())),
                    total=None if block.get("total") is None else _total(block["total"]),
                ),
                empty=tuple(data.get("empty", ())),
            )
        except (KeyError, TypeError, ValueError) as e:
            raise ValueError(f"malformed form layout {data.get('form', '?')}: {e}") from None


def _money(raw: dict[str, Any]) -> MoneyBlock:
    return MoneyBlock(
        label=raw["label"],
        label_at=raw["label_at"],
        header_row=int(raw["header_row"]),
        label_column=raw.get("label_column"),
        columns=tuple(Column(**c) for c in raw["columns"]),
        rows=tuple(MoneyRow(**r) for r in raw["rows"]),
    )


def _check(raw: dict[str, Any]) -> CheckGroup:
    return CheckGroup(
        label=raw["label"],
        field=raw["field"],
        multiple=bool(raw["multiple"]),
        ticks=tuple(Tick(**t) for t in raw["columns"]),
    )


def _total(raw: dict[str, Any]) -> Total:
    return Total(raw["label"], raw["span"], tuple(raw["fields"]))
