"""Properties of the clock (hypothesis), and a stateful test against a day-by-day model."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from gongkai.applications.clock import (
    Channel,
    ClockError,
    ClockEvent,
    ClockState,
    EventKind,
    compute_clock,
)
from gongkai.workdays import default_calendar

CAL = default_calendar()
DAY = timedelta(days=1)
E = EventKind

receipts = st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 9, 30))
offsets = st.integers(min_value=0, max_value=45)


def received(d: date) -> ClockEvent:
    return ClockEvent(E.RECEIVED, d, channel=Channel.IN_PERSON)


def due(*events: ClockEvent) -> date:
    result = compute_clock(events)
    assert result.due_date is not None
    return result.due_date


@settings(max_examples=150, deadline=None)
@given(receipts, offsets, offsets)
def test_pausing_never_shortens_a_deadline(r, start_offset, length):
    s = r + timedelta(days=start_offset)
    f = s + timedelta(days=length)
    base = due(received(r))
    paused = due(
        received(r), ClockEvent(E.CONSULTATION_SENT, s), ClockEvent(E.CONSULTATION_ANSWERED, f)
    )
    assert paused >= base
    # … and it moves by exactly the working days of [s, f] when the letter went out in time.
    skipped = CAL.workdays_between(max(s - DAY, r), f)
    expected = CAL.add_workdays(base, skipped) if s <= base else base
    assert paused == expected


@settings(max_examples=150, deadline=None)
@given(receipts, offsets, st.integers(min_value=1, max_value=20))
def test_an_extension_adds_exactly_its_working_days(r, at, k):
    base = due(received(r))
    e = r + timedelta(days=at)
    assume(e <= base)
    extended = due(received(r), ClockEvent(E.EXTENDED, e, workdays=k))
    assert extended == CAL.add_workdays(base, k)
    assert CAL.workdays_between(base, extended) == k


@settings(max_examples=150, deadline=None)
@given(receipts, offsets, offsets)
def test_correction_restarts_from_the_corrected_application(r, ask, wait):
    c = r + timedelta(days=ask)
    assume(c <= due(received(r)))
    x = c + timedelta(days=wait)
    result = compute_clock(
        [
            received(r),
            ClockEvent(E.CORRECTION_REQUESTED, c),
            ClockEvent(E.CORRECTED, x),
        ]
    )
    assert result.due_date == CAL.add_workdays(x, 20)
    assert result.start_date == x and result.receipt_date == r


@settings(max_examples=150, deadline=None)
@given(receipts, receipts)
def test_later_receipt_never_gives_an_earlier_deadline(a, b):
    if a <= b:
        assert due(received(a)) <= due(received(b))


@settings(max_examples=100, deadline=None)
@given(
    receipts,
    st.lists(st.integers(min_value=1, max_value=6), min_size=4, max_size=4),
    st.permutations(range(5)),
)
def test_order_of_events_is_enforced(r, gaps, order):
    d1 = r + timedelta(days=gaps[0])
    d2 = d1 + timedelta(days=gaps[1])
    d3 = d2 + timedelta(days=gaps[2])
    d4 = d3 + timedelta(days=gaps[3])
    log = [
        received(r),
        ClockEvent(E.CONSULTATION_SENT, d1),
        ClockEvent(E.CONSULTATION_ANSWERED, d2),
        ClockEvent(E.EXTENDED, d3, workdays=10),
        ClockEvent(E.DETERMINED, d4),
    ]
    shuffled = [log[i] for i in order]
    if list(order) == sorted(order):
        assert compute_clock(shuffled).state is ClockState.STOPPED
    else:
        with pytest.raises(ClockError):
            compute_clock(shuffled)


@settings(max_examples=100, deadline=None)
@given(receipts, offsets)
def test_result_is_a_pure_function_of_the_log(r, at):
    log = [received(r), ClockEvent(E.CONSULTATION_SENT, r + timedelta(days=at))]
    today = r + timedelta(days=at + 3)
    assert compute_clock(log, today=today) == compute_clock(log, today=today)


# -- stateful: random valid logs against a day-by-day model ------------------------------------


def model_due(receipt: date, budget: int, blocks: list[list]) -> date | None:
    """Walk day by day: count working days not inside an effective excluded block."""
    excluded: set[date] = set()
    open_from = None
    for start, end, effective in blocks:
        if not effective:
            continue
        if end is None:
            open_from = start
        else:
            d = start
            while d <= end:
                excluded.add(d)
                d += DAY
    d, k = receipt, 0
    while True:
        d += DAY
        if open_from is not None and d >= open_from:
            return None
        if CAL.is_workday(d) and d not in excluded:
            k += 1
            if k == budget:
                return d


class ClockMachine(RuleBasedStateMachine):
    """Builds a valid log step by step; after each step the clock must agree with the model."""

    @initialize(r=st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 6, 30)))
    def receive(self, r):
        self.receipt = r
        self.today = r
        self.events = [received(r)]
        self.budget = 20
        self.extended = False
        self.fee_sent = False
        self.fee_open = False
        self.consultations = 0
        self.blocks: list[list] = []  # [start, end | None, effective]
        self.stopped = False
        self.correction = None  # None: never asked; "waiting"; "done"

    # -- model helpers --
    def open_count(self):
        return self.consultations + (1 if self.fee_open else 0)

    def due_in_force(self):
        return model_due(self.receipt, self.budget, self.blocks)

    def paused(self):
        return bool(self.blocks) and self.blocks[-1][1] is None and self.blocks[-1][2]

    def active(self):
        return not self.stopped and self.correction != "waiting"

    def open_reason(self):
        if self.open_count() == 0:
            due = self.due_in_force()
            assert due is not None
            self.blocks.append([self.today, None, self.today <= due])

    def close_reason(self):
        if self.open_count() == 0:
            self.blocks[-1][1] = self.today

    # -- rules --
    @precondition(lambda self: not self.stopped)
    @rule(days=st.integers(min_value=0, max_value=9))
    def wait(self, days):
        self.today += timedelta(days=days)

    @precondition(lambda self: self.active())
    @rule()
    def send_consultation(self):
        self.open_reason()
        self.consultations += 1
        self.events.append(ClockEvent(E.CONSULTATION_SENT, self.today, party=None))

    @precondition(lambda self: not self.stopped and self.consultations > 0)
    @rule()
    def answer_consultation(self):
        self.consultations -= 1
        self.close_reason()
        self.events.append(ClockEvent(E.CONSULTATION_ANSWERED, self.today))

    @precondition(lambda self: self.active() and not self.fee_sent)
    @rule()
    def send_fee_notice(self):
        if not self.paused():
            due = self.due_in_force()
            if self.today > due:
                self.expect_refusal(ClockEvent(E.FEE_NOTICE_SENT, self.today))
                return
        self.open_reason()
        self.fee_sent = self.fee_open = True
        self.events.append(ClockEvent(E.FEE_NOTICE_SENT, self.today))

    @precondition(lambda self: not self.stopped and self.fee_open)
    @rule()
    def pay_fee(self):
        self.fee_open = False
        self.close_reason()
        self.events.append(ClockEvent(E.FEE_PAID, self.today))

    @precondition(lambda self: self.active())
    @rule(k=st.integers(min_value=1, max_value=20))
    def extend(self, k):
        event = ClockEvent(E.EXTENDED, self.today, workdays=k)
        if self.extended or (not self.paused() and self.today > self.due_in_force()):
            self.expect_refusal(event)
            return
        self.extended = True
        self.budget += k
        self.events.append(event)

    @precondition(lambda self: self.active())
    @rule()
    def determine(self):
        if self.blocks and self.blocks[-1][1] is None:
            self.blocks[-1][1] = self.today
        self.consultations = 0
        self.fee_open = False
        self.stopped = True
        self.events.append(ClockEvent(E.DETERMINED, self.today))

    @precondition(lambda self: self.active() and self.correction is None and self.open_count() == 0)
    @rule()
    def request_correction(self):
        event = ClockEvent(E.CORRECTION_REQUESTED, self.today)
        if self.extended or self.today > self.due_in_force():
            self.expect_refusal(event)
            return
        self.correction = "waiting"
        self.events.append(event)

    @precondition(lambda self: not self.stopped and self.correction == "waiting")
    @rule()
    def receive_correction(self):
        self.correction = "done"
        self.receipt = self.today  # Art. 30: the 20 days run afresh
        self.blocks = []
        self.events.append(ClockEvent(E.CORRECTED, self.today))

    @precondition(lambda self: not self.stopped and self.correction == "waiting")
    @rule()
    def nothing_else_while_waiting(self):
        self.expect_refusal(ClockEvent(E.CONSULTATION_SENT, self.today))

    @precondition(lambda self: self.stopped)
    @rule()
    def anything_after_the_end_is_refused(self):
        self.expect_refusal(ClockEvent(E.CONSULTATION_SENT, self.today + DAY))

    @precondition(lambda self: self.active() and self.consultations == 0)
    @rule()
    def answer_without_letter_is_refused(self):
        self.expect_refusal(ClockEvent(E.CONSULTATION_ANSWERED, self.today))

    @precondition(lambda self: not self.stopped and self.today > self.receipt)
    @rule()
    def earlier_date_is_refused(self):
        last = max(e.effective_date for e in self.events)
        self.expect_refusal(ClockEvent(E.DETERMINED, last - DAY))

    def expect_refusal(self, event):
        with pytest.raises(ClockError):
            compute_clock([*self.events, event])

    # -- the check --
    @invariant()
    def agrees_with_the_model(self):
        if not hasattr(self, "events"):
            return
        result = compute_clock(self.events, today=self.today)
        if self.correction == "waiting":
            assert result.state is ClockState.WAITING_CORRECTION
            assert result.due_date is None and result.overdue is False
            return
        expected_due = self.due_in_force()
        if self.stopped:
            assert result.state is ClockState.STOPPED
            assert result.due_date == expected_due
            assert result.overdue == (self.events[-1].date > expected_due)
        elif self.paused():
            assert result.state is ClockState.PAUSED
            assert result.due_date is None and expected_due is None
            assert result.overdue is False
        else:
            assert result.state is ClockState.RUNNING
            assert result.due_date == expected_due
            assert result.overdue == (self.today > expected_due)
        assert result.extension_workdays == self.budget - 20
        assert result.explanation and all(isinstance(s, str) for s in result.explanation)


TestClockMachine = ClockMachine.TestCase
TestClockMachine.settings = settings(max_examples=60, stateful_step_count=20, deadline=None)
