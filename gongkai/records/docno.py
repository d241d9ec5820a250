"""发文字号 (document number) parsing and normalisation — pure, no Django.

GB/T 9704-2012 §7.2.5: 发文机关代字 + 〔year〕 + sequence (no 第, no leading
zeros) + 号, e.g. 保政办函〔2021〕15号. Input is accepted with the brackets people
actually type — [] ［］ () （） 【】 〈〉 <> ｛｝ {} or none (保政办函2021年15号) —
and always stored with 〔〕 (U+3014/U+3015).

规章 are numbered by decree without a year: 北京市人民政府令第317号 (prefix
ending in 令, then 第N号); such numbers are kept in that form.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

OPEN = "〔"
CLOSE = "〕"
_BRACKETS = {
    "[": OPEN, "［": OPEN, "(": OPEN, "（": OPEN, "【": OPEN, "〈": OPEN, "<": OPEN, "{": OPEN, "｛": OPEN, "〖": OPEN, "﹝": OPEN, "〔": OPEN,
    "]": CLOSE, "］": CLOSE, ")": CLOSE, "）": CLOSE, "】": CLOSE, "〉": CLOSE, ">": CLOSE, "}": CLOSE, "｝": CLOSE, "〗": CLOSE, "﹞": CLOSE, "〕": CLOSE,
}
_STRICT = re.compile(r"^(?P<prefix>[^〔〕\s]+)〔(?P<year>\d{4})〕(?P<seq>[1-9]\d*)号$")
_LOOSE = re.compile(
    r"^(?P<prefix>[^〔〕\s\d]+?)\s*"
    r"(?:〔\s*(?P<y1>\d{4})\s*〕|(?P<y2>\d{4})\s*年?)\s*"
    r"第?\s*0*(?P<seq>\d+)\s*号$"
)


_DECREE = re.compile(r"^(?P<prefix>[^〔〕\s\d]+令)\s*第?\s*0*(?P<seq>\d+)\s*号$")


class DocNoError(ValueError):
    """The text is not a document number; the message is in Chinese."""


@dataclass(frozen=True)
class DocNo:
    prefix: str
    year: int | None  # None for a decree number (…令第N号)
    seq: int

    def __str__(self) -> str:
        if self.year is None:
            return f"{self.prefix}第{self.seq}号"
        return f"{self.prefix}{OPEN}{self.year}{CLOSE}{self.seq}号"


def _fold(text: str) -> str:
    # Full-width digits and letters to half-width, brackets to 〔〕, no white space.
    out = []
    for ch in text.strip():
        if ch in _BRACKETS:
            out.append(_BRACKETS[ch])
        elif ch.isdigit():
            out.append(str(unicodedata.digit(ch, ch)))
        elif "Ａ" <= ch <= "Ｚ" or "ａ" <= ch <= "ｚ":
            out.append(unicodedata.normalize("NFKC", ch))
        elif ch.isspace():
            continue
        else:
            out.append(ch)
    return "".join(out)


def parse(text: str) -> DocNo:
    """Parse a document number typed in any common variant.

    >>> str(parse("保政办函[2021]15号"))
    '保政办函〔2021〕15号'
    >>> str(parse("保政办函2021年第015号"))
    '保政办函〔2021〕15号'
    """
    if not text or not text.strip():
        raise DocNoError("发文字号为空。")
    folded = _fold(text)
    decree = _DECREE.match(folded)
    if decree:
        seq = int(decree.group("seq"))
        if seq == 0:
            raise DocNoError("发文字号的序号不能为0。")
        return DocNo(prefix=decree.group("prefix"), year=None, seq=seq)
    m = _LOOSE.match(folded)
    if not m:
        raise DocNoError(
            f"“{text.strip()}”不是有效的发文字号，应为“机关代字〔年份〕序号号”，例如“保政办函〔2021〕15号”。"
        )
    year = int(m.group("y1") or m.group("y2"))
    seq = int(m.group("seq"))
    if not 1949 <= year <= 2100:
        raise DocNoError(f"发文字号中的年份“{year}”不正确。")
    if seq == 0:
        raise DocNoError("发文字号的序号不能为0。")
    return DocNo(prefix=m.group("prefix"), year=year, seq=seq)


def normalize(text: str) -> str:
    """The canonical form of a document number, or ``""`` for empty input."""
    if not text or not text.strip():
        return ""
    return str(parse(text))


def is_canonical(text: str) -> bool:
    return bool(_STRICT.match(text) or re.match(r"^[^〔〕\s\d]+令第[1-9]\d*号$", text))
