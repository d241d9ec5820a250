"""Task breakdown tables (任务分解表): 序号 / 工作任务 / 牵头单位 / 责任单位 / 完成时限 …

Columns are recognised by their header words; a category column (重点任务,
类别, 领域 …) groups its rows under one parent item. Rows shorter than the
header (a web table's merged cells, pasted as tab-separated text) take the
missing leading cells from the row above, and say so in a warning. A table
without a recognisable header is kept, row by row, as unplaced text.
"""

from __future__ import annotations

import re

from .deadlines import find_deadlines, parse_deadline_cell
from .model import Item, Note, Units
from .numbering import match_marker
from .sources import Table
from .units import find_clauses, parse_clause, split_names

HEADER_WORDS: list[tuple[str, tuple[str, ...]]] = [
    ("number", ("序号", "编号", "序")),
    ("lead", ("牵头单位", "牵头部门", "牵头处室", "主责单位", "牵头")),
    ("cooperating", ("配合单位", "协办单位", "配合部门", "配合处室", "协助单位")),
    ("responsible", ("责任单位", "责任部门", "责任处室", "落实单位", "承办单位", "责任主体", "实施单位", "责任科室", "单位")),
    ("deadline", ("完成时限", "时间节点", "完成时间", "时限要求", "进度安排", "时间安排", "截止时间", "完成期限", "时限", "时间要求", "时间")),
    ("category", ("重点任务", "任务类别", "工作类别", "类别", "重点领域", "领域", "板块", "分类", "一级任务", "工作板块", "项目")),
    ("task", ("工作任务", "任务内容", "具体任务", "工作内容", "具体内容", "工作事项", "主要内容", "具体措施", "工作措施",
              "工作要求", "重点工作", "二级任务", "主要任务", "任务", "事项", "内容", "措施", "要求")),
    ("note", ("备注", "说明")),
]


def _kind_of(cell: str) -> str | None:
    text = re.sub(r"\s+", "", cell)
    if not text or len(text) > 12:
        return None
    for kind, words in HEADER_WORDS:
        if text in words:
            return kind
    for kind, words in HEADER_WORDS:
        if any(w in text for w in words if len(w) >= 2):
            return kind
    return None


def find_header(table: Table) -> tuple[int, list[str | None]] | None:
    for idx, row in enumerate(table.rows[:4]):
        kinds = [_kind_of(c) for c in row]
        known = [k for k in kinds if k]
        if len(known) >= 2 and ("task" in known or "category" in known) and (
            {"lead", "responsible", "cooperating", "deadline", "number"} & set(known)
        ):
            # Two task-like columns: the first one groups (category), the last one is the task.
            task_cols = [i for i, k in enumerate(kinds) if k == "task"]
            if len(task_cols) >= 2 and "category" not in kinds:
                kinds[task_cols[0]] = "category"
            if "task" not in kinds and "category" in kinds:
                kinds[kinds.index("category")] = "task"
            return idx, kinds
    return None


def _split_title(text: str) -> tuple[str, str]:
    text = text.strip()
    m = re.search(r"[。！？]", text)
    if not m or m.end() == len(text):
        return text.rstrip("。"), ""
    return text[: m.start()], text[m.end():].strip()


def _number_label(cell: str) -> str:
    cell = cell.strip()
    marker = match_marker(cell + " ") or match_marker(cell + "、")
    if marker and len(marker.raw.strip()) >= len(cell.strip()) - 1:
        return marker.label
    return cell.strip("、.．")


def _units_from_cell(text: str, role: str) -> Units:
    text = text.strip()
    if not text:
        return Units()
    units = parse_clause(f"({text})", allow_bare=False)
    if units is None:
        names, _ = split_names(text.replace("\n", "、"))
        units = Units(**{role: names})
        units.raw = [text]
    elif role == "lead" and not units.lead and units.responsible and not units.cooperating:
        units.lead, units.responsible = units.responsible, []
    return units


