"""The fast path gives the same state and due date as the full clock, on random valid logs and settings."""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.applications.clock import (
    DEFAULT_SETTINGS,
    Channel,
    ClockError,
    ClockEvent,
    ClockSettings,
    EventKind,
    compute_clock,
)
from gongkai.applications.fastclock import KIND_CODES, fast_clock, supports
from gongkai.workdays import default_calendar, workday_table

CAL = default_calendar()
TABLE = workday_table(CAL)
E = EventKind
STEPS = [E.CORRECTION_REQUESTED, E.CORRECTED, E.CORRECTION_EXPIRED, E.CONSULTATION_SENT, E.CONSULTATION_ANSWERED,
         E.CONSULTATION_EXPIRED, E.FEE_NOTICE_SENT, E.FEE_PAID, E.FEE_EXPIRED, E.EXTENDED, E.DETERMINED,
         E.WITHDRAWN, E.REOPENED, E.DETERMINED, E.REOPENED]


#: What fast_clock reads from the settings, what supports() requires, and what only the full
#: clock's checks use (a valid log is checked when it is written, not again here).
FAST_READS = {"reply_workdays", "fee_period_excluded"}
SUPPORTS_FIXES = {"count_trigger_day", "non_workday_receipt_moves_to_next_workday", "assume_confirmed_on_arrival",
                  "correction_restarts_clock"}
CHECKS_ONLY = {"correction_notice_workdays", "max_extension_workdays", "max_extensions", "extension_after_due_allowed",
               "consultation_workdays", "fee_payment_workdays", "publication_workdays"}

supported_settings = st.builds(
    replace, st.just(DEFAULT_SETTINGS),
    reply_workdays=st.integers(1, 30), fee_period_excluded=st.booleans(), max_extension_workdays=st.integers(1, 30),
    max_extensions=st.integers(1, 2), extension_after_due_allowed=st.booleans(),
    consultation_workdays=st.integers(1, 20), fee_payment_workdays=st.integers(1, 20))


@st.composite
def logs(draw, clock_settings=DEFAULT_SETTINGS):
    """A log built step by step, keeping only the events the full clock accepts."""
    receipt = draw(st.dates(min_value=date(2015, 1, 1), max_value=date(2026, 6, 30)))
    channel = draw(st.sampled_from(list(Channel)))
    events = [ClockEvent(E.RECEIVED, receipt, channel=channel)]
    day = receipt
    for _ in range(draw(st.integers(0, 8))):
        day = day + timedelta(days=draw(st.integers(0, 25)))
        kind = draw(st.sampled_from(STEPS))
        kw = {"workdays": draw(st.integers(1, 20))} if kind is E.EXTENDED else {}
        if kind is E.REOPENED:  # the period a 复议 decision or judgment sets, or the default
            kw = {"workdays": draw(st.one_of(st.none(), st.integers(1, 30)))}
        candidate = [*events, ClockEvent(kind, day, **kw)]
        try:
            compute_clock(candidate, calendar=CAL, settings=clock_settings)
        except ClockError:
            continue
        events = candidate
    today = day + timedelta(days=draw(st.integers(0, 40)))
    return events, today


def _agree(events, today, clock_settings=DEFAULT_SETTINGS):
    full = compute_clock(events, calendar=CAL, today=today, settings=clock_settings)
    tuples = [(KIND_CODES[e.kind], e.effective_date.toordinal(), e.workdays or 0) for e in events]
    state, due = fast_clock(tuples, TABLE, today.toordinal(), clock_settings)
    assert state == full.state.value
    expected = full.due_date or full.projected_due_date
    assert (date.fromordinal(due) if due is not None else None) == expected


@settings(max_examples=400, deadline=None)
@given(logs())
def test_fast_path_agrees_with_the_full_clock(case):
    _agree(*case)


@settings(max_examples=150, deadline=None)
@given(st.data(), supported_settings)
def test_fast_path_agrees_under_every_supported_setting(data, clock_settings):
    assert supports(clock_settings)
    events, today = data.draw(logs(clock_settings))
    _agree(events, today, clock_settings)


def test_every_setting_is_read_refused_or_only_checked():
    """A new ClockSettings field fails here until someone decides what the fast path does with it."""
    names = {f.name for f in fields(ClockSettings)}
    assert names == FAST_READS | SUPPORTS_FIXES | CHECKS_ONLY
    assert supports(DEFAULT_SETTINGS)
    for name in SUPPORTS_FIXES:
        assert not supports(replace(DEFAULT_SETTINGS, **{name: not getattr(DEFAULT_SETTINGS, name)}))


def test_table_matches_the_calendar():
    d = date(2025, 1, 4)
    for n in (0, 1, 7, 20, 40):
        assert TABLE.add_date(d, n) == CAL.add_workdays(d, n)
    assert TABLE.between(date(2025, 9, 22).toordinal(), date(2025, 10, 24).toordinal()) == 20
