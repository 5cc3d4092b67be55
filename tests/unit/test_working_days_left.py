"""Working days left to a rectification deadline, by the calendar that set it: 0 on the due
day, counted over holidays and adjusted working days (调休), and negative once past it —
at least -1 even when the days just after the due day are a weekend."""

from __future__ import annotations

from datetime import date

import pytest

from domain.calendar.working_days import WeekdayCalendar
from domain.calendar.working_days_left import working_day_test, working_days_left
from infrastructure.working_day_calendar import ChineseWorkingDayCalendar

CHINA = ChineseWorkingDayCalendar().is_working_day
DUE = date(2025, 10, 23)  # 15 working days after 2025-09-26, across National Day


@pytest.mark.parametrize(
    ("today", "left"),
    [
        (date(2025, 9, 26), 15),  # the issue day: all of them
        (date(2025, 9, 27), 15),  # a Saturday: nothing counted yet
        (date(2025, 9, 28), 14),  # a Sunday, but an adjusted working day (调休)
        (date(2025, 9, 30), 12),  # 10-01…10-08 count nothing; 10-11 (Saturday) does
        (date(2025, 10, 8), 12),
        (date(2025, 10, 17), 4),
        (DUE, 0),
        (date(2025, 10, 24), -1),
        (date(2025, 10, 26), -1),  # the weekend after: late, by the next working day
        (date(2025, 10, 27), -2),
    ],
)
def test_counts_official_working_days(today: date, left: int) -> None:
    assert working_days_left(CHINA, today, DUE) == left


def test_the_days_left_on_the_issue_day_are_the_deadline_it_set() -> None:
    calendar = ChineseWorkingDayCalendar()
    for start in (date(2025, 1, 20), date(2025, 4, 30), date(2025, 9, 26), date(2026, 2, 10)):
        due = calendar.add_working_days(start, 15).due
        assert working_days_left(calendar.is_working_day, start, due) == 15


def test_a_calendar_without_a_day_test_counts_weekdays() -> None:
    weekdays = working_day_test(WeekdayCalendar())
    assert working_days_left(weekdays, date(2025, 10, 3), date(2025, 10, 10)) == 5
