"""Task breakdown tables (任务分解表): 序号 / 工作任务 / 牵头单位 / 责任单位 / 完成时限 …

Columns are recognised by their header words. A table arrives in one of two
shapes: from a .docx, .xlsx or HTML file with merged cells already filled, or
pasted as text from a web page or a spreadsheet (tab-separated). A paste
loses structure in known ways, and each is undone here:

* a cell of several paragraphs runs over several lines (:func:`join_pasted_rows`
  joins them back by counting cells against the header);
* a merged cell (rowspan) is left out of the rows below it, and empty cells
  at the end of a row may be cut off: a short row is aligned to the columns
  whose contents it fits best (numbers in 序号, unit names in the unit columns,
  time limits in 完成时限);
* a section title is a row of one merged cell, or its numbering sits in the
  first column (一 / （一）) with the title beside it; sections nest by
  numbering style like the paragraphs of a plan;
* a row that holds only the rest of the previous row's requirement (no number,
  no title, no unit, no time) is joined to that row.

Two text columns (工作任务 + 具体措施, 主要任务 + 工作要求) make the first one a
group with the rows under it; a group of a single row becomes one item.
Every cell's text ends in an item (number, title, text, units as written,
time limits, 备注); a row that cannot be placed is kept as an item and reported.
A table without a recognisable header is kept, row by row, as unplaced text.
"""

from __future__ import annotations

import re
from itertools import combinations
from typing import TYPE_CHECKING

from .deadlines import find_deadlines, parse_deadline_cell
from .model import Item, Note, Units
from .numbering import CN_NUM, match_marker
from .units import find_clauses, looks_like_unit, parse_clause, split_names

if TYPE_CHECKING:
    from .sources import Table

HEADER_WORDS: list[tuple[str, tuple[str, ...]]] = [
    ("number", ("序号", "编号", "序")),
    ("lead", ("牵头单位", "牵头部门", "牵头处室", "主责单位", "牵头")),
    ("cooperating", ("配合单位", "协办单位", "配合部门", "配合处室", "协助单位")),
    ("responsible", ("责任单位", "责任部门", "责任处室", "落实单位", "承办单位", "责任主体", "实施单位", "责任科室", "单位")),
    ("deadline", ("完成时限", "时间节点", "完成时间", "时限要求", "进度安排", "时间安排", "截止时间", "完成期限", "时间进度",
                  "时限", "时间要求", "时间")),
    ("category", ("重点任务", "任务类别", "工作类别", "类别", "重点领域", "领域", "板块", "分类", "一级任务", "工作板块", "项目")),
    ("task", ("工作任务", "任务内容", "具体任务", "工作内容", "具体内容", "工作事项", "主要内容", "具体措施", "工作措施",
              "工作要求", "重点工作", "二级任务", "主要任务", "任务分解", "任务", "事项", "内容", "措施", "要求")),
    ("note", ("备注", "说明")),
]
UNIT_KINDS = ("lead", "responsible", "cooperating")
SECTION_STYLES = ("chapter", "cn", "cn_paren")
_SIGNIFICANT = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")


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


def header_kinds(row: list[str]) -> list[str | None] | None:
    """The column kinds if ``row`` is a task table's header, else None."""
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
        while kinds and kinds[-1] is None and not row[len(kinds) - 1].strip():
            kinds.pop()
        return kinds
    return None


def find_header(table: Table | list[list[str]]) -> tuple[int, list[str | None]] | None:
    """(index of the header's last row, column kinds). A header of two rows (责任单位 over
    牵头单位 | 配合单位) is read as one: the lower row names the columns it has words for."""
    rows = table if isinstance(table, list) else table.rows
    for idx, row in enumerate(rows[:4]):
        kinds = header_kinds(row)
        if kinds is None:
            continue
        below = rows[idx + 1] if idx + 1 < len(rows) else []
        below_kinds = [_kind_of(c) for c in below]
        if any(below_kinds) and all(k for c, k in zip(below, below_kinds, strict=True) if c.strip()):
            kinds = kinds + [None] * (len(below) - len(kinds))
            kinds = [bk or k for k, bk in zip(kinds, below_kinds + [None] * (len(kinds) - len(below)), strict=True)]
            while kinds and kinds[-1] is None:
                kinds.pop()
            return idx + 1, kinds
        return idx, kinds
    return None


