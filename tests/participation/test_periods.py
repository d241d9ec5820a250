import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.participation.periods import MINIMUM_DAYS, check_period, period_days

D = dt.date


@pytest.mark.parametrize(
    ("kind", "start", "end", "reason", "ok", "warned"),
    [
        ("regulation", D(2026, 6, 1), D(2026, 6, 30), "", True, False),   # exactly 30 days
        ("regulation", D(2026, 6, 1), D(2026, 6, 29), "", False, True),   # 29 days, no reason
        ("regulation", D(2026, 6, 1), D(2026, 6, 29), "情况紧急", True, True),
        ("major_decision", D(2026, 2, 1), D(2026, 3, 2), "", True, False),  # 30 days across February
        ("major_decision", D(2026, 2, 1), D(2026, 3, 1), "  ", False, True),  # blank reason is none
        ("normative", D(2026, 6, 1), D(2026, 6, 10), "", True, False),
        ("normative", D(2026, 6, 1), D(2026, 6, 3), "", True, True),      # 3 days: warn only
        ("policy", D(2026, 6, 2), D(2026, 6, 1), "", False, False),       # end before start
    ],
)
def test_period_table(kind, start, end, reason, ok, warned):
    check = check_period(kind=kind, starts_on=start, ends_on=end, short_reason=reason)
    assert check.ok is ok
    assert bool(check.warnings) is warned


dates = st.dates(min_value=D(2000, 1, 1), max_value=D(2100, 12, 31))


@given(start=dates, length=st.integers(min_value=1, max_value=120), kind=st.sampled_from(sorted(MINIMUM_DAYS)),
       reason=st.sampled_from(["", "情况紧急，需尽快出台"]))
def test_statutory_kinds_need_a_reason_exactly_when_shorter_than_30_days(start, length, kind, reason):
    end = start + dt.timedelta(days=length - 1)
    check = check_period(kind=kind, starts_on=start, ends_on=end, short_reason=reason)
    assert check.days == length == period_days(start, end)
    assert check.is_short is (length < 30)
    assert check.ok is (length >= 30 or bool(reason))


@given(start=dates, length=st.integers(min_value=1, max_value=120))
def test_other_kinds_are_never_refused(start, length):
    end = start + dt.timedelta(days=length - 1)
    assert check_period(kind="policy", starts_on=start, ends_on=end).ok
