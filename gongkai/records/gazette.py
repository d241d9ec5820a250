"""政府公报 produced on the platform: an issue is composed from published records in sections, gets
its table of contents and a print-ready PDF (generated through gongkai/core/pdf.py, or the printed
PDF uploaded), goes through review by a second person and is published. Every step is audited.
"""

from __future__ import annotations

import datetime as dt
import io

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max

from gongkai.core import pdf
from gongkai.core.audit import audit_log
from gongkai.core.models import AuditEventType
from gongkai.core.permissions import Perm, can

from .models import Gazette, GazetteIssue, GazetteIssueStatus, GazetteItem, Record
from .text import html_to_text

SECTIONS = ["市政府文件", "市政府办公室文件", "部门文件", "人事任免", "政策解读", "其他"]


class GazetteError(Exception):
    """A step that cannot be taken, with the reason in Chinese."""


def _require(actor, perm: Perm, issue_or_gazette) -> None:
    gazette = issue_or_gazette if isinstance(issue_or_gazette, Gazette) else issue_or_gazette.gazette
    if not can(actor, perm, gazette.organ):
        raise PermissionDenied("您没有编辑或审核该公报的权限。")


def _editable(issue: GazetteIssue) -> None:
    if issue.status != GazetteIssueStatus.DRAFT:
        raise GazetteError("该期公报已送审或已发布，不能再修改；请先退回修改。")


def _log(actor, issue: GazetteIssue, note: str, changes: dict | None = None) -> None:
    audit_log(actor=actor, event_type=AuditEventType.GAZETTE_CHANGED, obj=issue, organ=issue.gazette.organ,
              changes=changes or {}, note=note)


@transaction.atomic
def gazette_issue_create(*, actor, gazette: Gazette, year: int, number: int, issued_on: dt.date,
                         total_number: int | None = None) -> GazetteIssue:
    _require(actor, Perm.RECORD_DRAFT, gazette)
    if GazetteIssue.objects.filter(gazette=gazette, year=year, number=number).exists():
        raise GazetteError(f"{gazette.name}{year}年第{number}期已经存在。")
    issue = GazetteIssue.objects.create(gazette=gazette, year=year, number=number, issued_on=issued_on,
                                        total_number=total_number)
    _log(actor, issue, "新建公报期次", {"year": [None, year], "number": [None, number]})
    return issue


@transaction.atomic
def gazette_item_add(*, actor, issue: GazetteIssue, record: Record, section: str) -> GazetteItem:
    """Put a published record into the issue (only public records: the contents link to their pages)."""
    _require(actor, Perm.RECORD_DRAFT, issue)
    _editable(issue)
    if not Record.objects.public().filter(pk=record.pk).exists():
        raise GazetteError("只能收录已公开发布的信息。")
    if GazetteItem.objects.filter(issue=issue, record=record).exists():
        raise GazetteError(f"《{record.title}》已在本期目录中。")
    top = GazetteItem.objects.filter(issue=issue).aggregate(m=Max("order"))["m"] or 0
    item = GazetteItem.objects.create(issue=issue, record=record, section=section or SECTIONS[-1], order=top + 10)
    _log(actor, issue, "收录文件", {"record": [None, record.title], "section": [None, item.section]})
    return item


@transaction.atomic
def gazette_item_remove(*, actor, item: GazetteItem) -> None:
    _require(actor, Perm.RECORD_DRAFT, item.issue)
    _editable(item.issue)
    _log(actor, item.issue, "移出文件", {"record": [item.record.title, None]})
    item.delete()


@transaction.atomic
def gazette_item_move(*, actor, item: GazetteItem, up: bool) -> None:
    """Swap an item with its neighbour in the issue's order (the keyboard's and no-script way to reorder;
    it saves through :func:`gazette_items_reorder`, like dragging)."""
    ids = [i.pk for i in _contents_order(item.issue)]
    i = ids.index(item.pk)
    j = i - 1 if up else i + 1
    if 0 <= j < len(ids):
        ids[i], ids[j] = ids[j], ids[i]
        gazette_items_reorder(actor=actor, issue=item.issue, item_ids=ids)


def _contents_order(issue: GazetteIssue) -> list[GazetteItem]:
    return [item for _section, items in table_of_contents(issue) for item in items]


@transaction.atomic
def gazette_items_reorder(*, actor, issue: GazetteIssue, item_ids: list[int]) -> bool:
    """Save the order of the issue's contents (every item of the issue, in the new order: what dragging
    sends, and what the up/down buttons compute), with one audit row. Returns whether anything moved."""
    _require(actor, Perm.RECORD_DRAFT, issue)
    issue = GazetteIssue.objects.select_for_update().get(pk=issue.pk)
    _editable(issue)
    items = {i.pk: i for i in GazetteItem.objects.filter(issue=issue).select_related("record")}
    try:
        ids = [int(i) for i in item_ids]
    except (TypeError, ValueError):
        raise GazetteError("顺序无效，请刷新页面后重试。") from None
    if sorted(ids) != sorted(items):
        raise GazetteError("本期目录已有变化，请刷新页面后重试。")
    before = [i.pk for i in _contents_order(issue)]
    if ids == before:
        return False
    for n, pk in enumerate(ids, start=1):
        GazetteItem.objects.filter(pk=pk).update(order=n * 10)
    _log(actor, issue, "调整顺序", {"order": [[items[pk].record.title for pk in before],
                                             [items[pk].record.title for pk in ids]]})
    return True


