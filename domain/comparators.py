"""Comparators of indicator targets (计算符号) as the bureaus write them, and what each asks.

Forms and the national tables mix full- and half-width signs (≥ ＞ ＝ ＜ ≤, >= and the
like) and the word 定性; one spelling is kept per comparator so that a target reads the
same whichever file it came from. Strict and non-strict signs stay distinct (an exported
form prints what was declared), but they score and judge alike (FORMS.md, the national
auto-score: a positive indicator rewards more, a reverse one less).
"""

from __future__ import annotations

import unicodedata

from domain.errors import InvalidInput

# The kept spelling → the spellings found in forms and national tables (after NFKC).
_SPELLINGS: dict[str, tuple[str, ...]] = {
    "≥": ("≥", ">=", "≧", "大于等于", "不低于", "不少于"),
    ">": (">", "大于", "高于"),
    "=": ("=", "==", "等于"),
    "<": ("<", "小于", "低于"),
    "≤": ("≤", "<=", "≦", "小于等于", "不高于", "不超过"),
    "range": ("range", "区间"),
    "qualitative": ("qualitative", "定性"),
}
_CANONICAL = {spelling: kept for kept, spellings in _SPELLINGS.items() for spelling in spellings}
COMPARATORS = tuple(_SPELLINGS)
NUMERIC_COMPARATORS = ("≥", ">", "=", "<", "≤")
# What each comparator asks of the actual value: more is better, less is better, equal,
# inside the range, or met in words.
DIRECTIONS = {
    "≥": "positive",
    ">": "positive",
    "=": "equal",
    "<": "reverse",
    "≤": "reverse",
    "range": "range",
    "qualitative": "qualitative",
}
# The sign a form prints for each kept comparator (national export writes 定性 in words).
PRINTED = {
    "≥": "≥",
    ">": "＞",
    "=": "＝",
    "<": "＜",
    "≤": "≤",
    "range": "区间",
    "qualitative": "定性",
}


def normalised(text: str, field: str = "comparator") -> str:
    """The kept spelling of a comparator written any of the usual ways."""
    key = unicodedata.normalize("NFKC", str(text)).strip().replace(" ", "")
    kept = _CANONICAL.get(key)
    if kept is None:
        raise InvalidInput(
            f"{text!r} is not a comparator (计算符号 is one of ≥ ＞ ＝ ＜ ≤ 定性)", field
        )
    return kept


def direction(comparator: str) -> str:
    return DIRECTIONS[comparator]
