"""The clock without its explanation: due date and state only, fast (pure Python).

:func:`gongkai.applications.clock.compute_clock` is the source of truth: it
replays a log with every check and writes the Chinese explanation (about
150–300 µs a log). Sorting the handler queue needs only the due date of every
application, recomputed whenever the calendar changes and every night
(``gongkai applications recompute``), so this module replays an already
validated log with the same rules — and nothing else — over ordinal integers
and the working-day table of :mod:`gongkai.workdays.table`, in a few
microseconds (docs/adr/0003-application-clock-fast-path.md).

It gives the same ``state`` and ``due_date`` (or ``projected_due_date`` while
paused or waiting for correction) as :func:`compute_clock` for every valid log
under the settings it supports — **callers check** :func:`supports` **first**
and use :func:`compute_clock` otherwise; tests compare the two on random logs
and fail when a setting is added that this module does not know. Logs are
validated by :func:`compute_clock` when each event is written; :func:`fast_clock`
does not check them again.
"""

from __future__ import annotations

from collections.abc import Sequence

from gongkai.workdays import WorkdayTable

from .clock import DEFAULT_SETTINGS, ClockSettings, EventKind

__all__ = ["KIND_CODES", "fast_clock", "supports"]

RECEIVED, C_REQ, C_DONE, C_EXP, CONS_SENT, CONS_END, FEE_SENT, FEE_PAID, FEE_EXP, EXT, DET, WDR, REOPEN = range(13)

#: EventKind → the small integer :func:`fast_clock` takes.
KIND_CODES: dict[str, int] = {
    EventKind.RECEIVED: RECEIVED,
    EventKind.CORRECTION_REQUESTED: C_REQ,
    EventKind.CORRECTED: C_DONE,
    EventKind.CORRECTION_EXPIRED: C_EXP,
    EventKind.CONSULTATION_SENT: CONS_SENT,
    EventKind.CONSULTATION_ANSWERED: CONS_END,
    EventKind.CONSULTATION_EXPIRED: CONS_END,
    EventKind.FEE_NOTICE_SENT: FEE_SENT,
    EventKind.FEE_PAID: FEE_PAID,
    EventKind.FEE_EXPIRED: FEE_EXP,
    EventKind.EXTENDED: EXT,
    EventKind.DETERMINED: DET,
    EventKind.WITHDRAWN: WDR,
    EventKind.REOPENED: REOPEN,
}

# States (the ClockState values).
RUNNING = "running"
PAUSED = "paused"
WAITING = "waiting_correction"
STOPPED = "stopped"
ABANDONED = "abandoned"


def supports(settings: ClockSettings) -> bool:
    """Whether :func:`fast_clock` follows ``settings`` (else use :func:`compute_clock`)."""
    return (
        not settings.count_trigger_day
        and not settings.non_workday_receipt_moves_to_next_workday
        and settings.assume_confirmed_on_arrival
        and settings.correction_restarts_clock
    )


def fast_clock(
    events: Sequence[tuple[int, int, int]],
    table: WorkdayTable,
    today: int,
    settings: ClockSettings = DEFAULT_SETTINGS,
) -> tuple[str, int | None]:
    """``(state, due)`` of a valid log of ``(kind code, ordinal, workdays)`` tuples.

    ``due`` is the ordinal of the due date (running, stopped), of the
    projected due date if the clock resumed on ``today`` (paused, waiting for
    correction), or ``None`` (abandoned). For ``received`` the ordinal is the
    date of receipt (Art. 31: the confirmation day where there is one).
    """
    reply = settings.reply_workdays
    fee_pauses = settings.fee_period_excluded
    work = table.work
    cum = table.cum
    lo = table.lo
    anchor = events[0][1]
    budget = reply
    starts: list[int] = []  # closed effective intervals, merged, in order
    ends: list[int] = []
    n_open = 0  # open reasons that pause
    block = -1  # start of the open block, -1 if none
    block_eff = False
    state = RUNNING

    def due(extra_start: int = -1, extra_end: int = -1) -> int | None:
        counted = 0
        pos = anchor
        k = len(starts)
        for i in range(k + (1 if (block >= 0 and block_eff) or extra_start >= 0 else 0)):
            if i < k:
                s = starts[i]
                f = ends[i]
            elif extra_start >= 0:
                s = extra_start
                f = extra_end
            else:
                s = block
                f = -1
            gap_end = s - 1
            if gap_end > pos:
                c = cum[gap_end - lo] - cum[pos - lo]
                if counted + c >= budget:
                    return work[cum[pos - lo] + budget - counted - 1]
                counted += c
            if f < 0:
                return None
            if f > pos:
                pos = f
        n = budget - counted
        return work[cum[pos - lo] + n - 1] if n > 0 else pos

    def record(s: int, f: int) -> None:
        if starts and s <= ends[-1] + 1:
            if f > ends[-1]:
                ends[-1] = f
        else:
            starts.append(s)
            ends.append(f)

    for kind, o, k in events[1:]:
        if kind == CONS_SENT or (kind == FEE_SENT and fee_pauses):
            n_open += 1
            if block < 0:
                d = due()
                block_eff = d is not None and o <= d
                block = o
                if block_eff and state == RUNNING:
                    state = PAUSED
        elif kind == CONS_END or (kind == FEE_PAID and fee_pauses):
            n_open -= 1
            if n_open == 0 and block >= 0:
                if state == PAUSED:
                    state = RUNNING
                if block_eff:
                    record(block, o)
                block = -1
        elif kind == EXT:
            budget += k
        elif kind == C_REQ:
            state = WAITING
        elif kind == C_DONE:
            anchor = o
            budget = reply
            starts.clear()
            ends.clear()
            state = RUNNING
        elif kind == DET or kind == C_EXP or kind == FEE_EXP or kind == WDR:
            if block >= 0 and block_eff:
                record(block, o)
            block = -1
            n_open = 0
            state = STOPPED if kind == DET else ABANDONED
        elif kind == REOPEN:
            anchor = o
            budget = k or reply
            starts.clear()
            ends.clear()
            state = RUNNING
    if state == ABANDONED:
        return ABANDONED, None
    if state == RUNNING or state == STOPPED:
        return state, due()
    if state == PAUSED:
        return state, due(block, today if today > block else block)
    return state, work[cum[today - lo] + reply - 1]
