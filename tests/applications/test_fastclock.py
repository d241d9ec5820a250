"""The fast path gives the same state and due date as the full clock, on random valid logs."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.applications.clock import Channel, ClockError, ClockEvent, EventKind, compute_clock
from gongkai.applications.fastclock import KIND_CODES, fast_calendar, fast_clock
from gongkai.workdays import default_calendar

CAL = default_calendar()
TABLE = fast_calendar(CAL)
E = EventKind
STEPS = [E.CORRECTION_REQUESTED, E.CORRECTED, E.CORRECTION_EXPIRED, E.CONSULTATION_SENT, E.CONSULTATION_ANSWERED,
         E.CONSULTATION_EXPIRED, E.FEE_NOTICE_SENT, E.FEE_PAID, E.FEE_EXPIRED, E.EXTENDED, E.DETERMINED]


@st.composite
def logs(draw):
    """A log built step by step, keeping only the events the full clock accepts."""
    receipt = draw(st.dates(min_value=date(2015, 1, 1), max_value=date(2026, 6, 30)))
    channel = draw(st.sampled_from(list(Channel)))
    events = [ClockEvent(E.RECEIVED, receipt, channel=channel)]
    day = receipt
    for _ in range(draw(st.integers(0, 8))):
        day = day + timedelta(days=draw(st.integers(0, 25)))
        kind = draw(st.sampled_from(STEPS))
        kw = {"workdays": draw(st.integers(1, 20))} if kind is E.EXTENDED else {}
        candidate = [*events, ClockEvent(kind, day, **kw)]
        try:
            compute_clock(candidate, calendar=CAL)
        except ClockError:
            continue
        events = candidate
    today = day + timedelta(days=draw(st.integers(0, 40)))
    return events, today


@settings(max_examples=400, deadline=None)
@given(logs())
def test_fast_path_agrees_with_the_full_clock(case):
    events, today = case
    full = compute_clock(events, calendar=CAL, today=today)
    tuples = [(KIND_CODES[e.kind], e.effective_date.toordinal(), e.workdays or 0) for e in events]
    state, due = fast_clock(tuples, TABLE, today.toordinal())
    assert state == full.state.value
    expected = full.due_date or full.projected_due_date
    assert (date.fromordinal(due) if due is not None else None) == expected


def test_table_matches_the_calendar():
    d = date(2025, 1, 4)
    for n in (0, 1, 7, 20, 40):
        assert TABLE.add_date(d, n) == CAL.add_workdays(d, n)
    assert TABLE.between(date(2025, 9, 22).toordinal(), date(2025, 10, 24).toordinal()) == 20
