"""A project's later funding blocked until rectified (整改到位前不予安排).

Recorded automatically, in the same write as the spot check whose gap met the policy's
recheck_gap rule; one per project (mof_div_code + pro_code), so a second block while one
is in force is not a duplicate and a lifted block can be imposed again. While in force, the
goal of any later fiscal year's object with that pro_code cannot be approved. Only a
verified rectification lifts it.
"""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.errors import InvalidTransition
from domain.ids import NAMESPACE
from domain.policy import PolicyRef
from domain.values import Act


def funding_block_id(mof_div_code: str, pro_code: str) -> UUID:
    return uuid5(NAMESPACE, f"funding-block:{mof_div_code}:{pro_code}")


class FundingBlock(Aggregate):
    TOPIC = "jixiao:FundingBlock"  # the stored name: fixed, whatever module holds it

    class Created(Aggregate.Created):  # explicit topics ask it of every class; never recorded
        TOPIC = "jixiao:FundingBlock.Created"

    @staticmethod
    def create_id(mof_div_code: str, pro_code: str) -> UUID:
        return funding_block_id(mof_div_code, pro_code)

    @event("FundingBlocked", topic="jixiao:FundingBlock.FundingBlocked")
    def __init__(
        self,
        act: Act,
        object_id: UUID,
        mof_div_code: str,
        pro_code: str,
        department_id: UUID,
        evaluated_year: int,
        spot_check_id: UUID,
        gap: Decimal,
        measure: str,
        recover_unspent: bool,
        reason: str,
        policy: PolicyRef,
    ) -> None:
        self.mof_div_code = mof_div_code
        self.pro_code = pro_code
        self._apply_block(object_id, department_id, evaluated_year, spot_check_id, reason, policy)

    def _apply_block(
        self,
        object_id: UUID,
        department_id: UUID,
        evaluated_year: int,
        spot_check_id: UUID,
        reason: str,
        policy: PolicyRef,
    ) -> None:
        self.object_id = object_id
        self.department_id = department_id
        self.evaluated_year = evaluated_year
        self.spot_check_id = spot_check_id
        self.reason = reason
        self.policy = policy
        self.active = True
        self.lifted_by_notice: UUID | None = None

    def blocks(self, fiscal_year: int) -> bool:
        return self.active and fiscal_year > self.evaluated_year

    def reimpose(
        self,
        act: Act,
        *,
        object_id: UUID,
        department_id: UUID,
        evaluated_year: int,
        spot_check_id: UUID,
        gap: Decimal,
        measure: str,
        recover_unspent: bool,
        reason: str,
        policy: PolicyRef,
    ) -> None:
        if self.active:
            raise InvalidTransition("the project's funding is already blocked")
        self._reimposed(
            act=act,
            object_id=object_id,
            department_id=department_id,
            evaluated_year=evaluated_year,
            spot_check_id=spot_check_id,
            gap=gap,
            measure=measure,
            recover_unspent=recover_unspent,
            reason=reason,
            policy=policy,
        )

    @event("FundingBlockedAgain", topic="jixiao:FundingBlock.FundingBlockedAgain")
    def _reimposed(
        self,
        act: Act,
        object_id: UUID,
        department_id: UUID,
        evaluated_year: int,
        spot_check_id: UUID,
        gap: Decimal,
        measure: str,
        recover_unspent: bool,
        reason: str,
        policy: PolicyRef,
    ) -> None:
        self._apply_block(object_id, department_id, evaluated_year, spot_check_id, reason, policy)

    def lift(self, act: Act, notice_id: UUID) -> None:
        if not self.active:
            raise InvalidTransition("the project's funding is not blocked")
        self._lifted(act=act, object_id=self.object_id, notice_id=notice_id)

    @event("FundingBlockLifted", topic="jixiao:FundingBlock.FundingBlockLifted")
    def _lifted(self, act: Act, object_id: UUID, notice_id: UUID) -> None:
        self.active = False
        self.lifted_by_notice = notice_id
