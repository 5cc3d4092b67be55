"""Use cases of evaluation (绩效评价); result application is in result_application_cases.

Self-evaluation → (business-section feedback, revisions) → spot check by the finance bureau;
department and finance key evaluations beside them; then a result is proposed from the
policy and applied by a person. A spot check whose gap meets the policy's recheck_gap rule
blocks the project's later funding in the same write, and the block stops the goal approval
(批复) of any later year's object with that pro_code until a verified rectification lifts it.
"""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

from domain.business_dates import today_in_china
from domain.errors import AlreadyExists, InvalidInput, InvalidTransition, NotFound
from domain.evaluation.key_evaluation import KeyEvaluation
from domain.evaluation.model import SelfEvaluation, evaluation_id, self_evaluation_due
from domain.evaluation.scoring import IndicatorActual, grade_for, score_self_evaluation
from domain.evaluation.spot_check import SpotCheck
from domain.ledger_core import LedgerCore, Outcome
from domain.objects.model import GoalStatus, PerformanceObject
from domain.policy import Policy
from domain.registry.model import Organisation
from domain.results.cases import ResultApplicationCases, save_together
from domain.results.funding_block import FundingBlock, funding_block_id
from domain.values import Act, yuan


class EvaluationCases:
    def __init__(self, store: LedgerCore, results: ResultApplicationCases) -> None:
        self.store = store
        self.results = results

    # --- helpers -------------------------------------------------------------------------

    def _evaluated_object(self, object_id: UUID) -> PerformanceObject:
        obj = self.store.load(PerformanceObject, object_id)
        if obj.goal_status != GoalStatus.APPROVED:
            raise InvalidTransition(
                f"only an object with an approved goal is evaluated (now {obj.goal_status.value})"
            )
        return obj

    # --- self-evaluation -----------------------------------------------------------------

    def _self_score(self, obj, actuals, executed_amount, budget_amount):
        budget = obj.approved_amount if budget_amount is None else budget_amount
        return score_self_evaluation(
            self.results.policy_of(obj),
            obj.indicators,
            list(actuals),
            budget_amount=yuan(budget, field_name="budget_amount"),
            executed_amount=yuan(executed_amount, field_name="executed_amount"),
        )

    def submit_self_evaluation(
        self,
        act: Act,
        object_id: UUID,
        actuals: list[IndicatorActual],
        executed_amount: Decimal,
        budget_amount: Decimal | None = None,
    ) -> Outcome:
        obj = self._evaluated_object(object_id)
        policy = self.results.policy_of(obj)
        evaluation = SelfEvaluation.submit(
            act,
            object_id=obj.id,
            mof_div_code=obj.mof_div_code,
            fiscal_year=obj.fiscal_year,
            pro_code=obj.pro_code,
            department_id=obj.department_id,
            unit_id=obj.unit_id,
            scoring=self._self_score(obj, actuals, executed_amount, budget_amount),
            policy=policy.ref,
            due=self_evaluation_due(policy, obj.fiscal_year),
            submitted_on=today_in_china(),
        )
        if self.results.exists(evaluation.id):
            raise AlreadyExists("the self-evaluation was submitted: revise it instead")
        return self.store._save(evaluation, conflict=AlreadyExists)

    def revise_self_evaluation(
        self,
        act: Act,
        eval_id: UUID,
        actuals: list[IndicatorActual],
        executed_amount: Decimal,
        budget_amount: Decimal | None = None,
        expected_version: int | None = None,
    ) -> Outcome:
        evaluation = self.store.load(SelfEvaluation, eval_id, expected_version)
        if self.results.exists(evaluation_id(evaluation.object_id, "spot_check")):
            raise InvalidTransition(
                "the finance bureau has rechecked this self-evaluation: its score stands"
            )
        obj = self.store.load(PerformanceObject, evaluation.object_id)
        policy = self.results.policy_of(obj)
        scoring = self._self_score(obj, actuals, executed_amount, budget_amount)
        evaluation.revise(act, scoring, policy.ref)
        return self.store._save(evaluation)

    # --- department and finance key evaluations ------------------------------------------

    def open_evaluation(
        self, act: Act, object_id: UUID, kind: str, weights: dict[str, Decimal]
    ) -> Outcome:
        obj = self._evaluated_object(object_id)
        evaluation = KeyEvaluation.open(
            act,
            object_id=obj.id,
            kind=kind,
            mof_div_code=obj.mof_div_code,
            fiscal_year=obj.fiscal_year,
            pro_code=obj.pro_code,
            department_id=obj.department_id,
            weights=weights,
        )
        if self.results.exists(evaluation.id):
            raise AlreadyExists(f"this object already has a {kind} evaluation", "kind")
        return self.store._save(evaluation, conflict=AlreadyExists)

    def assign_third_party(
        self,
        act: Act,
        eval_id: UUID,
        organisation_id: UUID,
        expected_version: int | None = None,
    ) -> Outcome:
        evaluation = self.store.load(KeyEvaluation, eval_id, expected_version)
        organisation = self.store.load(Organisation, organisation_id)
        evaluation.assign_third_party(act, organisation)
        return self.store._save(evaluation)

    def submit_evaluation_scores(
        self,
        act: Act,
        eval_id: UUID,
        scores: dict[str, Decimal],
        expected_version: int | None = None,
    ) -> Outcome:
        evaluation = self.store.load(KeyEvaluation, eval_id, expected_version)
        policy = self.results.policy_of(evaluation)
        evaluation.submit_scores(act, scores, policy.ref, lambda s: grade_for(policy, s))
        return self.store._save(evaluation)

    def revise_evaluation_score(
        self,
        act: Act,
        eval_id: UUID,
        *,
        scores: dict[str, Decimal] | None = None,
        score: Decimal | None = None,
        expected_version: int | None = None,
    ) -> Outcome:
        """A key evaluation's level scores, or a spot check's score, revised (ScoreRevised)."""
        evaluation = self.results.load_evaluation(eval_id, expected_version)
        policy = self.results.policy_of(evaluation)
        if isinstance(evaluation, KeyEvaluation):
            if scores is None:
                raise InvalidInput(
                    "a department or finance evaluation revises its scores", "scores"
                )
            evaluation.revise_score(act, scores, policy.ref, lambda s: grade_for(policy, s))
            return self.store._save(evaluation)
        if isinstance(evaluation, SpotCheck):
            if score is None:
                raise InvalidInput("a spot check revises its score", "score")
            checked = self.store.load(SelfEvaluation, evaluation.self_evaluation_id)
            was_met = evaluation.gap_rule_met
            evaluation.revise_score(act, checked, score, policy)
            block = None if was_met else self._block_for_gap(act, evaluation, policy)
            return save_together(self.store, evaluation, *([block] if block else []))
        raise InvalidTransition("a self-evaluation is revised by re-entering its actuals")

    # --- spot check -----------------------------------------------------------------------

    def recheck_self_evaluation(
        self,
        act: Act,
        eval_id: UUID,
        score: Decimal,
        comments: str,
        expected_version: int | None = None,
    ) -> Outcome:
        evaluation = self.store.load(SelfEvaluation, eval_id, expected_version)
        policy = self.results.policy_of(evaluation)
        recheck = SpotCheck.record(act, evaluation, score, comments, policy)
        if self.results.exists(recheck.id):
            raise AlreadyExists("already rechecked: revise the recheck score instead")
        block = self._block_for_gap(act, recheck, policy)
        return save_together(self.store, recheck, *([block] if block else []))

    def _block_for_gap(self, act: Act, recheck: SpotCheck, policy: Policy) -> FundingBlock | None:
        """The block a met recheck_gap rule records, or None (no gap, or already blocked)."""
        if not recheck.gap_rule_met:
            return None
        rule = policy.section("recheck_gap")
        facts = dict(
            object_id=recheck.object_id,
            department_id=recheck.department_id,
            evaluated_year=recheck.fiscal_year,
            spot_check_id=recheck.id,
            gap=recheck.gap,
            measure=rule["measure"],
            recover_unspent=bool(rule.get("recover_unspent", False)),
            reason=(
                f"抽查复核得分{recheck.score}与自评得分{recheck.self_score}相差"
                f"{abs(recheck.gap)}分（{rule['points'].get('wording', '')}）"
            ),
            policy=policy.ref,
        )
        try:
            block = self.store.load(
                FundingBlock, funding_block_id(recheck.mof_div_code, recheck.pro_code)
            )
        except NotFound:
            return FundingBlock(
                act=act, mof_div_code=recheck.mof_div_code, pro_code=recheck.pro_code, **facts
            )
        if block.active:
            return None
        block.reimpose(act, **facts)
        return block

    def funding_block_gate(self, obj) -> list[str]:
        """An approval gate: the project's funding blocked until rectified."""
        try:
            block = self.store.load(FundingBlock, funding_block_id(obj.mof_div_code, obj.pro_code))
        except NotFound:
            return []
        if not block.blocks(obj.fiscal_year):
            return []
        p = block.policy
        return [
            f"项目{obj.pro_code}整改到位前不予安排 (funding blocked until rectified: "
            f"{block.reason}; policy {p.policy_id} v{p.version} {p.document})"
        ]
