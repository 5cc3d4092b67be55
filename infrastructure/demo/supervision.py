"""The demo's supervision and disclosure: what went to the NPC with the budget draft and how
its deputies rated the departments, the goals and results published, and the finance
bureau's annual 考核 of each department's performance-management work."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from domain.evaluation.model import EVALUATION_KINDS
from infrastructure.demo.context import Demo


def supervise(demo: Demo, plan: dict[str, Any]) -> None:
    if npc := plan.get("npc"):
        _npc(demo, npc)
    for row in plan.get("publications", []):
        _publish(demo, row)
    for row in plan.get("work_scores", []):
        demo.first(
            "work scores",
            lambda row=row: demo.ledger.supervision.score_work(
                demo.act(row["by"], row["date"]),
                mof_div_code=demo.mof_div_code,
                fiscal_year=demo.fiscal_year,
                department_id=demo.org[row["department"]],
                score=Decimal(row["score"]),
                comments=row.get("comments"),
            ),
        )


def _npc(demo: Demo, npc: dict[str, Any]) -> None:
    submitted = demo.first(
        "NPC submissions",
        lambda: demo.ledger.supervision.submit_to_npc(
            demo.act(npc["by"], npc["date"]),
            mof_div_code=demo.mof_div_code,
            fiscal_year=demo.fiscal_year,
            department_ids=[demo.org[code] for code in npc["departments"]],
            key_project_ids=[demo.object_id(p) for p in npc["key_projects"]],
            budget_draft_ref=npc["budget_draft_ref"],
        ),
    )
    if submitted is None:
        return
    for rating in npc["ratings"]:
        demo.did(
            "NPC ratings",
            demo.ledger.supervision.rate_department(
                demo.act(rating["by"], rating["date"]),
                submitted.aggregate_id,
                demo.org[rating["department"]],
                rating["rating"],
                rating.get("comments"),
            ),
        )


def _publish(demo: Demo, row: dict[str, Any]) -> None:
    """Publish the record the row names: the object's own (its approved goal) or one of its
    evaluations' (its result), cited by log position."""
    pro_code, of = row["pro_code"], row["of"]
    origin = (
        demo.evaluation_id(pro_code, of) if of in EVALUATION_KINDS else demo.object_id(pro_code)
    )
    position, version = demo.record_of(origin, row["event"])
    demo.first(
        "publications",
        lambda: demo.ledger.supervision.publish(
            demo.act(row["by"], row["date"]),
            object_id=demo.object_id(pro_code),
            subject=row["subject"],
            position=position,
            originator_id=origin,
            version=version,
            channel=row["channel"],
            url=row.get("url"),
        ),
    )
