"""The Word template of the annual report (national layout), built by code, and its rendering.

``build_template()`` writes ``word/annual_report.docx`` with python-docx: the
title, the six sections with their exact headings, tables 二, 三 and 四 with
the merged header cells of the format, and docxtpl placeholders. Run
``gongkai report template`` to rebuild it after changing this file; a test
checks that the committed template is what this code builds. An office may
edit the .docx (fonts, 红头) as long as it keeps the placeholders.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from . import tables

TEMPLATE = Path(__file__).resolve().parent / "word" / "annual_report.docx"
SERIF = "Noto Serif CJK SC"
SANS = "Noto Sans CJK SC"


def ph(key: str) -> str:
    """The placeholder of one cell (docxtpl context ``v``: key with dots as underscores)."""
    return "{{ v." + key.replace(".", "_") + " }}"


def _font(run, name: str, size: float, bold: bool = False) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = name
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), name)


def _para(doc, text: str, *, size: float = 14, bold: bool = False, center: bool = False, font: str = SERIF,
          indent: bool = False):
    p = doc.add_paragraph()
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if indent:
        p.paragraph_format.first_line_indent = Pt(size * 2)
    p.paragraph_format.space_after = Pt(4)
    _font(p.add_run(text), font, size, bold)
    return p


def _style(doc, name: str, font: str, size: float, *, center: bool = False) -> None:
    """A built-in style (Title, Heading 1) in the report's fonts, black, so Word's navigation pane lists it."""
    from docx.shared import RGBColor

    style = doc.styles[name]
    style.font.name = font
    style.font.size = Pt(size)
    style.font.bold = True
    style.font.color.rgb = RGBColor(0, 0, 0)
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia"):
        fonts.set(qn(attr), font)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    fmt = style.paragraph_format
    fmt.keep_with_next = True
    fmt.space_before, fmt.space_after = Pt(12), Pt(6)
    if center:
        fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
    ppr = style.element.get_or_add_pPr()
    border = ppr.find(qn("w:pBdr"))
    if border is not None:  # the Title style's rule under the line is not in the format
        ppr.remove(border)


def _styled(doc, text: str, style: str):
    p = doc.add_paragraph(style=style)
    p.add_run(text)
    return p


def _repeat_header(t, header_rows: int) -> None:
    """Header rows repeat on every page and stay together with the first data row; no row splits across pages."""
    for i, row in enumerate(t.rows):
        trpr = row._tr.get_or_add_trPr()
        trpr.append(trpr.makeelement(qn("w:cantSplit"), {}))
        if i < header_rows:
            trpr.append(trpr.makeelement(qn("w:tblHeader"), {}))
            for cell in row.cells:
                for p in cell.paragraphs:
                    p.paragraph_format.keep_with_next = True


def _cell(cell, text: str, *, bold: bool = False, size: float = 9) -> None:
    cell.text = ""
    p = cell.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(p.add_run(text), SANS, size, bold)


def _table(doc, rows: int, cols: int, widths: list[float]):
    """A bordered table with fixed column widths (cm) that fill the 16.6 cm text width."""
    t = doc.add_table(rows=rows, cols=cols)
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    for i, w in enumerate(widths):
        t.columns[i].width = Cm(w)
        for c in t.columns[i].cells:
            c.width = Cm(w)
    return t


def _merge(t, r1: int, c1: int, r2: int, c2: int, text: str, **kw) -> None:
    cell = t.cell(r1, c1).merge(t.cell(r2, c2)) if (r1, c1) != (r2, c2) else t.cell(r1, c1)
    _cell(cell, text, **kw)


def _prose(doc, name: str) -> None:
    _para(doc, "{%p for p in " + name + " %}", size=14)
    _para(doc, "{{ p }}", size=14, indent=True)
    _para(doc, "{%p endfor %}", size=14)


def _heading(doc, number: str) -> None:
    _styled(doc, tables.section_heading(number), "Heading 1")


def _table2(doc) -> None:
    rows = sum(2 + len(r) for _, r in tables.T2_BLOCKS)
    t = _table(doc, rows, 4, [4.6, 4.0, 4.0, 4.0])
    i = 0
    for block, brows in tables.T2_BLOCKS:
        _merge(t, i, 0, i, 3, block, bold=True)
        cols = brows[0][2]
        _cell(t.cell(i + 1, 0), "信息内容", bold=True)
        if len(cols) == 1:
            _merge(t, i + 1, 1, i + 1, 3, tables.T2_COLUMNS[cols[0]], bold=True)
        else:
            for j, c in enumerate(cols):
                _cell(t.cell(i + 1, 1 + j), tables.T2_COLUMNS[c], bold=True)
        for k, (row, label, cols) in enumerate(brows):
            r = i + 2 + k
            _cell(t.cell(r, 0), label)
            if len(cols) == 1:
                _merge(t, r, 1, r, 3, ph(f"t2.{row}.{cols[0]}"))
            else:
                for j, c in enumerate(cols):
                    _cell(t.cell(r, 1 + j), ph(f"t2.{row}.{c}"))
        i += 2 + len(brows)
    _repeat_header(t, 0)


def _table3(doc) -> None:
    # 自然人 is wider than the other figures so its header never breaks ("自然"/"人").
    t = _table(doc, 3 + len(tables.T3_ROWS), 10, [1.2, 1.9, 5.4, 1.5] + [1.1] * 6)
    _merge(t, 0, 0, 2, 2, tables.T3_NOTE, size=8)
    _merge(t, 0, 3, 0, 9, tables.T3_COLUMN_GROUP, bold=True)
    _merge(t, 1, 3, 2, 3, "自然人", bold=True)
    _merge(t, 1, 4, 1, 8, tables.T3_ORG_GROUP, bold=True)
    _merge(t, 1, 9, 2, 9, "总计", bold=True)
    for j, k in enumerate(tables.T3_KINDS[1:]):
        _cell(t.cell(2, 4 + j), tables.T3_COLUMNS[k], bold=True)
    block = [i for i, r in enumerate(tables.T3_ROWS) if r[0].startswith("r3_")]
    _merge(t, 3 + block[0], 0, 3 + block[-1], 0, tables.T3_BLOCK_HEADER, size=8)
    groups: dict[str, list[int]] = {}
    for i, (row, label, group) in enumerate(tables.T3_ROWS):
        r = 3 + i
        if not row.startswith("r3_"):
            _merge(t, r, 0, r, 2, label, size=8)
        elif not group:
            _merge(t, r, 1, r, 2, label, size=8)
        else:
            groups.setdefault(group, []).append(r)
            _cell(t.cell(r, 2), label, size=8)
        for j, c in enumerate(tables.T3_COLUMNS):
            _cell(t.cell(r, 3 + j), ph(f"t3.{row}.{c}"))
    for group, rs in groups.items():
        _merge(t, rs[0], 1, rs[-1], 1, group, size=8)
    _repeat_header(t, 3)


def _table4(doc) -> None:
    t = _table(doc, 4, 15, [1.1] * 15)
    _merge(t, 0, 0, 1, 4, "行政复议", bold=True)
    _merge(t, 0, 5, 0, 14, "行政诉讼", bold=True)
    _merge(t, 1, 5, 1, 9, "未经复议直接起诉", bold=True)
    _merge(t, 1, 10, 1, 14, "复议后起诉", bold=True)
    for gi, g in enumerate(tables.T4_GROUPS):
        for ci, c in enumerate(tables.T4_COLUMNS):
            _cell(t.cell(2, gi * 5 + ci), tables.T4_COLUMNS[c], bold=True, size=8)
            _cell(t.cell(3, gi * 5 + ci), ph(f"t4.{g}.{c}"))
    _repeat_header(t, 3)


def build_template() -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin = section.bottom_margin = Cm(2.5)
    section.left_margin = section.right_margin = Cm(2.2)
    _style(doc, "Title", SERIF, 20, center=True)
    _style(doc, "Heading 1", SANS, 15)
    _styled(doc, "{{ title }}", "Title")
    _para(doc, "{{ intro }}", size=14, indent=True)
    _heading(doc, "一")
    _prose(doc, "overview")
    _heading(doc, "二")
    _table2(doc)
    _para(doc, "{%p for n in notes %}", size=10)
    _para(doc, "{{ n }}", size=10)
    _para(doc, "{%p endfor %}", size=10)
    _heading(doc, "三")
    _table3(doc)
    _heading(doc, "四")
    _table4(doc)
    _heading(doc, "五")
    _prose(doc, "problems")
    _heading(doc, "六")
    _prose(doc, "other_matters")
    _para(doc, "{{ organ_name }}", size=14, font=SERIF).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _para(doc, "{{ date_text }}", size=14, font=SERIF).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _para(doc, "{%p if charts %}")
    _styled(doc, "附：本年度统计图表", "Heading 1")
    _para(doc, "{%p for ch in charts %}")
    _para(doc, "{{ ch.image }}", center=True)
    _para(doc, "{{ ch.title }}", size=10, center=True, font=SANS)
    _para(doc, "{{ ch.text }}", size=9, center=True, font=SANS)
    _para(doc, "{%p endfor %}")
    _para(doc, "{%p endif %}")
    out = io.BytesIO()
    doc.core_properties.author = "gongkai"
    doc.core_properties.title = "政府信息公开工作年度报告"
    doc.save(out)
    return out.getvalue()


def write_template(path: Path = TEMPLATE) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(build_template())
    return path


def document_xml(docx: bytes) -> str:
    """The main document part of a .docx (to compare templates without zip timestamps)."""
    import zipfile

    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        return z.read("word/document.xml").decode("utf-8")


def render(context: dict[str, Any], *, charts: list[dict[str, Any]] | None = None) -> bytes:
    """Fill the template; ``charts``: [{"png": bytes, "title", "text"}] become inline images."""
    from docx.shared import Mm
    from docxtpl import DocxTemplate, InlineImage

    doc = DocxTemplate(str(TEMPLATE))
    ctx = dict(context)
    ctx["charts"] = [
        {"image": InlineImage(doc, io.BytesIO(c["png"]), width=Mm(150)), "title": c["title"], "text": c["text"]}
        for c in (charts or [])
    ]
    doc.render(ctx, autoescape=True)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
