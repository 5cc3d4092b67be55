"""Coverage targets judged by policy (domain/supervision/coverage.py): 不少于 includes the
number, each judgement names the policy that judged it, and two policies judge the same counts
differently."""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal

import pytest

from domain.policy import PolicyBook, Threshold
from domain.supervision.coverage import CoverageCounts, judge_coverage, target_threshold

COUNTS = CoverageCounts(
    units=10000,
    units_evaluated=6000,
    project_funds=Decimal("10000.00"),
    project_funds_evaluated=Decimal("6000.00"),
    spot_checks=60,
    key_evaluations_department=10,
    key_evaluations_policy=10,
    npc_departments=5,
)


@pytest.fixture(scope="module")
def book() -> PolicyBook:
    return PolicyBook.shipped()


def _by_target(judgements) -> dict:
    return {j.target: j for j in judgements}


def test_every_target_exactly_at_its_minimum_is_met(book: PolicyBook) -> None:
    nanchang = book.for_jurisdiction("360100", 2023)
    judged = _by_target(judge_coverage(nanchang, COUNTS))
    assert list(judged) == [
        "department_evaluation_units_pct",
        "department_evaluation_funds_pct",
        "spot_checks_min",
        "key_evaluations_department_min",
        "key_evaluations_policy_min",
        "npc_departments_min",
    ]
    assert all(j.met for j in judged.values()), [j.reason for j in judged.values()]
    units = judged["department_evaluation_units_pct"]
    assert (units.actual, units.numerator, units.denominator) == (
        Decimal("60.00"),
        Decimal(6000),
        Decimal(10000),
    )
    assert units.required == Threshold(Decimal(60), ">=")
    assert judged["spot_checks_min"].required == Threshold(Decimal(60), ">=")  # 不少于60个
    assert judged["npc_departments_min"].section == "supervision"
    for j in judged.values():
        assert j.policy == nanchang.ref
        assert "nanchang-2022 v2" in j.reason and "洪财绩〔2022〕4号" in j.reason


def test_just_below_each_minimum_is_not_met(book: PolicyBook) -> None:
    below = replace(
        COUNTS,
        units_evaluated=5999,  # 59.99%
        project_funds_evaluated=Decimal("5999.99"),  # 59.9999%, shown truncated as 59.99
        spot_checks=59,
        key_evaluations_department=9,
        key_evaluations_policy=9,
        npc_departments=4,
    )
    judged = _by_target(judge_coverage(book.for_jurisdiction("360100", 2023), below))
    assert not any(j.met for j in judged.values())
    assert judged["department_evaluation_units_pct"].actual == Decimal("59.99")
    assert judged["department_evaluation_funds_pct"].actual == Decimal("59.99")
    assert judged["spot_checks_min"].actual == Decimal(59)
    assert "59 against ≥ 60: not met" in judged["spot_checks_min"].reason


def test_counts_above_the_minimum_are_met(book: PolicyBook) -> None:
    above = replace(COUNTS, spot_checks=61, npc_departments=9, units_evaluated=10000)
    judged = _by_target(judge_coverage(book.for_jurisdiction("360403", 2023), above))
    assert judged["spot_checks_min"].met and judged["npc_departments_min"].met
    assert judged["department_evaluation_units_pct"].actual == Decimal("100.00")
    assert judged["spot_checks_min"].policy.policy_id == "xunyang-2022"  # inherits the numbers


def test_an_empty_base_is_no_share_and_not_met(book: PolicyBook) -> None:
    empty = CoverageCounts(0, 0, Decimal("0.00"), Decimal("0.00"), 0, 0, 0, 0, False)
    judged = _by_target(judge_coverage(book.get("national-default"), empty))
    funds = judged["department_evaluation_funds_pct"]
    assert (funds.actual, funds.denominator, funds.met) == (None, Decimal(0), False)
    assert "the base is 0" in funds.reason
    assert "no NPC submission" in judged["npc_departments_min"].reason


def _stricter_policy(tmp_path) -> PolicyBook:
    """A local policy with its own coverage numbers, written as threshold objects."""
    raw = {
        "id": "test-city-2023",
        "version": 2,
        "name": "测试市",
        "document": "测财绩〔2023〕1号",
        "jurisdictions": ["369900"],
        "effective_from_year": 2023,
        "inherits": "national-default",
        "rules": {
            "coverage": {
                "source": "测财绩〔2023〕1号 三: 超过70%的单位; 不少于80%的资金; 不少于100个抽查",
                "department_evaluation_units_pct": {"value": "70", "op": ">"},
                "department_evaluation_funds_pct": {"value": "80", "op": ">="},
                "spot_checks_min": {"value": "100", "op": ">=", "wording": "不少于100个"},
                "key_evaluations_department_min": 3,
                "key_evaluations_policy_min": None,
            }
        },
    }
    (tmp_path / "test-city.json").write_text(json.dumps(raw, ensure_ascii=False))
    return PolicyBook.shipped(extra_dir=tmp_path)


def test_two_policies_judge_the_same_counts_differently(tmp_path) -> None:
    book = _stricter_policy(tmp_path)
    counts = replace(COUNTS, units_evaluated=7000, spot_checks=80, key_evaluations_department=3)
    default = _by_target(judge_coverage(book.for_jurisdiction("110101", 2023), counts))
    local = _by_target(judge_coverage(book.for_jurisdiction("369900", 2023), counts))
    assert {k: j.met for k, j in default.items()} == {
        "department_evaluation_units_pct": True,
        "department_evaluation_funds_pct": True,
        "spot_checks_min": True,
        "key_evaluations_department_min": False,  # 3 of the default's 10
        "key_evaluations_policy_min": True,
        "npc_departments_min": True,
    }
    assert all(j.policy.policy_id == "national-default" for j in default.values())
    # 70% is not 超过70%; 60% of funds is short of 80%; 80 spot checks short of 100; 3 ≥ 3;
    # the local policy sets no policy-evaluation target; the NPC minimum is inherited (5).
    assert {k: j.met for k, j in local.items()} == {
        "department_evaluation_units_pct": False,
        "department_evaluation_funds_pct": False,
        "spot_checks_min": False,
        "key_evaluations_department_min": True,
        "npc_departments_min": True,
    }
    assert local["department_evaluation_units_pct"].required == Threshold(Decimal(70), ">")
    assert "70.00% against > 70%" in local["department_evaluation_units_pct"].reason
    for j in local.values():
        assert (j.policy.policy_id, j.policy.version) == ("test-city-2023", 2)
        assert j.policy.document == "测财绩〔2023〕1号" and "test-city-2023 v2" in j.reason


def test_a_target_that_is_not_a_number_is_refused(book: PolicyBook) -> None:
    policy = book.get("national-default")
    broken = replace(policy, rules={**policy.rules, "coverage": {"spot_checks_min": True}})
    with pytest.raises(ValueError, match="spot_checks_min"):
        target_threshold(broken, "coverage", "spot_checks_min")
