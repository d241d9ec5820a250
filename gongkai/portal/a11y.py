"""适老化/无障碍 choices, remembered per browser in a cookie (the pages work without JavaScript)."""

from __future__ import annotations

from .cache import A11Y_COOKIE

MODES = {
    "text": "大字号",
    "contrast": "高对比度",
    "spacing": "加大行距和字距",
    "guide": "阅读指引（突出显示当前段落和焦点）",
}
# What the one-click 适老化模式 switch turns on.
PRESET = ("text", "contrast", "spacing")


def parse(value: str) -> frozenset[str]:
    return frozenset(m for m in (value or "").split(".") if m in MODES)


def serialize(modes) -> str:
    return ".".join(m for m in MODES if m in modes)


def modes_from_request(request) -> frozenset[str]:
    return parse(request.COOKIES.get(A11Y_COOKIE, ""))
