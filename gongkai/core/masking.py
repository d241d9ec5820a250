"""De-identifying free text before it is published (去标识化; pure Python, no Django).

What the public reads of a message (留言) or a reply is the text its author
typed, and people type their own phone number, ID number and name into it.
:func:`mask_text` is the one rule for free text:

* **numbers that identify a person are removed**, wherever they stand in the
  text: every run of seven or more digits — half-width or full-width, with
  spaces, hyphens or dots between them — becomes ``***``. That covers mobile
  numbers (138 1234 5678), landlines (0312-1234567), 18- and 15-digit
  居民身份证号码 (the last character may be X) and bank card numbers. An ISO
  date (2024-03-01) and a 文号 year (〔2021〕) have fewer than seven digits in
  any run and stay. E-mail addresses are removed too.
* **names become 某**: the names the caller knows (the sender's, the person
  the staff member typed) keep their first character, the rest becomes 某
  (张三 → 张某, 欧阳娜娜 → 欧某); and a name introduced in the text by
  我叫 / 姓名 / 联系人 / 署名, or written before 先生 / 女士 / 同志, is
  treated the same way when it starts with a common surname.

The rule errs on removing too much: a long number in a message is removed even
if it was harmless (a 项目编号), because publishing one identifying number is
worse than a reader missing a reference. Idempotent: masking masked text
changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["MASK", "NAME_MASK", "mask_text", "mask_known_name"]

MASK = "***"
NAME_MASK = "某"

_DIGIT = "0-9０-９"
_SEP = r"[\s\-－.．‐—]"
# Seven or more digits, any of the separators between them; an ID may end in X.
_NUMBER_RE = re.compile(rf"(?<![{_DIGIT}])[{_DIGIT}](?:{_SEP}?[{_DIGIT}]){{6,}}(?:{_SEP}?[xXｘＸ])?")
# A calendar date written with separators (2024-03-01, 2024.3.1) is not a personal number.
_DATE_RE = re.compile(r"(19|20)[0-9]{2}[\-.．/](0?[1-9]|1[0-2])[\-.．/](0?[1-9]|[12][0-9]|3[01])")
_EMAIL_RE = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")

# The hundred commonest surnames (百家姓 by frequency) and the common compound ones.
SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜"
    "戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
)
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "令狐", "夏侯")
_HAN = r"[\u4e00-\u9fff]"
_SURNAME = "(?:" + "|".join(COMPOUND_SURNAMES) + f"|[{SURNAMES}])"
# A name announced by the writer: 我叫张三, 姓名：张三, 联系人 李四.
_INTRODUCED_RE = re.compile(rf"(我叫|姓名[:：\s]*|联系人[:：\s]*|署名[:：\s]*)({_SURNAME})((?:(?!某){_HAN}){{1,2}})")
# A name before an honorific: 张三先生, 李小红女士 (张先生 alone is already anonymous).
_HONORIFIC_RE = re.compile(rf"({_SURNAME})((?:(?!某){_HAN}){{1,2}})(先生|女士|同志)")


def _surname_of(name: str) -> str:
    for compound in COMPOUND_SURNAMES:
        if name.startswith(compound) and len(name) > len(compound):
            return compound
    return name[:1]


def _mask_number(match: re.Match[str]) -> str:
    return match.group(0) if _DATE_RE.fullmatch(match.group(0)) else MASK


def mask_known_name(name: str) -> str:
    """张三 → 张某; 欧阳娜娜 → 欧阳某; a one-character name → 某."""
    name = (name or "").strip()
    if len(name) <= 1:
        return NAME_MASK if name else ""
    return _surname_of(name) + NAME_MASK


def _replace_name(text: str, name: str) -> str:
    name = name.strip()
    if len(name) < 2 or NAME_MASK in name:
        return text
    masked = mask_known_name(name)
    # Each replacement removes at least one character that is not 某, so this ends.
    while name in text:
        text = text.replace(name, masked)
    return text


def mask_text(text: str, *, names: Iterable[str] = ()) -> str:
    """``text`` with identifying numbers and e-mail addresses removed and names reduced to 某."""
    if not text:
        return ""
    out = _EMAIL_RE.sub(MASK, text)
    out = _NUMBER_RE.sub(_mask_number, out)
    for name in sorted({n.strip() for n in names if n and n.strip()}, key=len, reverse=True):
        out = _replace_name(out, name)
    out = _INTRODUCED_RE.sub(lambda m: m.group(1) + m.group(2) + NAME_MASK, out)
    out = _HONORIFIC_RE.sub(lambda m: m.group(1) + NAME_MASK + m.group(3), out)
    return out
