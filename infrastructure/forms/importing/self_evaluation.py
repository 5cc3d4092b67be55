"""A self-evaluation form imported: submitted when there is none, a revision (with a reason;
the file is its document) when what the department entered differs, "unchanged" when it
is what the record holds. Scores are computed, never read from the file, save the score a
定性 row states under the national band rule.

"Unchanged" compares what the department entered (per row: actual, grade, stated score,
deviation cause; the budget and executed amounts), never the derived scoring: a table
scored before a rule changed (or before rows carried `rule`/`met`) would otherwise read as
changed when the same form comes back."""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

from domain.errors import InvalidInput, NotFound
from domain.evaluation.model import SelfEvaluation, evaluation_id
from domain.evaluation.scoring import IndicatorActual, score_self_evaluation
from domain.evaluation.scoring_rules import ScoringRules
from domain.ledger import Ledger
from domain.objects.model import GoalStatus, PerformanceObject
from domain.values import Act
from infrastructure.forms.content.self_evaluation import read_self_evaluation
from infrastructure.forms.importing.plan import UNCHANGED, Plan
from infrastructure.forms.importing.reading import read_upload
from infrastructure.forms.sheet.reader import ReadRow
from infrastructure.forms.sheet.values import Problem
from infrastructure.forms.templates.registry import TemplateRegistry


def plan_self_evaluation(
    ledger: Ledger,
    registry: TemplateRegistry,
    act: Act,
    object_id: UUID,
    data: bytes,
    expected_version: int | None,
) -> Plan:
    obj = ledger.load(PerformanceObject, object_id)
    eval_id = evaluation_id(object_id, "self")
    try:
        held = ledger.load(SelfEvaluation, eval_id, expected_version)
    except NotFound:
        held = None
    policy = ledger.results.policy_of(obj)
    form, plan = read_upload(registry, "self_evaluation", obj.mof_div_code, obj.fiscal_year, data)
    if form is None:
        return plan
    found = read_self_evaluation(obj, ScoringRules.of(policy), form)
    plan.problems.extend(form.problems)
    if plan.problems:
        return plan
    try:  # scored only to refuse, by cell, what the command would refuse
        score_self_evaluation(
            policy,
            obj.indicators,
            found.actuals,
            budget_amount=found.budget_amount,
            executed_amount=found.executed_amount,
        )
    except InvalidInput as e:
        plan.problems.append(_located(plan, form.rows, e.detail))
        return plan
    money = form.money[("total", "executed")]
    plan.row(
        money.row, {"budget_amount": found.budget_amount, "executed_amount": found.executed_amount}
    )
    rows = {r.value("name"): r.row for r in form.rows}
    for actual in found.actuals:
        plan.row(rows.get(actual.name), actual)
    args = (found.actuals, found.executed_amount, found.budget_amount)
    if held is None and obj.goal_status != GoalStatus.APPROVED:
        plan.refuse(f"only an object with an approved goal is evaluated (now {obj.goal_status})")
    elif held is None:
        plan.action = "submit_self_evaluation"
        plan.command = lambda: ledger.evaluation.submit_self_evaluation(act, object_id, *args)
    elif _entered(found.actuals, found.budget_amount, found.executed_amount) == _held(held):
        plan.action = UNCHANGED
    elif plan.reason_given(act, "the self-evaluation was submitted: a changed form revises it"):
        plan.action = "revise_self_evaluation"
        plan.command = lambda: ledger.evaluation.revise_self_evaluation(
            act, eval_id, *args, expected_version=expected_version
        )
    return plan


def _entered(actuals: list[IndicatorActual], budget: Decimal, executed: Decimal) -> tuple:
    rows = sorted((a.key, a.actual, a.grade, a.score, a.deviation_cause or None) for a in actuals)
    return (budget, executed, rows)


def _held(held: SelfEvaluation) -> tuple:
    """What the department entered for the self-evaluation on record: a row's score is its
    own only when it was stated (a 定性 row under the band rule); rows scored before rules
    were named (rule None) were all scored by fixed percentages."""
    s = held.scoring
    rows = sorted(
        (
            (r.level1, r.level2, r.name),
            r.actual,
            r.grade,
            r.score if r.rule == "qualitative:bands" else None,
            r.deviation_cause or None,
        )
        for r in s.rows
    )
    return (s.budget_amount, s.executed_amount, rows)


def _located(plan: Plan, rows: list[ReadRow], detail: str) -> Problem:
    """A refusal naming an indicator points at its row: at 得分 when it is about a stated
    score (outside its grade's band, say), else at 实际完成值."""
    row = next((r for r in rows if repr(r.value("name")) in detail), None)
    if row is None:
        return Problem(plan.sheet, None, None, detail)
    cell = row.cells["score" if "score" in detail else "actual"]
    return cell.problem(detail)
