"""Turning what people hand in into blocks: paragraphs and tables.

Plain text (pasted or .txt, in UTF-8 or GB18030), an HTML page saved from a
government site, a .docx or an .xlsx. Tables keep their rows; merged cells are
filled with the merged value (.docx and .xlsx) so a task table reads the same
whichever way it arrived. Tab-separated lines pasted from a web page become a
table too.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from .tables import continues_last_row, join_pasted_rows


class SourceError(ValueError):
    """The file cannot be read; the message says why, in Chinese."""


@dataclass
class Table:
    rows: list[list[str]] = field(default_factory=list)
    line: int = 0


Block = str | Table

_BLOCK_TAGS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
               "header", "footer", "nav", "ul", "ol", "table", "title", "dd", "dt", "blockquote", "pre", "hr"}
_SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "iframe", "select", "button", "head"}


class _HTMLToBlocks(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.buf: list[str] = []
        self.skip = 0
        self.tables: list[Table] = []
        self.row: list[str] | None = None
        self.cell: list[str] | None = None
        self.spans: list[dict[int, tuple[int, str]]] = []  # per table: col → (rows left, text)
        self.colspan = 1
        self.rowspan = 1
        self.title = ""
        self.in_title = False

    def flush(self) -> None:
        text = "".join(self.buf)
        self.buf = []
        for line in text.split("\n"):
            line = line.strip(" \t\r\u3000\xa0")
            if line:
                self.blocks.append(line)

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP_TAGS:
            self.skip += 1
            return
        if self.skip:
            return
        attrs_d = dict(attrs)
        if tag == "table":
            self.flush()
            self.tables.append(Table())
            self.spans.append({})
        elif tag == "tr" and self.tables:
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self._fill_spans()
            self.cell = []
            self.colspan = _int(attrs_d.get("colspan"))
            self.rowspan = _int(attrs_d.get("rowspan"))
        elif tag == "br":
            (self.cell if self.cell is not None else self.buf).append("\n")
        elif tag in _BLOCK_TAGS and self.cell is None:
            self.buf.append("\n")

    def _fill_spans(self) -> None:
        spans = self.spans[-1]
        while self.row is not None and len(self.row) in spans:
            col = len(self.row)
            left, text = spans[col]
            self.row.append(text)
            if left <= 1:
                del spans[col]
            else:
                spans[col] = (left - 1, text)

    def handle_endtag(self, tag):
        if tag in _SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
            return
        if self.skip:
            return
        if tag in ("td", "th") and self.cell is not None and self.row is not None:
            text = _clean_cell("".join(self.cell))
            for _k in range(self.colspan):
                col = len(self.row)
                self.row.append(text)
                if self.rowspan > 1:
                    self.spans[-1][col] = (self.rowspan - 1, text)
            self.cell = None
        elif tag == "tr" and self.row is not None and self.tables:
            self._fill_spans()
            if any(c for c in self.row):
                self.tables[-1].rows.append(self.row)
            self.row = None
        elif tag == "table" and self.tables:
            table = self.tables.pop()
            self.spans.pop()
            if table.rows:
                if self.tables and self.cell is not None:
                    self.cell.append(" ".join("\t".join(r) for r in table.rows))
                else:
                    self.blocks.append(table)
        elif tag in _BLOCK_TAGS and self.cell is None:
            self.buf.append("\n")
            self.flush()

    def handle_data(self, data):
        if self.skip:
            return
        if self.cell is not None:
            self.cell.append(data)
        else:
            self.buf.append(data.replace("\n", " ") if data.strip() else data)


def _int(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 200))
    except ValueError:
        return 1


def _clean_cell(text: str) -> str:
    lines = [ln.strip(" \t\r\u3000\xa0") for ln in text.replace("\r", "\n").split("\n")]
    return "\n".join(ln for ln in lines if ln)


def looks_like_html(text: str) -> bool:
    head = text[:2000].lower()
    return bool(re.search(r"<(html|body|p|div|table|br|span|meta|!doctype)\b", head))


def html_to_blocks(html: str) -> list[Block]:
    parser = _HTMLToBlocks()
    parser.feed(html)
    parser.close()
    parser.flush()
    return parser.blocks


def _split_cells(raw: str) -> list[str]:
    return [c.strip(" \u3000\xa0") for c in raw.split("\t")]


def _table_rows(lines: list[str]) -> list[list[str]]:
    """The rows of one run of pasted table lines.

    A spreadsheet quotes a cell that holds line breaks (``"1.…\n2.…"``), read
    here as CSV; a web page does not, and its rows are joined back by
    counting cells against the header (:func:`.tables.join_pasted_rows`).
    """
    text = "\n".join(lines)
    if re.search(r'(?:^|\t)"', text, re.MULTILINE) and text.count('"') % 2 == 0:
        rows = [[c.strip(" \u3000\xa0") for c in row] for row in csv.reader(io.StringIO(text), delimiter="\t")]
        return [r for r in rows if any(r)]
    return join_pasted_rows([_split_cells(line) for line in lines])


def text_to_blocks(text: str) -> list[Block]:
    """Plain text: one paragraph a line; runs of tab-separated lines make a table.

    Lines without a tab between two tab-separated lines are kept in the table:
    they are the further paragraphs of a cell (or a section row of one merged
    cell) of a table copied from a web page.
    """
    blocks: list[Block] = []
    run: list[str] = []       # the lines of the table being read
    pending: list[str] = []   # lines without a tab after it: in the table only if another row follows

    def close() -> None:
        if run:
            while pending and continues_last_row([_split_cells(ln) for ln in run], pending[0]):
                run.append(pending.pop(0))
            blocks.append(Table(rows=_table_rows(run)))
            run.clear()
        blocks.extend(pending)
        pending.clear()

    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip(" \t\u3000\xa0")
        if "\t" in raw.strip(" \u3000") and line:
            run.extend(pending)
            pending.clear()
            run.append(raw.rstrip("\n"))
            continue
        if not line:
            continue
        if run:
            pending.append(line)
        else:
            blocks.append(line)
    close()
    return blocks


def decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SourceError("无法识别文件的文字编码，请另存为UTF-8编码的文本文件后再上传。")


def docx_to_blocks(data: bytes) -> list[Block]:
    try:
        import docx  # python-docx
        from docx.table import Table as DocxTable
        from docx.text.paragraph import Paragraph
    except ImportError as exc:  # pragma: no cover - python-docx is a dependency
        raise SourceError("服务器缺少读取Word文件的组件（python-docx）。") from exc
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - any failure means the file is not a readable .docx
        raise SourceError("无法读取该Word文件：请确认是.docx格式（不是.doc）且文件未损坏。") from exc
    blocks: list[Block] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = Paragraph(child, document).text
            for line in text.replace("\r", "\n").split("\n"):
                line = line.strip(" \t\u3000\xa0")
                if line:
                    blocks.append(line)
        elif tag == "tbl":
            table = DocxTable(child, document)
            rows: list[list[str]] = []
            for row in table.rows:
                rows.append([_clean_cell(cell.text) for cell in row.cells])
            if rows:
                blocks.append(Table(rows=rows))
    return blocks


def xlsx_to_blocks(data: bytes) -> list[Block]:
    try:
        import openpyxl
    except ImportError as exc:  # pragma: no cover - openpyxl is a dependency
        raise SourceError("服务器缺少读取Excel文件的组件（openpyxl）。") from exc
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # noqa: BLE001 - any failure means the file is not a readable .xlsx
        raise SourceError("无法读取该Excel文件：请确认是.xlsx格式（不是.xls）且文件未损坏。") from exc
    blocks: list[Block] = []
    for sheet in book.worksheets:
        merged: dict[tuple[int, int], object] = {}
        for rng in sheet.merged_cells.ranges:
            value = sheet.cell(rng.min_row, rng.min_col).value
            for r in range(rng.min_row, rng.max_row + 1):
                for c in range(rng.min_col, rng.max_col + 1):
                    merged[(r, c)] = value
        rows: list[list[str]] = []
        for r_idx, row in enumerate(sheet.iter_rows(), start=1):
            cells = []
            for c_idx, cell in enumerate(row, start=1):
                value = merged.get((r_idx, c_idx), cell.value)
                cells.append(_cell_text(value))
            while cells and not cells[-1]:
                cells.pop()
            if cells:
                rows.append(cells)
        # A row whose cells are all one merged value is a title or section line, not a table row.
        table: Table | None = None
        for cells in rows:
            distinct = {c for c in cells if c}
            if len(distinct) == 1 and table is None:
                blocks.append(distinct.pop())
                continue
            if table is None:
                table = Table()
                blocks.append(table)
            table.rows.append(cells)
    return blocks


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return f"{value.year}年{value.month}月{value.day}日"  # type: ignore[attr-defined]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _clean_cell(str(value))


def read_blocks(data: bytes | str, filename: str = "") -> list[Block]:
    """Blocks of an uploaded file or pasted text; ``filename`` picks the reader by extension."""
    name = filename.lower()
    if isinstance(data, str):
        return html_to_blocks(data) if looks_like_html(data) else text_to_blocks(data)
    if name.endswith(".docx") or data[:2] == b"PK" and b"word/" in data[:4000]:
        return docx_to_blocks(data)
    if name.endswith((".xlsx", ".xlsm")) or data[:2] == b"PK" and b"xl/" in data[:4000]:
        return xlsx_to_blocks(data)
    if name.endswith((".doc", ".xls", ".wps", ".et")):
        raise SourceError("暂不支持旧版Office格式（.doc/.xls/.wps），请在Word或Excel中另存为.docx或.xlsx后上传。")
    if name.endswith(".pdf") or data[:5] == b"%PDF-":
        raise SourceError("暂不支持PDF文件，请上传Word（.docx）、Excel（.xlsx）、网页（.html）或文本（.txt），或直接粘贴正文。")
    if data[:2] == b"PK":
        raise SourceError("无法识别该压缩文件，请上传.docx或.xlsx文件。")
    text = decode(data)
    if "\x00" in text:
        raise SourceError("这不是文本文件，请上传.docx、.xlsx、.html或.txt文件。")
    return html_to_blocks(text) if name.endswith((".html", ".htm")) or looks_like_html(text) else text_to_blocks(text)
