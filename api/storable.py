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
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# Where such text can hide in a JSON body: NUL only as the escape \u0000 (raw control
# characters are not JSON), a surrogate as an escape \uD800..\uDFFF or as raw bytes ED
# A0..BF. Finding one of these (fast substring searches) may be innocent (an escaped pair
# is an emoji, ED also leads Hangul): the document is then walked to be sure.
_SUSPECTS = (b"\\u0000", b"\\ud", b"\\uD", b"\xed")


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


class _Inexact(str):
    """A JSON number, as written, that a float would change."""


def _read_number(written: str) -> float | _Inexact:
    as_float = float(written)
    if math.isfinite(as_float) and (
        repr(as_float) == written or Decimal(repr(as_float)) == Decimal(written)
    ):
        return as_float
    return _Inexact(written)


def _inexact(written: _Inexact) -> str:
    return (
        f"the JSON number {written} cannot be read exactly (it would read as "
        f'{float(written)!r}); send it as a string, e.g. "0.01"'
    )


def _refuse_constant(name: str) -> Any:
    raise NotJson(f"{name} is not a JSON number")


def _parse(body: bytes, read_number: Callable[[str], Any]) -> Any:
    try:
        # UTF-8 only (RFC 8259): json.loads would also read UTF-16 and UTF-32, in which
        # the byte patterns searched for above look different.
        text = body.decode("utf-8")
    except UnicodeDecodeError as e:
        raise NotJson(f"the body is not UTF-8 ({e.reason} at byte {e.start})") from None
    try:
        return json.loads(text, parse_float=read_number, parse_constant=_refuse_constant)
    except RecursionError:
        raise NotJson("the body is nested too deeply") from None
    except NotJson:
        raise
    except ValueError as e:  # malformed, not UTF-8, or an integer too long to read
        raise NotJson(str(e)) from None


def _why(item: Any) -> str | None:
    if isinstance(item, _Inexact):
        return _inexact(item)
    return unstorable(item) if isinstance(item, str) else None


def _named(document: Any) -> Iterator[tuple[str, Any]]:
    """Every key, string and number with its field's path (iteratively: the nesting depth
    is the sender's to choose)."""
    stack: list[tuple[tuple[str, ...], Any]] = [((), document)]
    while stack:
        at, item = stack.pop()
        if isinstance(item, dict):
            for key, child in item.items():
                yield ".".join(map(_shown, (*at, key))), key
                stack.append(((*at, key), child))
        elif isinstance(item, list):
            stack.extend(((*at, str(i)), child) for i, child in enumerate(item))
        else:
            yield ".".join(map(_shown, at)) or "body", item


def body_problems(body: bytes) -> list[tuple[str, str]]:
    """(field, message) for each text in a JSON body a store cannot hold and each number a
    float would change; NotJson if it is not JSON."""
    inexact: list[str] = []

    def read_number(written: str) -> Any:
        number = _read_number(written)
        if isinstance(number, _Inexact):
            inexact.append(number)
        return number

    document = _parse(body, read_number)
    if not inexact and not any(suspect in body for suspect in _SUSPECTS):
        return []  # the common case, without walking the document
    return sorted((field, why) for field, item in _named(document) if (why := _why(item)))


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
