"""The statutory working-day calendar (工作日历).

The 条例 counts every time limit in 工作日 (REFERENCE.md §4.1): weekends and
statutory holidays (法定节假日) are off, 调休 make-up days (weekend days declared
上班 by the annual State Council notice) are on. The annual notice decides, not
the weekday.

:class:`WorkCalendar` is built from

* the official schedules shipped by the ``chinesecalendar`` package
  (``chinese_calendar.holidays``, ``.workdays``; years 2004–2026 in 1.11.0), and
* overrides an administrator enters (:class:`Override`: a date made a working
  day or a day off, with a note — a local holiday, or next year's notice
  entered before the package has it), plus the years an administrator declares
  *covered* (``covered_years``: "this year's whole schedule has been entered").

A year covered by neither (2027 today) is never silently guessed: its days
off are the weekends plus the holidays for all citizens that the
《全国年节及纪念日放假办法》 fixes, with the 补假 of its Art. 6
(:mod:`gongkai.workdays.statutory`, REFERENCE.md §4.6; no 调休 make-up working
day is guessed), and every answer that depends on such a day is marked
provisional (暂定) with a reason in Chinese (:meth:`WorkCalendar.day`,
:meth:`WorkCalendar.is_provisional`, :meth:`WorkCalendar.provisional_reasons`,
:meth:`WorkCalendar.deadline`). Once the year's schedule is entered or arrives
with a newer package, every result computed from the calendar changes by
itself, because none is stored.

Two tiers of API:

* fast primitives returning plain values — :meth:`~WorkCalendar.is_workday`,
  :meth:`~WorkCalendar.add_workdays`, :meth:`~WorkCalendar.workdays_between`,
  :meth:`~WorkCalendar.next_workday` — over precomputed sorted ordinal arrays
  with :mod:`bisect` (no loop over days; well under 2 µs a call);
* answers that carry the provisional mark — :meth:`~WorkCalendar.day`
  (a :class:`DayInfo`) and :meth:`~WorkCalendar.deadline` (a :class:`Deadline`).
  Any date shown to a person should come from these, or be checked with
  :meth:`~WorkCalendar.provisional_reasons`.

Pure Python: no Django, no I/O, no clock; today is always an argument.
"""

from __future__ import annotations

import functools
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from gongkai.enums import LabelledStrEnum
from gongkai.workdays.statutory import FIRST_ESTIMATED_YEAR, statutory_days

__all__ = [
    "FIRST_YEAR",
    "LAST_YEAR",
    "CalendarError",
    "DayInfo",
    "DayKind",
    "Deadline",
    "Override",
    "WorkCalendar",
    "default_calendar",
    "format_day",
]

#: Default extent of the precomputed arrays (inclusive years).
FIRST_YEAR = 2000
LAST_YEAR = 2100

_WEEKDAYS_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")

#: chinesecalendar's English holiday names → the Chinese names used in notices.
_HOLIDAY_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


def _holiday_zh(name: str) -> str:
    return _HOLIDAY_ZH.get(name, name)


def format_day(d: date) -> str:
    """``2025-01-26（周日）`` — an ISO date with its Chinese weekday."""
    return f"{d.isoformat()}（{_WEEKDAYS_ZH[d.weekday()]}）"


class CalendarError(ValueError):
    """A date outside the calendar's range, or inconsistent overrides (message in Chinese)."""


class DayKind(LabelledStrEnum):
    """Why a day is a working day or a day off."""

    WORKDAY = "workday", "工作日"
    WEEKEND = "weekend", "周末"
    HOLIDAY = "holiday", "法定节假日放假"
    MAKEUP = "makeup", "调休上班"
    OVERRIDE_OFF = "override_off", "调整为休息日"
    OVERRIDE_ON = "override_on", "调整为工作日"


@dataclass(frozen=True, slots=True)
class Override:
    """An administrator's decision about one date (e.g. ``CalendarOverride`` rows).

    ``is_workday=False`` makes the date a day off (a local holiday, a holiday of
    a newly published notice); ``True`` makes it a working day (a make-up day).
    An override wins over the package's data for that date.
    """

    date: date
    is_workday: bool
    note: str = ""


