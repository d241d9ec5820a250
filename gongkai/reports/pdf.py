"""Word → PDF with LibreOffice headless and the system's CJK fonts (scripts/system-deps.sh installs both).

One LibreOffice profile per process (creating one costs seconds), used under a lock.
"""

from __future__ import annotations

import os
import shutil
import subprocess  # noqa: S404 - runs LibreOffice with fixed arguments
import tempfile
import threading
from pathlib import Path

_lock = threading.Lock()
_profiles: dict[int, str] = {}


class PdfError(Exception):
    """No PDF (Chinese message)."""


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(data: bytes, *, timeout: int = 180) -> bytes:
    exe = soffice()
    if not exe:
        raise PdfError("服务器未安装 LibreOffice，暂时无法生成 PDF；请下载 Word 版本，或由管理员运行 scripts/system-deps.sh。")
    with _lock, tempfile.TemporaryDirectory(prefix="gongkai-report-") as tmp:
        profile = _profiles.setdefault(os.getpid(), tempfile.mkdtemp(prefix=f"gongkai-report-lo-{os.getpid()}-"))
        src = os.path.join(tmp, "report.docx")
        Path(src).write_bytes(data)
        cmd = [exe, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--norestore",
               "--convert-to", "pdf", "--outdir", tmp, src]
        try:
            subprocess.run(cmd, check=True, capture_output=True, timeout=timeout)  # noqa: S603
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            raise PdfError(f"PDF 生成失败：{exc}") from exc
        out = os.path.join(tmp, "report.pdf")
        if not os.path.exists(out):
            raise PdfError("PDF 生成失败：LibreOffice 没有输出文件。")
        return Path(out).read_bytes()
