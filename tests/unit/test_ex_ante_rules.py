"""Whether an ex-ante assessment is required: the same project judged under two
jurisdictions' policies, boundaries as the documents' words say, exemptions."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.errors import InvalidInput
from domain.ex_ante.rules import judge_requirement
from domain.policy import PolicyBook

BOOK = PolicyBook.shipped()
XUNYANG, NANCHANG = (BOOK.for_jurisdiction(c, 2023) for c in ("360403", "360100"))


def judge(policy, amount: str, *, last_year: str | None = None, **kw):
    return judge_requirement(
        policy,
        kind=kw.pop("kind", "project"),
        amount=Decimal(amount),
        is_new=last_year is None,
        last_year_amount=None if last_year is None else Decimal(last_year),
        **kw,
    )


def test_five_million_new_project_needs_it_in_xunyang_not_nanchang() -> None:
    xy, nc = judge(XUNYANG, "5000000.00"), judge(NANCHANG, "5000000.00")
    assert xy.required and not nc.required
    assert xy.policy.policy_id == "xunyang-2022" and xy.policy.version == 2
    assert "浔阳区" in xy.policy.document
    assert xy.reasons == ("新增项目 5,000,000.00 元 ≥ 2,000,000.00 元 (200万元以上的新增项目)",)
    assert nc.policy.document == "洪财绩〔2022〕4号"
    assert nc.reasons == ("新增项目 5,000,000.00 元 < 10,000,000.00 元 (新增1000万元以上)",)


@pytest.mark.parametrize(
    ("amount", "required"),
    [("10000000.00", True), ("9999999.99", False), ("12000000.00", True)],
)
def test_nanchang_ten_million_boundary_is_included(amount: str, required: bool) -> None:
    assert judge(NANCHANG, amount).required is required


@pytest.mark.parametrize(
    ("last_year", "amount", "required", "why"),
    [
        ("1000000.00", "1300000.00", True, "增幅 30.00% ≥ 30%"),  # 增幅达到30% includes 30%
        ("1000000.00", "1299999.99", False, "增幅 29.999999% < 30%"),
        ("100000000.00", "110000000.00", True, "增加金额 10,000,000.00 元 ≥"),  # +1000万, 10%
        ("100000000.00", "109999999.99", False, "增加金额 9,999,999.99 元 <"),
        ("0.00", "500000.00", True, "∞"),
    ],
)
def test_continuing_projects_growth_rate_or_amount(last_year, amount, required, why) -> None:
    result = judge(NANCHANG, amount, last_year=last_year)
    assert result.required is required
    assert any(why in reason for reason in result.reasons), result.reasons


def test_exemptions_are_declared_with_a_reason() -> None:
    exempt = judge(XUNYANG, "50000000.00", exemption="disaster_relief", exemption_reason="抗洪抢险")
    assert not exempt.required and exempt.exemption == "disaster_relief"
    assert "救灾" in exempt.reasons[0] and "抗洪抢险" in exempt.reasons[0]
    with pytest.raises(InvalidInput) as missing:
        judge(XUNYANG, "50000000.00", exemption="emergency")
    assert missing.value.field == "reason"
    with pytest.raises(InvalidInput) as unknown:
        judge(XUNYANG, "50000000.00", exemption="urgent", exemption_reason="赶工期")
    assert unknown.value.field == "exemption"


def test_department_overall_spending_is_not_a_project() -> None:
    assert not judge(XUNYANG, "90000000.00", kind="department_overall").required
