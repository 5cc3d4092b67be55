"""The rest of a demo jurisdiction's year after its goals, in the order it happens: monitoring
during the year; after it, evaluations and spot checks, results applied, rectification and
accountability; beside them, supervision by the NPC, publication and the annual 考核.

Every stage is idempotent: each scripted act sequence starts with an act whose record has a
deterministic id, and is skipped when that record already exists (a second load records
nothing).
"""

from __future__ import annotations

from typing import Any

from infrastructure.demo.context import Demo
from infrastructure.demo.evaluation import apply_results, evaluate
from infrastructure.demo.followup import hold_to_account, rectify
from infrastructure.demo.monitoring import monitor
from infrastructure.demo.supervision import supervise


def play_year(demo: Demo, year: dict[str, Any]) -> None:
    monitor(demo, year.get("monitoring", []))
    evaluate(demo, year.get("evaluations", {}))
    apply_results(demo, year.get("results", []))
    rectify(demo, year.get("rectifications", []))
    hold_to_account(demo, year.get("accountability", []))
    supervise(demo, year.get("supervision", {}))
