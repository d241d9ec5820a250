"""Render a letter: docxtpl over the organ's template (or the built-in one), then PDF.

PDF conversion runs LibreOffice headless (``soffice --convert-to pdf``) with the
CJK fonts of the system (fonts-noto-cjk); scripts/system-deps.sh installs both.
Each conversion uses its own LibreOffice profile directory so that concurrent
workers never share one.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess  # noqa: S404 - runs LibreOffice, fixed arguments
import tempfile
import threading
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate

BUILTIN = Path(__file__).resolve().parent / "templates"


class LetterError(Exception):
    """A letter cannot be produced (Chinese message)."""


def builtin_template(kind: str) -> Path:
    return BUILTIN / f"{kind}.docx"


def render_docx(template: str | Path | io.BytesIO, context: dict[str, Any]) -> bytes:
    try:
        doc = DocxTemplate(template)
        doc.render(context, autoescape=True)
    except Exception as exc:  # a broken organ template must not lose the action
        raise LetterError(f"告知书模板无法使用：{exc}") from exc
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


_lock = threading.Lock()
_profile: dict[int, str] = {}


def _profile_dir() -> str:
    """One LibreOffice profile per process (creating one costs seconds), used under a lock."""
    pid = os.getpid()
    if pid not in _profile:
        _profile[pid] = tempfile.mkdtemp(prefix=f"gongkai-lo-{pid}-")
    return _profile[pid]


def docx_to_pdf(data: bytes, *, timeout: int = 120) -> bytes:
    with _lock:
        return _convert(data, timeout)


def _convert(data: bytes, timeout: int) -> bytes:
    exe = soffice()
    if not exe:
        raise LetterError("服务器未安装 LibreOffice，暂时无法生成 PDF；请下载 Word 版本，或由管理员运行 scripts/system-deps.sh。")
    with tempfile.TemporaryDirectory(prefix="gongkai-letter-") as tmp:
        src = os.path.join(tmp, "letter.docx")
        with open(src, "wb") as fh:
            fh.write(data)
        profile = Path(_profile_dir()).as_uri()
        cmd = [exe, f"-env:UserInstallation={profile}", "--headless", "--norestore",
               "--convert-to", "pdf", "--outdir", tmp, src]
        try:
            subprocess.run(cmd, check=True, capture_output=True, timeout=timeout)  # noqa: S603
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            raise LetterError(f"PDF 生成失败：{exc}") from exc
        pdf = os.path.join(tmp, "letter.pdf")
        if not os.path.exists(pdf):
            raise LetterError("PDF 生成失败：LibreOffice 没有输出文件。")
        with open(pdf, "rb") as fh:
            return fh.read()
