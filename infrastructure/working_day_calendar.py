"""Chinese official working days (法定工作日) for deadlines.

For the years the `chinesecalendar` package has data for, it decides (public holidays and
the State Council's adjusted working days, 调休). For later years: weekdays, minus the
holidays and plus the adjusted working days of a holiday table an administrator loaded into
the ledger (domain/calendar/holiday_table.py), else weekdays only. Every deadline names each source
it used, so a deadline computed without the real table says so.

Wire it in infrastructure/bootstrap.py:
    ledger = LoggedLedger(env=location.eventsourcing_env(), calendar=ChineseWorkingDayCalendar())
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from functools import cache
from importlib.metadata import version

import chinese_calendar

from domain.calendar.holiday_table import HolidayDays
from domain.calendar.working_days import Deadline

TableLookup = Callable[[int], HolidayDays | None]


@cache
def covered_years() -> tuple[int, int]:
    """The first and last year chinesecalendar has the State Council's arrangements for."""
    years = [d.year for d in chinese_calendar.constants.holidays]
    return min(years), max(years)


@cache
def _package_label() -> str:
    first, last = covered_years()
    return f"chinesecalendar {version('chinesecalendar')} (data {first}–{last})"


class ChineseWorkingDayCalendar:
    def __init__(self, tables: TableLookup | None = None) -> None:
        self._tables = tables or (lambda year: None)

    def with_tables(self, tables: TableLookup) -> ChineseWorkingDayCalendar:
        """The same calendar consulting the ledger's loaded holiday tables."""
        return ChineseWorkingDayCalendar(tables)

    def _day(self, day: date, tables: dict[int, HolidayDays | None]) -> tuple[bool, str]:
        first, last = covered_years()
        if first <= day.year <= last:
            return chinese_calendar.is_workday(day), _package_label()
        if day.year not in tables:
            tables[day.year] = self._tables(day.year)
        table = tables[day.year]
        if table is None:
            return day.weekday() < 5, f"weekdays only for {day.year} (no holiday table loaded)"
        return table.is_working_day(day), f"weekdays + {table.label}"

    def is_working_day(self, day: date) -> bool:
        return self._day(day, {})[0]

    def add_working_days(self, start: date, days: int) -> Deadline:
        """The date `days` working days after `start` (start itself not counted)."""
        if days < 0:
            raise ValueError("days cannot be negative")
        tables: dict[int, HolidayDays | None] = {}
        sources: list[str] = []
        current, left = start, days
        while left > 0:
            current += timedelta(days=1)
            working, source = self._day(current, tables)
            if source not in sources:
                sources.append(source)
            if working:
                left -= 1
        return Deadline(current, "; ".join(sources) or _package_label())
