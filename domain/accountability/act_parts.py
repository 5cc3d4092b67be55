"""The part a person played in an act (填报 prepared, 审核 reviewed, 批准 approved, 录入
entered, 修改 revised), read from the act's event type: how evidence packages and findings
name the chain of persons behind a record."""

from __future__ import annotations

PARTS = {
    "填报 prepared": (
        "GoalSubmitted", "GoalResubmitted", "Submitted", "SelfEvaluationSubmitted",
        "RectificationReported", "Registered",
    ),
    "审核 reviewed": (
        "GoalReviewed", "GoalAdjustmentReviewed", "Reviewed", "EntryJudged", "SpotCheckRecorded",
        "RectificationVerified", "RectificationRejected",
    ),
    "批准 approved": ("GoalApproved", "AdmittedToLibrary", "ResultApplied"),
    "录入 entered": ("EntrySubmitted", "EvaluationScored", "Scored"),
    "修改 revised": (
        "EntryCorrected", "GoalAdjusted", "ScoreRevised", "SelfEvaluationRevised",
        "RequirementRejudged", "ResultCorrected", "GoalAdjustmentApplied",
    ),
}  # fmt: skip
_PART_OF = {name: part for part, names in PARTS.items() for name in names}


# An event whose part depends on who recorded it: a goal adjustment was the department's
# own act until 2026-12 (version 1); by procedure it is the budget section's approval.
_BY_ROLE = {("GoalAdjusted", "budget_section"): "批准 approved"}


def part_of(event: str, role: str | None = None) -> str:
    name = event.rsplit(".", 1)[-1]
    return _BY_ROLE.get((name, role or ""), _PART_OF.get(name, "其他 other"))
