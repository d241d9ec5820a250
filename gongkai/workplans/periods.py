"""Periods of recurring duties and which reminders fall due today (pure: dates in, dates out)."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

MONTHS = {"monthly": 1, "quarterly": 3, "half-yearly": 6, "yearly": 12}


def period_bounds(day: dt.date, freq: str) -> tuple[dt.date, dt.date] | None:
    """The period of ``freq`` containing ``day`` (calendar months, quarters, halves, years); weeks run Mon–Sun."""
    if freq == "weekly":
        start = day - dt.timedelta(days=day.weekday())
        return start, start + dt.timedelta(days=6)
    months = MONTHS.get(freq)
    if not months:
        return None
    first_month = (day.month - 1) // months * months + 1
    last_month = first_month + months - 1
    return dt.date(day.year, first_month, 1), dt.date(day.year, last_month, calendar.monthrange(day.year, last_month)[1])


@dataclass(frozen=True)
class Due:
    kind: str      # deadline, overdue, recurring
    due: dt.date
    message: str


def reminders_due(*, title: str, due: dt.date | None, freqs: list[str], done: bool, reports: list[dt.date],
                  today: dt.date, ahead: int = 7, period_ahead: int = 5) -> list[Due]:
    """Reminders for one task today: its deadline is near or passed; a recurring duty's period ends unreported."""
    if done:
        return []
    out: list[Due] = []
    if due is not None:
        days = (due - today).days
        if 0 <= days <= ahead:
            out.append(Due("deadline", due, f"“{title}”将于{due:%Y年%m月%d日}到期（还有{days}天）。"))
        elif days < 0:
            out.append(Due("overdue", due, f"“{title}”已于{due:%Y年%m月%d日}到期，尚未完成。"))
    for freq in dict.fromkeys(freqs):
        bounds = period_bounds(today, freq)
        if bounds is None:
            continue
        start, end = bounds
        if (end - today).days <= period_ahead and not any(start <= r <= end for r in reports):
            out.append(Due("recurring", end, f"“{title}”是周期性工作，本期（截至{end:%Y年%m月%d日}）尚未报送进展。"))
    return out
