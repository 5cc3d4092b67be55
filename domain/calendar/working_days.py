"""Working-day arithmetic as the domain needs it: deadlines in Chinese official working days.

The domain states what it needs (a port); infrastructure supplies the real calendar (State
Council holidays and adjusted working days). The fallback here counts weekdays only and
says so, so a deadline always records which calendar computed it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol


@dataclass(frozen=True)
class Deadline:
    due: date
    calendar: str  # which calendar computed it, e.g. "chinesecalendar 1.10 (2004–2026)"


class WorkingDayCalendar(Protocol):
    def add_working_days(self, start: date, days: int) -> Deadline:
        """The date `days` working days after `start` (start itself not counted)."""
        ...


class WeekdayCalendar:
    """Monday to Friday, no holidays: only for tests and as a stated last resort."""

    def add_working_days(self, start: date, days: int) -> Deadline:
        current, left = start, days
        while left > 0:
            current += timedelta(days=1)
            if current.weekday() < 5:
                left -= 1
        return Deadline(current, "weekdays only (no holiday table)")
