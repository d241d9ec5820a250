"""The provisional calendar of a year without a published schedule (REFERENCE.md §4.6)."""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.workdays import DayKind, Override, WorkCalendar, default_calendar, workday_table
from gongkai.workdays.statutory import statutory_days

CAL = default_calendar()
future_years = st.integers(min_value=2027, max_value=2060)

FIXED = [(1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3)]


def year_days(year: int):
    d = date(year, 1, 1)
    while d.year == year:
        yield d
        d += timedelta(days=1)


def test_2027_by_hand():
    days = {s.day: s.name for s in statutory_days(2027)}
    # 除夕 02-05 (Fri), 初一 02-06 (Sat), 初二 02-07 (Sun), 初三 02-08 (Mon): two 补假, 02-09 and 02-10.
    assert [d for d, n in days.items() if n == "春节"] == [
        date(2027, 2, 5),
        date(2027, 2, 6),
        date(2027, 2, 7),
        date(2027, 2, 8),
    ]
    assert days[date(2027, 2, 9)] == days[date(2027, 2, 10)] == "春节补假"
    assert days[date(2027, 4, 5)] == "清明节"  # solar term 清明 2027-04-05
    assert days[date(2027, 6, 9)] == "端午节" and days[date(2027, 9, 15)] == "中秋节"
    # 劳动节 05-01 Sat and 05-02 Sun: 补假 05-03, 05-04; 国庆 10-02 Sat, 10-03 Sun: 10-04, 10-05.
    assert days[date(2027, 5, 3)] == days[date(2027, 5, 4)] == "劳动节补假"
    assert days[date(2027, 10, 4)] == days[date(2027, 10, 5)] == "国庆节补假"
    assert len(days) == 19
    assert CAL.is_provisional(date(2027, 2, 9)) and not CAL.is_workday(date(2027, 2, 9))
    assert CAL.day(date(2027, 2, 9)).label == "春节补假（暂定）"


def test_mid_autumn_inside_national_day_counts_once():
    # 2028: 中秋 (八月十五) is 10-03, a Tuesday inside 国庆.
    days = {s.day: s.name for s in statutory_days(2028)}
    assert days[date(2028, 10, 3)] == "国庆节、中秋节"
    weekday_off = [d for d in days if d.weekday() < 5]
    assert len(weekday_off) == 12  # 13 holidays, one shared date


def test_the_estimate_agrees_with_the_published_schedules_it_can_be_checked_against():
    # 2025 and 2026 are published: every day the 办法 alone gives off is off in the notice too.
    for year in (2025, 2026):
        for s in statutory_days(year):
            assert chinese_calendar.is_holiday(s.day), (year, s)


def test_years_before_the_2024_revision_are_not_estimated():
    assert statutory_days(2024) == ()
    cal = WorkCalendar(
        holidays={}, makeup_workdays={}, schedule_years=(), first_year=2020, last_year=2030
    )
    assert cal.is_workday(date(2024, 1, 1))  # weekends only there
    assert not cal.is_workday(date(2027, 1, 1))


@settings(max_examples=34, deadline=None)
@given(future_years)
def test_every_fixed_date_holiday_is_off_and_provisional(year):
    for m, d in FIXED:
        info = CAL.day(date(year, m, d))
        assert not info.is_workday and info.provisional and info.kind is DayKind.HOLIDAY


@settings(max_examples=34, deadline=None)
@given(future_years)
def test_makeup_day_is_the_next_free_working_day(year):
    days = statutory_days(year)
    holidays = {s.day for s in days if not s.makeup}
    makeups = [s for s in days if s.makeup]
    on_weekend = sorted(d for d in holidays if d.weekday() >= 5)
    assert len(makeups) == len(on_weekend)
    taken = set(holidays)
    for d, m in zip(on_weekend, sorted(s.day for s in makeups), strict=True):
        assert m > d and m.weekday() < 5 and m not in holidays
        # Every day between the holiday and its 补假 is a weekend or already taken.
        between = [d + timedelta(days=i) for i in range(1, (m - d).days)]
        assert all(x.weekday() >= 5 or x in taken for x in between)
        taken.add(m)
        assert not CAL.is_workday(m) and CAL.is_provisional(m)
    # Weekdays off = distinct holiday dates (each either a weekday or given a 补假).
    weekdays_off = [d for d in year_days(year) if d.weekday() < 5 and not CAL.is_workday(d)]
    assert len(weekdays_off) == len(holidays)


@settings(max_examples=34, deadline=None)
@given(future_years)
def test_no_weekend_is_ever_a_working_day(year):
    assert not any(CAL.is_workday(d) for d in year_days(year) if d.weekday() >= 5)
    assert all(CAL.is_provisional(d) for d in year_days(year))


@settings(max_examples=60, deadline=None)
@given(
    year=future_years,
    off=st.sets(st.integers(0, 364), max_size=20),
    on=st.sets(st.integers(0, 364), max_size=6),
)
def test_published_data_wins(year, off, on):
    start = date(year, 1, 1)
    off_days = {start + timedelta(days=i) for i in off}
    on_days = {start + timedelta(days=i) for i in on} - off_days
    published = [Override(d, False, "通知") for d in off_days] + [
        Override(d, True, "通知") for d in on_days
    ]
    cal = CAL.with_overrides(published, covered_years=[year])
    for d in year_days(year):
        expected = d in on_days or (d.weekday() < 5 and d not in off_days)
        assert cal.is_workday(d) is expected
        assert not cal.is_provisional(d)
    # The fast path's table agrees with the calendar it was built from.
    table = workday_table(cal)
    for d in (start, start + timedelta(days=100), date(year, 12, 1)):
        assert table.add_date(d, 20) == cal.add_workdays(d, 20)


@settings(max_examples=50, deadline=None)
@given(
    d=st.dates(min_value=date(2026, 10, 1), max_value=date(2060, 11, 30)),
    n=st.integers(0, 60),
)
def test_fast_table_agrees_in_estimated_years(d, n):
    table = workday_table(CAL)
    assert table.add_date(d, n) == CAL.add_workdays(d, n)
    end = CAL.add_workdays(d, n)
    assert table.between(d.toordinal(), end.toordinal()) == n
