"""Properties of working-day deadlines (infrastructure/working_day_calendar.py): for any
start and any n, within chinesecalendar's years and beyond them (with a loaded holiday
table or weekdays only), the deadline is n working days after the start."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.calendar.holiday_table import HolidayDays
from infrastructure.working_day_calendar import ChineseWorkingDayCalendar, covered_years

FIRST, LAST = covered_years()
# A hypothetical table for the first year past the package's data (National Day week and
# its two weekend working days), as an administrator would load it.
BEYOND = LAST + 1
_national_day = date(BEYOND, 10, 1)
TABLE = HolidayDays(
    BEYOND,
    frozenset(_national_day + timedelta(days=n) for n in range(7)),
    frozenset(d for d in (date(BEYOND, 9, 26), date(BEYOND, 10, 9)) if d.weekday() >= 5),
    "test table",
)
CALENDARS = {
    "weekdays beyond the data": ChineseWorkingDayCalendar(),
    "loaded table beyond the data": ChineseWorkingDayCalendar(
        lambda year: TABLE if year == BEYOND else None
    ),
}
CALENDAR = st.sampled_from(sorted(CALENDARS))
START = st.dates(min_value=date(FIRST, 1, 1), max_value=date(BEYOND + 1, 11, 30))
DAYS = st.integers(min_value=0, max_value=40)
QUICK = settings(max_examples=60, deadline=None)


def working_days_between(calendar: ChineseWorkingDayCalendar, start: date, end: date) -> int:
    """Working days in (start, end]."""
    days = (end - start).days
    return sum(calendar.is_working_day(start + timedelta(days=k)) for k in range(1, days + 1))


@QUICK
@given(CALENDAR, START, DAYS)
def test_a_deadline_is_exactly_n_working_days_after_the_start(name, start, n) -> None:
    calendar = CALENDARS[name]
    due = calendar.add_working_days(start, n).due
    assert due >= start
    assert working_days_between(calendar, start, due) == n
    if n > 0:
        assert calendar.is_working_day(due), "a deadline lands on a working day"
    else:
        assert due == start


@QUICK
@given(CALENDAR, START, DAYS, DAYS)
def test_more_working_days_never_give_an_earlier_deadline(name, start, a, b) -> None:
    calendar = CALENDARS[name]
    fewer, more = sorted((a, b))
    early = calendar.add_working_days(start, fewer).due
    late = calendar.add_working_days(start, more).due
    assert early <= late
    assert (early < late) == (fewer < more), "each extra working day moves the deadline"


@QUICK
@given(CALENDAR, START, DAYS)
def test_every_deadline_names_the_calendars_it_used(name, start, n) -> None:
    deadline = CALENDARS[name].add_working_days(start, n)
    assert deadline.calendar
    if start.year <= LAST and deadline.due.year <= LAST:
        assert deadline.calendar.startswith("chinesecalendar ")
    if deadline.due.year > LAST and n > 0:
        assert str(deadline.due.year) in deadline.calendar or "test table" in deadline.calendar
