"""Plain text out of documents (.txt, .html, .docx, .pdf) for import and search."""

from __future__ import annotations

import html
import os
import re

_TAG = re.compile(r"<[^>]+>")
_SCRIPT = re.compile(r"<(script|style)[^>]*>.*?</\1>", re.S | re.I)


class TextExtractionError(ValueError):
    pass


def read_text_file(path: str) -> str:
    raw = open(path, "rb").read()  # noqa: SIM115 - small files, read whole
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TextExtractionError(f"文件“{os.path.basename(path)}”不是UTF-8或GB18030编码的文本。")


def html_to_text(source: str) -> str:
    source = _SCRIPT.sub(" ", source)
    source = re.sub(r"<(br|/p|/div|/h\d|/li|/tr)[^>]*>", "\n", source, flags=re.I)
    text = html.unescape(_TAG.sub("", source))
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def docx_paragraphs(path: str) -> list[str]:
    import docx

    document = docx.Document(path)
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append("\t".join(cell.text for cell in row.cells))
    return lines


def pdf_text(path: str) -> str:
    from pypdf import PdfReader

    reader = PdfReader(path)
    return "\n".join((page.extract_text() or "") for page in reader.pages)


def extract_text(path: str, name: str | None = None) -> str:
    """Best-effort text of a file for search; an unreadable file gives ""."""
    ext = os.path.splitext(name or path)[1].lower()
    if not path or not os.path.exists(path):
        return ""
    try:
        if ext == ".txt" or ext == ".csv":
            return read_text_file(path)
        if ext in (".html", ".htm"):
            return html_to_text(read_text_file(path))
        if ext == ".docx":
            return "\n".join(docx_paragraphs(path))
        if ext == ".pdf":
            return pdf_text(path)
    except Exception:  # noqa: BLE001 - a broken attachment must not stop the upload
        return ""
    return ""


_EXTRACTED = {".txt", ".csv", ".html", ".htm", ".docx", ".pdf"}


def extract_stored_text(fieldfile, name: str | None = None) -> str:
    """:func:`extract_text` of a stored file: from its path on a file system, else (object storage
    such as S3, which has no local path) from a temporary local copy."""
    name = name or fieldfile.name
    try:
        return extract_text(fieldfile.path, name)
    except NotImplementedError:
        pass
    ext = os.path.splitext(name or "")[1].lower()
    if ext not in _EXTRACTED:
        return ""
    import shutil
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=ext) as copy:
        fieldfile.open("rb")
        try:
            shutil.copyfileobj(fieldfile, copy)
        finally:
            fieldfile.close()
        copy.flush()
        return extract_text(copy.name, name)


def text_to_html(text: str) -> str:
    """Paragraphs of plain text as safe HTML."""
    paras = [p.strip() for p in text.splitlines() if p.strip()]
    return "\n".join(f"<p>{html.escape(p)}</p>" for p in paras)
