"""What an import would do: the layout it read, every row it would record, every problem
by sheet, row, column and cell, and the one command to run (or "unchanged")."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from domain.ledger import Outcome
from domain.values import Act
from infrastructure.forms.sheet.values import Problem
from infrastructure.forms.templates.layout import Template
from projections.plain import plain

UNCHANGED = "unchanged"
# What each action records, as the API names the command.
ACTIONS = {
    "submit_goal": "申报绩效目标 (POST /objects/{id}/goal/submit)",
    "apply_goal_adjustment": "申请调整绩效目标 (POST /objects/{id}/goal/adjustment)",
    "submit_monitoring_entry": "填报监控 (POST /monitoring/tasks/{id}/entry)",
    "correct_monitoring_entry": "更正监控 (POST /monitoring/tasks/{id}/entry/correct)",
    "submit_self_evaluation": "提交自评 (POST /objects/{id}/evaluations/self)",
    "revise_self_evaluation": "修改自评 (POST /evaluations/{id}/self-revision)",
    UNCHANGED: "nothing to record: the form says what the ledger holds",
    "refused": "nothing is recorded: see the problems",
}


@dataclass
class Plan:
    form: str
    template: Template | None
    sheet: str
    action: str = "refused"
    rows: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    command: Callable[[], Outcome] | None = None

    def row(self, row: int | None, record: Any) -> None:
        self.rows.append({"sheet": self.sheet, "row": row, "record": plain(record)})

    def refuse(self, message: str) -> None:
        self.problems.append(Problem(self.sheet, None, None, message))

    def reason_given(self, act: Act, changes: str) -> bool:
        """Whether a form that changes an earlier record states its reason (?reason=);
        without one the plan is refused, saying what the change is (`changes`)."""
        if act.reason and act.reason.strip():
            return True
        self.refuse(f"{changes}, which states its reason (?reason=)")
        return False

    @property
    def valid(self) -> bool:
        return not self.problems

    def report(self, *, dry_run: bool) -> dict[str, Any]:
        action = self.action if self.valid else "refused"
        return {
            "form": self.form,
            "template": None if self.template is None else self.template.summary(),
            "sheet": self.sheet,
            "dry_run": dry_run,
            "valid": self.valid,
            "action": action,
            "action_means": ACTIONS[action],
            "recorded": False,
            "rows": self.rows,
            "problems": [p.plain() for p in self.problems],
        }


class FormInvalid(Exception):
    """The file has problems: nothing was recorded."""

    def __init__(self, plan: Plan) -> None:
        super().__init__(f"{len(plan.problems)} problems in the form")
        self.plan = plan


class Unchanged(Exception):
    """The form says what the ledger holds: nothing to record."""

    def __init__(self, plan: Plan) -> None:
        super().__init__("unchanged")
        self.plan = plan


def record(plan: Plan) -> Outcome:
    """Run the plan's command if the whole file is valid and changes something."""
    if not plan.valid:
        raise FormInvalid(plan)
    if plan.action == UNCHANGED or plan.command is None:
        raise Unchanged(plan)
    return plan.command()
