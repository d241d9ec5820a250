"""Word → PDF through LibreOffice headless, for every part of the platform (ADR 0005).

Letters (依申请公开告知书) and the annual report convert here; nothing else
runs LibreOffice. ``scripts/system-deps.sh`` installs LibreOffice Writer and
the CJK fonts the PDFs need.

The policy, in one place:

* **One conversion at a time per process.** Conversions run under one lock;
  each process keeps one LibreOffice profile (creating a profile costs seconds)
  and two LibreOffice instances must never share a profile.
* **One time limit.** Waiting for the lock and the conversion itself are each
  bounded by ``timeout`` (:data:`TIMEOUT_SECONDS` unless a caller passes its
  own). A conversion that overruns is killed with everything it started, and
  its profile is thrown away, since a killed LibreOffice can leave it locked.
* **A Chinese error, never a traceback.** Whatever goes wrong — LibreOffice
  missing, failing, silent or too slow — raises :class:`PdfError` with a
  message a clerk can act on; the Word file is still there to download.

No Django and no I/O beyond the temporary files of the conversion.
"""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import subprocess  # noqa: S404 - runs LibreOffice with fixed arguments, never a shell
import tempfile
import threading
from pathlib import Path

__all__ = ["TIMEOUT_SECONDS", "PdfError", "docx_to_pdf", "soffice"]

#: How long a conversion may take, and how long a caller waits for its turn.
TIMEOUT_SECONDS = 120

_WORD_OFFERED = "请先下载 Word 版本。"
_lock = threading.Lock()
_profiles: dict[int, str] = {}


#: The fonts an office's Word has (GB/T 9704 公文: 小标宋 titles, 仿宋 body, 黑体/楷体 headings), drawn
#: by installed free fonts with **Simplified Chinese** glyph forms (Debian's fonts-noto-cjk; its
#: faces share one internal name, so the family names of the SC faces are what is matched).
#: LibreOffice sees them through a fontconfig file made for each conversion (see _fontconfig).
FONT_SUBSTITUTES = {
    "仿宋_GB2312": "Noto Serif CJK SC",
    "仿宋": "Noto Serif CJK SC",
    "方正小标宋简体": "Noto Serif CJK SC",
    "楷体_GB2312": "Noto Serif CJK SC",
    "楷体": "Noto Serif CJK SC",
    "黑体": "Noto Sans CJK SC",
    "宋体": "Noto Serif CJK SC",
}
#: fontconfig's own configuration on Debian (and every other Linux), included first.
SYSTEM_FONTCONFIG = "/etc/fonts/fonts.conf"


def _fontconfig(directory: Path) -> Path:
    """A fonts.conf with the system's configuration plus :data:`FONT_SUBSTITUTES` as aliases."""
    aliases = "".join(
        f'  <alias binding="same"><family>{name}</family><prefer><family>{free}</family></prefer></alias>\n'
        for name, free in FONT_SUBSTITUTES.items()
    )
    path = directory / "fonts.conf"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        f'  <include ignore_missing="yes">{SYSTEM_FONTCONFIG}</include>\n{aliases}</fontconfig>\n',
        encoding="utf-8",
    )
    return path


class PdfError(Exception):
    """No PDF could be made (the message is Chinese, for the person who asked)."""


def soffice() -> str | None:
    """The LibreOffice executable, or None where it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(data: bytes, *, timeout: float = TIMEOUT_SECONDS) -> bytes:
    """The PDF of a Word (.docx) document; :class:`PdfError` if it cannot be made."""
    exe = soffice()
    if not exe:
        raise PdfError(f"服务器未安装 LibreOffice，暂时无法生成 PDF；{_WORD_OFFERED}管理员可运行 scripts/system-deps.sh 安装。")
    if not _lock.acquire(timeout=timeout):
        raise PdfError(f"正在生成的 PDF 较多，请稍后再试；{_WORD_OFFERED}")
    try:
        return _convert(exe, data, timeout)
    finally:
        _lock.release()


def _profile() -> Path:
    """This process's LibreOffice profile directory (a forked worker makes its own)."""
    pid = os.getpid()
    if pid not in _profiles:
        _profiles[pid] = tempfile.mkdtemp(prefix=f"gongkai-lo-{pid}-")
        atexit.register(_drop_profile, pid)
    return Path(_profiles[pid])


def _drop_profile(pid: int) -> None:
    if pid == os.getpid() and pid in _profiles:
        shutil.rmtree(_profiles.pop(pid), ignore_errors=True)


def _convert(exe: str, data: bytes, timeout: float) -> bytes:
    with tempfile.TemporaryDirectory(prefix="gongkai-pdf-") as tmp:
        src = Path(tmp) / "document.docx"
        src.write_bytes(data)
        cmd = [exe, f"-env:UserInstallation={_profile().as_uri()}", "--headless", "--norestore",
               "--convert-to", "pdf", "--outdir", tmp, str(src)]
        # Its own session, so that a conversion that overruns is killed with the
        # soffice.bin it started (killing the launcher alone would leave it running).
        env = {**os.environ, "FONTCONFIG_FILE": str(_fontconfig(Path(tmp)))}
        proc = subprocess.Popen(  # noqa: S603 - fixed arguments
            cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
            env=env,
        )
        try:
            _, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill(proc)
            _drop_profile(os.getpid())
            raise PdfError(f"PDF 生成超时（超过 {timeout:g} 秒），请稍后再试；{_WORD_OFFERED}") from None
        out = Path(tmp) / "document.pdf"
        if proc.returncode != 0 or not out.is_file():
            detail = _last_line(stderr) or f"退出码 {proc.returncode}"
            raise PdfError(f"PDF 生成失败：LibreOffice 未能转换该文件（{detail}）。{_WORD_OFFERED}")
        return out.read_bytes()


def _kill(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.communicate()


def _last_line(stderr: bytes) -> str:
    lines = [line.strip() for line in stderr.decode("utf-8", "replace").splitlines() if line.strip()]
    return lines[-1][:200] if lines else ""
