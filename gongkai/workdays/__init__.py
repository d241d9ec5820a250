"""Statutory working days (工作日): the calendar and deadline arithmetic.

Pure Python (no Django, no I/O). The module-level functions use the default
calendar (the installed ``chinesecalendar`` data, no overrides); code that must
honour an administrator's overrides takes a :class:`WorkCalendar` instead
(on the Django side: ``gongkai.core.calendar.get_work_calendar()``).
"""

from __future__ import annotations

from datetime import date

from gongkai.workdays.calendar import (
    CalendarError,
    DayInfo,
    DayKind,
    Deadline,
    Override,
    WorkCalendar,
    default_calendar,
    format_day,
)
from gongkai.workdays.table import WorkdayTable, workday_table

__all__ = [
    "CalendarError",
    "DayInfo",
    "DayKind",
    "Deadline",
    "Override",
    "WorkCalendar",
    "WorkdayTable",
    "add_workdays",
    "day",
    "deadline",
    "default_calendar",
    "format_day",
    "is_workday",
    "next_workday",
    "workday_table",
    "workdays_between",
]


def is_workday(d: date) -> bool:
    """:meth:`WorkCalendar.is_workday` on the default calendar."""
    return default_calendar().is_workday(d)


def day(d: date) -> DayInfo:
    """:meth:`WorkCalendar.day` on the default calendar (carries the provisional mark)."""
    return default_calendar().day(d)


def add_workdays(start: date, n: int) -> date:
    """:meth:`WorkCalendar.add_workdays` on the default calendar."""
    return default_calendar().add_workdays(start, n)


def workdays_between(a: date, b: date) -> int:
    """:meth:`WorkCalendar.workdays_between` on the default calendar."""
    return default_calendar().workdays_between(a, b)


def next_workday(d: date) -> date:
    """:meth:`WorkCalendar.next_workday` on the default calendar."""
    return default_calendar().next_workday(d)


def deadline(start: date, n: int) -> Deadline:
    """:meth:`WorkCalendar.deadline` on the default calendar (carries the provisional mark)."""
    return default_calendar().deadline(start, n)
