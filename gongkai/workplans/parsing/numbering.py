"""Chinese numbering markers: 第一部分 / 一、 / （一） / 1. / （1） / ①.

A marker's *style* says how it is written; its *level* in the tree is decided
by the order in which styles appear (see :mod:`.structure`), so a plan that
skips a level, or runs 1…20 straight through its sections, still nests right.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_NUM = "[一二三四五六七八九十百零〇两]+"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

STYLES = ("chapter", "cn", "cn_paren", "arabic", "arabic_paren", "arabic_half", "circled")

# Each style: a pattern anchored at the start of the text; group "n" is the numeral.
_PATTERNS: dict[str, re.Pattern[str]] = {
    "chapter": re.compile(rf"第(?P<n>{CN_NUM})(?:部分|章|篇)[、，,.．：:\s]*"),
    "cn": re.compile(rf"(?P<n>{CN_NUM})\s*[、，,.．](?![、，,.．])\s*"),
    "cn_paren": re.compile(rf"[(（〈]\s*(?P<n>{CN_NUM})\s*[)）〉]\s*[、，,.．]?\s*"),
    "arabic": re.compile(r"(?P<n>\d{1,3})\s*[.．、，,](?![\d.．])\s*"),
    "arabic_paren": re.compile(r"[(（]\s*(?P<n>\d{1,3})\s*[)）]\s*[、，,.．]?\s*"),
    "arabic_half": re.compile(r"(?P<n>\d{1,3})\s*[)）]\s*"),
    "circled": re.compile(rf"(?P<n>[{CIRCLED}])\s*[、，,.．]?\s*"),
}


def cn_to_int(text: str) -> int | None:
    """一 → 1, 十 → 10, 十二 → 12, 二十一 → 21, 一百零五 → 105; None if not a numeral."""
    if not text:
        return None
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for ch in text:
        if ch in CN_DIGITS:
            current = CN_DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current


def int_to_cn(n: int) -> str:
    """1 → 一, 10 → 十, 21 → 二十一 (1…999)."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    if n < 100:
        return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")
    rest = n % 100
    head = digits[n // 100] + "百"
    if rest == 0:
        return head
    if rest < 10:
        return head + "零" + digits[rest]
    return head + (digits[rest // 10] + "十" + (digits[rest % 10] if rest % 10 else ""))


@dataclass(frozen=True)
class Marker:
    style: str
    value: int
    raw: str       # the marker as written, with its trailing punctuation and spaces

    @property
    def label(self) -> str:
        """The number as a person reads it (一, (一), 1, (1), ①)."""
        if self.style == "chapter":
            return f"第{int_to_cn(self.value)}部分"
        if self.style == "cn":
            return int_to_cn(self.value)
        if self.style == "cn_paren":
            return f"({int_to_cn(self.value)})"
        if self.style == "arabic_paren":
            return f"({self.value})"
        if self.style == "circled":
            return CIRCLED[self.value - 1]
        return str(self.value)


def _value(style: str, numeral: str) -> int | None:
    if style == "circled":
        return CIRCLED.index(numeral) + 1
    if style in ("arabic", "arabic_paren", "arabic_half"):
        return int(numeral)
    return cn_to_int(numeral)


def match_marker(text: str, pos: int = 0) -> Marker | None:
    """The numbering marker at ``text[pos:]``, if any."""
    for style in STYLES:
        m = _PATTERNS[style].match(text, pos)
        if not m:
            continue
        value = _value(style, m.group("n"))
        if value is None or value == 0:
            continue
        rest = text[m.end():]
        if style == "cn" and (not rest or rest[0] in "是要和与及"):
            # 一是…, 一要… are enumerations inside a sentence, not headings.
            continue
        if style in ("arabic", "arabic_half") and rest[:1] in ("年", "月", "日", "%", "个", "万", "亿"):
            continue
        if style == "arabic" and m.group(0).rstrip()[-1:] in ",，" and value > 50:
            continue
        return Marker(style, value, m.group(0))
    return None


# Markers that may start a new item inside a line, after sentence-ending punctuation.
_INLINE_BEFORE = "。；;：:！？!?"


def inline_markers(text: str) -> list[tuple[int, Marker]]:
    """Positions in ``text`` (not at 0) where a numbering marker follows sentence-ending punctuation."""
    found: list[tuple[int, Marker]] = []
    for i in range(1, len(text)):
        prev = text[i - 1]
        if prev not in _INLINE_BEFORE and not (prev.isspace() and i > 1 and text[i - 2] in _INLINE_BEFORE + " \u3000"):
            continue
        if text[i].isspace():
            continue
        marker = match_marker(text, i)
        if marker and marker.style != "arabic_half":
            found.append((i, marker))
    return found
