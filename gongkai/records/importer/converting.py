"""A document's body as sanitised HTML: plain text, HTML pages, Word (.docx) and PDF."""

from __future__ import annotations

import html
import re
from pathlib import Path

from .. import services, text

BODY_EXTENSIONS = (".txt", ".html", ".htm", ".docx", ".pdf")

_HEAD = re.compile(r"<head\b.*?</head\s*>", re.S | re.I)
_BODY = re.compile(r"<body\b[^>]*>(.*?)(?:</body\s*>|$)", re.S | re.I)


def html_body(source: str) -> str:
    """The sanitised content of an HTML page (its <body>, without <head>)."""
    m = _BODY.search(source)
    inner = m.group(1) if m else _HEAD.sub("", source)
    return services.sanitize_html(inner).strip()


def docx_to_html(path: Path) -> str:
    """Paragraphs, headings and tables of a .docx, in document order, as simple HTML."""
    import docx
    from docx.table import Table

    document = docx.Document(str(path))
    parts: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            rows = []
            for row in block.rows:
                cells = "".join(f"<td>{html.escape(c.text.strip()).replace(chr(10), '<br>')}</td>" for c in row.cells)
                rows.append(f"<tr>{cells}</tr>")
            parts.append(f"<table><tbody>{''.join(rows)}</tbody></table>")
            continue
        content = block.text.strip()
        if not content:
            continue
        escaped = html.escape(content).replace("\n", "<br>").replace("\t", " ")
        style = (block.style.name if block.style is not None else "") or ""
        level = re.search(r"(\d)", style)
        if style == "Title":
            parts.append(f"<h2>{escaped}</h2>")
        elif style.startswith(("Heading", "标题")) and level:
            parts.append(f"<h{min(int(level.group(1)) + 1, 6)}>{escaped}</h{min(int(level.group(1)) + 1, 6)}>")
        else:
            parts.append(f"<p>{escaped}</p>")
    return services.sanitize_html("\n".join(parts))


def document_body(path: Path) -> tuple[str, list[str]]:
    """The body HTML of a document and notes about it; ValueError (Chinese) if it cannot be read."""
    ext = path.suffix.lower()
    notes: list[str] = []
    if ext == ".txt":
        try:
            body = text.text_to_html(text.read_text_file(str(path)))
        except text.TextExtractionError as exc:
            raise ValueError(str(exc)) from exc
    elif ext in (".html", ".htm"):
        try:
            body = html_body(text.read_text_file(str(path)))
        except text.TextExtractionError as exc:
            raise ValueError(str(exc)) from exc
    elif ext == ".docx":
        try:
            body = docx_to_html(path)
        except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds for a broken file
            raise ValueError(f"无法读取Word文件“{path.name}”（{type(exc).__name__}），请确认它是有效的.docx文件。") from exc
    elif ext == ".pdf":
        try:
            body = text.text_to_html(text.pdf_text(str(path)))
        except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds for a broken or encrypted file
            raise ValueError(f"无法读取PDF文件“{path.name}”（{type(exc).__name__}），可能已损坏或加密。") from exc
        if not body:
            notes.append("PDF中没有可提取的文字（可能是扫描件），正文为空，原文件作为附件保存")
    elif ext in (".doc", ".wps"):
        raise ValueError(f"不支持“{ext}”格式的正文，请在Word或WPS中另存为.docx（或PDF、网页、文本）。")
    else:
        raise ValueError(f"不支持“{ext or '无扩展名'}”格式的正文，支持：{'、'.join(BODY_EXTENSIONS)}。")
    if not body and ext != ".pdf":
        notes.append("文件中没有文字，正文为空")
    return body, notes