# --- a paste: physical lines back into rows -------------------------------------------


def _bare_number(text: str) -> bool:
    """A cell that is only a number: 1, 1., 一、, （一）, ①."""
    text = text.strip()
    if not text or len(text) > 8:
        return False
    if text.isdigit() or re.fullmatch(CN_NUM, text):
        return True
    marker = match_marker(text + " ") or match_marker(text + "、")
    return bool(marker and len(marker.raw.strip()) >= len(text) - 1)


def _starts_row(first: str) -> bool:
    """Whether a pasted line's first cell begins a new row rather than continuing a cell above."""
    first = first.strip()
    if not first or _bare_number(first):
        return True
    marker = match_marker(first)
    if marker and marker.style in ("chapter", "cn"):
        return True
    return bool(marker and marker.style == "cn_paren" and len(first) <= 40 and "。" not in first.rstrip("。"))


def _may_run_on(cell: str) -> bool:
    """Whether a row's last cell can go on over the next line: text, not empty, a number, units or a time."""
    cell = cell.strip()
    return bool(cell) and not _bare_number(cell) and not _looks_like_units(cell) and not (
        len(cell) <= 20 and _looks_like_deadline(cell, None))


def join_pasted_rows(lines: list[list[str]]) -> list[list[str]]:
    """Physical lines of a pasted table (cells split on tabs, lines without a tab as one cell) → its rows.

    A cell with several paragraphs breaks its row over several lines: a line
    continues the row above when that row has fewer cells than the header and
    the two together do not exceed it, unless the line plainly starts a row (a
    number, a section heading, an empty first cell) or the row above ended on
    a cell that is not running text (empty, a number, unit names, a time
    limit: the row is complete, its merged cells left out). A line without a tab
    after a full row continues its last cell only if that column holds text
    (工作要求, 备注); otherwise it is the first cell of a row whose merged cells
    were left out. Without a recognisable header the lines are returned as they are.
    """
    header = find_header(lines)
    if header is None:
        return [list(r) for r in lines]
    head_idx, kinds = header
    width = len(kinds)
    out = [list(r) for r in lines[: head_idx + 1]]
    current: list[str] | None = None
    for frags in lines[head_idx + 1:]:
        frags = list(frags)
        if current is not None and frags and _may_run_on(current[-1]) and not _starts_row(frags[0]) \
                and header_kinds(frags) is None and (
            (len(current) < width and len(current) + len(frags) - 1 <= width)
            # A full row takes a line without a tab only into a last column of text (工作要求, 备注).
            or (len(frags) == 1 and len(current) >= width and kinds[-1] in ("task", "category", "note", None))
        ):
            current[-1] = f"{current[-1]}\n{frags[0]}" if current[-1] else frags[0]
            current.extend(frags[1:])
            continue
        if current is not None:
            out.append(current)
        current = frags
    if current is not None:
        out.append(current)
    return out


def continues_last_row(lines: list[list[str]], line: str) -> bool:
    """Whether a line without a tab right after a pasted table is the rest of its last row's cell.

    Only when the last row is short of the header's cells (its empty cells at
    the end cut off, a cell of several paragraphs still open) and the line does
    not start a row or a heading of its own.
    """
    header = find_header(lines)
    if header is None or not lines or len(lines) <= header[0] + 1:
        return False
    rows = join_pasted_rows(lines)
    return len(rows[-1]) < len(header[1]) and not _starts_row(line)


# --- aligning a short row ---------------------------------------------------------------


def _looks_like_units(text: str) -> bool:
    if len(text) > 120 or "。" in text:
        return False
    names, _ = split_names(text.replace("\n", "、"))
    return bool(names) and all(looks_like_unit(n) for n in names)


