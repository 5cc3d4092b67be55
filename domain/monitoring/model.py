"""A monitoring task (绩效运行监控任务): one performance object, one period of the policy's
schedule, finance key monitoring (财政重点监控) or the department's own (部门自行监控).

The entry states budget executed to date and the full-year forecast, and per indicator the
actual to date, the forecast, the likelihood of meeting it, the deviation's cause and the
corrective measures, with its business date. Every entry and correction is judged at once
against the policy's deviation thresholds and the judgement is its own event. A wrong entry
is corrected by a new event that carries the old one. Follow-up acts (信财绩字〔2025〕3号
第二十九条(四)): correction ordered, budget reduced, payments suspended, funds recovered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.errors import InvalidInput, InvalidTransition, NotPermitted
from domain.ids import NAMESPACE
from domain.monitoring.deviation import Judgement
from domain.monitoring.entry import Entry, IndicatorProgress, validated_entry
from domain.policy import PolicyRef
from domain.roles import SPENDING_ROLES, Role
from domain.values import Act, yuan

MODES = {"self": "部门自行监控", "finance_key": "财政重点监控"}
# Who performs each follow-up act, and which judgements call for it.
FOLLOW_UPS: dict[str, tuple[str, Role, tuple[str, ...]]] = {
    "correction_ordered": ("责令纠偏", Role.BUSINESS_SECTION, ("warning", "serious")),
    "budget_reduced": ("调减预算", Role.BUDGET_SECTION, ("warning", "serious")),
    "payments_suspended": ("暂停拨付", Role.TREASURY_SECTION, ("serious",)),
    "funds_recovered": ("收回资金", Role.TREASURY_SECTION, ("warning", "serious")),
}

__all__ = ["Entry", "IndicatorProgress", "MonitoringTask", "monitoring_task_id"]


def monitoring_task_id(object_id: UUID, period_code: str) -> UUID:
    return uuid5(NAMESPACE, f"monitoring:{object_id}:{period_code}")


@dataclass(frozen=True)
class Period:
    code: str
    label: str
    as_of: date
    purpose: str


class MonitoringTask(Aggregate):
    TOPIC = "jixiao:MonitoringTask"  # the stored name: fixed, whatever module holds it

    class Created(Aggregate.Created):  # explicit topics ask it of every class; never recorded
        TOPIC = "jixiao:MonitoringTask.Created"

    @staticmethod
    def create_id(object_id: UUID, period_code: str) -> UUID:
        return monitoring_task_id(object_id, period_code)

    @event("Opened", topic="jixiao:MonitoringTask.Opened")
    def __init__(
        self,
        act: Act,
        object_id: UUID,
        mof_div_code: str,
        fiscal_year: int,
        department_id: UUID,
        unit_id: UUID | None,
        period_code: str,
        period_label: str,
        as_of: date,
        purpose: str,
        mode: str,
        budget: Decimal,
        policy: PolicyRef,
    ) -> None:
        self.object_id = object_id
        self.mof_div_code = mof_div_code
        self.fiscal_year = fiscal_year
        self.department_id = department_id
        self.unit_id = unit_id
        self.period_code = period_code
        self.period_label = period_label
        self.as_of = as_of
        self.purpose = purpose
        self.mode = mode
        self.budget = budget
        self.policy = policy
        self.entry: Entry | None = None
        self.entry_revision = 0
        self.judgement: Judgement | None = None
        self.suspended = False
        self.reduced = Decimal(0)
        self.recovered = Decimal(0)

    @classmethod
    def open(
        cls, act: Act, obj, period: Period, mode: str, budget: Decimal, policy: PolicyRef
    ) -> MonitoringTask:
        if act.actor.role not in (Role.BUSINESS_SECTION, Role.PERFORMANCE_SECTION):
            raise NotPermitted("monitoring tasks are issued by the business or performance section")
        if mode not in MODES:
            raise InvalidInput(f"mode is one of {list(MODES)}", "mode")
        if mode == "finance_key" and act.actor.role != Role.PERFORMANCE_SECTION:
            raise NotPermitted("finance key monitoring is organised by the performance section")
        if obj.goal_status != "approved":
            raise InvalidTransition(
                f"only an object with an approved goal is monitored (now {obj.goal_status})"
            )
        return cls(
            act=act,
            object_id=obj.id,
            mof_div_code=obj.mof_div_code,
            fiscal_year=obj.fiscal_year,
            department_id=obj.department_id,
            unit_id=obj.unit_id,
            period_code=period.code,
            period_label=period.label,
            as_of=period.as_of,
            purpose=period.purpose,
            mode=mode,
            budget=budget,
            policy=policy,
        )

    @property
    def budget_now(self) -> Decimal:
        return self.budget - self.reduced

    @property
    def unspent(self) -> Decimal:
        """What the treasury may still recover (收回): the budget as it stands, less what the
        last entry says is executed and what was recovered already."""
        executed = self.entry.budget_executed if self.entry else Decimal(0)
        return max(self.budget_now - executed - self.recovered, Decimal(0))

    # --- entries -----------------------------------------------------------------------------

    def _require_entrant(self, act: Act) -> None:
        actor = act.actor
        if self.mode == "finance_key":
            if actor.role != Role.PERFORMANCE_SECTION:
                raise NotPermitted("finance key monitoring is entered by the performance section")
            return
        if actor.role not in SPENDING_ROLES:
            raise NotPermitted("self-monitoring is entered by the spending department or unit")
        own = {str(self.department_id)} | ({str(self.unit_id)} if self.unit_id else set())
        if actor.organisation_id not in own:
            raise NotPermitted("you may act only for your own department or unit")

    def submit_entry(self, act: Act, entry: Entry, targets, judge) -> None:
        self._require_entrant(act)
        if self.entry is not None:
            raise InvalidTransition("an entry exists: correct it (更正) instead", "entry")
        entry = validated_entry(act, entry, targets, self.as_of.year)
        self._entry_submitted(act=act, object_id=self.object_id, entry=entry)
        self._judged(act, judge(self.budget_now, entry))

    def correct_entry(self, act: Act, entry: Entry, targets, judge) -> None:
        self._require_entrant(act)
        if self.entry is None:
            raise InvalidTransition("there is no entry to correct yet", "entry")
        act.requiring_reason("correcting a monitoring entry")
        entry = validated_entry(act, entry, targets, self.as_of.year)
        if entry == self.entry:
            raise InvalidInput("the correction changes nothing", "entry")
        self._entry_corrected(act=act, object_id=self.object_id, previous=self.entry, entry=entry)
        self._judged(act, judge(self.budget_now, entry))

    @event("EntrySubmitted", topic="jixiao:MonitoringTask.EntrySubmitted")
    def _entry_submitted(self, act: Act, object_id: UUID, entry: Entry) -> None:
        self.entry = entry
        self.entry_revision = 1

    @event("EntryCorrected", topic="jixiao:MonitoringTask.EntryCorrected")
    def _entry_corrected(self, act: Act, object_id: UUID, previous: Entry, entry: Entry) -> None:
        self.entry = entry
        self.entry_revision += 1

    def _judged(self, act: Act, judgement: Judgement) -> None:
        self._entry_judged(
            act=act,
            object_id=self.object_id,
            period_code=self.period_code,
            entry_revision=self.entry_revision,
            judgement=judgement,
        )

    @event("EntryJudged", topic="jixiao:MonitoringTask.EntryJudged")
    def _entry_judged(
        self, act: Act, object_id: UUID, period_code: str, entry_revision: int, judgement: Judgement
    ) -> None:
        self.judgement = judgement

    # --- follow-up acts ------------------------------------------------------------------------

    def follow_up(self, act: Act, kind: str, amount: Decimal | None) -> None:
        if kind not in FOLLOW_UPS:
            raise InvalidInput(f"kind is one of {list(FOLLOW_UPS)}", "kind")
        label, role, calls_for = FOLLOW_UPS[kind]
        if act.actor.role != role:
            raise NotPermitted(f"{label} ({kind}) is done by the {role.value} role")
        if self.judgement is None:
            raise InvalidTransition(f"{label}: no entry has been judged yet")
        if self.judgement.status not in calls_for:
            raise InvalidTransition(
                f"{label} follows a judgement of {' or '.join(calls_for)} "
                f"(this entry is judged {self.judgement.status})"
            )
        act.requiring_reason(label)
        judged = self.judgement.status
        if kind == "payments_suspended":
            if self.suspended:
                raise InvalidTransition("payments are already suspended")
            if amount is not None:
                raise InvalidInput("a suspension carries no amount", "amount")
            self._payments_suspended(act=act, object_id=self.object_id, judged=judged)
            return
        if kind == "correction_ordered":
            if amount is not None:
                raise InvalidInput("an order to correct carries no amount", "amount")
            self._correction_ordered(act=act, object_id=self.object_id, judged=judged)
            return
        if amount is None:
            raise InvalidInput(f"{label} states its amount", "amount")
        amount = yuan(amount)
        if amount == 0:
            raise InvalidInput("the amount is more than zero", "amount")
        if kind == "budget_reduced":
            if amount > self.budget_now:
                raise InvalidInput(
                    f"the budget is {self.budget_now}; it cannot go below zero", "amount"
                )
            self._budget_reduced(
                act=act,
                object_id=self.object_id,
                judged=judged,
                amount=amount,
                budget_before=self.budget_now,
            )
        else:
            if amount > self.unspent:
                raise InvalidInput(
                    f"only unspent funds are recovered: {self.unspent} of the budget "
                    f"{self.budget_now} is neither executed ({self.entry.budget_executed}) nor "
                    f"recovered already ({self.recovered})",
                    "amount",
                )
            self._funds_recovered(act=act, object_id=self.object_id, judged=judged, amount=amount)

    @event("CorrectionOrdered", topic="jixiao:MonitoringTask.CorrectionOrdered")
    def _correction_ordered(self, act: Act, object_id: UUID, judged: str) -> None:
        pass

    @event("BudgetReduced", topic="jixiao:MonitoringTask.BudgetReduced")
    def _budget_reduced(
        self, act: Act, object_id: UUID, judged: str, amount: Decimal, budget_before: Decimal
    ) -> None:
        self.reduced += amount

    @event("PaymentsSuspended", topic="jixiao:MonitoringTask.PaymentsSuspended")
    def _payments_suspended(self, act: Act, object_id: UUID, judged: str) -> None:
        self.suspended = True

    @event("FundsRecovered", topic="jixiao:MonitoringTask.FundsRecovered")
    def _funds_recovered(self, act: Act, object_id: UUID, judged: str, amount: Decimal) -> None:
        self.recovered += amount
