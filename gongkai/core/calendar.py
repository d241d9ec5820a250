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

__all__ = ["calendar_next_year_notice", "clear_work_calendar_cache", "get_work_calendar"]

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


#: From this month on, platform admins are asked to enter next year's schedule.
NOTICE_FROM_MONTH = 11


def calendar_next_year_notice(*, today: date) -> str | None:
    """The Chinese reminder shown to platform admins from November while next year is not covered.

    The State Council publishes next year's holiday schedule around November; until it is
    entered, every due date running into that year is 暂定 (REFERENCE.md §4.6).
    """
    year = today.year + 1
    if today.month < NOTICE_FROM_MONTH or get_work_calendar().is_covered(year):
        return None
    return (
        f"{year}年的节假日安排尚未录入：跨入{year}年的答复期限目前按《全国年节及纪念日放假办法》"
        f"估算，均标为“暂定”。国务院办公厅发布{year}年部分节假日安排的通知后，请在后台“工作日调整”中"
        f"逐日录入放假和调休上班日，并在“已录入放假安排的年份”中添加{year}年。"
    )