def _looks_like_deadline(text: str, year: int | None) -> bool:
    if len(text) > 40:
        return False
    return any(d.kind != "text" for d in parse_deadline_cell(text, year)) or bool(
        re.search(r"[年月日季]|前|底|长期|持续|常态|随时|及时", text))


def _fit(cell: str, kind: str | None, year: int | None) -> int:
    """How well a cell fits a column (higher is better; an empty cell fits anywhere)."""
    if not cell:
        return 0
    if kind == "number":
        return 2 if _bare_number(cell) else -3
    if kind in UNIT_KINDS:
        return 2 if _looks_like_units(cell) else -2
    if kind == "deadline":
        return 2 if _looks_like_deadline(cell, year) else -1
    if kind in ("task", "category"):
        if _bare_number(cell):
            return -2
        if _looks_like_units(cell) or (len(cell) <= 12 and _looks_like_deadline(cell, year)):
            return -1
        return 1
    return 0


def _align(cells: list[str], kinds: list[str | None], year: int | None) -> tuple[list[str], list[int]]:
    """Place a row with fewer cells than the header: which columns were left out (merged above or cut off)?"""
    width = len(kinds)
    missing = width - len(cells)
    # A row that ends on an empty cell was not cut off at the end: its last cell is the last column.
    ends_here = bool(cells) and not cells[-1]
    best: tuple[int, int, list[int]] | None = None
    for gap in combinations(range(width), missing):
        if ends_here and width - 1 in gap:
            continue
        it = iter(cells)
        placed = ["" if col in gap else next(it) for col in range(width)]
        score = sum(_fit(c, k, year) for c, k in zip(placed, kinds, strict=True))
        # On a tie, prefer cut-off cells at the end (the usual paste), then merged ones at the start;
        # a row that ends on an empty cell was not cut off, so its gaps are merged cells, leftmost first.
        last = max((col for col in range(width) if col not in gap), default=-1)
        trailing = 0 if ends_here else sum(1 for col in gap if col > last)
        key = (score, trailing, [-c for c in gap])
        if best is None or key > (best[0], best[1], [-c for c in best[2]]):
            best = (score, trailing, list(gap))
    assert best is not None  # combinations of a non-negative count are never empty
    gap = best[2]
    it = iter(cells)
    return ["" if col in gap else next(it) for col in range(width)], [c for c in gap if c < len(cells)]


# --- rows into items ------------------------------------------------------------------


def _split_title(text: str) -> tuple[str, str]:
    text = text.strip()
    m = re.search(r"[。！？\n]", text)
    if not m or m.end() == len(text):
        return text.rstrip("。"), ""
    return text[: m.start()], text[m.end():].strip()


def _number_label(cell: str) -> str:
    cell = cell.strip()
    if re.fullmatch(CN_NUM, cell):
        return cell
    marker = match_marker(cell + " ") or match_marker(cell + "、")
    if marker and len(marker.raw.strip()) >= len(cell.strip()) - 1:
        return marker.label
    return cell.strip("、.．")


def _number_style(cell: str) -> str:
    cell = cell.strip()
    if cell.isdigit():
        return "arabic"
    if re.fullmatch(CN_NUM, cell):
        return "cn"
    marker = match_marker(cell + " ") or match_marker(cell + "、")
    return marker.style if marker else "table-number"


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
    # 县发展改革局（牵头）、县财政局: a role written after a name in the cell.
    for names in (units.lead, units.responsible, units.cooperating):
        for name in list(names):
            m = _ROLE_AFTER_NAME.search(name)
            if m:
                names.remove(name)
                target = units.lead if m.group(1).startswith("牵头") else units.cooperating
                if name[: m.start()] not in target:
                    target.append(name[: m.start()])
    return units


_ROLE_AFTER_NAME = re.compile(r"（(牵头(?:单位)?|配合(?:单位)?)）$")


def _significant(text: str) -> str:
    return "".join(_SIGNIFICANT.findall(text))


