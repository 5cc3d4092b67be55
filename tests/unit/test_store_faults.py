"""Which failures are the store's (retry the whole round) and which the view's (name it)."""

from __future__ import annotations

import sqlite3

import psycopg
import psycopg.errors

from infrastructure.store.unavailable import StoreUnavailable
from infrastructure.views.follower import is_store_fault


def test_an_outage_is_the_stores_and_a_limit_or_a_bug_the_views() -> None:
    for fault in (
        StoreUnavailable("down"),
        psycopg.OperationalError("connection lost"),
        psycopg.errors.QueryCanceled("statement timeout"),
        sqlite3.OperationalError("database is locked"),
    ):
        assert is_store_fault(fault), fault
    for failure in (
        psycopg.errors.ProgramLimitExceeded("index row size exceeds maximum"),
        psycopg.errors.DataError("text fields cannot contain NUL"),
        sqlite3.OperationalError("no such column: x"),
        ValueError("a handler's own bug"),
    ):
        assert not is_store_fault(failure), failure