def table_of_contents(issue: GazetteIssue) -> list[tuple[str, list[GazetteItem]]]:
    """The contents by section, in the sections' standard order, then the issue's order."""
    items = list(GazetteItem.objects.filter(issue=issue).select_related("record").order_by("order", "id"))
    sections = sorted({i.section for i in items}, key=lambda s: (SECTIONS.index(s) if s in SECTIONS else 99, s))
    return [(s, [i for i in items if i.section == s]) for s in sections]


def gazette_issue_docx(issue: GazetteIssue) -> bytes:
    """The issue as a Word file: cover line, table of contents, then each document."""
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    doc.add_heading(issue.gazette.name, level=0)
    doc.add_paragraph(f"{issue.year}年第{issue.number}期" + (f"（总第{issue.total_number}期）" if issue.total_number else "")
                      + f"　{issue.issued_on:%Y年%m月%d日}")
    doc.add_heading("目　录", level=1)
    contents = table_of_contents(issue)
    for section, items in contents:
        doc.add_paragraph(section).runs[0].bold = True
        for item in items:
            p = doc.add_paragraph(item.record.title + (f"（{item.record.doc_no}）" if item.record.doc_no else ""))
            p.paragraph_format.left_indent = Pt(18)
    for _section, items in contents:
        for item in items:
            doc.add_page_break()
            doc.add_heading(item.record.title, level=1)
            if item.record.doc_no:
                doc.add_paragraph(item.record.doc_no)
            for line in html_to_text(item.record.body).splitlines():
                if line.strip():
                    doc.add_paragraph(line.strip())
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


@transaction.atomic
def gazette_issue_build_pdf(*, actor, issue: GazetteIssue, convert=pdf.docx_to_pdf) -> GazetteIssue:
    """Generate the print-ready PDF (the platform's one LibreOffice conversion)."""
    _require(actor, Perm.RECORD_DRAFT, issue)
    _editable(issue)
    if not GazetteItem.objects.filter(issue=issue).exists():
        raise GazetteError("本期目录为空，请先收录文件。")
    try:
        data = convert(gazette_issue_docx(issue))
    except pdf.PdfError as exc:
        raise GazetteError(f"PDF生成失败：{exc}。可以上传印刷版PDF。") from exc
    issue.pdf.save(f"{issue.year}-{issue.number}.pdf", ContentFile(data), save=True)
    _log(actor, issue, "生成PDF")
    return issue


@transaction.atomic
def gazette_issue_upload_pdf(*, actor, issue: GazetteIssue, upload) -> GazetteIssue:
    _require(actor, Perm.RECORD_DRAFT, issue)
    _editable(issue)
    head = upload.read(5)
    upload.seek(0)
    if head != b"%PDF-":
        raise GazetteError("上传的文件不是PDF。")
    issue.pdf.save(f"{issue.year}-{issue.number}.pdf", upload, save=True)
    _log(actor, issue, "上传PDF")
    return issue


@transaction.atomic
def gazette_issue_submit(*, actor, issue: GazetteIssue) -> GazetteIssue:
    _require(actor, Perm.RECORD_DRAFT, issue)
    _editable(issue)
    if not GazetteItem.objects.filter(issue=issue).exists() or not issue.pdf:
        raise GazetteError("送审前须收录文件并生成或上传PDF。")
    issue.status, issue.submitted_by = GazetteIssueStatus.SUBMITTED, actor
    issue.save(update_fields=["status", "submitted_by"])
    _log(actor, issue, "送审", {"status": ["draft", "submitted"]})
    return issue


@transaction.atomic
def gazette_issue_review(*, actor, issue: GazetteIssue, approve: bool, comment: str = "") -> GazetteIssue:
    """A second person approves (the issue is published) or sends it back to be edited."""
    _require(actor, Perm.RECORD_REVIEW, issue)
    if issue.status != GazetteIssueStatus.SUBMITTED:
        raise GazetteError("该期公报不在待审核状态。")
    if issue.submitted_by_id == actor.pk:
        raise GazetteError("送审人不能审核自己送审的公报，须由另一位审核人审核。")
    if approve:
        issue.status, issue.is_published, issue.reviewed_by = GazetteIssueStatus.PUBLISHED, True, actor
    else:
        issue.status, issue.reviewed_by = GazetteIssueStatus.DRAFT, actor
    issue.save(update_fields=["status", "is_published", "reviewed_by"])
    _log(actor, issue, "审核通过并发布" if approve else "退回修改", {"status": ["submitted", issue.status]}
         | ({"comment": [None, comment]} if comment else {}))
    return issue