def _headed(marker_text: str, style: str, line: int) -> Item:
    """An item whose number, title and text come from one cell's text."""
    marker = match_marker(marker_text)
    item = Item(number=marker.label if marker else "", marker=marker.raw.strip() if marker else "", style=style, line=line)
    body = marker_text[len(marker.raw):] if marker else marker_text
    item.title, item.text = _split_title(body)
    return item


def _full_text(item: Item) -> str:
    head = f"{item.marker}{item.title}" if item.marker else item.title
    return f"{head}。{item.text}" if item.text else head


def _collapse(items: list[Item]) -> list[Item]:
    """A group of one row becomes that row; a group's number moves up from its first row."""
    out: list[Item] = []
    for item in items:
        item.children = _collapse(item.children)
        if item.style == "table-group" and not item.marker and len(item.children) == 1 \
                and item.children[0].style == "table-row" and not item.children[0].children:
            row = item.children[0]
            row.number = item.number or row.number
            row.text = "\n".join(t for t in (item.text, _full_text(row)) if t)
            row.title, row.marker, row.line = item.title, item.marker, item.line
            out.append(row)
            continue
        if item.style == "table-group" and not item.number and item.children and item.children[0].number \
                and not any(c.number for c in item.children[1:]):
            item.number, item.children[0].number = item.children[0].number, ""
        out.append(item)
    return out


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
    text_cols = [i for i, k in enumerate(kinds) if k in ("category", "task")]
    roots: list[Item] = []
    sections: list[tuple[str, Item]] = []   # open section rows, outermost first: (numbering style, item)
    group: Item | None = None
    group_key = ""
    last_row: Item | None = None

    def container() -> list[Item]:
        return sections[-1][1].children if sections else roots

    for offset, row in enumerate(table.rows[head_idx + 1:], start=head_idx + 1):
        row_line = line + offset
        shown = " | ".join(row)
        cells = [c.strip() for c in row]
        while len(cells) > width and not cells[-1]:
            cells.pop()
        if not any(cells):
            continue
        if header_kinds(cells) is not None and all(_kind_of(c) == k for c, k in zip(cells, kinds, strict=False) if c):
            headers.append(Note(row_line, "表头", shown))
            continue  # a repeated header row
        filled = [c for c in cells if c]
        if len(filled) > 1 and len(set(filled)) == 1:
            cells = filled = filled[:1]  # one merged cell across the row, repeated in each column (.docx, HTML colspan)
        if len(filled) == 1 and len(cells) < width and not _bare_number(filled[0]):
            # One merged cell across the row: a section title, or the rest of the cell above.
            value = filled[0]
            marker = match_marker(value)
            if last_row is not None and not (marker and marker.style in SECTION_STYLES) and (
                    len(value) > 40 or "。" in value or marker is not None):
                last_row.text = "\n".join(t for t in (last_row.text, value) if t)
                warnings.append(Note(row_line, "该行没有序号、单位和时限，按上一行内容的续行并入上一行", shown))
                continue
            cells = [""] * width
            cells[text_cols[0] if text_cols else 0] = value
        if len(cells) < width:
            cells, merged = _align(cells, kinds, year)
            if merged:
                warnings.append(Note(row_line, f"该行比表头少{len(merged)}列，按合并单元格处理（与上一行同属一项）", shown))
        extra = [c for c in cells[width:] if c]
        cells = cells[:width]
        col = {k: [c for c, kk in zip(cells, kinds, strict=True) if kk == k] for k in set(kinds)}
        number = next((c for c in col.get("number", []) if c), "")
        category = next((c for c in col.get("category", []) if c), "")
        tasks = [c for c in col.get("task", []) if c]
        notes = [c for c in col.get("note", []) if c] + [c for c, k in zip(cells, kinds, strict=True) if k is None and c] + extra
        unit_cells = [(k, c) for c, k in zip(cells, kinds, strict=True) if k in UNIT_KINDS and c]
        deadline_cells = [c for c in col.get("deadline", []) if c]
        texts = [c for i, c in enumerate(cells) if i in text_cols and c]

        # A row that is only the rest of the previous row's requirement.
        if not number and not unit_cells and not deadline_cells and not notes and len(texts) == 1 and last_row is not None:
            value = texts[0]
            in_detail = len(text_cols) >= 2 and cells[text_cols[0]] == ""
            runs_on = len(value) > 30 or "。" in value or (
                (m := match_marker(value)) is not None and m.style not in SECTION_STYLES)
            if in_detail or (runs_on and not (len(text_cols) >= 2 and cells[text_cols[0]])):
                last_row.text = "\n".join(t for t in (last_row.text, value) if t)
                warnings.append(Note(row_line, "该行没有序号、单位和时限，按上一行内容的续行并入上一行", shown))
                continue

        # A section row: a title (with or without its number in the first column), no units, no time.
        if not unit_cells and not deadline_cells and not notes and len(texts) <= 1 and (texts or number):
            value = texts[0] if texts else ""
            marker = match_marker(value) if value else None
            num_style = _number_style(number) if number else ""
            if (number and num_style in SECTION_STYLES) or (not number and value and (
                    (marker and marker.style in SECTION_STYLES) or (not marker and len(value) <= 40 and "。" not in value))):
                if number:
                    section = Item(number=_number_label(number), marker=number, style="table-section", line=row_line)
                    section.title, section.text = _split_title(value)
                    style = num_style
                else:
                    section = _headed(value, "table-section", row_line)
                    style = marker.style if marker else "table-section"
                section.deadlines = find_deadlines(value, year)
                styles = [s for s, _ in sections]
                if style in styles:
                    del sections[styles.index(style):]
                container().append(section)
                sections.append((style, section))
                group, group_key, last_row = None, "", None
                continue

        row_item = Item(style="table-row", line=row_line)
        units = Units()
        for kind, cell in unit_cells:
            units.merge(_units_from_cell(cell, kind))
        for cell in deadline_cells:
            found = parse_deadline_cell(cell, year)
            row_item.deadlines.extend(d for d in found if d not in row_item.deadlines)
            kept = _significant("".join(d.text for d in found))
            if any(ch not in kept for ch in _significant(cell)):
                notes.append(f"完成时限：{cell}")
        body_parts = tasks if tasks else ([category] if category else [])
        new_group = bool(tasks and category and category != group_key)
        body = "\n".join(body_parts)
        for _start, _end, clause_units in find_clauses(body):
            units.merge(clause_units)
        for start, end, _ in reversed(find_clauses(body)):
            body = (body[:start] + body[end:]).strip()
        body_marker = match_marker(body)
        row_number = number
        if not new_group and group is not None and category == group_key and number and number == group.marker:
            row_number = ""  # the group's number, merged down its rows (.docx, HTML rowspan)
        if new_group:
            group = _headed(category, "table-group", row_line)
            if not group.marker and number and (body_marker or _number_style(number) in SECTION_STYLES):
                group.number, group.marker = _number_label(number), number
                row_number = ""
            group_key = category
            container().append(group)
        elif not tasks:
            group, group_key = None, ""
        if row_number:
            row_item.number = _number_label(row_number)
        if body_marker and not row_item.number:
            row_item.number, row_item.marker = body_marker.label, body_marker.raw.strip()
            body = body[len(body_marker.raw):]
        elif body_marker and body_marker.label == row_item.number:
            row_item.marker = body_marker.raw.strip()
            body = body[len(body_marker.raw):]
        row_item.title, row_item.text = _split_title(body)
        if notes:
            row_item.text = "\n".join(t for t in (row_item.text, *(n if n.startswith("完成时限") else f"备注：{n}" for n in notes)) if t)
        row_item.units = units
        for d in find_deadlines(body, year):
            if d not in row_item.deadlines:
                row_item.deadlines.append(d)
        (group.children if group is not None and tasks else container()).append(row_item)
        if not row_item.title and not row_item.text:
            warnings.append(Note(row_line, "该行没有任务内容", shown))
        last_row = row_item
    return _collapse(roots), unplaced, warnings, headers
