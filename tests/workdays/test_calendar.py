"""The working-day calendar against the package's own data, REFERENCE.md §4 and properties."""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar as cc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gongkai.workdays as wd
from gongkai.workdays import CalendarError, DayKind, Override, WorkCalendar, default_calendar

CAL = default_calendar()
FIRST_PACKAGE_DAY = date(2004, 1, 1)
LAST_PACKAGE_DAY = date(2026, 12, 31)
DAY = timedelta(days=1)


def days(a: date, b: date):
    d = a
    while d <= b:
        yield d
        d += DAY


#: The package's own answers, asked once per day (cc.is_workday is slow per call).
PACKAGE_WORKDAYS = frozenset(
    d for d in days(FIRST_PACKAGE_DAY, LAST_PACKAGE_DAY) if cc.is_workday(d)
)


def reference_add(start: date, n: int) -> date:
    """REFERENCE.md §4.5 reference loop, on the package's own is_workday answers."""
    d, k = start, 0
    while k < n:
        d += DAY
        if d > LAST_PACKAGE_DAY:
            cc.is_workday(d)  # raises NotImplementedError, as the package does
        if d in PACKAGE_WORKDAYS:
            k += 1
    return d


# -- exhaustive against the package ---------------------------------------------------


def test_every_covered_day_matches_the_package():
    checked = 0
    for d in days(FIRST_PACKAGE_DAY, LAST_PACKAGE_DAY):
        assert CAL.is_workday(d) is cc.is_workday(d), d
        info = CAL.day(d)
        assert info.is_workday is cc.is_workday(d)
        assert not info.provisional and not CAL.is_provisional(d)
        checked += 1
    assert checked == 8401  # 23 years, 6 of them leap years


def test_package_years_are_the_covered_years():
    assert CAL.schedule_years == frozenset(range(2004, 2027))
    assert CAL.covered_years == CAL.schedule_years
    assert not CAL.is_covered(2027) and not CAL.is_covered(2003)


def test_every_twentieth_working_day_matches_the_reference_loop():
    """add_workdays(d, 20) for every start day the package can answer for, and 1/7/15 too."""
    last_start = date(2026, 11, 30)  # 20 working days later is still in 2026
    for d in days(FIRST_PACKAGE_DAY, last_start):
        assert CAL.add_workdays(d, 20) == reference_add(d, 20), d
    for d in days(date(2024, 1, 1), last_start):
        for n in (1, 7, 15):
            assert CAL.add_workdays(d, n) == reference_add(d, n), (d, n)


def test_workdays_between_matches_a_count_of_package_days():
    for a in days(date(2024, 12, 1), date(2025, 2, 28)):
        b = a + timedelta(days=45)
        expected = sum(1 for d in days(a + DAY, b) if cc.is_workday(d))
        assert CAL.workdays_between(a, b) == expected


@pytest.mark.parametrize(
    ("year", "per_month"),
    [
        # REFERENCE.md §4.3 and §4.4: working days per month, Jan→Dec.
        (2025, [19, 19, 21, 22, 19, 20, 23, 21, 23, 18, 20, 23]),
        (2026, [21, 16, 22, 21, 19, 21, 23, 21, 22, 18, 21, 23]),
    ],
)
def test_working_days_per_month(year, per_month):
    counts = []
    for month in range(1, 13):
        first = date(year, month, 1)
        last = (first + timedelta(days=32)).replace(day=1) - DAY
        counts.append(CAL.workdays_between(first - DAY, last))
    assert counts == per_month
    assert sum(counts) == 248


def test_weekdays_off_2025_and_2026():
    # REFERENCE.md §4.3: 18 weekdays off in 2025; §4.4: 19 in 2026.
    off_2025 = [
        d
        for d in days(date(2025, 1, 1), date(2025, 12, 31))
        if d.weekday() < 5 and not CAL.is_workday(d)
    ]
    assert [d.isoformat()[5:] for d in off_2025] == [
        "01-01", "01-28", "01-29", "01-30", "01-31", "02-03", "02-04", "04-04", "05-01",
        "05-02", "05-05", "06-02", "10-01", "10-02", "10-03", "10-06", "10-07", "10-08",
    ]  # fmt: skip
    off_2026 = [
        d
        for d in days(date(2026, 1, 1), date(2026, 12, 31))
        if d.weekday() < 5 and not CAL.is_workday(d)
    ]
    assert [d.isoformat()[5:] for d in off_2026] == [
        "01-01", "01-02", "02-16", "02-17", "02-18", "02-19", "02-20", "02-23", "04-06",
        "05-01", "05-04", "05-05", "06-19", "09-25", "10-01", "10-02", "10-05", "10-06", "10-07",
    ]  # fmt: skip


