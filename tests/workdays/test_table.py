"""The working-day table answers as the calendar it was built from, overrides included."""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.workdays import Override, default_calendar, workday_table

CAL = default_calendar()
TABLE = workday_table(CAL)
days = st.dates(min_value=date(2005, 1, 1), max_value=date(2026, 6, 30))


@settings(max_examples=300, deadline=None)
@given(days, st.integers(0, 60))
def test_add_is_add_workdays(d, n):
    assert TABLE.add_date(d, n) == CAL.add_workdays(d, n)


@settings(max_examples=300, deadline=None)
@given(days, st.integers(0, 400))
def test_between_is_workdays_between(a, span):
    b = a + timedelta(days=span)
    assert TABLE.between(a.toordinal(), b.toordinal()) == CAL.workdays_between(a, b)


def test_index_of_counts_workdays_up_to_a_day():
    d = date(2025, 10, 9)  # the first working day after 国庆 and 中秋
    assert TABLE.work[TABLE.index_of(d.toordinal()) - 1] == d.toordinal()
    assert TABLE.index_of(date(2025, 10, 8).toordinal()) == TABLE.index_of(date(2025, 9, 30).toordinal())


def test_one_table_per_calendar_and_overrides_count():
    assert workday_table(CAL) is workday_table(CAL)
    local = CAL.with_overrides([Override(date(2025, 10, 10), False, "地方假日")])
    table = workday_table(local)
    assert table is not TABLE
    assert table.add_date(date(2025, 10, 9), 1) == date(2025, 10, 11)  # a Saturday worked for 国庆 (调休)
    assert TABLE.add_date(date(2025, 10, 9), 1) == date(2025, 10, 10)
