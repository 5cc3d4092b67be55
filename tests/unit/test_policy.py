"""Policies are data: shipped per jurisdiction, inherited section by section, boundaries
compared the way each document's wording says."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from domain.policy import PolicyBook, Threshold


@pytest.fixture(scope="module")
def book() -> PolicyBook:
    return PolicyBook.shipped()


def test_each_jurisdiction_gets_its_own_policy(book: PolicyBook) -> None:
    assert book.for_jurisdiction("360100", 2023).ref.document == "洪财绩〔2022〕4号"
    assert book.for_jurisdiction("360734", 2025).ref.document == "信财绩字〔2025〕3号"
    assert book.for_jurisdiction("360403", 2023).policy_id == "xunyang-2022"
    # Before Xinfeng's 2025 rules took effect, and anywhere unknown: the national default.
    assert book.for_jurisdiction("360734", 2024).policy_id == "national-default"
    assert book.for_jurisdiction("110101", 2023).policy_id == "national-default"


def test_local_policies_inherit_what_their_document_does_not_set(book: PolicyBook) -> None:
    nanchang = book.for_jurisdiction("360100", 2023)
    assert nanchang.section("grades")["source"].startswith("财预〔2020〕10号")
    assert nanchang.section("monitoring")["periods"][0]["code"] == "Q1"
    assert len(nanchang.section("monitoring")["periods"]) == 6
    assert book.get("national-default").section("monitoring")["periods"][0]["code"] == "H1"


@pytest.mark.parametrize(
    ("code", "amount", "required"),
    [
        ("360100", "10000000.00", True),  # 1000万元以上 includes 1000万 (Civil Code art. 1259)
        ("360100", "9999999.99", False),
        ("360100", "5000000.00", False),
        ("360403", "5000000.00", True),  # Xunyang: 200万元以上的新增项目
        ("360403", "1999999.99", False),
    ],
)
def test_ex_ante_amount_boundaries(book: PolicyBook, code, amount, required) -> None:
    threshold = book.for_jurisdiction(code, 2023).threshold("ex_ante", "new_project_amount")
    assert threshold.met_by(Decimal(amount)) is required


def test_below_ninety_includes_ninety(book: PolicyBook) -> None:
    cut = book.for_jurisdiction("360403", 2023).threshold(
        "work_assessment", "budget_cut_at_or_below"
    )
    assert cut.met_by(Decimal(90)) and not cut.met_by(Decimal("90.5"))
    assert (
        book.for_jurisdiction("360100", 2023).threshold("work_assessment", "budget_cut_at_or_below")
        is None
    )


def test_a_newer_version_from_an_administrator_supersedes(tmp_path, book: PolicyBook) -> None:
    raw = {
        "id": "xunyang-2022",
        "version": 3,
        "name": "浔阳区 v3",
        "document": "浔财字〔2024〕1号",
        "jurisdictions": ["360403"],
        "effective_from_year": 2022,
        "inherits": "national-default",
        "rules": {
            "deviation": {
                "source": "set locally",
                "execution_lag_warning_points": {"value": "5", "op": ">="},
            }
        },
    }
    (tmp_path / "xunyang-v2.json").write_text(json.dumps(raw, ensure_ascii=False))
    newer = PolicyBook.shipped(extra_dir=tmp_path).for_jurisdiction("360403", 2023)
    assert (newer.version, newer.ref.document) == (3, "浔财字〔2024〕1号")
    assert newer.threshold("deviation", "execution_lag_warning_points") == Threshold(
        Decimal(5), ">="
    )


def test_malformed_policies_are_refused() -> None:
    with pytest.raises(ValueError):
        Threshold.parse({"value": "1", "op": "=>"})
    with pytest.raises(ValueError, match="national-default"):
        PolicyBook([])


def test_a_shipped_version_keeps_meaning_what_it_meant() -> None:
    """Issue 11 added scoring rules and lights as version 2 of each shipped policy: version 1,
    which acts already on record name, still resolves to the rules it had, its parent pinned
    at national-default v1 (no lights, the earlier scoring), while new acts take version 2."""
    book = PolicyBook.shipped()
    for policy_id, code, year in (
        ("nanchang-2022", "360100", 2023),
        ("xunyang-2022", "360403", 2023),
        ("xinfeng-2025", "360734", 2025),
    ):
        old, new = book.get(policy_id, 1), book.get(policy_id, 2)
        assert "lights" not in old.section("monitoring")
        assert "scoring" not in old.section("self_evaluation")
        assert "lights" in new.section("monitoring")
        assert book.for_jurisdiction(code, year).ref == new.ref
    assert book.get("national-default", 1).section("self_evaluation").get("scoring") is None
    rule = book.get("nanchang-2022", 2).section("self_evaluation")["scoring"]["qualitative"]
    assert rule["rule"] == "bands"
