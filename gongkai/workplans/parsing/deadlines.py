"""Deadlines and recurrences in the words plans use, normalised against the plan year.

``find_deadlines(text, year)`` scans left to right; each phrase is read once.
Dates without a year take the plan year (6月底前 → year-06-30); 年底前 is
12-31 of the plan year. Recurring duties become a frequency (按月 → monthly,
按季度 → quarterly, 每年至少一次 → yearly ×1, 年内不少于2次 → yearly ×2).
Event-relative limits (公布后3个工作日内) keep their count: they have no date
until the event happens.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from .model import Deadline
from .numbering import cn_to_int

_FW = str.maketrans("０１２３４５６７８９", "0123456789")
_N = r"(?:\d+|[一二三四五六七八九十两]+)"
_DASH = r"\s*(?:—|－|-|–|~|～|至|到)+\s*"


def _num(text: str | None) -> int | None:
    if not text:
        return None
    return int(text) if text.isdigit() else cn_to_int(text)


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _safe_date(year: int, month: int, day: int | None) -> date | None:
    try:
        if day is None:
            return month_end(year, month)
        return date(year, month, day)
    except ValueError:
        return None


# Order matters: longer, more specific phrases first.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("range", re.compile(
        r"(?:(?P<y1>\d{4})年)?(?P<m1>\d{1,2})月(?:(?P<d1>\d{1,2})日)?" + _DASH
        + r"(?:(?P<y2>\d{4})年)?(?P<m2>\d{1,2})月(?:(?P<d2>\d{1,2})日)?(?:底|末)?(?:前|以前|之前)?")),
    ("day", re.compile(r"(?:(?P<y>\d{4})年)?(?P<m>\d{1,2})月(?P<d>\d{1,2})[日号](?:前|以前|之前|截止)")),
    ("month_end", re.compile(r"(?:(?P<y>\d{4})年)?(?P<m>\d{1,2})月(?:份)?(?:底|末|中旬|上旬|下旬)(?:前|以前|之前)?")),
    ("month_in_parens", re.compile(r"(?<=[(（])(?:(?P<y>\d{4})年)(?P<m>\d{1,2})月(?=[)）])")),
    ("quarter", re.compile(r"(?:(?P<y>\d{4})年)?(?:第)?(?P<q>[一二三四1-4])季度(?:末|底)?(?:前|以前|之前|内|完成)")),
    ("half", re.compile(r"(?:(?P<y>\d{4})年)?(?P<h>上|下)半年(?:前|以前|之前|内|底|完成)")),
    ("year_end", re.compile(
        r"(?:(?P<y>\d{4})年|今年|本年|年)(?:度)?(?:底|末)(?:前|以前|之前)?|(?:(?P<y2>\d{4})年)?(?:12月31日)前"
        r"|(?P<y3>\d{4})年内|本年度内|(?<![每一])年内(?=完成|全部|实现|建成|基本)")),
    ("times", re.compile(
        r"(?P<per>每年|年内|全年|每季度|每季|每月|每半年|每周|本年度)[^。；;，,]{0,16}?(?:不(?:得)?少于|至少)(?:开展|组织|举办|召开)?(?P<n>" + _N + r")(?:次|期|场|轮)")),
    ("times_plain", re.compile(r"(?P<per>每年|每季度|每半年|每月)(?:开展|组织|举办|召开|发布|公开)?(?P<n>" + _N + r")(?:次|期|场|轮)")),
    ("workdays", re.compile(r"(?P<n>" + _N + r")个工作日(?:内|以内|之内)")),
    ("hours", re.compile(r"(?P<n>" + _N + r")(?:个)?小时(?:内|以内|之内)")),
    ("days", re.compile(r"(?P<n>" + _N + r")(?:个自然日|日|天)(?:内|以内|之内)")),
    ("freq", re.compile(r"(?:按|每|逐)(?P<f>日|天|周|星期|月|季度|季|半年|年度|年)(?=[^度份内底末]|$)")),
    ("ongoing", re.compile(r"^(?:长期坚持|长期|持续推进|持续开展|常态化|常态|持续|长期执行|全年)$")),
]

_FREQS = {"日": "daily", "天": "daily", "周": "weekly", "星期": "weekly", "月": "monthly", "季度": "quarterly",
          "季": "quarterly", "半年": "half-yearly", "年度": "yearly", "年": "yearly"}
_PER = {"每年": "yearly", "年内": "yearly", "全年": "yearly", "本年度": "yearly", "每季度": "quarterly", "每季": "quarterly",
        "每月": "monthly", "每半年": "half-yearly", "每周": "weekly"}


def find_deadlines(text: str, year: int | None) -> list[Deadline]:
    """Every deadline phrase in ``text``, in order, without duplicates."""
    norm = text.translate(_FW)
    spans: list[tuple[int, int, Deadline]] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(norm):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            deadline = _build(kind, m, year)
            if deadline is None:
                continue
            taken.append((m.start(), m.end()))
            spans.append((m.start(), m.end(), deadline))
    spans.sort(key=lambda s: s[0])
    out: list[Deadline] = []
    for _, _, d in spans:
        if not any(_same(d, o) for o in out):
            out.append(d)
    return out


def _same(a: Deadline, b: Deadline) -> bool:
    return (a.kind, a.due, a.start, a.freq, a.times, a.workdays, a.days, a.hours) == (
        b.kind, b.due, b.start, b.freq, b.times, b.workdays, b.days, b.hours)


def _year(value: str | None, year: int | None) -> int | None:
    return int(value) if value else year


def _build(kind: str, m: re.Match[str], year: int | None) -> Deadline | None:  # noqa: C901 - one branch per phrase kind
    text = m.group(0)
    g = m.groupdict()
    if kind == "range":
        y1 = _year(g["y1"], year)
        y2 = _year(g["y2"], y1)
        if y1 is None or y2 is None:
            return None
        start = _safe_date(y1, int(g["m1"]), int(g["d1"]) if g["d1"] else 1)
        due = _safe_date(y2, int(g["m2"]), int(g["d2"]) if g["d2"] else None)
        if not start or not due or due < start:
            return None
        return Deadline("period", text, due=due, start=start)
    if kind == "day":
        y = _year(g["y"], year)
        due = _safe_date(y, int(g["m"]), int(g["d"])) if y else None
        return Deadline("date", text, due=due) if due else None
    if kind == "month_end":
        y = _year(g["y"], year)
        if not y or not 1 <= int(g["m"]) <= 12:
            return None
        return Deadline("date", text, due=month_end(y, int(g["m"])))
    if kind == "month_in_parens":
        y, mo = int(g["y"]), int(g["m"])
        if not 1 <= mo <= 12:
            return None
        return Deadline("period", text, start=date(y, mo, 1), due=month_end(y, mo))
    if kind == "quarter":
        y = _year(g["y"], year)
        q = _num(g["q"]) or 0
        return Deadline("date", text, due=month_end(y, q * 3)) if y and 1 <= q <= 4 else None
    if kind == "half":
        y = _year(g["y"], year)
        return Deadline("date", text, due=month_end(y, 6 if g["h"] == "上" else 12)) if y else None
    if kind == "year_end":
        y = _year(g.get("y") or g.get("y2") or g.get("y3"), year)
        return Deadline("date", text, due=date(y, 12, 31)) if y else None
    if kind in ("times", "times_plain"):
        freq = _PER.get(g["per"], "yearly")
        n = _num(g["n"])
        if not n:
            return None
        due = date(year, 12, 31) if year and freq == "yearly" else None
        return Deadline("recurrence", text, freq=freq, times=n, due=due)
    if kind == "workdays":
        return Deadline("relative", text, workdays=_num(g["n"]))
    if kind == "hours":
        return Deadline("relative", text, hours=_num(g["n"]))
    if kind == "days":
        return Deadline("relative", text, days=_num(g["n"]))
    if kind == "freq":
        return Deadline("recurrence", text, freq=_FREQS[g["f"]])
    if kind == "ongoing":
        return Deadline("ongoing", text)
    return None


def parse_deadline_cell(text: str, year: int | None) -> list[Deadline]:
    """A 完成时限 cell of a task table: what it says, or the cell kept as text."""
    text = text.strip()
    if not text:
        return []
    found = find_deadlines(text, year)
    return found or [Deadline("text", text)]