@dataclass(frozen=True, slots=True)
class DayInfo:
    """The answer to "is this date a working day?", with why and how sure.

    ``provisional`` is True when the date lies in a year whose official schedule
    is known neither to the package nor to the overrides; ``reason`` then says
    so in Chinese.
    """

    date: date
    is_workday: bool
    kind: DayKind
    name: str = ""
    provisional: bool = False
    reason: str = ""

    @property
    def label(self) -> str:
        """Chinese description, e.g. ``调休上班（春节）`` or ``周末（暂定）``."""
        text = self.kind.label
        if self.name:
            if self.kind is DayKind.HOLIDAY:
                text = self.name if self.name.endswith("补假") else f"{self.name}放假"
            else:
                text = f"{text}（{self.name}）"
        if self.provisional:
            text += "（暂定）"
        return text


@dataclass(frozen=True, slots=True)
class Deadline:
    """The n-th working day after ``start``, marked provisional where it must be."""

    start: date
    workdays: int
    date: date
    provisional: bool
    reasons: tuple[str, ...] = ()


def provisional_reason(year: int) -> str:
    """The Chinese reason attached to every result that depends on ``year``."""
    if year < FIRST_ESTIMATED_YEAR:
        return (
            f"{year}年的法定节假日和调休安排尚未录入，该年暂按仅周六、周日休息计算"
            f"（为暂定结果）；该年安排录入后将自动重新计算"
        )
    return (
        f"{year}年的节假日安排（国务院办公厅通知）尚未公布或尚未录入，该年暂按周六、周日"
        f"和《全国年节及纪念日放假办法》规定的全体公民放假的节日（元旦、春节、清明节、劳动节、"
        f"端午节、中秋节、国庆节，逢周六、周日在其后的工作日补假）休息计算，未估计调休上班日，"
        f"为暂定结果；该年安排录入后将自动重新计算"
    )


