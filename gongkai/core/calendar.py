"""The working-day calendar with the administrator's overrides (the Django side).

:func:`get_work_calendar` builds a :class:`~gongkai.workdays.WorkCalendar` from
the ``chinesecalendar`` package plus every :class:`~gongkai.core.models.CalendarOverride`
row and every :class:`~gongkai.core.models.CalendarYear` row (a year whose whole
official schedule has been entered, so it is no longer provisional).

The calendar is cached per process under a *generation*: a token that every change of
the rows replaces, after its commit (``post_save``/``post_delete`` of both models, connected
in ``CoreConfig.ready``). The generation lives in the shared cache when there is one (Redis:
every process of every server), else in a small file beside ``VAR_DIR`` (one server, like the
portal's page generations, docs/adr/0008). Reading it costs a cache round trip or a ``stat``
instead of the two queries that comparing the rows costs; a submission takes the calendar
once and saves both.

Whenever the generation cannot be trusted the rows are compared as before (exact, two
indexed queries): the generation cannot be read, or this process has changed the rows and
the change has not been committed yet (or was rolled back). Call it once per request or job
and pass the calendar on to the pure functions (``compute_clock(events, calendar=cal)``).
"""

from __future__ import annotations

import logging
import os
import threading
import time
import uuid
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import transaction

from gongkai.core.models import CalendarOverride, CalendarYear
from gongkai.workdays import Override, WorkCalendar

__all__ = ["calendar_changed", "calendar_next_year_notice", "clear_work_calendar_cache", "get_work_calendar"]

log = logging.getLogger(__name__)

_Rows = tuple[tuple[tuple[date, bool, str], ...], tuple[int, ...]]

_lock = threading.Lock()
#: "calendar" → (generation or None, rows, calendar)
_cache: dict[str, tuple[str | None, _Rows, WorkCalendar]] = {}
#: Changes of the rows made by this process and not yet committed (a rolled-back one stays:
#: this process then compares the rows, which is always exact).
_pending = {"changes": 0}

_CACHE_KEY = "gk:calendargen"


def _shared_cache() -> bool:
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    return not backend.endswith(("locmem.LocMemCache", "dummy.DummyCache"))


def _generation_file() -> Path:
    return Path(getattr(settings, "GONGKAI_CALENDAR_GENERATION_FILE", "")
                or Path(settings.VAR_DIR) / "calendar-generation")


def _new_token() -> str:
    return f"{time.time_ns()}-{uuid.uuid4().hex}"


def _generation() -> str | None:
    """The calendar rows' generation; None when it cannot be read (compare the rows then)."""
    try:
        if _shared_cache():
            from django.core.cache import cache

            token = cache.get(_CACHE_KEY)
            if token is None:  # never bumped, or lost with a restart: a fresh token, never an old one
                cache.add(_CACHE_KEY, _new_token(), timeout=None)
                token = cache.get(_CACHE_KEY)
            return None if token is None else f"cache:{token}"
        try:
            st = os.stat(_generation_file())
        except FileNotFoundError:
            return "file:0"
        return f"file:{st.st_ino}:{st.st_mtime_ns}:{st.st_size}"
    except Exception:  # noqa: BLE001 - the cache is down: the rows decide
        return None


def _bump() -> None:
    """A new generation: every process rebuilds its calendar on its next call."""
    try:
        if _shared_cache():
            from django.core.cache import cache

            cache.set(_CACHE_KEY, _new_token(), timeout=None)
        else:
            path = _generation_file()
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex}")
            # A fresh file (new inode, new mtime, varying size) so no two bumps look alike.
            tmp.write_text(_new_token() + "\n" * (time.monotonic_ns() % 7))
            os.replace(tmp, path)
    except Exception:  # noqa: BLE001 - logged; the rows check of a process that changed them still holds
        log.exception("工作日历版本未能更新，其他进程可能仍使用旧日历")


def calendar_changed(sender=None, **kwargs) -> None:
    """``post_save``/``post_delete`` of CalendarOverride and CalendarYear: a new generation on commit."""
    with _lock:
        _pending["changes"] += 1

    def committed() -> None:
        _bump()
        with _lock:
            _pending["changes"] -= 1

    transaction.on_commit(committed)


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
    generation = None if _pending["changes"] else _generation()
    cached = _cache.get("calendar")
    if generation is not None and cached is not None and cached[0] == generation:
        return cached[2]
    rows = _rows()  # read after the generation: a change committed in between makes it stale, not wrong
    if cached is not None and cached[1] == rows:
        calendar = cached[2]
    else:
        overrides, years = rows
        calendar = WorkCalendar.from_package(
            overrides=[Override(d, w, n) for d, w, n in overrides],
            covered_years=years,
        )
    with _lock:
        _cache["calendar"] = (generation, rows, calendar)
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
