"""What the edge lets into the stores: text both can hold, numbers read as written."""

from __future__ import annotations

import json

import pytest

from api.storable import NotJson, body_problems, url_problems


def _fields(document: object) -> list[str]:
    return [field for field, _ in body_problems(json.dumps(document).encode())]


def test_text_either_store_can_hold_passes_whatever_its_script() -> None:
    texts = {"zh": "老旧小区改造", "ko": "한국어", "emoji": "😀", "escaped": "\\u0000 as text"}
    assert _fields(texts) == []
    assert body_problems(json.dumps(texts, ensure_ascii=False).encode()) == []


def test_nul_and_lone_surrogates_are_named_by_their_path() -> None:
    document = {"a": [{"b": "x\u0000"}, "ok"], "c": {"d\ud800": 1}, "e": "\udfff"}
    assert _fields(document) == ["a.0.b", "c.d\ufffd", "e"]


@pytest.mark.parametrize("written", ["1e-400", "1e400", "-1e400", "12345678901234567.5"])
def test_a_number_a_float_would_change_is_refused(written: str) -> None:
    problems = body_problems(b'{"amount": ' + written.encode() + b"}")
    assert [field for field, _ in problems] == ["amount"]
    assert "send it as a string" in problems[0][1]


@pytest.mark.parametrize(
    "written", ["0.1", "60000000.00", "1e-2", "-0.0", "1.7976931348623157e308"]
)
def test_numbers_a_float_carries_exactly_pass(written: str) -> None:
    assert body_problems(b'{"amount": ' + written.encode() + b"}") == []


@pytest.mark.parametrize(
    "body", [b"[" * 100_000, b'{"a": NaN}', b'{"a": Infinity}', b'{"a": 1' + b"0" * 5000 + b"}"]
)
def test_what_is_not_json_this_edge_reads_is_refused(body: bytes) -> None:
    with pytest.raises(NotJson):
        body_problems(body)


def test_path_and_query_are_checked_as_decoded() -> None:
    assert url_problems("/objects/a\x00b", b"") == [("path", url_problems("\x00", b"")[0][1])]
    assert [f for f, _ in url_problems("/objects", b"goal_status=a%00b&x=1")] == ["goal_status"]
    assert url_problems("/objects", b"name=%E8%80%81") == []