class WorkCalendar:
    """Working days from official schedules plus overrides, over a fixed range of years.

    Prefer :meth:`from_package`. All dates must lie within
    ``first_year``-01-01 … ``last_year``-12-31; anything outside raises
    :class:`CalendarError` (so does a result that would fall outside).
    """

    __slots__ = (
        "_covered_years",
        "_declared_years",
        "_estimated",
        "_first",
        "_holidays",
        "_is_work",
        "_last",
        "_lo",
        "_makeup",
        "_n_work",
        "_notable",
        "_overrides",
        "_schedule_years",
        "_uncertain",
        "_work",
        "source",
    )

    def __init__(
        self,
        *,
        holidays: Mapping[date, str],
        makeup_workdays: Mapping[date, str],
        schedule_years: Iterable[int],
        overrides: Iterable[Override] = (),
        covered_years: Iterable[int] = (),
        first_year: int = FIRST_YEAR,
        last_year: int = LAST_YEAR,
        source: str = "",
    ) -> None:
        """Build the arrays.

        :param holidays: days off of the official schedules (date → holiday name),
            including weekend days inside a break — ``chinese_calendar.holidays``.
        :param makeup_workdays: weekend days declared working days (date → name) —
            ``chinese_calendar.workdays``.
        :param schedule_years: years whose whole official schedule those two
            mappings contain.
        :param overrides: administrator decisions; they win over the schedules.
        :param covered_years: further years an administrator declares complete
            (its schedule entered as overrides), so not provisional.
        """
        if first_year > last_year:
            raise CalendarError(f"工作日历的起止年份无效：{first_year}–{last_year}")
        self._first = date(first_year, 1, 1)
        self._last = date(last_year, 12, 31)
        self._lo = lo = self._first.toordinal()
        hi = self._last.toordinal()

        self._holidays = {d: _holiday_zh(n) for d, n in holidays.items()}
        self._makeup = {d: _holiday_zh(n) for d, n in makeup_workdays.items()}
        self._schedule_years = frozenset(schedule_years)
        self._declared_years = frozenset(covered_years)
        self._covered_years = self._schedule_years | self._declared_years

        ovr: dict[date, Override] = {}
        for o in overrides:
            if not (self._first <= o.date <= self._last):
                raise CalendarError(
                    f"调整日期 {o.date.isoformat()} 超出工作日历范围"
                    f"（{self._first.isoformat()} 至 {self._last.isoformat()}）"
                )
            prev = ovr.get(o.date)
            if prev is not None and prev.is_workday != o.is_workday:
                raise CalendarError(f"{o.date.isoformat()} 有相互矛盾的两条调整（工作日与休息日）")
            ovr[o.date] = o
        self._overrides = ovr

        off = {d.toordinal() for d in self._holidays if d.year in self._schedule_years}
        on = {d.toordinal() for d in self._makeup if d.year in self._schedule_years}
        # A year without a schedule: the 放假办法's holidays and 补假 (REFERENCE §4.6).
        estimated: dict[date, str] = {}
        for year in range(max(first_year, FIRST_ESTIMATED_YEAR), last_year + 1):
            if year not in self._covered_years:
                estimated.update((s.day, s.name) for s in statutory_days(year))
        self._estimated = estimated
        off.update(d.toordinal() for d in estimated)
        for d, o in ovr.items():
            (on if o.is_workday else off).add(d.toordinal())
            (off if o.is_workday else on).discard(d.toordinal())

        # date(1, 1, 1) (ordinal 1) is a Monday, so weekday == (ordinal - 1) % 7.
        work = [o for o in range(lo, hi + 1) if o in on or ((o - 1) % 7 < 5 and o not in off)]
        flags = bytearray(hi - lo + 1)
        for o in work:
            flags[o - lo] = 1
        self._work = work
        self._n_work = len(work)
        self._is_work = bytes(flags)

        overridden = {d.toordinal() for d in ovr}
        uncertain: list[int] = []
        for year in range(first_year, last_year + 1):
            if year not in self._covered_years:
                y0 = date(year, 1, 1).toordinal()
                y1 = date(year, 12, 31).toordinal()
                uncertain.extend(o for o in range(y0, y1 + 1) if o not in overridden)
        self._uncertain = uncertain
        self._notable = sorted(
            {d.toordinal() for d in self._holidays if d.year in self._schedule_years}
            | {d.toordinal() for d in self._makeup if d.year in self._schedule_years}
            | {d.toordinal() for d in ovr}
            | {d.toordinal() for d in estimated if d not in ovr}
        )
        self.source = source or "官方节假日安排"

    # -- construction ---------------------------------------------------------

    @classmethod
    def from_package(
        cls,
        *,
        overrides: Iterable[Override] = (),
        covered_years: Iterable[int] = (),
        first_year: int = FIRST_YEAR,
        last_year: int = LAST_YEAR,
    ) -> WorkCalendar:
        """The calendar of the installed ``chinesecalendar`` package plus overrides.

        The package's schedule years are those it accepts itself
        (min..max year of its ``holidays`` data, as ``chinese_calendar.utils``
        checks), so a newer package release extends coverage by itself.
        """
        import chinese_calendar as cc

        years = [d.year for d in cc.holidays]
        schedule_years = range(min(years), max(years) + 1)
        overrides = tuple(overrides)
        covered_years = frozenset(covered_years)
        version = getattr(cc, "__version__", "?")
        source = f"chinesecalendar {version}（{min(years)}–{max(years)}年官方安排）"
        if overrides:
            source += f"；管理员调整 {len(overrides)} 天"
        if covered_years - set(schedule_years):
            extra = "、".join(str(y) for y in sorted(covered_years - set(schedule_years)))
            source += f"；已录入全年安排：{extra}年"
        return cls(
            holidays=cc.holidays,
            makeup_workdays=cc.workdays,
            schedule_years=schedule_years,
            overrides=overrides,
            covered_years=covered_years,
            first_year=first_year,
            last_year=last_year,
            source=source,
        )

    def with_overrides(
        self, overrides: Iterable[Override] = (), covered_years: Iterable[int] = ()
    ) -> WorkCalendar:
        """A new calendar with these overrides and covered years added (later ones win)."""
        merged = dict(self._overrides)
        extra = tuple(overrides)
        for o in extra:
            merged[o.date] = o
        return WorkCalendar(
            holidays=self._holidays,
            makeup_workdays=self._makeup,
            schedule_years=self._schedule_years,
            overrides=merged.values(),
            covered_years=self._declared_years | frozenset(covered_years),
            first_year=self._first.year,
            last_year=self._last.year,
            source=self.source + (f"；另加调整 {len(extra)} 天" if extra else ""),
        )

    # -- coverage -------------------------------------------------------------

    @property
    def first_date(self) -> date:
        """First date the calendar answers for."""
        return self._first

    @property
    def last_date(self) -> date:
        """Last date the calendar answers for."""
        return self._last

    @property
    def schedule_years(self) -> frozenset[int]:
        """Years whose official schedule came with the data source (the package)."""
        return self._schedule_years

    @property
    def covered_years(self) -> frozenset[int]:
        """Years that are not provisional: the package's plus those declared covered."""
        return self._covered_years

    @property
    def overrides(self) -> tuple[Override, ...]:
        """The overrides in force, by date."""
        return tuple(self._overrides[d] for d in sorted(self._overrides))

    def is_covered(self, year: int) -> bool:
        """Whether ``year``'s official schedule is known (so its days are not provisional)."""
        return year in self._covered_years

    def overrides_differing_from_schedule(self) -> tuple[Override, ...]:
        """Overrides that contradict the official schedule of a schedule year.

        Useful for an admin screen once a new package arrives: an override entered
        for 2027 before the package had 2027 may now disagree with it (or be a
        deliberate local holiday).
        """
        out = []
        for d, o in sorted(self._overrides.items()):
            if d.year in self._schedule_years and o.is_workday != self._official(d):
                out.append(o)
        return tuple(out)

    def _official(self, d: date) -> bool:
        if d in self._makeup:
            return True
        return d.weekday() < 5 and d not in self._holidays

    # -- fast primitives --------------------------------------------------------

    def _range_error(self, d: date) -> CalendarError:
        return CalendarError(
            f"日期 {d.isoformat()} 超出工作日历范围"
            f"（{self._first.isoformat()} 至 {self._last.isoformat()}）"
        )

    def is_workday(self, d: date) -> bool:
        """Whether ``d`` is a working day. See :meth:`day` for the why and the provisional mark."""
        i = d.toordinal() - self._lo
        if i < 0 or i >= len(self._is_work):
            raise self._range_error(d)
        return self._is_work[i] == 1

    def add_workdays(self, start: date, n: int) -> date:
        """The n-th working day strictly after ``start`` (``start`` itself never counts).

        ``n == 0`` returns ``start``; ``n < 0`` gives the |n|-th working day
        strictly before ``start``. Whatever day of the week ``start`` is, the
        first working day after it is day 1 (REFERENCE.md §4.1, §4.6).
        """
        o = start.toordinal()
        if o < self._lo or o - self._lo >= len(self._is_work):
            raise self._range_error(start)
        if n > 0:
            i = bisect_right(self._work, o) + n - 1
            if i >= self._n_work:
                raise CalendarError(
                    f"{start.isoformat()} 之后第 {n} 个工作日超出工作日历范围（至 {self._last.isoformat()}）"
                )
        elif n == 0:
            return date.fromordinal(o)
        else:
            i = bisect_left(self._work, o) + n
            if i < 0:
                raise CalendarError(
                    f"{start.isoformat()} 之前第 {-n} 个工作日超出工作日历范围（自 {self._first.isoformat()}）"
                )
        return date.fromordinal(self._work[i])

    def workdays_between(self, a: date, b: date) -> int:
        """Number of working days in the half-open range (a, b].

        Antisymmetric: for ``b < a`` it is minus the count in (b, a]. For
        ``n >= 0``, ``workdays_between(a, add_workdays(a, n)) == n``.
        """
        oa = a.toordinal()
        ob = b.toordinal()
        size = len(self._is_work)
        if oa < self._lo or oa - self._lo >= size:
            raise self._range_error(a)
        if ob < self._lo or ob - self._lo >= size:
            raise self._range_error(b)
        return bisect_right(self._work, ob) - bisect_right(self._work, oa)

    def next_workday(self, d: date) -> date:
        """The first working day strictly after ``d`` (= ``add_workdays(d, 1)``)."""
        return self.add_workdays(d, 1)

    def workday_on_or_after(self, d: date) -> date:
        """``d`` if it is a working day, else the first working day after it."""
        return d if self.is_workday(d) else self.add_workdays(d, 1)

    # -- answers that carry the provisional mark --------------------------------

    def is_provisional(self, d: date) -> bool:
        """Whether the answer for ``d`` is a guess (year not covered, date not overridden)."""
        o = d.toordinal()
        if o < self._lo or o - self._lo >= len(self._is_work):
            raise self._range_error(d)
        return d.year not in self._covered_years and d not in self._overrides

    def day(self, d: date) -> DayInfo:
        """Whether ``d`` is a working day, why, and whether the answer is provisional."""
        work = self.is_workday(d)
        o = self._overrides.get(d)
        if o is not None:
            kind = DayKind.OVERRIDE_ON if o.is_workday else DayKind.OVERRIDE_OFF
            return DayInfo(d, work, kind, o.note)
        if d.year in self._schedule_years:
            if d in self._makeup:
                return DayInfo(d, work, DayKind.MAKEUP, self._makeup[d])
            if d in self._holidays:
                return DayInfo(d, work, DayKind.HOLIDAY, self._holidays[d])
        kind = DayKind.WORKDAY if work else DayKind.WEEKEND
        if d.year in self._covered_years:
            return DayInfo(d, work, kind)
        if d in self._estimated:
            reason = provisional_reason(d.year)
            return DayInfo(d, work, DayKind.HOLIDAY, self._estimated[d], True, reason)
        return DayInfo(d, work, kind, provisional=True, reason=provisional_reason(d.year))

    def provisional_years(self, a: date, b: date) -> tuple[int, ...]:
        """Years without a known schedule that have a non-overridden day in (a, b]."""
        lo, hi = (a, b) if a <= b else (b, a)
        i = bisect_right(self._uncertain, lo.toordinal())
        j = bisect_right(self._uncertain, hi.toordinal())
        if i >= j:
            return ()
        y0 = date.fromordinal(self._uncertain[i]).year
        y1 = date.fromordinal(self._uncertain[j - 1]).year
        return tuple(y for y in range(y0, y1 + 1) if y not in self._covered_years)

    def provisional_reasons(self, a: date, b: date) -> tuple[str, ...]:
        """Chinese reasons why a result computed over (a, b] is provisional (empty if it is not)."""
        return tuple(provisional_reason(y) for y in self.provisional_years(a, b))

    def deadline(self, start: date, n: int) -> Deadline:
        """:meth:`add_workdays` with the provisional mark for every day it had to look at."""
        end = self.add_workdays(start, n)
        reasons = self.provisional_reasons(start, end)
        return Deadline(start, n, end, bool(reasons), reasons)

    # -- explanation ----------------------------------------------------------

    def notable_days(self, a: date, b: date) -> list[DayInfo]:
        """Holiday days, make-up days and overridden days in (a, b], in order."""
        i = bisect_right(self._notable, a.toordinal())
        j = bisect_right(self._notable, b.toordinal())
        return [self.day(date.fromordinal(o)) for o in self._notable[i:j]]

    def describe_span(self, a: date, b: date) -> tuple[str, ...]:
        """Chinese notes on the non-ordinary days in (a, b], runs grouped.

        E.g. ``("春节放假 2025-01-28至2025-02-04（8天，不计）",
        "2025-02-08（周六）调休上班（春节，计入）")``.
        """
        notes: list[str] = []
        run: list[DayInfo] = []

        def flush() -> None:
            if not run:
                return
            first, last = run[0], run[-1]
            if first.kind is DayKind.HOLIDAY:
                names = dict.fromkeys(x.name for x in run)
                span = (
                    format_day(first.date)
                    if first.date == last.date
                    else f"{first.date.isoformat()}至{last.date.isoformat()}"
                )
                plain = [n for n in names if not n.endswith("补假")]
                what = "、".join(
                    ([f"{'、'.join(plain)}放假"] if plain else [])
                    + [n for n in names if n.endswith("补假")]
                )
                sure = "，暂定" if first.provisional else ""
                notes.append(f"{what} {span}（{len(run)}天，不计{sure}）")
            else:
                for x in run:
                    counted = "计入" if x.is_workday else "不计"
                    notes.append(f"{format_day(x.date)}{x.label}，{counted}")
            run.clear()

        for info in self.notable_days(a, b):
            if (
                run
                and info.kind is DayKind.HOLIDAY
                and run[-1].kind is DayKind.HOLIDAY
                and info.date - run[-1].date == timedelta(days=1)
            ):
                run.append(info)
                continue
            flush()
            run.append(info)
        flush()
        return tuple(notes)


@functools.cache
def default_calendar() -> WorkCalendar:
    """The package calendar without overrides (built once, on first use)."""
    return WorkCalendar.from_package()
