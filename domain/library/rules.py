"""What an indicator library entry (指标库) must say, and who keeps it.

The fields follow the national library tables (BAS_PERF_INDICATOR for the finance bureau's
common indicators, PERF_T_DEPTINDICATOR for a department's own; FORMS.md, "The indicator
library"): classification axes, 一级/二级/三级, 指标解释, 计算符号, unit, 参考值, 计算公式,
评分规则, validity, keywords. The scoring rule (正向 / 反向 / 定性) follows the comparator
unless stated, and may not contradict it (FORMS.md, the national auto-score).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from domain.comparators import direction, normalised
from domain.errors import InvalidInput, NotPermitted
from domain.indicators import LEVELS
from domain.roles import Role
from domain.transcodings import transcoded
from domain.values import Act

SCORING_RULES = {"positive": "正向", "reverse": "反向", "qualitative": "定性"}
CLASSIFICATIONS = ("industry_major", "industry", "fund_use", "project_type")
KEEPERS_OF_OWN = (Role.DEPARTMENT_STAFF, Role.DEPARTMENT_HEAD)
# The scoring rule each comparator's direction implies; = and a range imply none: say it.
_IMPLIED = {"positive": "positive", "reverse": "reverse", "qualitative": "qualitative"}


@transcoded("library_definition")
@dataclass(frozen=True)
class Definition:
    """What a library entry says at one version (the code and owner never change)."""

    level1: str
    level2: str
    name: str  # 三级指标
    comparator: str  # kept spelling, domain/comparators.py
    scoring_rule: str  # positive 正向 / reverse 反向 / qualitative 定性
    unit: str = ""
    explanation: str = ""  # 指标解释
    reference_value: str = ""  # 参考值, as the library writes it
    calculation: str = ""  # 计算公式
    industry_major: str = ""  # 行业大类
    industry: str = ""  # 行业类别
    fund_use: str = ""  # 资金用途
    project_type: str = ""  # 项目类型
    valid_from: date | None = None
    valid_to: date | None = None
    keywords: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # Events decoded from JSON give lists; keep the value immutable and hashable.
        object.__setattr__(self, "keywords", tuple(self.keywords))

    def valid_in(self, fiscal_year: int) -> bool:
        """In force for some day of the fiscal year."""
        starts_in_time = self.valid_from is None or self.valid_from <= date(fiscal_year, 12, 31)
        ends_after = self.valid_to is None or self.valid_to >= date(fiscal_year, 1, 1)
        return starts_in_time and ends_after


FIELDS = tuple(f.name for f in fields(Definition))


def _text(value: Any, field: str, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInput(f"{field} is text", field)
    value = value.strip()
    if required and not value:
        raise InvalidInput(f"{field} is required", field)
    return value


def scoring_rule_for(comparator: str, stated: str | None) -> str:
    """The stated scoring rule, checked against the comparator, or the one it implies."""
    implied = _IMPLIED.get(direction(comparator))
    if stated is None or not str(stated).strip():
        if implied is None:
            raise InvalidInput(
                f"a {comparator} target does not say whether more or less is better: "
                f"state scoring_rule ({' / '.join(SCORING_RULES)})",
                "scoring_rule",
            )
        return implied
    rule = str(stated).strip()
    by_word = {word: key for key, word in SCORING_RULES.items()}
    rule = by_word.get(rule, rule)
    if rule not in SCORING_RULES:
        raise InvalidInput(f"scoring_rule is one of {list(SCORING_RULES)}", "scoring_rule")
    qualitative = comparator == "qualitative"
    if (rule == "qualitative") != qualitative or (implied not in (None, rule)):
        raise InvalidInput(
            f"scoring_rule {rule} ({SCORING_RULES[rule]}) contradicts the comparator {comparator}",
            "scoring_rule",
        )
    return rule


def checked_definition(values: dict[str, Any]) -> Definition:
    """A definition from the fields given (see Definition), normalised and checked."""
    unknown = sorted(set(values) - set(FIELDS))
    if unknown:
        raise InvalidInput(f"a library entry has no field {unknown[0]!r}", unknown[0])
    name = _text(values.get("name"), "name", required=True)
    level1 = _text(values.get("level1"), "level1", required=True)
    level2 = _text(values.get("level2"), "level2", required=True)
    if level1 not in LEVELS:
        raise InvalidInput(f"level1 is one of {list(LEVELS)}", "level1")
    if level2 not in LEVELS[level1]:
        raise InvalidInput(f"under {level1} level2 is one of {list(LEVELS[level1])}", "level2")
    comparator = normalised(_text(values.get("comparator"), "comparator", required=True))
    valid_from, valid_to = values.get("valid_from"), values.get("valid_to")
    for field, day in (("valid_from", valid_from), ("valid_to", valid_to)):
        if day is not None and not isinstance(day, date):
            raise InvalidInput(f"{field} is a date", field)
    if valid_from is not None and valid_to is not None and valid_to < valid_from:
        raise InvalidInput("valid_to is on or after valid_from", "valid_to")
    keywords: list[str] = []
    for word in values.get("keywords") or ():
        word = _text(word, "keywords")
        if word and word not in keywords:
            keywords.append(word)
    texts = ("unit", "explanation", "reference_value", "calculation", *CLASSIFICATIONS)
    return Definition(
        level1=level1,
        level2=level2,
        name=name,
        comparator=comparator,
        scoring_rule=scoring_rule_for(comparator, values.get("scoring_rule")),
        valid_from=valid_from,
        valid_to=valid_to,
        keywords=tuple(keywords),
        **{field: _text(values.get(field), field) for field in texts},
    )


def require_keeper(
    act: Act, mof_div_code: str, department_id: Any, actor_mof_div_code: str | None
) -> None:
    """Common indicators are kept by the finance bureau's performance section of their
    jurisdiction; a department's own by that department's staff and head."""
    actor = act.actor
    if department_id is None:
        if actor.role != Role.PERFORMANCE_SECTION or actor_mof_div_code != mof_div_code:
            raise NotPermitted(
                "common indicators (共性指标) are kept by the performance section of their "
                "jurisdiction"
            )
    elif actor.role not in KEEPERS_OF_OWN or actor.organisation_id != str(department_id):
        raise NotPermitted("a department's own indicators (个性指标) are kept by that department")


def require_granter(act: Act, mof_div_code: str, actor_mof_div_code: str | None) -> None:
    if act.actor.role != Role.PERFORMANCE_SECTION or actor_mof_div_code != mof_div_code:
        raise NotPermitted("the performance section of the jurisdiction grants library entries")
