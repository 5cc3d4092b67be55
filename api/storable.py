"""What a request may carry into the stores: text both SQLite and PostgreSQL can hold, and
numbers read exactly as written.

PostgreSQL text cannot hold NUL (U+0000), and a lone UTF-16 surrogate (JSON "\\ud800")
cannot be encoded as UTF-8 by either store: accepted, such text stops a view or fails a
write later. A JSON number goes through a binary float on its way in, so "1e-400" would
read as 0.0 and a 20-digit amount would lose its last digits: such a number is refused,
not rounded (send it as a string).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


class NotJson(ValueError):
    """The body is not JSON this edge will read (malformed, NaN, or nested too deep)."""


def unstorable(text: str) -> str | None:
    """Why a store cannot hold this text, or None if it can."""
    found = _UNSTORABLE.search(text)
    if found is None:
        return None
    char = found.group()
    if char == "\x00":
        return "contains NUL (U+0000), which the store cannot hold"
    return f"contains a lone surrogate (U+{ord(char):04X}), which is not valid Unicode text"


def _shown(name: str) -> str:
    """A field name fit to answer with (the answer is UTF-8 JSON too)."""
    return _UNSTORABLE.sub("\ufffd", name)


def _float_changes(number: Decimal) -> str | None:
    as_float = float(number)
    if math.isfinite(as_float) and Decimal(repr(as_float)) == number:
        return None
    return (
        f"the JSON number {number} cannot be read exactly (it would read as {as_float!r}); "
        'send it as a string, e.g. "0.01"'
    )


def _refuse_constant(name: str) -> Any:
    raise NotJson(f"{name} is not a JSON number")


def parse_json(body: bytes) -> Any:
    """The body as JSON with every fractional number as the Decimal written."""
    try:
        return json.loads(body, parse_float=Decimal, parse_constant=_refuse_constant)
    except RecursionError:
        raise NotJson("the body is nested too deeply") from None
    except NotJson:
        raise
    except ValueError as e:  # malformed, not UTF-8, or an integer too long to read
        raise NotJson(str(e)) from None


def _walk(value: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every key, string and number in a parsed document, with its path (iteratively:
    nesting depth is the attacker's to choose)."""
    stack = [(path, value)]
    while stack:
        at, item = stack.pop()
        if isinstance(item, dict):
            for key, child in item.items():
                yield (*at, key), key
                stack.append(((*at, key), child))
        elif isinstance(item, list):
            stack.extend(((*at, str(i)), child) for i, child in enumerate(item))
        else:
            yield at, item


def body_problems(document: Any) -> list[tuple[str, str]]:
    """(field, message) for each text a store cannot hold and each inexact number."""
    problems = []
    for path, item in _walk(document):
        field = ".".join(_shown(p) for p in path) or "body"
        if isinstance(item, str):
            why = unstorable(item)
        elif isinstance(item, Decimal):
            why = _float_changes(item)
        else:
            why = None
        if why:
            problems.append((field, why))
    return sorted(problems)


def url_problems(path: str, query_string: bytes) -> list[tuple[str, str]]:
    """(field, message) for text in the path or query a store cannot hold, decoded as the
    app will decode it (percent-escapes included)."""
    problems = []
    if why := unstorable(path):
        problems.append(("path", why))
    for name, value in parse_qsl(query_string.decode("latin-1"), keep_blank_values=True):
        if why := unstorable(name) or unstorable(value):
            problems.append((_shown(name), why))
    return problems
