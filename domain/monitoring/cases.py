"""Use cases of dual monitoring (双监控): tasks from the policy's schedule, entries judged
against the policy's deviation thresholds and lit by its lights, corrections, and the finance
bureau's follow-up."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from uuid import UUID

from domain.errors import AlreadyExists, InvalidInput, NotFound
from domain.ledger_core import LedgerCore, Outcome
from domain.monitoring.deviation import judge_entry
from domain.monitoring.entry import Entry
from domain.monitoring.lights import entry_lights
from domain.monitoring.model import MonitoringTask, Period, monitoring_task_id
from domain.multi_save import save_together
from domain.objects.model import PerformanceObject
from domain.policy import Policy
from domain.values import Act


def schedule(policy: Policy, fiscal_year: int) -> list[Period]:
    """The policy's monitoring periods for a fiscal year, in order."""
    return [
        Period(
            p["code"], p["label"], date.fromisoformat(f"{fiscal_year}-{p['as_of']}"), p["purpose"]
        )
        for p in policy.section("monitoring")["periods"]
    ]


class MonitoringCases:
    def __init__(self, store: LedgerCore) -> None:
        self.store = store

    def monitoring_schedule(
        self, mof_div_code: str, fiscal_year: int
    ) -> tuple[Policy, list[Period]]:
        policy = self.store.policies.for_jurisdiction(mof_div_code, fiscal_year)
        return policy, schedule(policy, fiscal_year)

    def _new_task(
        self, act: Act, obj: PerformanceObject, period_code: str, mode: str
    ) -> MonitoringTask:
        policy, periods = self.monitoring_schedule(obj.mof_div_code, obj.fiscal_year)
        period = next((p for p in periods if p.code == period_code), None)
        if period is None:
            raise InvalidInput(
                f"period_code is one of {[p.code for p in periods]} under "
                f"{policy.policy_id} v{policy.version} ({policy.document})",
                "period_code",
            )
        # The budget being monitored: as approved, less reductions made in earlier periods.
        reduced = Decimal(0)
        for other in periods:
            try:
                reduced += self.store.load(
                    MonitoringTask, monitoring_task_id(obj.id, other.code)
                ).reduced
            except NotFound:
                continue
        budget = (obj.approved_amount or Decimal(0)) - reduced
        return MonitoringTask.open(act, obj, period, mode, budget, policy.ref)

    def open_monitoring_task(
        self, act: Act, object_id: UUID, period_code: str, mode: str = "self"
    ) -> Outcome:
        obj = self.store.load(PerformanceObject, object_id)
        return self.store._save(self._new_task(act, obj, period_code, mode), conflict=AlreadyExists)

    def open_monitoring_round(
        self,
        act: Act,
        mof_div_code: str,
        fiscal_year: int,
        period_code: str,
        object_ids: list[UUID],
        mode: str = "self",
    ) -> Outcome:
        """Issue one period's tasks for several objects in one write (all or none)."""
        if not object_ids or len(set(object_ids)) != len(object_ids):
            raise InvalidInput("object_ids lists each object once", "object_ids")
        tasks = []
        for object_id in object_ids:
            obj = self.store.load(PerformanceObject, object_id)
            if (obj.mof_div_code, obj.fiscal_year) != (mof_div_code, fiscal_year):
                raise InvalidInput(
                    f"object {object_id} is not of {mof_div_code} {fiscal_year}", "object_ids"
                )
            tasks.append(self._new_task(act, obj, period_code, mode))
        return save_together(self.store, tasks[0], *tasks[1:], conflict=AlreadyExists)

    def _judge(self, obj: PerformanceObject, task: MonitoringTask):
        policy = self.store.policies.for_jurisdiction(obj.mof_div_code, obj.fiscal_year)

        def judge(budget: Decimal, entry: Entry):
            judgement = judge_entry(
                policy,
                as_of=task.as_of,
                budget=budget,
                executed=entry.budget_executed,
                targets=obj.indicators,
                forecasts=entry.forecasts(),
            )
            lights = entry_lights(
                policy,
                as_of=task.as_of,
                budget=budget,
                executed=entry.budget_executed,
                targets=obj.indicators,
                entry=entry,
            )
            return replace(judgement, lights=lights)

        return judge

    def submit_monitoring_entry(
        self, act: Act, task_id: UUID, entry: Entry, expected_version: int | None = None
    ) -> Outcome:
        task = self.store.load(MonitoringTask, task_id, expected_version)
        obj = self.store.load(PerformanceObject, task.object_id)
        task.submit_entry(act, entry, obj.indicators, self._judge(obj, task))
        return self.store._save(task)

    def correct_monitoring_entry(
        self, act: Act, task_id: UUID, entry: Entry, expected_version: int | None = None
    ) -> Outcome:
        task = self.store.load(MonitoringTask, task_id, expected_version)
        obj = self.store.load(PerformanceObject, task.object_id)
        task.correct_entry(act, entry, obj.indicators, self._judge(obj, task))
        return self.store._save(task)

    def follow_up_monitoring(
        self,
        act: Act,
        task_id: UUID,
        kind: str,
        amount: Decimal | None = None,
        expected_version: int | None = None,
    ) -> Outcome:
        task = self.store.load(MonitoringTask, task_id, expected_version)
        task.follow_up(act, kind, amount)
        return self.store._save(task)


__all__ = ["MonitoringCases", "schedule"]
