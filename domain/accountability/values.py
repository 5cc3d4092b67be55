"""Values of an accountability case: finding kinds, outcomes, status, and the responsible
person with the role they held in each cited act."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID, uuid5

from domain.ids import NAMESPACE
from domain.transcodings import transcoded

FINDING_KINDS = {
    "falsification": "弄虚作假",
    "serious_deviation": "预算执行与绩效目标严重背离",
    "inefficient_loss": "使用财政资金严重低效无效并造成重大损失",
    "other": "其他违规违纪违法问题线索",
}
OUTCOMES = ("责令改正", "追责问责", "移送查处", "不予追究")
NOT_REFERRED = "不予移送"  # the outcome of a case its builders close without referring it


def case_id(mof_div_code: str, case_no: str) -> UUID:
    return uuid5(NAMESPACE, f"accountability-case:{mof_div_code}:{case_no}")


class CaseStatus(StrEnum):
    OPEN = "open"
    REFERRED = "referred"
    RECEIVED = "received"
    CLOSED = "closed"


@transcoded("act_role")
@dataclass(frozen=True)
class ActRole:
    """The role a person acted in, in one cited event (copied from that event's actor)."""

    position: int
    event: str
    role: str
    organisation_id: str | None
    organisation_name: str | None


@transcoded("responsible_person")
@dataclass(frozen=True)
class ResponsiblePerson:
    person_id: str
    name: str
    acts: tuple[ActRole, ...]
    description: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "acts", tuple(self.acts))
