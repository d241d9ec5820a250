"""``gongkai bench clock`` — how fast the calendar and the clock are.

Prints µs per :meth:`~gongkai.workdays.WorkCalendar.add_workdays`,
:meth:`~gongkai.workdays.WorkCalendar.workdays_between` and
:meth:`~gongkai.workdays.WorkCalendar.is_workday` call, the time to build a
calendar, and how many application clocks (a realistic event log, replayed in
full) can be recomputed per second. ``--json`` prints one JSON object instead;
``--repeat`` is the number of timed loops (the best counts).
The target is ≤ 2 µs per ``add_workdays`` call. Inputs are deterministic.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from datetime import date
from typing import Any

from gongkai.applications.clock import Channel, ClockEvent, EventKind, compute_clock
from gongkai.workdays.calendar import WorkCalendar

from .common import Benchmark, Say, Size

__all__ = ["BENCHMARK", "TARGET_ADD_WORKDAYS_US", "measure"]

TARGET_ADD_WORKDAYS_US = 2.0


def _best_of(repeat: int, fn: Callable[[], object]) -> float:
    """Smallest wall time of ``repeat`` runs of ``fn`` (seconds)."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def _inputs(n: int) -> tuple[list[date], list[date], list[int]]:
    """Deterministic spread of dates over 2004–2026 and counts 1–60."""
    lo = date(2004, 1, 1).toordinal()
    span = date(2026, 10, 31).toordinal() - lo
    starts = [date.fromordinal(lo + (i * 7919) % span) for i in range(n)]
    ends = [date.fromordinal(lo + (i * 104729 + 31) % span) for i in range(n)]
    counts = [1 + (i * 37) % 60 for i in range(n)]
    return starts, ends, counts


def measure(calls: int = 100_000, repeat: int = 5) -> dict[str, Any]:
    """Run the measurements; return the figures."""
    build_s = _best_of(3, WorkCalendar.from_package)
    cal = WorkCalendar.from_package()
    starts, ends, counts = _inputs(calls)
    pairs = list(zip(starts, counts, strict=True))
    spans = list(zip(starts, ends, strict=True))
    add = cal.add_workdays
    between = cal.workdays_between
    is_workday = cal.is_workday

    def loop_add() -> None:
        for d, n in pairs:
            add(d, n)

    def loop_between() -> None:
        for a, b in spans:
            between(a, b)

    def loop_is_workday() -> None:
        for d in starts:
            is_workday(d)

    def loop_empty() -> None:
        for _d, _n in pairs:
            pass

    overhead = _best_of(repeat, loop_empty)
    add_s = _best_of(repeat, loop_add)
    between_s = _best_of(repeat, loop_between)
    is_workday_s = _best_of(repeat, loop_is_workday)

    e = EventKind
    log = [
        ClockEvent(e.RECEIVED, date(2025, 9, 26), channel=Channel.ONLINE),
        ClockEvent(e.CONSULTATION_SENT, date(2025, 10, 9)),
        ClockEvent(e.FEE_NOTICE_SENT, date(2025, 10, 10)),
        ClockEvent(e.CONSULTATION_ANSWERED, date(2025, 10, 17)),
        ClockEvent(e.FEE_PAID, date(2025, 10, 20)),
        ClockEvent(e.EXTENDED, date(2025, 10, 21), workdays=20),
        ClockEvent(e.DETERMINED, date(2025, 11, 28)),
    ]
    clocks = max(50, min(2_000, calls // 50))
    today = date(2025, 12, 1)

    def loop_clock() -> None:
        for _ in range(clocks):
            compute_clock(log, calendar=cal, today=today)

    clock_s = _best_of(3, loop_clock)
    add_us = add_s / calls * 1e6
    return {
        "calls": calls,
        "add_workdays_us": round(add_us, 3),
        "add_workdays_net_us": round((add_s - overhead) / calls * 1e6, 3),
        "workdays_between_us": round(between_s / calls * 1e6, 3),
        "is_workday_us": round(is_workday_s / calls * 1e6, 3),
        "loop_overhead_us": round(overhead / calls * 1e6, 3),
        "calendar_build_ms": round(build_s * 1e3, 2),
        "calendar_days": (cal.last_date - cal.first_date).days + 1,
        "clock_events_per_log": len(log),
        "clock_recomputations_per_s": round(clocks / clock_s),
        "clock_recomputation_us": round(clock_s / clocks * 1e6, 1),
        "target_add_workdays_us": TARGET_ADD_WORKDAYS_US,
        "target_met": add_us <= TARGET_ADD_WORKDAYS_US,
    }


def _lines(r: dict[str, Any]) -> list[str]:
    met = "达标" if r["target_met"] else "未达标"
    return [
        f"add_workdays       {r['add_workdays_us']:8.3f} µs/次（目标 ≤ {TARGET_ADD_WORKDAYS_US} µs，{met}；"
        f"扣除循环开销 {r['add_workdays_net_us']:.3f} µs）",
        f"workdays_between   {r['workdays_between_us']:8.3f} µs/次",
        f"is_workday         {r['is_workday_us']:8.3f} µs/次",
        f"建立工作日历       {r['calendar_build_ms']:8.2f} ms（{r['calendar_days']} 天）",
        f"重算答复期限       {r['clock_recomputations_per_s']:8d} 次/秒"
        f"（每次 {r['clock_recomputation_us']} µs，{r['clock_events_per_log']} 条事件）",
    ]


def _measure(args: argparse.Namespace, *, say: Say) -> dict[str, Any]:
    return measure(calls=args.calls, repeat=args.repeat)


BENCHMARK = Benchmark(
    name="clock",
    description="工作日历与答复期限计算的性能测量",
    measure=_measure,
    sizes=(Size("--calls", 100_000, "每项测量的调用次数"),),
    repeat=5,
    lines=_lines,
)
