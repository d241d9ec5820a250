"""Helpers for checking that the parser drops nothing."""

import json
import re
from collections import Counter

_KEEP = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")


def significant(text: str) -> Counter:
    """Ideographs, letters and digits: what a person would miss if it vanished."""
    return Counter(_KEEP.findall(text))


def dropped(source: str, plan) -> Counter:
    """Characters of ``source`` that appear nowhere in the parsed plan (empty when nothing is lost)."""
    out = json.dumps(plan.to_dict(), ensure_ascii=False)
    return significant(source) - significant(out)
