"""The one Word → PDF converter: a real conversion, one at a time, Chinese errors."""

import io
import os
import stat
import sys
import threading
import time
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader

from gongkai.core import pdf
from tests.programs import require_program

# A stand-in for soffice: writes a PDF to --outdir after a pause, logging when it
# starts and ends, or fails / hangs when the document says so.
FAKE_SOFFICE = """#!{python}
import os, sys, time
args = sys.argv[1:]
outdir, src = args[args.index("--outdir") + 1], args[-1]
data = open(src, "rb").read()
with open(os.environ["FAKE_SOFFICE_LOG"], "a") as log:
    log.write("start\\n")
if data == b"fail":
    sys.stderr.write("Error: source file could not be loaded\\n")
    sys.exit(1)
if data == b"silent":
    sys.exit(0)
if data == b"hang":
    time.sleep(30)
time.sleep(0.2)
stem = os.path.splitext(os.path.basename(src))[0]
with open(os.path.join(outdir, stem + ".pdf"), "wb") as fh:
    fh.write(b"%PDF-fake " + data)
with open(os.environ["FAKE_SOFFICE_LOG"], "a") as log:
    log.write("end\\n")
"""


@pytest.fixture
def fake_soffice(tmp_path, monkeypatch):
    exe = tmp_path / "soffice"
    exe.write_text(FAKE_SOFFICE.format(python=sys.executable))
    exe.chmod(exe.stat().st_mode | stat.S_IXUSR)
    log = tmp_path / "log"
    log.write_text("")
    monkeypatch.setenv("FAKE_SOFFICE_LOG", str(log))
    monkeypatch.setattr(pdf, "soffice", lambda: str(exe))
    return log


def _docx(*paragraphs: str) -> bytes:
    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_converts_a_docx_with_chinese_text():
    require_program("soffice")
    data = pdf.docx_to_pdf(_docx("政府信息公开申请答复告知书", "经审查，您申请获取的信息属于公开范围。"))
    reader = PdfReader(io.BytesIO(data))
    text = "".join(page.extract_text() for page in reader.pages).replace(" ", "")
    assert "政府信息公开申请答复告知书" in text
    assert "属于公开范围" in text


def test_a_broken_docx_raises_the_chinese_error():
    require_program("soffice")
    whole = _docx("政府信息公开")
    with pytest.raises(pdf.PdfError, match="PDF 生成失败：LibreOffice 未能转换该文件"):
        pdf.docx_to_pdf(whole[: len(whole) // 2])  # a truncated upload


def test_concurrent_calls_run_one_at_a_time(fake_soffice):
    results: list[bytes] = []
    threads = [threading.Thread(target=lambda i=i: results.append(pdf.docx_to_pdf(f"doc{i}".encode())))
               for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [b"%PDF-fake doc0", b"%PDF-fake doc1", b"%PDF-fake doc2"]
    assert fake_soffice.read_text().split() == ["start", "end"] * 3  # never two started at once


def test_missing_libreoffice_raises_the_chinese_error(monkeypatch):
    monkeypatch.setattr(pdf, "soffice", lambda: None)
    with pytest.raises(pdf.PdfError, match="服务器未安装 LibreOffice.*请先下载 Word 版本"):
        pdf.docx_to_pdf(_docx("公告"))


def test_failing_conversion_raises_the_chinese_error_with_libreoffices_reason(fake_soffice):
    with pytest.raises(pdf.PdfError) as exc:
        pdf.docx_to_pdf(b"fail")
    assert str(exc.value) == (
        "PDF 生成失败：LibreOffice 未能转换该文件（Error: source file could not be loaded）。请先下载 Word 版本。"
    )


def test_conversion_without_output_is_a_failure(fake_soffice):
    with pytest.raises(pdf.PdfError, match="PDF 生成失败：LibreOffice 未能转换该文件（退出码 0）"):
        pdf.docx_to_pdf(b"silent")


def test_overrunning_conversion_is_killed_and_its_profile_dropped(fake_soffice):
    started = time.monotonic()
    with pytest.raises(pdf.PdfError, match="PDF 生成超时（超过 1 秒）"):
        pdf.docx_to_pdf(b"hang", timeout=1)
    assert time.monotonic() - started < 10
    assert os.getpid() not in pdf._profiles  # the next conversion starts a fresh profile
    assert pdf.docx_to_pdf(b"again") == b"%PDF-fake again"  # and the lock was released


def test_waiting_too_long_for_the_lock_raises_the_chinese_error(fake_soffice):
    pdf._lock.acquire()
    try:
        with pytest.raises(pdf.PdfError, match="正在生成的 PDF 较多，请稍后再试"):
            pdf.docx_to_pdf(b"queued", timeout=0.1)
    finally:
        pdf._lock.release()
    assert "start" not in Path(fake_soffice).read_text()