def table_items(table: Table, year: int | None, *, line: int) -> tuple[list[Item], list[Note], list[Note], list[Note]]:
    """(items, unplaced, warnings, header rows) of one table."""
    unplaced: list[Note] = []
    warnings: list[Note] = []
    headers: list[Note] = []
    header = find_header(table)
    if header is None:
        for offset, row in enumerate(table.rows):
            unplaced.append(Note(line + offset, "表格未识别出表头（序号、工作任务、责任单位、完成时限等），原样保留", " | ".join(row)))
        return [], unplaced, warnings, headers
    head_idx, kinds = header
    for offset, row in enumerate(table.rows[: head_idx + 1]):
        headers.append(Note(line + offset, "表头", " | ".join(row)))
    width = len(kinds)
    items: list[Item] = []
    section: Item | None = None
    group: Item | None = None
    group_key = ""
    prev: list[str] = [""] * width
    for offset, row in enumerate(table.rows[head_idx + 1:], start=head_idx + 1):
        row_line = line + offset
        cells = [c.strip() for c in row]
        if all(_kind_of(c) == k for c, k in zip(cells, kinds, strict=False) if c) and sum(1 for c in cells if c) >= 2:
            headers.append(Note(row_line, "表头", " | ".join(row)))
            continue  # a repeated header row
        if len(cells) < width:
            missing = width - len(cells)
            category_cols = [i for i, k in enumerate(kinds) if k == "category"]
            if 0 < missing <= len(category_cols):
                for col in category_cols[:missing]:
                    cells.insert(col, prev[col] if col < len(prev) else "")
            else:
                cells = prev[:missing] + cells
            warnings.append(Note(row_line, f"该行比表头少{missing}列，按合并单元格处理，缺的单元格沿用上一行", " | ".join(row)))
        extra = cells[width:]
        cells = cells[:width]
        filled = {c for c in cells if c}
        if not filled:
            continue
        # A section row: one value across the row (a merged title cell) and no units or time.
        if len(filled) == 1 and not any(cells[i] for i, k in enumerate(kinds) if k in ("lead", "responsible", "cooperating", "deadline")):
            value = filled.pop()
            marker = match_marker(value)
            section = Item(number=marker.label if marker else "", marker=marker.raw if marker else "",
                           style="table-section", line=row_line)
            body = value[len(marker.raw):] if marker else value
            section.title, section.text = _split_title(body)
            section.deadlines = find_deadlines(body, year)
            items.append(section)
            group, group_key = None, ""
            prev = cells
            continue
        row_item = Item(style="table-row", line=row_line)
        texts: list[str] = []
        category = ""
        units = Units()
        for col, (kind, cell) in enumerate(zip(kinds, cells, strict=False)):
            if kind == "number":
                row_item.number = _number_label(cell)
            elif kind == "category":
                category = cell or (prev[col] if group is not None else "")
            elif kind in ("lead", "responsible", "cooperating"):
                units.merge(_units_from_cell(cell, kind))
            elif kind == "deadline":
                row_item.deadlines.extend(d for d in parse_deadline_cell(cell, year) if d not in row_item.deadlines)
            elif kind == "task":
                if cell:
                    texts.append(cell)
            elif kind == "note":
                if cell:
                    texts.append(f"备注：{cell}")
            elif cell:
                texts.append(cell)
        texts.extend(c for c in extra if c)
        body = "\n".join(texts)
        for _start, _end, clause_units in find_clauses(body):
            units.merge(clause_units)
        for start, end, _ in reversed(find_clauses(body)):
            body = (body[:start] + body[end:]).strip()
        marker = match_marker(body)
        if marker and not row_item.number:
            row_item.number, row_item.marker = marker.label, marker.raw
            body = body[len(marker.raw):]
        row_item.title, row_item.text = _split_title(body)
        row_item.units = units
        for d in find_deadlines(body, year):
            if d not in row_item.deadlines:
                row_item.deadlines.append(d)
        parent_list = section.children if section else items
        if category:
            if group is None or category != group_key:
                marker = match_marker(category)
                group = Item(number=marker.label if marker else "", marker=marker.raw if marker else "",
                             style="table-group", line=row_line)
                cat_body = category[len(marker.raw):] if marker else category
                group.title, group.text = _split_title(cat_body)
                group_key = category
                parent_list.append(group)
            group.children.append(row_item)
        else:
            group, group_key = None, ""
            parent_list.append(row_item)
        if not row_item.title and not row_item.text:
            warnings.append(Note(row_line, "该行没有任务内容", " | ".join(row)))
        prev = cells
    return items, unplaced, warnings, headers
