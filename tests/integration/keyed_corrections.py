"""Corrections sent with an Idempotency-Key each, for the crash and outage tests: every key
carries an amount of its own (so no correction repeats the figures before it) and names
itself in the reason, so the log can be searched for each key's correction."""

from __future__ import annotations

from collections.abc import Mapping
from uuid import UUID

from bench.load import entry
from infrastructure.bootstrap import bootstrap
from infrastructure.settings import Settings


def keyed_correction(task: str, key: str) -> tuple[str, dict]:
    amount = f"{30_000_000 + int(key, 16) % 10_000_000}.00"
    return f"{task}/entry/correct", entry(amount, reason=f"补录 {key}")


def assert_each_key_once(settings: Settings, tasks: list[str], paths: Mapping[str, str]) -> None:
    """Each key's correction (key → path sent) is in the log exactly once, no other
    correction is, and the log verifies."""
    services = bootstrap(settings)
    try:
        for task in tasks:
            stored = services.ledger.recorder.select_events(UUID(task.rsplit("/", 1)[1]))
            reasons = [e.state.decode() for e in stored if e.topic.endswith(".EntryCorrected")]
            mine = [key for key, path in paths.items() if path.startswith(task)]
            for key in mine:
                assert sum(key in reason for reason in reasons) == 1, key
            assert len(reasons) == len(mine)
        assert services.integrity.verify().ok
    finally:
        services.close()