# -- REFERENCE.md §4.5 worked deadlines ---------------------------------------------------


@pytest.mark.parametrize(
    ("trigger", "n", "expected"),
    [
        (date(2025, 1, 6), 20, date(2025, 2, 8)),  # ends on the 调休 Saturday 02-08
        (date(2025, 2, 8), 20, date(2025, 3, 7)),  # the extension counts from 02-08
        (date(2025, 1, 6), 40, date(2025, 3, 7)),
        (date(2025, 1, 6), 7, date(2025, 1, 15)),
        (date(2025, 1, 4), 20, date(2025, 2, 7)),  # Saturday receipt: find_workday would say 02-08
        (date(2025, 9, 22), 20, date(2025, 10, 24)),
        (date(2026, 2, 13), 7, date(2026, 3, 2)),
        (date(2026, 2, 13), 20, date(2026, 3, 19)),
        (date(2026, 4, 30), 15, date(2026, 5, 25)),
        (date(2026, 9, 15), 20, date(2026, 10, 19)),
        (date(2026, 10, 19), 20, date(2026, 11, 16)),
        (date(2026, 9, 28), 20, date(2026, 10, 30)),
    ],
)
def test_reference_worked_deadlines(trigger, n, expected):
    assert CAL.add_workdays(trigger, n) == expected
    assert CAL.workdays_between(trigger, expected) == n
    result = CAL.deadline(trigger, n)
    assert result.date == expected and not result.provisional and result.reasons == ()


def test_find_workday_pitfall_is_avoided():
    # REFERENCE.md §4.5: find_workday(1) from Saturday 2025-01-04 overshoots to 01-07.
    assert cc.find_workday(1, date(2025, 1, 4)) == date(2025, 1, 7)
    assert CAL.next_workday(date(2025, 1, 4)) == date(2025, 1, 6)


# -- the year without a schedule ----------------------------------------------------------


def test_2026_december_to_2027_is_provisional():
    # REFERENCE.md §4.5 last row: the package raises; we answer by §4.6, marked 暂定.
    with pytest.raises(NotImplementedError):
        reference_add(date(2026, 12, 20), 20)
    result = CAL.deadline(date(2026, 12, 20), 20)
    # 12-21..25 (5), 12-28..31 (9), 2027-01-01 Fri 元旦 (off, estimated), 01-04..08 (14),
    # 01-11..15 (19), 01-18 (20)
    assert result.date == date(2027, 1, 18)
    assert result.provisional
    assert len(result.reasons) == 1 and "2027年" in result.reasons[0] and "暂" in result.reasons[0]
    # A deadline that stays inside 2026 is not provisional, even near the end of the year.
    assert not CAL.deadline(date(2026, 12, 1), 20).provisional
    assert CAL.add_workdays(date(2026, 12, 1), 20) == date(2026, 12, 29)


def test_single_day_in_2027_says_it_is_provisional():
    info = CAL.day(date(2027, 1, 4))
    assert info.is_workday and info.provisional and info.kind is DayKind.WORKDAY
    assert "2027年" in info.reason and info.label.endswith("（暂定）")
    new_year = CAL.day(date(2027, 1, 1))
    assert not new_year.is_workday and new_year.provisional and new_year.kind is DayKind.HOLIDAY
    assert new_year.label == "元旦放假（暂定）" and "放假办法" in new_year.reason
    assert CAL.is_provisional(date(2027, 6, 5))
    weekend = CAL.day(date(2027, 1, 2))
    assert not weekend.is_workday and weekend.provisional and weekend.kind is DayKind.WEEKEND


def test_years_before_the_package_are_provisional_too():
    assert CAL.is_provisional(date(2003, 5, 1))
    assert CAL.provisional_years(date(2003, 12, 1), date(2004, 2, 1)) == (2003,)


def test_entering_2027_makes_it_covered_and_due_dates_move():
    # A hypothetical 2027 notice entered by an admin: 元旦 01-01 (Fri) off, 01-02/03 weekend.
    overrides = [Override(date(2027, 1, 1), False, "元旦")]
    cal = WorkCalendar.from_package(overrides=overrides, covered_years={2027})
    assert cal.is_covered(2027)
    assert not cal.is_workday(date(2027, 1, 1))
    assert cal.day(date(2027, 1, 1)).kind is DayKind.OVERRIDE_OFF
    assert cal.day(date(2027, 1, 1)).label == "调整为休息日（元旦）"
    result = cal.deadline(date(2026, 12, 20), 20)
    # As above, but 01-01 no longer counts: the 20th working day is Monday 01-18.
    assert result.date == date(2027, 1, 18)
    assert not result.provisional
    assert "已录入全年安排：2027年" in cal.source


