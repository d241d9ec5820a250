"""The columns of a metadata file and how offices write their values.

Every column has a key (used in code and in JSON files) and the Chinese headers
accepted for it; the first Chinese header is the one used in messages. The
parsers here turn a cell's text into a value, or raise ``ValueError`` with a
Chinese message that says how to write it.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from django.utils import timezone

from ..models import Attribute

# Column key → accepted headers; the first Chinese header is the one used in messages.
COLUMNS: dict[str, tuple[str, ...]] = {
    "file": ("文件", "文件名", "正文文件"),
    "title": ("标题", "名称"),
    "organ": ("发布机构", "机构"),
    "issuers": ("发文机关",),
    "doc_no": ("发文字号", "文号"),
    "written_on": ("成文日期",),
    "published_at": ("发布日期", "发布时间"),
    "genre": ("体裁",),
    "topic": ("主题分类", "主题"),
    "attribute": ("公开属性",),
    "withholding_ground": ("不公开依据", "不予公开依据"),
    "attribute_reason": ("不公开理由", "理由"),
    "validity": ("有效性",),
    "valid_from": ("施行日期",),
    "valid_until": ("有效期至", "有效期"),
    "summary": ("内容概述", "摘要"),
    "keywords": ("关键词",),
    "attachments": ("附件",),
    "interprets": ("解读的文件", "解读对象"),
}
# Columns an office's spreadsheet often has that mean nothing to the import.
IGNORED_COLUMNS = frozenset({"序号", "编号", "备注", "no", "#"})
REQUIRED = ("file", "title", "genre")

LIST_SEPARATORS = re.compile(r"[;；\n]")
ISSUER_SEPARATORS = re.compile(r"[、;；,，\n]")

ATTRIBUTE_WORDS = {
    "主动公开": Attribute.PROACTIVE,
    "依申请公开": Attribute.ON_REQUEST,
    "不予公开": Attribute.WITHHELD,
    "免予公开": Attribute.WITHHELD,  # older Shanghai-style systems (REFERENCE.md §5.3)
    "不公开": Attribute.WITHHELD,
}


def column_label(key: str) -> str:
    return COLUMNS[key][0] if key in COLUMNS else key


_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_TIME = re.compile(r"^(?P<date>.+?)(?:\s+|T)(?P<h>\d{1,2})[:：](?P<m>\d{2})(?:[:：](?P<s>\d{2}))?$")
DATE_HINT = "应写作2021-03-01、2021/3/1或2021年3月1日"


def parse_date(value: str) -> dt.date:
    """A date as offices write it: 2021-03-01, 2021/3/1, 2021.3.1, 2021年3月1日, 20210301, 2021/3/1 0:00."""
    folded = unicodedata.normalize("NFKC", value).strip()
    midnight = _TIME.match(folded)
    if midnight and int(midnight.group("h")) == int(midnight.group("m")) == int(midnight.group("s") or 0) == 0:
        folded = midnight.group("date")  # Excel writes dates as "2021/3/1 0:00"
    m = _DATE.match(folded) or _COMPACT_DATE.match(folded)
    if m:
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            pass
    raise ValueError(f"“{value}”不是有效日期，{DATE_HINT}")


def parse_datetime(value: str) -> dt.datetime:
    """A date, optionally with a time (``2021-03-02 09:30``), in the local time zone."""
    folded = unicodedata.normalize("NFKC", value).strip()
    m = _TIME.match(folded)
    hour = minute = second = 0
    if m:
        folded = m.group("date")
        hour, minute, second = int(m.group("h")), int(m.group("m")), int(m.group("s") or 0)
    try:
        day = parse_date(folded)
        naive = dt.datetime(day.year, day.month, day.day, hour, minute, second)  # noqa: DTZ001 - made aware below
    except ValueError:
        raise ValueError(f"“{value}”不是有效日期，{DATE_HINT}，也可以带时间如2021-03-01 09:30") from None
    return timezone.make_aware(naive, timezone.get_default_timezone())


def parse_choice(value: str, choices: type, extra: dict[str, Any] | None = None) -> Any:
    """A TextChoices member by code, label, or label without its （…） note or 已 prefix."""
    word = value.strip()
    if extra and word in extra:
        return extra[word]
    for member in choices:
        label = str(member.label)
        if word in (member.value, label, label.split("（")[0], label.removeprefix("已")):
            return member
    return None


def split_list(value: str, pattern: re.Pattern[str]) -> list[str]:
    return [part.strip() for part in pattern.split(value) if part.strip()]
