"""Comments of consultations as an Excel workbook for staff.

Contact data is filled in only for the consultations in ``with_contact`` (those the exporting user's
organ handles); the service that calls this writes the audit row."""

from __future__ import annotations

import io
from collections.abc import Collection, Iterable

from django.utils import timezone

from gongkai.core.masking import mask_known_name, mask_text

from .models import Comment, Consultation

HEADERS = ["意见征集", "查询码", "提交时间", "提交方式", "姓名或单位", "电子邮箱", "联系电话", "意见针对", "意见内容",
           "问卷回答", "审核", "公开文本", "意见归类", "采纳情况", "理由"]
WIDTHS = [36, 14, 18, 10, 14, 22, 16, 14, 60, 30, 10, 40, 20, 12, 40]


def _safe(value):
    """Text a spreadsheet will not run as a formula (a comment may start with “=”)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _answers(comment: Comment, questions: dict[str, str]) -> str:
    parts = []
    for key, value in (comment.answers or {}).items():
        shown = "、".join(value) if isinstance(value, list) else str(value)
        parts.append(f"{questions.get(key, key)}：{shown}")
    return "；".join(parts)


HIDDEN = "（仅承办机关可见）"


def comments_xlsx(consultations: Iterable[Consultation], *, with_contact: Collection[int] = ()) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = "意见汇总"
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for i, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    for consultation in consultations:
        questions = {str(q.pk): q.text for q in consultation.questions.all()}
        contact = consultation.pk in with_contact
        for c in consultation.comments.select_related("section", "group").order_by("submitted_at", "id"):
            sheet.append([_safe(v) for v in [
                consultation.title, c.receipt_code, timezone.localtime(c.submitted_at).strftime("%Y-%m-%d %H:%M"),
                c.get_channel_display(), c.display_name if contact or c.is_anonymous else mask_known_name(c.name),
                (c.email if contact else HIDDEN) if c.email else "", (c.phone if contact else HIDDEN) if c.phone else "",
                c.section.heading if c.section else "总体意见",
                c.body if contact else mask_text(c.body, names=[c.name] if c.name else []), _answers(c, questions),
                c.get_moderation_display(), c.public_text, c.group.title if c.group else "",
                c.get_disposition_display() if c.disposition else "", c.disposition_reason,
            ]])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
