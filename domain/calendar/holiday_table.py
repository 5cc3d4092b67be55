"""A year's official holidays and adjusted working days (调休), loaded by an administrator.

The `chinesecalendar` package knows the State Council's arrangements only up to the last
year its data covers. For later years an administrator loads the year's table from the
State Council notice (国务院办公厅关于……部分节假日安排的通知), as a signed event pinning the
document; working-day deadlines then count weekdays, minus the table's holidays, plus its
adjusted working days, and say which table they used.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.errors import InvalidInput, NotPermitted
from domain.ids import NAMESPACE
from domain.roles import Role
from domain.values import Act


def holiday_table_id(year: int) -> UUID:
    return uuid5(NAMESPACE, f"holiday-table:{year}")


@dataclass(frozen=True)
class HolidayDays:
    """What a calendar needs from a loaded table."""

    year: int
    holidays: frozenset[date]
    workdays: frozenset[date]  # adjusted working days on a weekend (调休上班)
    label: str

    def is_working_day(self, day: date) -> bool:
        if day in self.workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays


def _validated(year: int, holidays: list[date], workdays: list[date], document: str):
    if not 2000 <= year <= 2100:
        raise InvalidInput("year is a four-digit year", "year")
    if not document.strip():
        raise InvalidInput("name the State Council notice the table comes from", "document")
    for day in (*holidays, *workdays):
        if day.year != year:
            raise InvalidInput(f"{day} is not in {year}", "holidays")
    if set(holidays) & set(workdays):
        raise InvalidInput("a day cannot be both a holiday and a working day", "workdays")
    weekdays = [d for d in workdays if d.weekday() < 5]
    if weekdays:
        raise InvalidInput(
            f"adjusted working days fall on weekends; {weekdays[0]} is a weekday", "workdays"
        )
    if len(set(holidays)) != len(holidays) or len(set(workdays)) != len(workdays):
        raise InvalidInput("each day is listed once", "holidays")
    return tuple(sorted(holidays)), tuple(sorted(workdays)), document.strip()


def _require_administrator(act: Act) -> None:
    if act.actor.role != Role.ADMINISTRATOR:
        raise NotPermitted("holiday tables are loaded by an administrator")
    if not act.evidence:
        raise InvalidInput("attach the State Council notice (evidence)", "evidence")


class HolidayTable(Aggregate):
    TOPIC = "jixiao:HolidayTable"  # the stored name: fixed, whatever module holds it

    class Created(Aggregate.Created):  # explicit topics ask it of every class; never recorded
        TOPIC = "jixiao:HolidayTable.Created"

    @staticmethod
    def create_id(year: int) -> UUID:
        return holiday_table_id(year)

    @event("HolidayTableLoaded", topic="jixiao:HolidayTable.HolidayTableLoaded")
    def __init__(
        self,
        act: Act,
        year: int,
        holidays: tuple[date, ...],
        workdays: tuple[date, ...],
        document: str,
    ) -> None:
        self.year = year
        self._set(holidays, workdays, document)

    def _set(self, holidays, workdays, document: str) -> None:
        self.holidays = tuple(holidays)
        self.workdays = tuple(workdays)
        self.document = document

    @classmethod
    def load(
        cls, act: Act, year: int, holidays: list[date], workdays: list[date], document: str
    ) -> HolidayTable:
        _require_administrator(act)
        h, w, doc = _validated(year, holidays, workdays, document)
        return cls(act=act, year=year, holidays=h, workdays=w, document=doc)

    def replace(self, act: Act, holidays: list[date], workdays: list[date], document: str) -> None:
        _require_administrator(act)
        act.requiring_reason("replacing a loaded holiday table")
        h, w, doc = _validated(self.year, holidays, workdays, document)
        if (h, w, doc) == (self.holidays, self.workdays, self.document):
            raise InvalidInput("the new table changes nothing", "holidays")
        self._replaced(
            act=act,
            previous_holidays=self.holidays,
            previous_workdays=self.workdays,
            holidays=h,
            workdays=w,
            document=doc,
        )

    @event("HolidayTableReplaced", topic="jixiao:HolidayTable.HolidayTableReplaced")
    def _replaced(
        self,
        act: Act,
        previous_holidays: tuple[date, ...],
        previous_workdays: tuple[date, ...],
        holidays: tuple[date, ...],
        workdays: tuple[date, ...],
        document: str,
    ) -> None:
        self._set(holidays, workdays, document)

    def days(self) -> HolidayDays:
        return HolidayDays(
            self.year,
            frozenset(self.holidays),
            frozenset(self.workdays),
            f"holiday table {self.year} v{self.version} ({self.document})",
        )
