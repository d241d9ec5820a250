"""The due-date cache of every application (nightly and after a calendar change).

By the fast path (:mod:`gongkai.applications.fastclock`) when it supports the clock
settings in force, by the full replay otherwise: the same results, 50–100 times slower
(docs/adr/0003-application-clock-fast-path.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from gongkai.core.calendar import get_work_calendar
from gongkai.workdays import WorkCalendar, WorkdayTable, workday_table

from .. import services
from ..clock import ClockError, ClockState, compute_clock
from ..fastclock import KIND_CODES, fast_clock, supports
from ..models import Application, ApplicationEvent
from .base import CLOCK_SETTINGS, ApplicationActionError


def applications_recompute(
    *, queryset=None, on: dt.date | None = None, batch: int = 2000
) -> dict[str, int]:
    """Recompute the due-date cache of every application; returns counts.

    Run nightly and whenever the working-day calendar changes. ``invalid`` counts logs
    the full replay refuses under today's calendar (their cache is left as it was).
    """
    on = on or services.today()
    cal = get_work_calendar()
    fast = supports(CLOCK_SETTINGS)
    table = workday_table(cal) if fast else None
    day = on.toordinal()
    qs = (queryset if queryset is not None else Application.objects.all()).order_by("pk")
    total = invalid = 0
    ids = list(qs.values_list("pk", flat=True))
    by_due: dict[tuple[str, dt.date | None], list[int]] = {}
    by_closed: dict[dt.date | None, list[int]] = {}
    for i in range(0, len(ids), batch):
        chunk = ids[i : i + batch]
        current = {pk: (st, due, closed) for pk, st, due, closed in Application.objects.filter(pk__in=chunk)
                   .values_list("pk", "clock_state", "due_date", "closed_on")}
        results = _fast_results(chunk, table, day) if table is not None else _full_results(chunk, cal, on)
        for pk, result in results.items():
            total += 1
            if result is None:
                invalid += 1
                continue
            state, due_date, closed_on = result
            old = current.get(pk)
            if old is None or old[:2] != (state, due_date):
                by_due.setdefault((state, due_date), []).append(pk)
            if old is None or old[2] != closed_on:
                by_closed.setdefault(closed_on, []).append(pk)
    # One UPDATE per distinct value (a few hundred statements for 100,000 rows), in slices of 2,000 ids.
    changed: set[int] = set()
    for (state, due_date), pks in by_due.items():
        changed.update(pks)
        for k in range(0, len(pks), 2000):
            Application.objects.filter(pk__in=pks[k : k + 2000]).update(
                clock_state=state, due_date=due_date, clock_computed_on=on)
    for closed_on, pks in by_closed.items():
        changed.update(pks)
        for k in range(0, len(pks), 2000):
            Application.objects.filter(pk__in=pks[k : k + 2000]).update(closed_on=closed_on)
    return {"total": total, "changed": len(changed), "invalid": invalid}


_Result = tuple[str, dt.date | None, dt.date | None]  # clock state, due date (or projected), closed on


def _fast_results(chunk: list[int], table: WorkdayTable, day: int) -> dict[int, _Result]:
    """The fast path over the logs of ``chunk`` (only when :func:`supports` the settings)."""
    logs: dict[int, list[tuple[int, int, int]]] = {pk: [] for pk in chunk}
    last_day: dict[int, dt.date] = {}
    rows = (ApplicationEvent.objects.filter(application_id__in=chunk).order_by("application_id", "seq")
            .values_list("application_id", "kind", "date", "confirmed", "workdays"))
    for app_id, kind, date, confirmed, workdays in rows:
        logs[app_id].append((KIND_CODES[kind], (confirmed or date).toordinal(), workdays or 0))
        last_day[app_id] = date
    out: dict[int, _Result] = {}
    for pk, events in logs.items():
        if not events:
            continue
        state, due = fast_clock(events, table, day, CLOCK_SETTINGS)
        due_date = dt.date.fromordinal(due) if due is not None else None
        out[pk] = (state, due_date, last_day[pk] if state in ("stopped", "abandoned") else None)
    return out


def _full_results(chunk: list[int], cal: WorkCalendar, on: dt.date) -> dict[int, _Result | None]:
    """The full replay of the logs of ``chunk``; None for a log it refuses."""
    logs: dict[int, list[ApplicationEvent]] = {pk: [] for pk in chunk}
    for event in ApplicationEvent.objects.filter(application_id__in=chunk).order_by("application_id", "seq"):
        logs[event.application_id].append(event)
    out: dict[int, _Result | None] = {}
    for pk, events in logs.items():
        if not events:
            continue
        try:
            result = compute_clock([e.to_clock_event() for e in events], calendar=cal, settings=CLOCK_SETTINGS,
                                   today=on)
        except ClockError:
            out[pk] = None
            continue
        closed = result.stopped_on if result.state in (ClockState.STOPPED, ClockState.ABANDONED) else None
        out[pk] = (result.state.value, result.due_date or result.projected_due_date, closed)
    return out


def due_dates_fast(logs: Iterable[list[tuple[int, int, int]]], *, on: dt.date,
                   calendar: WorkCalendar | None = None) -> list[tuple[str, int | None]]:
    """The fast path over in-memory logs (the benchmark measures this)."""
    if not supports(CLOCK_SETTINGS):
        raise ApplicationActionError("当前计时设置不支持快速计算，请改用逐件计算（application_clock）。")
    table = workday_table(calendar or get_work_calendar())
    day = on.toordinal()
    return [fast_clock(events, table, day, CLOCK_SETTINGS) for events in logs]
