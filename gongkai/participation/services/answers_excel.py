"""口径库 in Excel: export the entries, import an office's existing Q&A (all or nothing).

Imported entries are drafts: like every entry they are reviewed before use. A
row's basis is given by 索引号 or 发文字号 of a record (several separated by
“；”, each optionally followed by its article in brackets: ``保政办函〔2021〕15号（第三条）``).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable

from django.db import transaction
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font

from gongkai.core.models import Organ
from gongkai.core.permissions import Perm, require
from gongkai.records.models import Record, Topic

from ..errors import ParticipationActionError
from ..models import Answer
from .answers import answer_create

HEADERS = ["问题", "其他问法", "答复口径", "主题分类", "涉及人群", "政策依据", "有效期自", "有效期至", "是否公开", "状态", "机关"]
WIDTHS = [36, 30, 60, 14, 16, 40, 12, 12, 10, 12, 20]
IMPORT_REQUIRED = ["问题", "答复口径"]
MAX_ROWS = 2000
_BASIS_RE = re.compile(r"^(?P<ref>.+?)(?:[（(](?P<article>[^）)]*)[）)])?$")


class AnswerImportError(ParticipationActionError):
    """The workbook cannot be imported; ``errors`` lists every problem by row, in Chinese."""

    def __init__(self, errors: list[str]):
        super().__init__("导入未完成，没有导入任何条目。" + "；".join(errors[:5]) + ("等" if len(errors) > 5 else ""))
        self.errors = errors


def _safe(value):
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _basis_text(answer: Answer) -> str:
    parts = []
    for b in answer.bases.select_related("record"):
        ref = b.record.doc_no or b.record.index_no
        parts.append(f"{ref}（{b.article}）" if b.article else ref)
    return "；".join(parts)


def answers_export_xlsx(answers: Iterable[Answer]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "口径库"
    ws.append(HEADERS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for a in answers:
        ws.append([_safe(v) for v in [
            a.question, a.phrasings, a.answer, a.topic.name if a.topic else "", a.audience, _basis_text(a),
            a.valid_from.isoformat() if a.valid_from else "", a.valid_until.isoformat() if a.valid_until else "",
            "是" if a.is_public else "否", a.get_status_display(), a.organ.name,
        ]])
    for i, width in enumerate(WIDTHS):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value, label: str, row: int, errors: list[str]) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value).replace("/", "-").replace(".", "-").replace("年", "-").replace("月", "-").rstrip("日")
    try:
        return dt.date.fromisoformat("-".join(p.zfill(2) for p in text.split("-")))
    except ValueError:
        errors.append(f"第{row}行“{label}”不是有效日期（应为2025-01-31这样的格式）")
        return None


def _find_record(ref: str, organ: Organ) -> Record | None:
    qs = Record.objects.public()
    found = qs.filter(index_no=ref).first() or qs.filter(doc_no=ref, organ=organ).first() or qs.filter(doc_no=ref).first()
    return found


def _topic(name: str) -> Topic | None:
    return Topic.objects.filter(name=name).first() or Topic.objects.filter(code=name).first()


def answers_import_xlsx(*, actor, organ: Organ, data: bytes) -> list[Answer]:
    """Create a draft entry per row; any problem anywhere and nothing is imported."""
    require(actor, Perm.ANSWER_DRAFT, organ)
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable file gets the same Chinese answer
        raise AnswerImportError(["文件无法读取，请上传Excel（.xlsx）文件"]) from exc
    ws = wb.worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    if not rows:
        raise AnswerImportError(["表格是空的"])
    header = [_text(h) for h in rows[0]]
    missing = [h for h in IMPORT_REQUIRED if h not in header]
    if missing:
        raise AnswerImportError([f"第1行缺少列“{'”“'.join(missing)}”（第一行应为列名：{'、'.join(HEADERS[:9])}）"])
    col = {h: i for i, h in enumerate(header) if h}
    body = [(n, r) for n, r in enumerate(rows[1:], start=2) if any(_text(v) for v in r)]
    if not body:
        raise AnswerImportError(["表格中没有可导入的行"])
    if len(body) > MAX_ROWS:
        raise AnswerImportError([f"一次最多导入{MAX_ROWS}行，请分批导入"])

    def cell(r, name):
        i = col.get(name)
        return r[i] if i is not None and i < len(r) else None

    errors: list[str] = []
    parsed = []
    for n, r in body:
        question, answer = _text(cell(r, "问题")), _text(cell(r, "答复口径"))
        if not question:
            errors.append(f"第{n}行“问题”为空")
        elif len(question) > 300:
            errors.append(f"第{n}行“问题”超过300字")
        if not answer:
            errors.append(f"第{n}行“答复口径”为空")
        topic = None
        if _text(cell(r, "主题分类")):
            topic = _topic(_text(cell(r, "主题分类")))
            if topic is None:
                errors.append(f"第{n}行主题分类“{_text(cell(r, '主题分类'))}”不存在")
        bases = []
        for part in re.split(r"[；;\n]", _text(cell(r, "政策依据"))):
            part = part.strip()
            if not part:
                continue
            m = _BASIS_RE.match(part)
            ref, article = (m.group("ref").strip(), (m.group("article") or "").strip()) if m else (part, "")
            record = _find_record(ref, organ)
            if record is None:
                errors.append(f"第{n}行政策依据“{ref}”没有找到已公开的文件（请填写索引号或发文字号）")
            else:
                bases.append((record, article[:100]))
        valid_from = _date(cell(r, "有效期自"), "有效期自", n, errors)
        valid_until = _date(cell(r, "有效期至"), "有效期至", n, errors)
        if valid_from and valid_until and valid_until < valid_from:
            errors.append(f"第{n}行有效期截止日期早于开始日期")
        public_text = _text(cell(r, "是否公开")) or "是"
        if public_text not in ("是", "否"):
            errors.append(f"第{n}行“是否公开”应填“是”或“否”")
        parsed.append(({"question": question, "phrasings": _text(cell(r, "其他问法")), "answer": answer,
                        "topic": topic, "audience": _text(cell(r, "涉及人群"))[:200], "valid_from": valid_from,
                        "valid_until": valid_until, "is_public": public_text != "否"}, bases))
    if errors:
        raise AnswerImportError(errors)
    with transaction.atomic():
        return [answer_create(actor=actor, organ=organ, data=d, bases=b) for d, b in parsed]
