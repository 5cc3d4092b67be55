"""一级 and 二级 indicator cells as forms print them ("产出指标（50分）", "数量指标",
"服务对象满意度指标") and as people type them."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from domain.indicators import LEVELS
from infrastructure.forms.sheet.values import CellError, key_of, plain_number, text_of

_PRINTED_LEVEL2 = {"满意度": "服务对象满意度指标"}
_POINTS = re.compile(r"[（(]\s*[\d.]+\s*分?\s*[）)]")


def level1_label(level1: str, points: Decimal | None) -> str:
    if points is None or Decimal(points) == 0:
        return f"{level1}指标"
    return f"{level1}指标（{plain_number(points)}分）"


def level2_label(level2: str) -> str:
    return _PRINTED_LEVEL2.get(level2, f"{level2}指标")


def level1_of(value: Any) -> str:
    text = _POINTS.sub("", key_of(value))
    text = text.removesuffix("指标")
    if text not in LEVELS:
        raise CellError(f"一级指标 {text_of(value)!r} is not one of {list(LEVELS)}")
    return text


def level2_of(value: Any, level1: str) -> str:
    text = _POINTS.sub("", key_of(value)).removesuffix("指标")
    if text.endswith("满意度"):
        text = "满意度"
    elif text.endswith("效益") and text.removesuffix("效益") in LEVELS[level1]:
        text = text.removesuffix("效益")  # 社会效益指标 → 社会
    if text not in LEVELS[level1]:
        raise CellError(
            f"二级指标 {text_of(value)!r} under {level1} is one of {list(LEVELS[level1])}"
        )
    return text
