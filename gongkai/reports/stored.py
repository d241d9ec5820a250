"""Published reports' files are made once and served stored.

Making a PDF runs LibreOffice (seconds of a worker): regenerated on every public request, a few
clients could occupy the server. The files of a published report are built from its frozen
snapshot, so they never change while the report stays published: each format is generated once
(pre-generated when the report's record goes public, see :func:`pregenerate`) and kept in the
media storage under a name derived from the report and its submission time; a new submission
gives new names. Staff's on-demand files (live figures) are rate-limited per user instead.
"""

from __future__ import annotations

import hashlib
import logging

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from gongkai.core.throttle import Throttle

from . import exports, selectors
from .models import AnnualReport

log = logging.getLogger(__name__)
SLOW_FORMATS = ("pdf", "docx")
LOCK_SECONDS = 120


def staff_throttle() -> Throttle:
    """On-demand Word/PDF generation by staff: 10 files per user per 10 minutes."""
    return Throttle(name="reports.generate", limit=10, window=600)


def stored_name(report: AnnualReport, fmt: str, charts: bool) -> str:
    stamp = report.submitted_at.isoformat() if report.submitted_at else "none"
    key = hashlib.sha256(f"{report.pk}|{stamp}|{fmt}|{int(charts)}".encode()).hexdigest()[:20]
    return f"reports/published/{report.organ.code}-{report.year}/{key}.{fmt}"


def published_file(report: AnnualReport, fmt: str, *, charts: bool = False) -> bytes:
    """The file of a published report, generated at most once per submission (ExportError if it cannot be)."""
    name = stored_name(report, fmt, charts)
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as fh:
            return fh.read()
    lock = f"gongkai-report-file:{name}"
    if not cache.add(lock, 1, LOCK_SECONDS):
        raise exports.ExportError("该文件正在生成，请稍后再试。")
    try:
        blob = exports.export(selectors.report_data(report.organ, report.year, frozen=True), fmt, charts=charts)
        if not default_storage.exists(name):
            default_storage.save(name, ContentFile(blob))
        return blob
    finally:
        cache.delete(lock)


def pregenerate(report: AnnualReport) -> int:
    """Make the stored Word and PDF files of a report that has just gone public; returns how many."""
    made = 0
    for fmt in SLOW_FORMATS:
        try:
            published_file(report, fmt)
            made += 1
        except exports.ExportError:  # no LibreOffice here: made on first request instead
            log.warning("Could not pre-generate %s of report %s", fmt, report.pk, exc_info=True)
    return made
