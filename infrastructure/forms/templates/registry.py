"""The layouts shipped as data files, and the most specific one for a jurisdiction and year.

A jurisdiction's code (mof_div_code, 6-digit 行政区划代码) names its city (first 4 digits)
and province (first 2): a layout for the county itself comes first, then its city's, its
province's, then the national default. Within a region the newest first year that has
begun wins, then the highest version. Adding a layout is adding a file to
infrastructure/forms/templates/data/ (or a directory given to `shipped`)."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path

from domain.errors import NotFound
from infrastructure.forms.templates.layout import Template

NATIONAL = "national"


def regions_of(mof_div_code: str) -> list[str]:
    """The regions whose layouts may apply, most specific first."""
    code = mof_div_code.strip()
    chain = [code]
    if len(code) == 6 and code.isdigit():
        chain += [code[:4] + "00", code[:2] + "0000"]
    chain.append(NATIONAL)
    return list(dict.fromkeys(chain))


class TemplateRegistry:
    def __init__(self, templates: list[Template]) -> None:
        ids = [t.id for t in templates]
        if len(set(ids)) != len(ids):
            raise ValueError("two layout files share one form, region, first year and version")
        self._templates = sorted(
            templates, key=lambda t: (t.form, t.region, t.year_from, t.version)
        )

    @classmethod
    def shipped(cls, extra_dir: Path | None = None) -> TemplateRegistry:
        folder = resources.files("infrastructure.forms.templates") / "data"
        files = [f for f in folder.iterdir() if f.name.endswith(".json")]
        if extra_dir is not None:
            files += sorted(Path(extra_dir).glob("*.json"))
        return cls([Template.from_json(json.loads(f.read_text(encoding="utf-8"))) for f in files])

    @staticmethod
    @cache
    def default() -> TemplateRegistry:
        """The shipped layouts, read once per process."""
        return TemplateRegistry.shipped()

    def all(self) -> list[Template]:
        return list(self._templates)

    def candidates(self, form: str, mof_div_code: str, fiscal_year: int) -> list[Template]:
        """One layout per region that has one in force, most specific region first."""
        found = []
        for region in regions_of(mof_div_code):
            in_force = [
                t
                for t in self._templates
                if t.form == form and t.region == region and t.year_from <= fiscal_year
            ]
            if in_force:
                found.append(max(in_force, key=lambda t: (t.year_from, t.version)))
        if not found:
            raise NotFound(f"no layout of the {form} form for {mof_div_code} in {fiscal_year}")
        return found

    def for_jurisdiction(self, form: str, mof_div_code: str, fiscal_year: int) -> Template:
        return self.candidates(form, mof_div_code, fiscal_year)[0]