def test_overrides_without_declaring_the_year_stay_provisional():
    cal = WorkCalendar.from_package(overrides=[Override(date(2027, 1, 1), False, "元旦")])
    assert not cal.is_provisional(date(2027, 1, 1))  # that day is known
    assert cal.is_provisional(date(2027, 1, 4))  # the rest of the year is not
    result = cal.deadline(date(2026, 12, 20), 20)
    assert result.date == date(2027, 1, 18) and result.provisional


def test_local_override_in_a_covered_year():
    # e.g. a local holiday on a Monday, and a Saturday worked locally.
    cal = WorkCalendar.from_package(
        overrides=[
            Override(date(2025, 3, 3), False, "地方性假日"),
            Override(date(2025, 3, 8), True, "地方调休上班"),
        ]
    )
    assert not cal.is_workday(date(2025, 3, 3)) and cal.is_workday(date(2025, 3, 8))
    assert CAL.is_workday(date(2025, 3, 3)) and not CAL.is_workday(date(2025, 3, 8))
    assert cal.add_workdays(date(2025, 2, 28), 5) == date(2025, 3, 8)
    assert [o.date for o in cal.overrides_differing_from_schedule()] == [
        date(2025, 3, 3),
        date(2025, 3, 8),
    ]
    agreeing = WorkCalendar.from_package(overrides=[Override(date(2025, 1, 26), True, "调休")])
    assert agreeing.overrides_differing_from_schedule() == ()


def test_override_can_undo_a_package_holiday():
    cal = WorkCalendar.from_package(overrides=[Override(date(2025, 10, 8), True, "本地上班")])
    assert cal.is_workday(date(2025, 10, 8))
    assert cal.day(date(2025, 10, 8)).kind is DayKind.OVERRIDE_ON


def test_with_overrides_adds_to_the_calendar():
    base = WorkCalendar.from_package(overrides=[Override(date(2025, 3, 3), False, "a")])
    more = base.with_overrides([Override(date(2027, 1, 1), False, "元旦")], covered_years=[2027])
    assert not more.is_workday(date(2025, 3, 3)) and not more.is_workday(date(2027, 1, 1))
    assert more.is_covered(2027) and not base.is_covered(2027)


def test_contradictory_overrides_are_refused():
    with pytest.raises(CalendarError, match="矛盾"):
        WorkCalendar.from_package(
            overrides=[Override(date(2025, 3, 3), False), Override(date(2025, 3, 3), True)]
        )


def test_out_of_range_is_refused_in_chinese():
    with pytest.raises(CalendarError, match="超出工作日历范围"):
        CAL.is_workday(date(1999, 12, 31))
    with pytest.raises(CalendarError, match="超出工作日历范围"):
        CAL.add_workdays(date(2100, 12, 20), 20)
    with pytest.raises(CalendarError, match="超出工作日历范围"):
        CAL.add_workdays(date(2000, 1, 5), -20)
    with pytest.raises(CalendarError):
        CAL.workdays_between(date(2025, 1, 1), date(2101, 1, 1))
    with pytest.raises(CalendarError):
        WorkCalendar.from_package(overrides=[Override(date(2101, 1, 1), False)])


# -- the API itself -----------------------------------------------------------------------


def test_day_kinds_and_labels():
    assert CAL.day(date(2025, 1, 26)).kind is DayKind.MAKEUP
    assert CAL.day(date(2025, 1, 26)).label == "调休上班（春节）"
    assert CAL.day(date(2025, 1, 28)).label == "春节放假"
    assert CAL.day(date(2025, 2, 1)).kind is DayKind.HOLIDAY  # a Saturday inside the break
    assert CAL.day(date(2025, 10, 6)).name == "中秋节"
    assert CAL.day(date(2025, 1, 4)).label == "周末"
    assert CAL.day(date(2025, 1, 6)).label == "工作日"
    assert wd.format_day(date(2025, 1, 26)) == "2025-01-26（周日）"


