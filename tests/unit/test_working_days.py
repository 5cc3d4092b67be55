"""Deadlines in Chinese official working days, and which calendar counted them."""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
import pytest

from domain.calendar.holiday_table import HolidayDays, HolidayTable
from domain.calendar.working_days import WeekdayCalendar
from domain.errors import InvalidInput
from domain.values import Act, Actor, EvidenceRef
from infrastructure.working_day_calendar import ChineseWorkingDayCalendar, covered_years

NOTICE = EvidenceRef("国办发明电〔2026〕7号.pdf", "a" * 64)
ADMIN = Act(Actor("p1", "管理员", "administrator", "o1", "系统管理"), evidence=(NOTICE,))
# A hypothetical 2027 National Day arrangement, as an administrator would load it.
HOLIDAYS_2027 = [date(2027, 10, 1) + timedelta(days=n) for n in range(7)]
WORKDAYS_2027 = [date(2027, 9, 26), date(2027, 10, 9)]  # a Sunday and a Saturday


def test_national_day_2025_as_chinesecalendar_knows_it() -> None:
    assert chinese_calendar.is_workday(date(2025, 9, 28))  # Sunday, adjusted working day
    assert chinese_calendar.is_workday(date(2025, 10, 11))  # Saturday, adjusted working day
    assert not any(chinese_calendar.is_workday(date(2025, 10, d)) for d in range(1, 9))
    deadline = ChineseWorkingDayCalendar().add_working_days(date(2025, 9, 26), 15)
    # 9-28, 9-29, 9-30, 10-9, 10-10, 10-11, 10-13 … 10-17, 10-20 … 10-23
    assert deadline.due == date(2025, 10, 23)
    assert deadline.calendar.startswith("chinesecalendar ")
    # Counting weekdays only would have put it before the holiday's working days were owed.
    plain = WeekdayCalendar().add_working_days(date(2025, 9, 26), 15)
    assert plain.due == date(2025, 10, 17) and plain.calendar.startswith("weekdays only")


def test_a_year_beyond_the_package_uses_the_loaded_table_or_says_it_had_none() -> None:
    year = covered_years()[1] + 1
    assert year == 2027, "update the hypothetical table when chinesecalendar covers 2027"
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(date(year, 10, 1))
    table = HolidayTable.load(ADMIN, year, HOLIDAYS_2027, WORKDAYS_2027, "国办发明电〔2026〕7号")
    days = table.days()
    with_table = ChineseWorkingDayCalendar().with_tables(lambda y: days if y == year else None)
    loaded = with_table.add_working_days(date(2027, 9, 24), 15)
    weekdays = ChineseWorkingDayCalendar().add_working_days(date(2027, 9, 24), 15)
    # Table: 9-26, 9-27 … 9-30, 10-8, 10-9, 10-11 … 10-15, 10-18, 10-19, 10-20.
    assert loaded.due == date(2027, 10, 20)
    assert loaded.calendar == "weekdays + holiday table 2027 v1 (国办发明电〔2026〕7号)"
    assert weekdays.due == date(2027, 10, 15)
    assert weekdays.calendar == "weekdays only for 2027 (no holiday table loaded)"


def test_a_deadline_across_the_new_year_names_both_sources() -> None:
    deadline = ChineseWorkingDayCalendar().add_working_days(date(2026, 12, 24), 10)
    assert "chinesecalendar" in deadline.calendar and "2027" in deadline.calendar


def test_holiday_tables_are_checked_when_loaded() -> None:
    with pytest.raises(InvalidInput, match="weekday"):
        HolidayTable.load(ADMIN, 2027, HOLIDAYS_2027, [date(2027, 9, 27)], "x")
    with pytest.raises(InvalidInput, match="not in 2027"):
        HolidayTable.load(ADMIN, 2027, [date(2026, 10, 1)], [], "x")
    with pytest.raises(InvalidInput, match="evidence"):
        HolidayTable.load(Act(ADMIN.actor), 2027, HOLIDAYS_2027, [], "x")


def test_holiday_days_rule() -> None:
    days = HolidayDays(2027, frozenset(HOLIDAYS_2027), frozenset(WORKDAYS_2027), "t")
    assert days.is_working_day(date(2027, 9, 26))  # adjusted working Sunday
    assert not days.is_working_day(date(2027, 10, 4))  # a Monday in the holiday
    assert not days.is_working_day(date(2027, 10, 16))  # an ordinary Saturday
