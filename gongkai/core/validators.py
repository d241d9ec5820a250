"""One check for each contact field every public form asks for, so that the application, message, comment,
registration and correction forms accept and refuse the same input (audit finding 6)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

PHONE_ERROR = "请填写有效的联系电话（手机号码或带区号的固定电话，例如 13800001234 或 010-12345678）。"
POSTCODE_ERROR = "邮政编码应为6位数字，例如 100010。"
_PHONE = re.compile(r"^\+?[0-9][0-9-]*[0-9]$")


def clean_phone(value: str | None) -> str:
    """The phone number with spaces removed (digits, hyphens, a leading +), or ``""`` when left empty.

    Seven to fifteen digits: a landline without its area code has 7 or 8, a mobile 11, with +86 13."""
    text = "".join((value or "").split()).replace("－", "-").replace("—", "-")
    if not text:
        return ""
    digits = sum(ch.isdigit() for ch in text)
    if not text.isascii() or not _PHONE.match(text) or not 7 <= digits <= 15:
        raise ValidationError(PHONE_ERROR, code="phone")
    return text


def clean_postcode(value: str | None) -> str:
    """A Chinese postal code: six digits, or ``""`` when left empty."""
    text = (value or "").strip()
    if text and not (len(text) == 6 and text.isascii() and text.isdigit()):
        raise ValidationError(POSTCODE_ERROR, code="postcode")
    return text
