"""The rest of a demo jurisdiction's year after its goals, in the order it happens: monitoring
during the year; after it, evaluations and spot checks, results applied, rectification and
accountability; beside them, supervision by the NPC, publication and the annual 考核.

Every stage is idempotent: each scripted act sequence starts with an act whose record has a
deterministic id, and is skipped when that record already exists (a second load records
nothing).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from infrastructure.demo.context import Demo
from infrastructure.demo.evaluation import apply_results, evaluate
from infrastructure.demo.followup import hold_to_account, rectify
from infrastructure.demo.monitoring import monitor
from infrastructure.demo.supervision import supervise

YEAR_STAGES: tuple[tuple[Callable[[Demo, Any], None], str, type], ...] = (
    (monitor, "monitoring", list),
    (evaluate, "evaluations", dict),
    (apply_results, "results", list),
    (rectify, "rectifications", list),
    (hold_to_account, "accountability", list),
    (supervise, "supervision", dict),
)


def play_year(
    demo: Demo, year: dict[str, Any], progress: Callable[[int], None] = lambda n: None
) -> None:
    for stage, key, empty in YEAR_STAGES:
        stage(demo, year.get(key, empty()))
        progress(1)
