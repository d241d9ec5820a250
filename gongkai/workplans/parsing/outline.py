"""A plain-text outline of a parsed plan: one line an item, for reading by hand and golden tests.

    (一) 做好各类规划信息公开 ‖ 牵头：市政府办公室 ‖ 责任：市政府各部门、各县（市、区）政府 ‖ 时限：2021-12-31

Segments (unnumbered parts with their own units) are shown as ``·``.
"""

from __future__ import annotations

from .model import Deadline, Item, ParsedPlan


def deadline_short(d: Deadline) -> str:
    if d.kind == "date" and d.due:
        return d.due.isoformat()
    if d.kind == "period" and d.start and d.due:
        return f"{d.start.isoformat()}~{d.due.isoformat()}"
    if d.kind == "recurrence":
        return f"{d.freq}×{d.times}" if d.times else (d.freq or "")
    if d.kind == "relative":
        if d.workdays:
            return f"{d.workdays}个工作日内"
        if d.hours:
            return f"{d.hours}小时内"
        return f"{d.days}日内"
    return f"{d.kind}:{d.text}"


def item_line(item: Item) -> str:
    parts = [f"{item.number or '·'} {item.title}".rstrip()]
    if item.units.lead:
        parts.append("牵头：" + "、".join(item.units.lead))
    if item.units.responsible:
        parts.append("责任：" + "、".join(item.units.responsible))
    if item.units.cooperating:
        parts.append("配合：" + "、".join(item.units.cooperating))
    if item.units.separately:
        parts.append("分别")
    if item.deadlines:
        parts.append("时限：" + "，".join(deadline_short(d) for d in item.deadlines))
    if item.guidance:
        parts.append("说明性内容")
    return " ‖ ".join(parts)


def render_outline(plan: ParsedPlan) -> str:
    lines = [
        f"标题：{plan.title}",
        f"印发通知：{plan.notice_title}",
        f"发文机关：{plan.issuer}",
        f"发文字号：{plan.doc_no}",
        f"成文日期：{plan.written_on.isoformat() if plan.written_on else ''}",
        f"发布日期：{plan.published_on.isoformat() if plan.published_on else ''}",
        f"年度：{plan.year or ''}",
        f"主送：{plan.addressees}",
        f"通知正文：{len(plan.notice)}段",
        f"前言：{len(plan.preamble)}段",
        f"结尾：{len(plan.closing)}段",
        f"公开标注：{plan.disclosure_note}",
        f"公开承诺：{plan.report_promise}",
        "",
    ]

    def walk(items: list[Item], depth: int) -> None:
        for item in items:
            lines.append("  " * depth + item_line(item))
            walk(item.children, depth + 1)

    walk(plan.items, 0)
    lines.append("")
    for note in plan.warnings:
        lines.append(f"提示 第{note.line}行：{note.message}")
    for note in plan.unplaced:
        lines.append(f"未归位 第{note.line}行：{note.message}：{note.text}")
    lines.append(f"已忽略：{len(plan.ignored)}行")
    return "\n".join(lines) + "\n"
