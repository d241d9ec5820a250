"""``gongkai clock FILE.json`` — compute an application's clock by hand or from a script.

Reads one JSON object (from FILE, or stdin with ``-``)::

    {
      "events": [
        {"kind": "received", "date": "2025-09-26", "channel": "online"},
        {"kind": "consultation_sent", "date": "2025-10-09"},
        {"kind": "consultation_answered", "date": "2025-10-17"},
        {"kind": "extended", "date": "2025-10-20", "workdays": 10}
      ],
      "today": "2025-10-21",
      "settings": {"fee_period_excluded": true},
      "calendar": {"overrides": [{"date": "2027-01-01", "workday": false, "note": "元旦"}],
                   "covered_years": [2027]}
    }

and prints the :class:`~gongkai.applications.clock.ClockResult` as JSON
(``due_date``, ``state``, ``workdays_used``, ``provisional``, ``explanation`` …).
The schema is documented in ``docs/clock.md``. Bad input: a Chinese message on
stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta, timezone
from typing import Any, TextIO

from gongkai.applications.clock import (
    Channel,
    ClockError,
    ClockEvent,
    ClockSettings,
    ConsultedParty,
    EventKind,
    compute_clock,
)
from gongkai.workdays import CalendarError, Override, WorkCalendar, default_calendar

__all__ = ["InputError", "parse_input", "run"]

#: China has one time zone and no daylight saving time.
CHINA_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")

_TOP_KEYS = {"events", "today", "settings", "calendar"}
_EVENT_KEYS = {
    "kind", "date", "channel", "confirmed", "workdays", "delivered",
    "deadline", "party", "ref", "note",
}  # fmt: skip


class InputError(ValueError):
    """The JSON input is malformed (message in Chinese)."""


def _date(value: Any, where: str) -> date:
    if not isinstance(value, str) or len(value) != 10:
        shown = json.dumps(value, ensure_ascii=False)
        raise InputError(f"{where}应为日期字符串 YYYY-MM-DD，实际为 {shown}")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{where}不是有效日期（应为 YYYY-MM-DD）：{value}") from None


def _choice(enum: Any, value: Any, where: str) -> Any:
    try:
        return enum(value)
    except ValueError:
        options = "、".join(f"{m.value}（{m.label}）" for m in enum)
        raise InputError(f"{where}无效：{value!r}；可用值：{options}") from None


def _event(raw: Any, index: int) -> ClockEvent:
    where = f"第 {index} 条事件"
    if not isinstance(raw, Mapping):
        raise InputError(f"{where}应为 JSON 对象")
    unknown = sorted(set(raw) - _EVENT_KEYS)
    if unknown:
        raise InputError(
            f"{where}有未知字段：{'、'.join(unknown)}；可用字段：{'、'.join(sorted(_EVENT_KEYS))}"
        )
    if "kind" not in raw:
        raise InputError(f"{where}缺少 kind")
    if "date" not in raw:
        raise InputError(f"{where}缺少 date")
    kind = _choice(EventKind, raw["kind"], f"{where}的 kind ")
    kwargs: dict[str, Any] = {"kind": kind, "date": _date(raw["date"], f"{where}的 date ")}
    if raw.get("channel") is not None:
        kwargs["channel"] = _choice(Channel, raw["channel"], f"{where}的 channel ")
    for key in ("confirmed", "delivered", "deadline"):
        if raw.get(key) is not None:
            kwargs[key] = _date(raw[key], f"{where}的 {key} ")
    if raw.get("workdays") is not None:
        workdays = raw["workdays"]
        if not isinstance(workdays, int) or isinstance(workdays, bool):
            raise InputError(f"{where}的 workdays 应为整数")
        kwargs["workdays"] = workdays
    if raw.get("party") is not None:
        kwargs["party"] = _choice(ConsultedParty, raw["party"], f"{where}的 party ")
    for key in ("ref", "note"):
        if raw.get(key) is not None:
            if not isinstance(raw[key], str):
                raise InputError(f"{where}的 {key} 应为字符串")
            kwargs[key] = raw[key]
    try:
        return ClockEvent(**kwargs)
    except ClockError as exc:
        raise InputError(f"{where}：{exc}") from None


def _calendar(raw: Any, base: WorkCalendar) -> WorkCalendar:
    if not isinstance(raw, Mapping):
        raise InputError("calendar 应为 JSON 对象")
    unknown = sorted(set(raw) - {"overrides", "covered_years"})
    if unknown:
        raise InputError(
            f"calendar 有未知字段：{'、'.join(unknown)}（可用：overrides、covered_years）"
        )
    overrides = []
    items = raw.get("overrides", [])
    if not isinstance(items, list):
        raise InputError("calendar.overrides 应为数组")
    for i, item in enumerate(items, start=1):
        where = f"calendar.overrides 第 {i} 项"
        if not isinstance(item, Mapping) or not isinstance(item.get("workday"), bool):
            raise InputError(
                f'{where}应为 {{"date": "YYYY-MM-DD", "workday": true/false, "note": "…"}}'
            )
        note = item.get("note", "")
        if not isinstance(note, str):
            raise InputError(f"{where}的 note 应为字符串")
        overrides.append(
            Override(_date(item.get("date"), f"{where}的 date "), item["workday"], note)
        )
    years = raw.get("covered_years", [])
    if not isinstance(years, list) or not all(
        isinstance(y, int) and not isinstance(y, bool) for y in years
    ):
        raise InputError("calendar.covered_years 应为年份（整数）数组")
    try:
        return base.with_overrides(overrides, years)
    except CalendarError as exc:
        raise InputError(f"calendar：{exc}") from None


def parse_input(
    data: Any, *, calendar: WorkCalendar | None = None
) -> tuple[list[ClockEvent], date | None, ClockSettings, WorkCalendar]:
    """Validate the decoded JSON; return events, today, settings and calendar."""
    if not isinstance(data, Mapping):
        raise InputError('输入应为 JSON 对象，形如 {"events": [...]}')
    unknown = sorted(set(data) - _TOP_KEYS)
    if unknown:
        raise InputError(
            f"有未知字段：{'、'.join(unknown)}；可用字段：events、today、settings、calendar"
        )
    raw_events = data.get("events")
    if not isinstance(raw_events, list):
        raise InputError("缺少 events 数组")
    events = [_event(raw, i) for i, raw in enumerate(raw_events, start=1)]
    today = _date(data["today"], "today ") if data.get("today") is not None else None
    settings_raw = data.get("settings", {})
    if not isinstance(settings_raw, Mapping):
        raise InputError("settings 应为 JSON 对象")
    try:
        settings = ClockSettings.from_mapping(settings_raw)
    except (ClockError, TypeError) as exc:
        raise InputError(f"settings：{exc}") from None
    cal = calendar or default_calendar()
    if data.get("calendar") is not None:
        cal = _calendar(data["calendar"], cal)
    return events, today, settings, cal


def _china_today() -> date:
    """The current date in China (the edge of the system; the clock itself never asks)."""
    return datetime.now(CHINA_TZ).date()


def run(
    argv: Sequence[str] | None = None,
    *,
    calendar: WorkCalendar | None = None,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Entry point of ``gongkai clock``; returns the exit code (0 ok, 2 bad input).

    :param calendar: the calendar to use (the Django side passes one with the
        administrator's overrides); the package calendar if omitted.
    """
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    parser = argparse.ArgumentParser(
        prog="gongkai clock",
        description="根据事件记录计算依申请公开的答复期限（输出 JSON；格式见 docs/clock.md）",
    )
    parser.add_argument(
        "file", metavar="FILE.json", help="事件记录 JSON 文件；- 表示从标准输入读取"
    )
    parser.add_argument(
        "--today", metavar="YYYY-MM-DD", help="计算日（优先于输入中的 today；默认为北京时间今天）"
    )
    parser.add_argument("--compact", action="store_true", help="输出单行 JSON")
    try:
        args = parser.parse_args(list(argv) if argv is not None else None)
    except SystemExit as exc:  # argparse has printed its message
        return exc.code if isinstance(exc.code, int) else 2

    try:
        if args.file == "-":
            text = stdin.read()
        else:
            try:
                with open(args.file, encoding="utf-8-sig") as fh:
                    text = fh.read()
            except OSError as exc:
                raise InputError(f"无法读取文件 {args.file}：{exc.strerror or exc}") from None
            except UnicodeDecodeError:
                raise InputError(f"文件 {args.file} 不是 UTF-8 编码") from None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"JSON 格式错误（第 {exc.lineno} 行第 {exc.colno} 列）：{exc.msg}"
            ) from None
        events, today, settings, cal = parse_input(data, calendar=calendar)
        if args.today:
            today = _date(args.today, "--today ")
        if today is None:
            today = _china_today()
        result = compute_clock(events, calendar=cal, settings=settings, today=today)
    except (InputError, ClockError, CalendarError) as exc:
        print(f"错误：{exc}", file=stderr)
        return 2
    out = result.as_dict()
    if args.compact:
        print(json.dumps(out, ensure_ascii=False, separators=(",", ":")), file=stdout)
    else:
        print(json.dumps(out, ensure_ascii=False, indent=2), file=stdout)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(run())
