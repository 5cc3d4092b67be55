"""The total a page of a ledger, a search or the findings carries: counted up to a cap.

An exact count of every match reads every match, so its cost grows with the log (at 1M
events a person's ledger total cost 7-10x its cost at 100k; bench/results). Past the cap the
answer is "at least the cap", the way search engines give "1,000+ results": the page itself
is keyset-paged and unaffected, and a reader who needs every match pages to the end."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from projections.view import Cursor

DEFAULT_CAP = 1000  # a jixiao default (JIXIAO_TOTAL_CAP), not a policy rule


@dataclass(frozen=True)
class Total:
    count: int  # the matches, or the cap when there are more
    exact: bool  # False: there are more than `count`


def capped_count(cur: Cursor, source_where: str, params: list[Any], cap: int) -> Total:
    """COUNT of `SELECT 1 FROM {source_where}` reading at most cap + 1 of its rows."""
    row = cur.execute(
        f"SELECT COUNT(*) AS n FROM (SELECT 1 FROM {source_where} LIMIT ?) AS capped",
        (*params, cap + 1),
    ).fetchone()
    n = int(row["n"]) if row else 0
    return Total(min(n, cap), n <= cap)
