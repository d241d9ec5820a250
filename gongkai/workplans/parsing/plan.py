"""From blocks to a :class:`ParsedPlan`: head (notice and metadata), numbered body, closing.

The order of work:

1. separate the *head* (everything before the first item numbered 一/（一）/1,
   or the first task table) from the *body*, and the signature and page footer
   from the *tail*;
2. read the head: titles, 发文字号, addressees, the covering notice, the
   signature and date, the preamble; navigation noise goes to ``ignored``;
3. nest the body by numbering style (a style seen before closes the levels
   opened after it), splitting lines where a heading shares its line with its
   first item, or several items run in one paragraph;
4. inside each item find the unit clauses; an item with several clauses (北京:
   one clause a sentence; 台儿庄: unnumbered paragraphs each with its own
   clause) is split into unnumbered *segments*, one per clause;
5. read the deadlines of every item and segment against the plan year.

Nothing is dropped: each input line ends up in the tree, the metadata, the
notice, preamble or closing, ``unplaced`` or ``ignored``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from .deadlines import find_deadlines
from .guidance import mark_guidance
from .model import Item, Note, ParsedPlan, Units
from .noise import date_in_noise, is_noise
from .numbering import Marker, cn_to_int, inline_markers, match_marker
from .sources import Block, Table, read_blocks
from .tables import table_items
from .units import LABELLED_PARAGRAPH, find_clauses

_CN_DATE_DIGITS = {"〇": "0", "○": "0", "零": "0", "Ｏ": "0", "O": "0", "一": "1", "二": "2", "三": "3", "四": "4",
                   "五": "5", "六": "6", "七": "7", "八": "8", "九": "9"}
DATE_LINE = re.compile(r"^(?P<y>\d{4}|[〇○零Ｏ一二三四五六七八九]{4})\s*年\s*(?P<m>\d{1,2}|[一二三四五六七八九十]{1,2})\s*月"
                       r"\s*(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})\s*日$")
ISO_DATE_LINE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
DOCNO_LINE = re.compile(r"^[\u4e00-\u9fa5]{1,14}\s*[〔\[［【(（]\s*\d{4}\s*[〕\]］】)）]\s*\d{1,5}\s*号$")
DISCLOSURE = re.compile(r"^[(（]\s*此件[^)）]{0,12}[)）]$")
TITLE_END = re.compile(r"(?:工作要点|要点|工作方案|实施方案|方案|通知|计划|意见|安排|任务分解表|分解表|任务清单|清单|台账|细则|办法|通报)》?$")
SIGNATURE_END = re.compile(r"(?:办公室|办公厅|人民政府|政府|局|委员会|委|厅|办|中心|管委会|管理委员会|公开办)$")
ADDRESSEE = re.compile(r"[:：]$")
PROMISE = re.compile(
    r"[^。；;]*(?:落实情况[^。；]{0,40}(?:向社会公开|公开发布|社会公布)|执行情况[^。；]{0,10}向社会公开"
    r"|向社会公开[^。；]{0,30}执行情况|纳入[^。；]{0,30}年度报告|(?:工作报告|工作情况|进展情况)[^。；]{0,6}向社会公开"
    r"|年度报告[^。；]{0,12}向社会公开)[^。；;]*[。；;]?"
)


def _date_from_line(m: re.Match[str]) -> date | None:
    y = m.group("y")
    if not y.isdigit():
        y = "".join(_CN_DATE_DIGITS.get(c, "") for c in y)
    mo = int(m.group("m")) if m.group("m").isdigit() else cn_to_int(m.group("m"))
    d = int(m.group("d")) if m.group("d").isdigit() else cn_to_int(m.group("d"))
    try:
        return date(int(y), mo or 0, d or 0)
    except ValueError:
        return None


@dataclass
class _Para:
    line: int
    text: str


@dataclass
class _Node:
    item: Item
    marker: Marker | None
    paras: list[_Para] = field(default_factory=list)
    children: list[_Node] = field(default_factory=list)


def parse_text(text: str) -> ParsedPlan:
    """Parse pasted text (or the text of an HTML page)."""
    return parse_blocks(read_blocks(text))


def parse_file(data: bytes, filename: str = "") -> ParsedPlan:
    """Parse an uploaded file (.txt, .html, .docx, .xlsx); raises SourceError with a Chinese reason."""
    return parse_blocks(read_blocks(data, filename))


def _is_title(text: str) -> bool:
    return len(text) <= 80 and "。" not in text and bool(TITLE_END.search(text)) and not ADDRESSEE.search(text)


def _starts_body(text: str) -> bool:
    marker = match_marker(text)
    return bool(marker and marker.value == 1 and marker.style in ("chapter", "cn", "cn_paren", "arabic"))


def parse_blocks(blocks: list[Block]) -> ParsedPlan:
    plan = ParsedPlan()
    numbered: list[tuple[int, Block]] = list(enumerate(blocks, start=1))
    # Captions of tables: a short line right before a table belongs to it.
    captions: dict[int, str] = {}
    for idx, (_line, block) in enumerate(numbered):
        if isinstance(block, Table) and idx > 0:
            prev_line, prev = numbered[idx - 1]
            if isinstance(prev, str) and len(prev) <= 60 and "。" not in prev and not match_marker(prev) and (
                re.search(r"表|附件|清单|台账|分解|任务", prev)
            ):
                captions[prev_line] = prev
    # 1. Where the body starts and the tail begins.
    body_start = next(
        (i for i, (line, b) in enumerate(numbered)
         if isinstance(b, Table) or (isinstance(b, str) and line not in captions and _starts_body(b))),
        None,
    )
    if body_start is None:
        body_start = next((i for i, (_, b) in enumerate(numbered) if isinstance(b, str) and match_marker(b)), len(numbered))
    head = numbered[:body_start]
    rest = numbered[body_start:]
    tail_start = len(rest)
    tail_meta: list[tuple[int, str]] = []
    for idx in range(len(rest) - 1, -1, -1):
        line, block = rest[idx]
        if not isinstance(block, str):
            break
        if is_noise(block) or DISCLOSURE.match(block) or DATE_LINE.match(block) or ISO_DATE_LINE.match(block):
            tail_start = idx
            tail_meta.insert(0, (line, block))
            continue
        nxt = rest[idx + 1][1] if idx + 1 < len(rest) else ""
        if isinstance(nxt, str) and DATE_LINE.match(nxt) and len(block) <= 30 and SIGNATURE_END.search(block):
            tail_start = idx
            tail_meta.insert(0, (line, block))
            continue
        break
    body = rest[:tail_start]

    _read_head(plan, head, captions)
    _read_tail(plan, tail_meta)
    if plan.year is None:
        plan.year = _year_of(plan)
    _read_body(plan, body, captions)
    _find_promise(plan)
    mark_guidance(plan.items)
    if not plan.items:
        plan.warnings.append(Note(0, "没有找到编号的条目（一、（一）、1.）或任务分解表，全文已原样保留，请检查格式"))
    return plan


def _year_of(plan: ParsedPlan) -> int | None:
    for text in (plan.title, plan.notice_title):
        m = re.search(r"((?:19|20)\d{2})\s*年", text or "")
        if m:
            return int(m.group(1))
    for d in (plan.written_on, plan.published_on):
        if d:
            return d.year
    return None


def _read_head(plan: ParsedPlan, head: list[tuple[int, Block]], captions: dict[int, str]) -> None:
    pending: list[tuple[int, str]] = []
    notice_done = False
    seen_meta = False
    last_noise_date = None
    for idx, (line, block) in enumerate(head):
        if isinstance(block, Table):
            continue
        text = block
        nxt = head[idx + 1][1] if idx + 1 < len(head) else ""
        if is_noise(text):
            found = date_in_noise(text)
            if found and not plan.published_on:
                try:
                    plan.published_on = date(*found)
                except ValueError:
                    pass
            last_noise_date = line
            plan.ignored.append(Note(line, "网页导航或页脚文字", text))
            continue
        m = ISO_DATE_LINE.match(text)
        if m:
            if not plan.published_on and last_noise_date == line - 1:
                try:
                    plan.published_on = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
                    plan.meta_lines.append(Note(line, "发布日期", text))
                    continue
                except ValueError:
                    pass
            plan.ignored.append(Note(line, "网页上的日期", text))
            continue
        if DOCNO_LINE.match(text):
            if not plan.doc_no:
                plan.doc_no = re.sub(r"\s+", "", text)
            plan.meta_lines.append(Note(line, "发文字号", text))
            seen_meta = True
            continue
        m = DATE_LINE.match(text)
        if m:
            if not plan.written_on:
                plan.written_on = _date_from_line(m)
            plan.meta_lines.append(Note(line, "成文日期", text))
            notice_done = True
            seen_meta = True
            _flush(plan, pending, notice=True)
            continue
        if DISCLOSURE.match(text):
            plan.disclosure_note = text
            plan.meta_lines.append(Note(line, "公开方式", text))
            continue
        if line in captions:
            plan.meta_lines.append(Note(line, "表格标题", text))
            continue
        if _is_title(text):
            plan.meta_lines.append(Note(line, "标题", text))
            seen_meta = True
            if "关于" in text and re.search(r"(?:通知|函|意见|决定)$", text) and not plan.notice_title:
                plan.notice_title = text
                plan.issuer = plan.issuer or text.split("关于", 1)[0]
                m2 = re.search(r"关于(?:印发|转发|下达)?《?(.+?)》?的通知$", text)
                if m2 and re.search(r"印发|转发|下达", text):
                    plan.title = plan.title or m2.group(1)
            elif not plan.title or notice_done or plan.title in text or text in plan.title:
                if notice_done or plan.notice_title:
                    plan.title = text
                else:
                    plan.title = plan.title or text
            continue
        if ADDRESSEE.search(text) and len(text) < 200 and re.search(r"各|单位|部门|政府|处室|机关", text) and not plan.addressees:
            plan.addressees = text.rstrip(":：")
            plan.meta_lines.append(Note(line, "主送机关", text))
            seen_meta = True
            continue
        if isinstance(nxt, str) and DATE_LINE.match(nxt) and len(text) <= 30 and SIGNATURE_END.search(text):
            plan.issuer = text
            plan.meta_lines.append(Note(line, "落款", text))
            seen_meta = True
            continue
        if not seen_meta and len(text) <= 20 and not re.search(r"[。，,；;]", text):
            plan.ignored.append(Note(line, "正文之前的网页文字", text))
            continue
        pending.append((line, text))
    if not plan.title:
        plan.title = plan.notice_title
    _flush(plan, pending, notice=False)


def _flush(plan: ParsedPlan, pending: list[tuple[int, str]], *, notice: bool) -> None:
    (plan.notice if notice else plan.preamble).extend(t for _, t in pending)
    pending.clear()


def _read_tail(plan: ParsedPlan, tail: list[tuple[int, str]]) -> None:
    for idx, (line, text) in enumerate(tail):
        m = DATE_LINE.match(text)
        if m:
            if not plan.written_on:
                plan.written_on = _date_from_line(m)
            plan.meta_lines.append(Note(line, "成文日期", text))
            continue
        if DISCLOSURE.match(text):
            plan.disclosure_note = text
            plan.meta_lines.append(Note(line, "公开方式", text))
            continue
        nxt = tail[idx + 1][1] if idx + 1 < len(tail) else ""
        if DATE_LINE.match(nxt) and SIGNATURE_END.search(text) and not is_noise(text):
            plan.issuer = plan.issuer or text
            plan.meta_lines.append(Note(line, "落款", text))
            continue
        plan.ignored.append(Note(line, "网页导航或页脚文字", text))


# --- the body -------------------------------------------------------------------


def _depth(text: str, pos: int) -> int:
    depth = 0
    for ch in text[:pos]:
        if ch in "(（〔【[〈《“":
            depth += 1
        elif ch in ")）〕】]〉》”" and depth:
            depth -= 1
    return depth


def _pieces(text: str, own: Marker | None, last_value: dict[str, int]) -> list[tuple[Marker | None, str]]:
    """Split a paragraph where a heading shares its line with items, or items run on one line."""
    out: list[tuple[Marker | None, str]] = []
    current = own
    start = len(own.raw) if own else 0
    seen_styles = {own.style} if own else set()
    running = dict(last_value)
    if own:
        running[own.style] = own.value
    cuts: list[tuple[int, Marker]] = []
    prev_style = own.style if own else None
    for pos, marker in inline_markers(text):
        if pos < start or _depth(text, pos) or marker.style in ("chapter",):
            continue
        expected_child = marker.style not in seen_styles and marker.value in (1, running.get(marker.style, 0) + 1)
        expected_sibling = marker.style == prev_style and marker.value == running.get(marker.style, 0) + 1
        if expected_child or expected_sibling:
            cuts.append((pos, marker))
            seen_styles.add(marker.style)
            running[marker.style] = marker.value
            prev_style = marker.style
    pos0 = start
    for pos, marker in cuts:
        out.append((current, text[pos0:pos].strip()))
        current = marker
        pos0 = pos + len(marker.raw)
    out.append((current, text[pos0:].strip()))
    return out


def _read_body(plan: ParsedPlan, body: list[tuple[int, Block]], captions: dict[int, str]) -> None:
    root = _Node(Item(), None)
    stack: list[_Node] = [root]
    last_value: dict[str, int] = {}
    all_nodes: list[_Node] = []
    table_roots: list[Item] = []
    for line, block in body:
        if isinstance(block, Table):
            if plan.year is None and line - 1 in captions:
                plan.title = plan.title or captions[line - 1]
                plan.year = _year_of(plan)
            items, unplaced, warnings, headers = table_items(block, plan.year, line=line)
            plan.unplaced.extend(unplaced)
            plan.warnings.extend(warnings)
            plan.meta_lines.extend(headers)
            caption = next((c for cl, c in captions.items() if cl == line - 1), "")
            if caption and (root.children or table_roots):
                holder = Item(title=caption, style="table", line=line - 1, children=items)
                table_roots.append(holder)
            else:
                if caption and not plan.title:
                    plan.title = caption
                table_roots.extend(items)
            continue
        if line in captions:
            plan.meta_lines.append(Note(line, "表格标题", block))
            continue
        text = block
        if is_noise(text) and len(text) <= 60:
            plan.ignored.append(Note(line, "网页导航或页脚文字", text))
            continue
        own = match_marker(text)
        for marker, piece in _pieces(text, own, last_value):
            if marker is None:
                target = stack[-1]
                if target is root:
                    plan.preamble.append(piece)
                else:
                    target.paras.append(_Para(line, piece))
                continue
            while len(stack) > 1 and not any(n.marker and n.marker.style == marker.style for n in stack[1:]):
                break
            if any(n.marker and n.marker.style == marker.style for n in stack[1:]):
                while stack[-1].marker is None or stack[-1].marker.style != marker.style:
                    stack.pop()
                stack.pop()
            parent = stack[-1]
            expected = last_value.get(marker.style, 0) + 1
            siblings = [c for c in parent.children if c.marker and c.marker.style == marker.style]
            if siblings:
                expected_values = {siblings[-1].marker.value + 1}
            else:
                expected_values = {1, expected}
            if marker.value not in expected_values:
                prev_label = siblings[-1].marker.label if siblings else "（无）"
                plan.warnings.append(Note(line, f"编号不连续：{prev_label}之后是{marker.label}", text[:60]))
            last_value[marker.style] = marker.value
            node = _Node(Item(number=marker.label, marker=marker.raw.strip(), style=marker.style, line=line), marker)
            node.paras.append(_Para(line, piece))
            parent.children.append(node)
            stack.append(node)
            all_nodes.append(node)
    _split_closing(plan, all_nodes)
    plan.items = [_finish(n, plan) for n in root.children] + table_roots


def _has_clause(text: str) -> bool:
    return bool(find_clauses(text))


def _split_closing(plan: ParsedPlan, nodes: list[_Node]) -> None:
    """Paragraphs after the last item that are not part of it go to ``closing``."""
    if not nodes:
        return
    last = nodes[-1]
    if len(last.paras) < 2:
        return
    flags = [_has_clause(p.text) for p in last.paras]
    uses_clauses = sum(1 for n in nodes if any(_has_clause(p.text) for p in n.paras)) * 2 >= len(
        [n for n in nodes if not n.children]
    )
    if any(flags):
        cut = max(i for i, f in enumerate(flags) if f) + 1
    elif uses_clauses:
        cut = next((i for i, p in enumerate(last.paras) if i and re.search(
            r"本(?:工作)?要点|本方案|本通知|落实情况|执行情况|年度报告|各区、各部门|各部门、各单位|高度重视", p.text)), len(last.paras))
    else:
        return
    plan.closing.extend(p.text for p in last.paras[cut:])
    del last.paras[cut:]


def _first_sentence(text: str) -> tuple[str, str]:
    depth = 0
    for i, ch in enumerate(text):
        if ch in "(（〔【[〈《“":
            depth += 1
        elif ch in ")）〕】]〉》”" and depth:
            depth -= 1
        elif ch in "。！？" and not depth:
            return text[:i], text[i + 1:].strip()
        elif ch == "\n":
            return text[:i].strip(), text[i + 1:].strip()
    return text.strip(), ""


@dataclass
class _Chunk:
    text: str
    units: Units | None
    para: int
    line: int


def _chunks(paras: list[_Para]) -> list[_Chunk]:
    chunks: list[_Chunk] = []
    for idx, para in enumerate(paras):
        text = para.text
        pos = 0
        for start, end, units in find_clauses(text):
            piece = text[pos:start].strip()
            if not piece and chunks and chunks[-1].para == idx - 0 and chunks[-1].units is None and chunks[-1].para == idx:
                chunks[-1].units = units
            elif not piece and chunks and (chunks[-1].units is None or LABELLED_PARAGRAPH.match(text)):
                if chunks[-1].units is None:
                    chunks[-1].units = units
                else:
                    chunks[-1].units.merge(units)
            elif not piece and chunks and chunks[-1].units is not None:
                chunks[-1].units.merge(units)
            else:
                chunks.append(_Chunk(piece, units, idx, para.line))
            pos = end
        rest = text[pos:].strip().lstrip("。；;，,").strip()
        if rest:
            if chunks and chunks[-1].units is None and chunks[-1].para == idx - 1 and not pos:
                chunks[-1].text += "\n" + rest
            else:
                chunks.append(_Chunk(rest, None, idx, para.line))
    return chunks


def _finish(node: _Node, plan: ParsedPlan) -> Item:
    item = node.item
    chunks = _chunks(node.paras)
    year = plan.year
    clause_idx = [i for i, c in enumerate(chunks) if c.units is not None]
    split = len(clause_idx) >= 2 or (clause_idx and clause_idx[-1] < len(chunks) - 1)
    if not chunks:
        item.title = ""
    elif not split:
        first = chunks[0]
        item.title, rest = _first_sentence(first.text)
        texts = [rest] + [c.text for c in chunks[1:]]
        item.text = "\n".join(t for t in texts if t)
        for c in chunks:
            if c.units is not None:
                item.units.merge(c.units)
    else:
        first = chunks[0]
        item.title, rest = _first_sentence(first.text)
        segments: list[_Chunk] = []
        intro: list[str] = [rest] if rest else []
        if first.units is not None:
            segments.append(_Chunk(rest or item.title, first.units, first.para, first.line))
            intro = []
        for c in chunks[1:]:
            if c.units is None and not segments:
                intro.append(c.text)
            else:
                segments.append(c)
        item.text = "\n".join(t for t in intro if t)
        seg_items = []
        for seg in segments:
            seg_item = Item(style="segment", line=seg.line, units=seg.units or Units())
            seg_item.title, seg_item.text = _first_sentence(seg.text)
            seg_item.deadlines = find_deadlines(seg.text, year)
            seg_items.append(seg_item)
            if seg.units is None:
                plan.warnings.append(Note(seg.line, "这一段没有注明责任单位", seg.text[:60]))
        item.children.extend(seg_items)
    item.deadlines = find_deadlines(f"{item.title}。{item.text}", year)
    item.children.extend(_finish(c, plan) for c in node.children)
    return item


def _find_promise(plan: ParsedPlan) -> None:
    texts = list(plan.closing) + [f"{i.title}。{i.text}" for i in plan.walk()]
    for text in texts:
        m = PROMISE.search(text)
        if m:
            plan.report_promise = m.group(0).strip()
            return
