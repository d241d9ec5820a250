"""The working-day calendar with the administrator's overrides (the Django side).

:func:`get_work_calendar` builds a :class:`~gongkai.workdays.WorkCalendar` from
the ``chinesecalendar`` package plus every :class:`~gongkai.core.models.CalendarOverride`
row and every :class:`~gongkai.core.models.CalendarYear` row (a year whose whole
official schedule has been entered, so it is no longer provisional).

The calendar is cached per process and rebuilt whenever the rows change: each
call reads the two small tables (two indexed queries, well under a millisecond)
and compares them with the rows the cached calendar was built from. This is
exact across processes and servers — an override saved by one worker is seen by
every other on its next call — with no signal or cache invalidation to forget.
Call it once per request or job and pass the calendar on to the pure functions
(``compute_clock(events, calendar=cal)``).
"""

from __future__ import annotations

import threading
from datetime import date

from gongkai.core.models import CalendarOverride, CalendarYear
from gongkai.workdays import Override, WorkCalendar

__all__ = ["clear_work_calendar_cache", "get_work_calendar"]

_Rows = tuple[tuple[tuple[date, bool, str], ...], tuple[int, ...]]

_lock = threading.Lock()
_cache: dict[str, tuple[_Rows, WorkCalendar]] = {}


def _rows() -> _Rows:
    overrides = tuple(
        (d, bool(w), n)
        for d, w, n in CalendarOverride.objects.order_by("date").values_list(
            "date", "is_workday", "note"
        )
    )
    years = tuple(CalendarYear.objects.order_by("year").values_list("year", flat=True))
    return overrides, years


def get_work_calendar() -> WorkCalendar:
    """The calendar in force: package schedules plus the administrator's overrides."""
    rows = _rows()
    cached = _cache.get("calendar")
    if cached is not None and cached[0] == rows:
        return cached[1]
    overrides, years = rows
    calendar = WorkCalendar.from_package(
        overrides=[Override(d, w, n) for d, w, n in overrides],
        covered_years=years,
    )
    with _lock:
        _cache["calendar"] = (rows, calendar)
    return calendar


def clear_work_calendar_cache() -> None:
    """Forget the cached calendar (tests; the rows check makes it unnecessary otherwise)."""
    with _lock:
        _cache.clear()
