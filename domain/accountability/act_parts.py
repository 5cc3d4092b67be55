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
        "GoalReviewed", "Reviewed", "EntryJudged", "SpotCheckRecorded",
        "RectificationVerified", "RectificationRejected",
    ),
    "批准 approved": ("GoalApproved", "AdmittedToLibrary", "ResultApplied"),
    "录入 entered": ("EntrySubmitted", "EvaluationScored", "Scored"),
    "修改 revised": (
        "EntryCorrected", "GoalAdjusted", "ScoreRevised", "SelfEvaluationRevised",
        "RequirementRejudged", "ResultCorrected",
    ),
}  # fmt: skip
_PART_OF = {name: part for part, names in PARTS.items() for name in names}


def part_of(event: str) -> str:
    return _PART_OF.get(event.rsplit(".", 1)[-1], "其他 other")