def test_next_workday_and_on_or_after():
    assert CAL.next_workday(date(2025, 1, 24)) == date(2025, 1, 26)  # Friday → make-up Sunday
    assert CAL.next_workday(date(2025, 1, 27)) == date(2025, 2, 5)
    assert CAL.workday_on_or_after(date(2025, 1, 27)) == date(2025, 1, 27)
    assert CAL.workday_on_or_after(date(2025, 1, 28)) == date(2025, 2, 5)


def test_add_zero_and_negative():
    assert CAL.add_workdays(date(2025, 2, 1), 0) == date(2025, 2, 1)
    assert CAL.add_workdays(date(2025, 2, 5), -1) == date(2025, 1, 27)
    assert CAL.add_workdays(date(2025, 2, 8), -2) == date(2025, 2, 6)


def test_describe_span_groups_breaks():
    notes = CAL.describe_span(date(2025, 9, 22), date(2025, 10, 24))
    assert notes == (
        "2025-09-28（周日）调休上班（国庆节），计入",
        "国庆节、中秋节放假 2025-10-01至2025-10-08（8天，不计）",
        "2025-10-11（周六）调休上班（国庆节），计入",
    )
    assert CAL.describe_span(date(2025, 3, 1), date(2025, 3, 31)) == ()


def test_module_level_functions_use_the_default_calendar():
    assert wd.is_workday(date(2025, 1, 26))
    assert wd.add_workdays(date(2025, 1, 6), 20) == date(2025, 2, 8)
    assert wd.workdays_between(date(2025, 1, 6), date(2025, 2, 8)) == 20
    assert wd.next_workday(date(2025, 1, 4)) == date(2025, 1, 6)
    assert wd.day(date(2027, 3, 1)).provisional
    assert wd.deadline(date(2026, 12, 20), 20).provisional
    assert default_calendar() is default_calendar()


def test_datetime_input_is_accepted():
    from datetime import datetime

    assert CAL.add_workdays(datetime(2025, 1, 6, 15, 30), 0) == date(2025, 1, 6)  # noqa: DTZ001
    assert CAL.add_workdays(datetime(2025, 1, 6, 15, 30), 20) == date(2025, 2, 8)  # noqa: DTZ001


# -- properties -------------------------------------------------------------------------

dates = st.dates(min_value=date(2001, 1, 1), max_value=date(2099, 6, 30))
counts = st.integers(min_value=0, max_value=120)


@settings(max_examples=300, deadline=None)
@given(dates, counts)
def test_add_then_count_is_identity(start, n):
    end = CAL.add_workdays(start, n)
    assert CAL.workdays_between(start, end) == n
    if n:
        assert CAL.is_workday(end) and end > start


@settings(max_examples=300, deadline=None)
@given(dates, dates)
def test_count_then_add_gives_last_workday_not_after(a, b):
    n = CAL.workdays_between(a, b)
    assert CAL.workdays_between(b, a) == -n
    if b >= a:
        end = CAL.add_workdays(a, n)
        assert end <= b
        assert CAL.workdays_between(end, b) == 0  # no working day in (end, b]


@settings(max_examples=300, deadline=None)
@given(dates, counts, counts)
def test_add_is_monotonic_and_additive(start, m, n):
    if m <= n:
        assert CAL.add_workdays(start, m) <= CAL.add_workdays(start, n)
    assert CAL.add_workdays(CAL.add_workdays(start, m), n) == CAL.add_workdays(start, m + n)


@settings(max_examples=300, deadline=None)
@given(dates, dates, st.integers(min_value=1, max_value=60))
def test_later_start_never_gives_earlier_deadline(a, b, n):
    if a <= b:
        assert CAL.add_workdays(a, n) <= CAL.add_workdays(b, n)


@settings(max_examples=200, deadline=None)
@given(dates, st.integers(min_value=1, max_value=60))
def test_add_matches_a_day_by_day_walk(start, n):
    d, k = start, 0
    while k < n:
        d += DAY
        if CAL.is_workday(d):
            k += 1
    assert CAL.add_workdays(start, n) == d


@settings(max_examples=200, deadline=None)
@given(dates, st.integers(min_value=1, max_value=60))
def test_provisional_exactly_when_an_uncovered_day_is_looked_at(start, n):
    result = CAL.deadline(start, n)
    looked_at = list(days(start + DAY, result.date))
    assert result.provisional == any(d.year not in CAL.covered_years for d in looked_at)
    outside_package = [d for d in looked_at if not 2004 <= d.year <= 2026]
    if not outside_package:
        assert result.date == reference_add(start, n)
