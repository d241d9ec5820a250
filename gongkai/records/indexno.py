"""索引号 (index number) formatting — pure, no Django.

Default ``{code}/{year}-{serial:05d}`` gives ``11130600MB0000000X/2021-00015``.
The format is a setting (``GONGKAI_INDEX_NO_FORMAT``); placeholders ``{code}``,
``{year}``, ``{month}`` (two digits) and ``{serial}`` (with any int format spec).
The serial restarts every year per organ (REFERENCE.md §5.1).
"""

from __future__ import annotations

import re

PATTERN = re.compile(r"^[0-9A-Z-]{9,18}/\d{4}(\d{2})?-\d{4,6}$")
DEFAULT_FORMAT = "{code}/{year}-{serial:05d}"


def format_index_no(*, code: str, year: int, serial: int, month: int = 1, fmt: str = DEFAULT_FORMAT) -> str:
    if serial < 1:
        raise ValueError("索引号流水号必须从1开始。")
    return fmt.format(code=code, year=f"{year:04d}", month=f"{month:02d}", serial=serial)


def parse_serial(index_no: str) -> int | None:
    """The trailing serial of an index number, or None."""
    m = re.search(r"-(\d+)$", index_no)
    return int(m.group(1)) if m else None
