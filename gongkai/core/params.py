"""Reading ids from the query string or a form: a value typed into the address bar is never trusted.

``Model.objects.filter(pk="abc")`` raises ``ValueError`` (a 500); an id that does not fit in a 64-bit
integer overflows the database driver. ``pk_param`` turns any such value into ``None``, so a view treats it
as "no choice made" (the filter is ignored) instead of failing.
"""

from __future__ import annotations

_MAX_PK = 2**63 - 1


def pk_param(value) -> int | None:
    """The positive integer id in ``value``, or ``None`` for anything else (text, NUL, a date, a huge number)."""
    if value is None:
        return None
    text = str(value).strip()
    if not text or len(text) > 19 or not text.isascii() or not text.isdigit():
        return None
    number = int(text)
    return number if 0 < number <= _MAX_PK else None
