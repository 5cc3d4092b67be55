"""Official working days left before a deadline, counted with the same calendar that set it.

A deadline is `issued + N working days` (the issue day not counted), so on day `today` the
days left are the working days after today up to and including the due day: 0 on the due
day itself. Once past it the count is negative: minus the working days from the day after
the due day up to and including today, and never above -1 (a weekend just after the due
day is already late, by the first working day it will be when answered).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

IsWorkingDay = Callable[[date], bool]
MAX_SPAN_DAYS = 3 * 366  # a notice years overdue is reported at this bound, not walked further


def working_days_left(is_working_day: IsWorkingDay, today: date, due: date) -> int:
    if today <= due:
        return _working_days_between(is_working_day, today, due)
    return -max(1, _working_days_between(is_working_day, due, today))


def _working_days_between(is_working_day: IsWorkingDay, after: date, upto: date) -> int:
    """Working days d with after < d <= upto (walked day by day; bounded)."""
    count, day = 0, after
    last = min(upto, after + timedelta(days=MAX_SPAN_DAYS))
    while day < last:
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


def working_day_test(
    calendar: object, tables: Callable[[int], object] | None = None
) -> IsWorkingDay:
    """`is_working_day` of the ledger's calendar, bound to its loaded holiday tables (looked up
    once per year); a calendar that cannot say counts weekdays, as WeekdayCalendar does."""
    bind = getattr(calendar, "with_tables", None)
    if bind is not None and tables is not None:
        seen: dict[int, object] = {}

        def once(year: int) -> object:
            if year not in seen:
                seen[year] = tables(year)
            return seen[year]

        calendar = bind(once)
    test = getattr(calendar, "is_working_day", None)
    return test if test is not None else (lambda day: day.weekday() < 5)


def notice_working_days_left(ledger: Any, status: str, due: date, day: date) -> int | None:
    """A rectification notice's working days left on `day` by the ledger's calendar (and
    its loaded holiday tables); None once it is answered or verified (no countdown)."""
    if status != "open":
        return None
    test = working_day_test(ledger.calendar, ledger.rectification.holiday_days)
    return working_days_left(test, day, due)
