"""Which layout an uploaded workbook is in: the most specific layout for the jurisdiction
and year whose indicator headers are where it puts them, else the next region's, down to
the national default (a county may still send the national form)."""

from __future__ import annotations

from infrastructure.forms.importing.plan import Plan
from infrastructure.forms.sheet.opening import NotAWorkbook, open_workbook
from infrastructure.forms.sheet.reader import ReadForm, matches, read_form
from infrastructure.forms.templates.layout import FORMS
from infrastructure.forms.templates.registry import TemplateRegistry


def read_upload(
    registry: TemplateRegistry, form: str, mof_div_code: str, fiscal_year: int, data: bytes
) -> tuple[ReadForm | None, Plan]:
    """The form read by the layout it matches, and a plan to fill; without a matching
    layout, no form and a plan holding the problem."""
    wb = open_workbook(data)
    candidates = registry.candidates(form, mof_div_code, fiscal_year)
    for template in candidates:
        if matches(wb, template):
            try:
                read = read_form(wb, template)
            except (ValueError, TypeError, KeyError, IndexError, AttributeError) as e:
                # a workbook openpyxl opened but whose cells are not what they claim
                raise NotAWorkbook(f"the workbook's cells cannot be read: {e}") from None
            plan = Plan(form, template, read.sheet)
            return read, plan
    plan = Plan(form, None, wb.worksheets[0].title)
    expected = "; ".join(
        f"{t.id}: sheet {t.sheet!r}, row {t.indicators.header_row} "
        + " | ".join(c.label for c in t.indicators.columns)
        for t in candidates
    )
    plan.refuse(
        f"the workbook is not in a layout of the {FORMS[form]} for {mof_div_code} "
        f"{fiscal_year}; expected one of: {expected}"
    )
    return None, plan
