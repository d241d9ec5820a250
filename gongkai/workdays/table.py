"""A working-day table for bulk deadline arithmetic on ordinal integers.

:class:`~gongkai.workdays.WorkCalendar` answers one question at a time about
``date`` objects (about 1 µs a call). Recomputing the due date of every
application at once (the application clock's fast path,
``gongkai.applications.fastclock``) asks millions of questions; this table
answers them by list indexing over ``date.toordinal()`` integers, with the same
answers as the calendar it was built from (tests compare the two).

Pure Python, no I/O. Build one per calendar with :func:`workday_table` (about
10–20 ms; the last few calendars are kept).
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date

from gongkai.workdays.calendar import WorkCalendar

__all__ = ["WorkdayTable", "workday_table"]


class WorkdayTable:
    """Working days of a calendar's range as ordinals: ``cum[o - lo]`` = working days with ordinal ≤ o.

    Every method takes and returns ordinals inside ``[lo, last]`` (the calendar's range);
    outside it they fail or give wrong answers — callers check the range, as the calendar does.
    """

    __slots__ = ("cum", "last", "lo", "work")

    def __init__(self, cal: WorkCalendar) -> None:
        first = cal.first_date.toordinal()
        last = cal.last_date.toordinal()
        work: list[int] = []
        cum: list[int] = []
        is_workday = cal.is_workday
        for o in range(first, last + 1):
            if is_workday(date.fromordinal(o)):
                work.append(o)
            cum.append(len(work))
        self.lo = first
        self.last = last
        self.work = work
        self.cum = cum

    def add(self, o: int, n: int) -> int:
        """Ordinal of the n-th working day strictly after ordinal ``o`` (n ≥ 0): ``add_workdays``."""
        if n <= 0:
            return o
        return self.work[self.cum[o - self.lo] + n - 1]

    def between(self, a: int, b: int) -> int:
        """Working days in (a, b]: ``workdays_between``."""
        return self.cum[b - self.lo] - self.cum[a - self.lo]

    def add_date(self, d: date, n: int) -> date:
        return date.fromordinal(self.add(d.toordinal(), n))

    def index_of(self, o: int) -> int:
        """How many working days fall on or before ordinal ``o``."""
        return bisect_right(self.work, o)


_tables: list[tuple[WorkCalendar, WorkdayTable]] = []  # the last few calendars seen


def workday_table(cal: WorkCalendar) -> WorkdayTable:
    """The table for ``cal``, built once per calendar object."""
    for known, table in _tables:
        if known is cal:
            return table
    table = WorkdayTable(cal)
    _tables.insert(0, (cal, table))
    del _tables[4:]
    return table
