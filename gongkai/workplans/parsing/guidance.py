"""Parts of a plan that are its text, not tasks: 总体要求, 指导思想, 基本原则, 工作目标, 保障措施 …

A plan's opening (总体要求 with its 指导思想, 基本原则 and 工作目标) and its
closing (保障措施, 组织保障, 工作要求) state principles, goals and guidance. No
unit reports progress on 坚持需求导向, so these items are marked ``guidance``:
kept as text of the plan, not tracked, never overdue or reminded.

* An item under such a heading is guidance unless it names a unit or a time
  limit (台儿庄's 加强组织领导 with its 责任单位 stays a task; 广安's 务求工作实效,
  每月上报 …每季度形成工作报告, stays a task).
* The heading itself is guidance when everything under it is; a heading of
  goals or principles (指导思想, 基本原则, 工作目标, 总体要求) stays text even
  when it gives a date, which is the goal's horizon (广安: 2023年12月底前 … 全面完成),
  unless it names a unit.

The person confirming the plan can turn any item into a task or back.
"""

from __future__ import annotations

import re

from .model import Item

GUIDANCE_HEADING = re.compile(
    r"总体要求|指导思想|基本原则|工作原则|总体目标|工作目标|主要目标|发展目标|保障措施|组织保障|工作保障|保障机制|工作要求|组织实施"
)
GOAL_HEADING = re.compile(r"总体要求|指导思想|基本原则|工作原则|总体目标|工作目标|主要目标|发展目标")
HEADING_MAX = 24


def is_guidance_heading(title: str) -> bool:
    title = title.strip()
    return len(title) <= HEADING_MAX and bool(GUIDANCE_HEADING.search(title))


def mark_guidance(items: list[Item], *, under: bool = False) -> None:
    """Set ``Item.guidance`` on the items (and their children) that are text of the plan."""
    for item in items:
        heading = is_guidance_heading(item.title)
        inside = under or heading
        mark_guidance(item.children, under=inside)
        if not inside or item.units:
            continue
        if item.children and not all(c.guidance for c in item.children):
            continue
        goal = heading and bool(GOAL_HEADING.search(item.title))
        item.guidance = goal or not item.deadlines
