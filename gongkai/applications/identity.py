"""Applicant identity documents and personal-data masking (pure Python, no Django).

* :func:`check_resident_id` — 居民身份证号码 (GB 11643-1999): 18 characters,
  a valid date of birth, and the ISO 7064 MOD 11-2 check character.
* :func:`check_credit_code` — 统一社会信用代码 (GB 32100-2015): 18 characters
  from the 31-character set (no I, O, S, V, Z) and the MOD 31 check character.
* ``mask_*`` — what lists and any published material show instead of the
  applicant's personal data (张*, 130***********1234, 138****5678).
"""

from __future__ import annotations

from datetime import date

__all__ = [
    "IdentityError",
    "check_credit_code",
    "check_resident_id",
    "mask_address",
    "mask_email",
    "mask_id",
    "mask_name",
    "mask_phone",
    "normalize_id",
]


class IdentityError(ValueError):
    """An identity number that fails validation (Chinese message)."""


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def normalize_id(value: str) -> str:
    """Strip spaces and make letters upper case (full-width digits become half-width)."""
    out = []
    for ch in (value or "").strip():
        code = ord(ch)
        if 0xFF01 <= code <= 0xFF5E:  # full-width ASCII
            ch = chr(code - 0xFEE0)
        if not ch.isspace():
            out.append(ch.upper())
    return "".join(out)


def resident_id_check_char(first17: str) -> str:
    """The 18th character of a resident ID for its first 17 digits."""
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def check_resident_id(value: str) -> str:
    """The normalised 18-character 居民身份证号码, or :class:`IdentityError`."""
    v = normalize_id(value)
    if len(v) != 18:
        raise IdentityError(f"身份证号码应为18位，您输入的是{len(v)}位。")
    if not v[:17].isdigit() or not (v[17].isdigit() or v[17] == "X"):
        raise IdentityError("身份证号码前17位应为数字，最后一位为数字或字母X。")
    try:
        born = date(int(v[6:10]), int(v[10:12]), int(v[12:14]))
    except ValueError:
        raise IdentityError("身份证号码中的出生日期无效，请核对第7至14位。") from None
    if born.year < 1900:
        raise IdentityError("身份证号码中的出生日期无效，请核对第7至14位。")
    if resident_id_check_char(v[:17]) != v[17]:
        raise IdentityError("身份证号码校验位不正确，请核对是否输错。")
    return v


def credit_code_check_char(first17: str) -> str:
    """The 18th character of a 统一社会信用代码 for its first 17 characters."""
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_CHARS[(31 - total % 31) % 31]


def check_credit_code(value: str) -> str:
    """The normalised 18-character 统一社会信用代码, or :class:`IdentityError`."""
    v = normalize_id(value)
    if len(v) != 18:
        raise IdentityError(f"统一社会信用代码应为18位，您输入的是{len(v)}位。")
    bad = sorted({c for c in v if c not in _USCC_CHARS})
    if bad:
        raise IdentityError(
            f"统一社会信用代码中不能有字符“{'、'.join(bad)}”（不使用字母I、O、S、V、Z）。"
        )
    if credit_code_check_char(v[:17]) != v[17]:
        raise IdentityError("统一社会信用代码校验位不正确，请核对是否输错。")
    return v


# -- masking ------------------------------------------------------------------------


def mask_name(name: str) -> str:
    """张三 → 张*；欧阳娜娜 → 欧***；an organisation keeps its first two and last two characters."""
    name = (name or "").strip()
    if not name:
        return ""
    if len(name) <= 4:
        return name[0] + "*" * (len(name) - 1) if len(name) > 1 else "*"
    return name[:2] + "*" * (len(name) - 4) + name[-2:]


def mask_id(number: str) -> str:
    """130***********1234: the first three and last four characters."""
    number = (number or "").strip()
    if len(number) <= 7:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


def mask_phone(phone: str) -> str:
    """138****5678: the first three and last four digits."""
    phone = (phone or "").strip()
    if len(phone) <= 7:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


def mask_email(email: str) -> str:
    """z***@example.com."""
    email = (email or "").strip()
    if "@" not in email:
        return mask_phone(email)
    local, _, domain = email.partition("@")
    return (local[:1] or "*") + "***@" + domain


def mask_address(address: str) -> str:
    """The first six characters (province, city), then ****."""
    address = (address or "").strip()
    if not address:
        return ""
    return address[:6] + "****"
