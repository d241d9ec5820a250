"""The statutory holidays of a year without a published schedule (REFERENCE.md §4.6).

The 《全国年节及纪念日放假办法》 (2024 revision, in force 2025-01-01) fixes the
holidays for all citizens (Art. 2):

* 元旦 1 January;
* 春节 农历除夕 and 正月初一至初三 (4 days);
* 清明节 the day of the 清明 solar term;
* 劳动节 1 and 2 May;
* 端午节 农历五月初五;
* 中秋节 农历八月十五;
* 国庆节 1 to 3 October.

Art. 6: when a holiday for all citizens falls on a Saturday or Sunday, a 补假 is
given on a working day. Following REFERENCE §4.6, each such date gets its 补假 on
the next weekday that is not already a holiday or a 补假, taken in date order;
a day that is two holidays at once (中秋 within 国庆) counts once. No 调休
make-up working day is guessed: the annual State Council notice decides those.

Lunar dates and the solar term come from ``lunar-python`` (docs/adr/0009).
Pure Python: no Django, no I/O.
"""

from __future__ import annotations

import functools
from datetime import date, timedelta
from typing import NamedTuple

__all__ = ["FIRST_ESTIMATED_YEAR", "StatutoryDay", "statutory_days"]

#: The 2024 revision applies from 2025; earlier years are never estimated.
FIRST_ESTIMATED_YEAR = 2025


class StatutoryDay(NamedTuple):
    """A statutory holiday, or (``makeup``) the 补假 given for one falling on a weekend."""

    day: date
    name: str
    makeup: bool = False


def _lunar(year: int, month: int, day: int) -> date:
    from lunar_python import Lunar

    s = Lunar.fromYmd(year, month, day).getSolar()
    return date(s.getYear(), s.getMonth(), s.getDay())


def _qingming(year: int) -> date:
    from lunar_python import Solar

    s = Solar.fromYmd(year, 4, 1).getLunar().getJieQiTable()["清明"]
    return date(s.getYear(), s.getMonth(), s.getDay())


def _holidays(year: int) -> dict[date, str]:
    days: dict[date, list[str]] = {}

    def add(d: date, name: str) -> None:
        names = days.setdefault(d, [])
        if name not in names:
            names.append(name)

    add(date(year, 1, 1), "元旦")
    new_year = _lunar(year, 1, 1)
    for offset in range(-1, 3):  # 除夕, 正月初一至初三
        add(new_year + timedelta(days=offset), "春节")
    add(_qingming(year), "清明节")
    add(date(year, 5, 1), "劳动节")
    add(date(year, 5, 2), "劳动节")
    add(_lunar(year, 5, 5), "端午节")
    add(date(year, 10, 1), "国庆节")
    add(date(year, 10, 2), "国庆节")
    add(date(year, 10, 3), "国庆节")
    add(_lunar(year, 8, 15), "中秋节")
    return {d: "、".join(names) for d, names in sorted(days.items())}


@functools.cache
def statutory_days(year: int) -> tuple[StatutoryDay, ...]:
    """The days off of ``year`` by the 放假办法 alone, holidays and 补假, in date order.

    Empty before :data:`FIRST_ESTIMATED_YEAR` (another version of the 办法 applied).
    """
    if year < FIRST_ESTIMATED_YEAR:
        return ()
    holidays = _holidays(year)
    taken = set(holidays)
    out = [StatutoryDay(d, name) for d, name in holidays.items()]
    for d, name in holidays.items():
        if d.weekday() < 5:
            continue
        c = d + timedelta(days=1)
        while c.weekday() >= 5 or c in taken:
            c += timedelta(days=1)
        taken.add(c)
        out.append(StatutoryDay(c, f"{name}补假", True))
    return tuple(sorted(out))
