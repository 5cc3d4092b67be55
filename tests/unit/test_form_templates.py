"""The form layouts as data: the most specific layout for a jurisdiction and year, falling
back to the national default; a newer version or first year supersedes; 万元 to exact
yuan, refusing what is not whole fen."""

from __future__ import annotations

import json
from decimal import Decimal
from importlib import resources

import pytest

from domain.errors import NotFound
from infrastructure.forms.sheet.values import (
    CellError,
    sheet_number,
    wan_of_yuan,
    yuan_of_wan,
)
from infrastructure.forms.templates.layout import FORMS, Template
from infrastructure.forms.templates.registry import TemplateRegistry, regions_of


def _shipped_json(name: str) -> dict:
    folder = resources.files("infrastructure.forms.templates") / "data"
    return json.loads((folder / name).read_text(encoding="utf-8"))


def test_every_form_has_a_national_layout_naming_its_source() -> None:
    registry = TemplateRegistry.shipped()
    for form in FORMS:
        template = registry.for_jurisdiction(form, "360403", 2023)
        assert template.region == "national"
        assert template.source.startswith(("confirmed", "recalled", "indicator block confirmed"))


def test_hefei_and_its_districts_use_hefeis_monitoring_layout_others_the_national() -> None:
    registry = TemplateRegistry.shipped()
    assert regions_of("340111") == ["340111", "340100", "340000", "national"]
    assert registry.for_jurisdiction("monitoring", "340100", 2023).region == "340100"
    assert registry.for_jurisdiction("monitoring", "340111", 2023).region == "340100"
    assert registry.for_jurisdiction("monitoring", "340200", 2023).region == "national"
    # Hefei has no self-evaluation layout of its own: the national one.
    assert registry.for_jurisdiction("self_evaluation", "340100", 2023).region == "national"
    assert [t.region for t in registry.candidates("monitoring", "340100", 2023)] == [
        "340100",
        "national",
    ]
    with pytest.raises(NotFound):
        registry.for_jurisdiction("monitoring", "340100", 2019)  # before any layout's year


def test_a_newer_version_or_first_year_supersedes_within_a_region() -> None:
    base = _shipped_json("monitoring-340100-2020-v1.json")
    v2 = Template.from_json({**base, "version": 2, "sheet": "监控表v2"})
    y2025 = Template.from_json({**base, "year_from": 2025, "sheet": "监控表2025"})
    national = Template.from_json(_shipped_json("monitoring-national-2020-v1.json"))
    registry = TemplateRegistry([Template.from_json(base), v2, y2025, national])
    assert registry.for_jurisdiction("monitoring", "340100", 2024).sheet == "监控表v2"
    assert registry.for_jurisdiction("monitoring", "340100", 2025).sheet == "监控表2025"
    with pytest.raises(ValueError, match="share"):
        TemplateRegistry([v2, v2])
    with pytest.raises(ValueError, match="form is one of"):
        Template.from_json({**base, "form": "budget"})


@pytest.mark.parametrize(
    ("wan", "yuan"),
    [
        (6000, Decimal("60000000.00")),
        ("5876.54321", Decimal("58765432.10")),
        (5876.54321, Decimal("58765432.10")),  # a double read back by its shortest form
        ("1,234.000001", Decimal("12340000.01")),
        ("１２３４", Decimal("12340000.00")),  # full-width digits
    ],
)
def test_wan_to_yuan_is_exact(wan, yuan) -> None:
    assert yuan_of_wan(wan) == yuan
    assert yuan_of_wan(sheet_number(wan_of_yuan(yuan))) == yuan


@pytest.mark.parametrize(
    ("wan", "message"),
    [
        ("0.0000001", "fen"),
        (1.5e-7, "fen"),
        ("-1", "negative"),
        ("一千", "not a number"),
        (1234567890.1234567, "digits"),
    ],
)
def test_wan_that_is_not_whole_fen_or_not_a_number_is_refused(wan, message) -> None:
    with pytest.raises(CellError, match=message):
        yuan_of_wan(wan)


def test_long_amounts_are_written_as_text_not_rounded() -> None:
    amount = Decimal("98765432109876.54")  # 14 whole digits of yuan: 17 significant in 万元
    written = sheet_number(wan_of_yuan(amount))
    assert isinstance(written, str)
    assert yuan_of_wan(written) == amount
