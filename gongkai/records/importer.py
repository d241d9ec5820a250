"""Import a folder of documents with a metadata file (``gongkai import DIR``).

Two steps, so that an import is all or nothing:

1. :func:`import_plan` reads the metadata file and every document, checks every
   row and works out, per row, what would be created, changed or skipped. It
   only reads: nothing is written, no index serial is taken. Every problem is
   collected (not only the first) as a :class:`Problem` naming the file, the
   row and the field, in Chinese.
2. :func:`import_apply` carries out a plan without problems inside one
   transaction through the record services (``record_create``,
   ``record_update``, ``attachment_add``); if anything fails late, the
   transaction is rolled back and the attachment files already stored are
   deleted again.

A row matches an existing record of the same organ with the same 发文字号, or,
when the row has no 发文字号 (or none matches), the same 标题 and 成文日期. A
matched draft (or a record returned for changes) is updated with the row's
values; a matched record already in review or published is left alone and
reported as skipped. See docs/import.md for the format.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import os
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils import timezone

from gongkai.core.audit import audit_log
from gongkai.core.models import AuditEventType, Organ
from gongkai.core.permissions import Perm, can

from . import docno, services, text
from .models import (
    EDITABLE_STATUSES,
    Attribute,
    Genre,
    Record,
    Status,
    Topic,
    Validity,
    WithholdingGround,
)

METADATA_NAMES = ("metadata.csv", "metadata.json")
AUTO_REVIEW_OPINION = "导入时自动登记：已于原系统完成保密审查"

# Column key → accepted headers; the first Chinese header is the one used in messages.
COLUMNS: dict[str, tuple[str, ...]] = {
    "file": ("文件", "文件名", "正文文件"),
    "title": ("标题", "名称"),
    "organ": ("发布机构", "机构"),
    "issuers": ("发文机关",),
    "doc_no": ("发文字号", "文号"),
    "written_on": ("成文日期",),
    "published_at": ("发布日期", "发布时间"),
    "genre": ("体裁",),
    "topic": ("主题分类", "主题"),
    "attribute": ("公开属性",),
    "withholding_ground": ("不公开依据", "不予公开依据"),
    "attribute_reason": ("不公开理由", "理由"),
    "validity": ("有效性",),
    "valid_from": ("施行日期",),
    "valid_until": ("有效期至", "有效期"),
    "summary": ("内容概述", "摘要"),
    "keywords": ("关键词",),
    "attachments": ("附件",),
    "interprets": ("解读的文件", "解读对象"),
}
# Columns an office's spreadsheet often has that mean nothing to the import.
IGNORED_COLUMNS = frozenset({"序号", "编号", "备注", "no", "#"})
REQUIRED = ("file", "title", "genre")

BODY_EXTENSIONS = (".txt", ".html", ".htm", ".docx", ".pdf")
LIST_SEPARATORS = re.compile(r"[;；\n]")
ISSUER_SEPARATORS = re.compile(r"[、;；,，\n]")

ATTRIBUTE_WORDS = {
    "主动公开": Attribute.PROACTIVE,
    "依申请公开": Attribute.ON_REQUEST,
    "不予公开": Attribute.WITHHELD,
    "免予公开": Attribute.WITHHELD,  # older Shanghai-style systems (REFERENCE.md §5.3)
    "不公开": Attribute.WITHHELD,
}

ACTION_LABELS = {"create": "新建", "update": "更新", "skip": "跳过"}


# --- results ------------------------------------------------------------------


@dataclass
class Problem:
    """One thing wrong with the import, said so that the clerk can find and fix it."""

    where: str  # "metadata.csv 第3行" or "metadata.csv"
    message: str
    field: str | None = None  # column key

    def __str__(self) -> str:
        if self.field:
            return f"{self.where} “{column_label(self.field)}”：{self.message}"
        return f"{self.where}：{self.message}"


class ImportFailed(Exception):
    """The import cannot go ahead (or failed late and was rolled back); nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(eq=False)  # rows are compared by identity
class RowPlan:
    number: int
    where: str
    path: Path
    organ: Organ
    issuers: list[Organ]
    data: dict[str, Any]
    attachments: list[Path]
    published_at: dt.datetime | None
    interprets_ref: str = ""
    interprets: RowPlan | Record | None = None
    existing: Record | None = None
    action: str = "create"
    publish: bool = False
    scheduled: bool = False
    skip_reason: str = ""
    changes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    record: Record | None = None

    @property
    def outcome(self) -> str:
        """What happens to the row, in Chinese, e.g. "新建并发布"."""
        if self.action == "skip":
            return f"跳过（{self.skip_reason}）" if self.skip_reason else "跳过"
        verb = ACTION_LABELS[self.action]
        if self.action == "update" and not self.changes:
            verb = ""
        if not self.publish:
            return verb + ("草稿" if self.action == "create" else "")
        if self.data["attribute"] != Attribute.PROACTIVE:
            return verb + ("并" if verb else "") + "审定（不主动公开）"
        if self.scheduled:
            return verb + ("并" if verb else "") + "定时发布"
        return verb + ("并" if verb else "") + "发布"

    def describe(self) -> str:
        bits = [self.organ.name]
        if self.data.get("doc_no"):
            bits.append(self.data["doc_no"])
        line = f"{self.where} {self.outcome}：{self.data['title']}（{'，'.join(bits)}）"
        if self.changes:
            line += f"；变更：{'、'.join(self.changes)}"
        return line


@dataclass
class ImportPlan:
    source: str
    directory: Path
    publish: bool
    rows: list[RowPlan] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    def summary(self) -> str:
        published = sum(1 for row in self.rows if row.publish)
        text_ = f"共{len(self.rows)}行：新建{self.count('create')}条，更新{self.count('update')}条，跳过{self.count('skip')}条"
        if published:
            text_ += f"；其中{published}条随导入自动登记保密审查并发布或审定"
        return text_ + "。"


def column_label(key: str) -> str:
    return COLUMNS[key][0] if key in COLUMNS else key


# --- parsing values -----------------------------------------------------------

_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_TIME = re.compile(r"^(?P<date>.+?)(?:\s+|T)(?P<h>\d{1,2})[:：](?P<m>\d{2})(?:[:：](?P<s>\d{2}))?$")
DATE_HINT = "应写作2021-03-01、2021/3/1或2021年3月1日"


def parse_date(value: str) -> dt.date:
    """A date as offices write it: 2021-03-01, 2021/3/1, 2021.3.1, 2021年3月1日, 20210301, 2021/3/1 0:00."""
    folded = unicodedata.normalize("NFKC", value).strip()
    midnight = _TIME.match(folded)
    if midnight and int(midnight.group("h")) == int(midnight.group("m")) == int(midnight.group("s") or 0) == 0:
        folded = midnight.group("date")  # Excel writes dates as "2021/3/1 0:00"
    m = _DATE.match(folded) or _COMPACT_DATE.match(folded)
    if m:
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            pass
    raise ValueError(f"“{value}”不是有效日期，{DATE_HINT}")


def parse_datetime(value: str) -> dt.datetime:
    """A date, optionally with a time (``2021-03-02 09:30``), in the local time zone."""
    folded = unicodedata.normalize("NFKC", value).strip()
    m = _TIME.match(folded)
    hour = minute = second = 0
    if m:
        folded = m.group("date")
        hour, minute, second = int(m.group("h")), int(m.group("m")), int(m.group("s") or 0)
    try:
        day = parse_date(folded)
        naive = dt.datetime(day.year, day.month, day.day, hour, minute, second)  # noqa: DTZ001 - made aware below
    except ValueError:
        raise ValueError(f"“{value}”不是有效日期，{DATE_HINT}，也可以带时间如2021-03-01 09:30") from None
    return timezone.make_aware(naive, timezone.get_default_timezone())


def _choice(value: str, choices: type, extra: dict[str, Any] | None = None) -> Any:
    """A TextChoices member by code, label, or label without its （…） note or 已 prefix."""
    word = value.strip()
    if extra and word in extra:
        return extra[word]
    for member in choices:
        label = str(member.label)
        if word in (member.value, label, label.split("（")[0], label.removeprefix("已")):
            return member
    return None


def _split(value: str, pattern: re.Pattern[str]) -> list[str]:
    return [part.strip() for part in pattern.split(value) if part.strip()]


# --- reading the metadata file ------------------------------------------------


def _normalise_header(header: str) -> str:
    return header.replace("\ufeff", "").strip().strip("*＊").strip().lower()


_HEADER_KEYS = {_normalise_header(h): key for key, headers in COLUMNS.items() for h in (key, *headers)}


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError("文件不是UTF-8或GB18030（Excel“CSV”默认）编码，请另存为“CSV UTF-8（逗号分隔）”。")


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "；".join(_as_text(v) for v in value if _as_text(v))
    return str(value).strip()


def read_metadata(path: Path) -> tuple[list[tuple[int, dict[str, str]]], list[Problem], str]:
    """The rows of a metadata file as (number, {column key: text}), the problems, and the row word."""
    source = path.name
    problems: list[Problem] = []
    try:
        content = _decode(path.read_bytes())
    except (OSError, ValueError) as exc:
        return [], [Problem(source, str(exc))], "行"
    raw_rows: list[tuple[int, dict[str, Any]]] = []
    if path.suffix.lower() == ".json":
        unit = "条"
        try:
            data = json.loads(content)
        except json.JSONDecodeError as exc:
            return [], [Problem(source, f"不是有效的JSON（第{exc.lineno}行第{exc.colno}列：{exc.msg}）。")], unit
        if isinstance(data, dict):
            data = data.get("records", data.get("rows"))
        if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
            return [], [Problem(source, "JSON应为一个数组，每个元素是一条信息的对象（或 {\"records\": [...]}）。")], unit
        raw_rows = [(i, item) for i, item in enumerate(data, start=1)]
    else:
        unit = "行"
        reader = csv.reader(io.StringIO(content, newline=""))
        try:
            table = list(reader)
        except csv.Error as exc:
            return [], [Problem(source, f"CSV格式错误：{exc}")], unit
        if not table:
            return [], [Problem(source, "文件是空的。")], unit
        headers = table[0]
        for i, cells in enumerate(table[1:], start=2):
            if not any(c.strip() for c in cells):
                continue
            if len(cells) > len(headers) and any(c.strip() for c in cells[len(headers):]):
                problems.append(Problem(f"{source} 第{i}行", f"有{len(cells)}列，比表头多；请检查是否有未加引号的逗号。"))
            raw_rows.append((i, dict(zip(headers, cells, strict=False))))
        if not raw_rows:
            problems.append(Problem(source, "除表头外没有数据行。"))
    rows: list[tuple[int, dict[str, str]]] = []
    unknown: set[str] = set()
    for number, raw in raw_rows:
        row: dict[str, str] = {}
        for header, value in raw.items():
            norm = _normalise_header(str(header))
            if not norm or norm in IGNORED_COLUMNS:
                continue
            key = _HEADER_KEYS.get(norm)
            if key is None:
                unknown.add(str(header).strip())
                continue
            row[key] = _as_text(value)
        rows.append((number, row))
    if unknown:
        known = "、".join(f"{headers[0]}（{key}）" for key, headers in COLUMNS.items())
        problems.append(Problem(source, f"不认识的列：{'、'.join(sorted(unknown))}。可用的列：{known}。"))
    if path.suffix.lower() == ".csv" and raw_rows:
        present = {_HEADER_KEYS.get(_normalise_header(h)) for h in raw_rows[0][1]}
        for key in REQUIRED:
            if key not in present:
                problems.append(Problem(source, f"缺少必填的列“{column_label(key)}”。"))
    return rows, problems, unit


# --- document bodies ----------------------------------------------------------

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


# --- looking things up --------------------------------------------------------


class Lookup:
    """Organs, genres and topics loaded once, matched by code or name."""

    def __init__(self) -> None:
        self.organs = list(Organ.objects.all())
        self.genres = list(Genre.objects.all())
        self.topics = list(Topic.objects.all())

    def organ(self, value: str) -> Organ:
        word = value.strip()
        for test in (
            lambda o: o.code == word.upper(),
            lambda o: o.name == word,
            lambda o: o.short_name == word,
            lambda o: word in (o.aliases or []),
        ):
            found = [o for o in self.organs if test(o)]
            if len(found) == 1:
                return found[0]
            if len(found) > 1:
                names = "、".join(o.name for o in found)
                raise ValueError(f"“{word}”对应多个机关（{names}），请填写全称或机关代码。")
        raise ValueError(f"找不到机关“{word}”，请填写平台上已有机关的代码、全称或简称。")

    def issuers(self, value: str) -> list[Organ]:
        try:
            return [self.organ(value)]  # a name that itself contains 、
        except ValueError:
            pass
        found: list[Organ] = []
        errors = []
        for part in _split(value, ISSUER_SEPARATORS):
            try:
                organ = self.organ(part)
            except ValueError as exc:
                errors.append(str(exc))
                continue
            if organ not in found:
                found.append(organ)
        if errors:
            raise ValueError("".join(errors))
        return found

    def genre(self, value: str) -> Genre:
        word = value.strip()
        for g in self.genres:
            if word in (g.code, g.name):
                return g
        names = "、".join(g.name for g in self.genres) or "（平台上还没有体裁，请先在管理后台添加）"
        raise ValueError(f"没有名为“{word}”的体裁，可用的体裁：{names}。")

    def topic(self, value: str) -> Topic:
        word = value.strip()
        by_code = [t for t in self.topics if t.code == word]
        if by_code:
            return by_code[0]
        by_name = [t for t in self.topics if t.name == word]
        if len(by_name) == 1:
            return by_name[0]
        if len(by_name) > 1:
            codes = "、".join(t.code for t in by_name)
            raise ValueError(f"有多个名为“{word}”的主题分类，请填写代码（{codes}）。")
        raise ValueError(f"没有名为“{word}”的主题分类，请填写主题分类的名称或代码。")


def _inside(directory: Path, relative: str) -> Path:
    rel = relative.strip().replace("\\", "/")
    path = (directory / rel).resolve()
    if not path.is_relative_to(directory.resolve()):
        raise ValueError(f"“{relative}”不在导入文件夹内。")
    if not path.is_file():
        raise ValueError(f"文件“{relative}”不存在。")
    return path


# --- checking rows ------------------------------------------------------------


def _check_row(
    *, number: int, where: str, row: dict[str, str], directory: Path, lookup: Lookup, user, publish: bool,
    default_organ: Organ | None, attach_original: bool, now: dt.datetime,
) -> tuple[RowPlan | None, list[Problem]]:
    problems: list[Problem] = []

    def problem(key: str | None, message: str) -> None:
        problems.append(Problem(where, message, key))

    def value(key: str) -> str:
        return row.get(key, "").strip()

    for key in REQUIRED:
        if not value(key):
            problem(key, "必须填写。")

    # The document itself and its body.
    path = None
    body = ""
    notes: list[str] = []
    attachments: list[Path] = []
    if value("file"):
        try:
            path = _inside(directory, value("file"))
            body, notes = document_body(path)
        except ValueError as exc:
            problem("file", str(exc))
    if path is not None and (attach_original or (path.suffix.lower() == ".pdf" and not body)):
        if path.suffix.lower().lstrip(".") in settings.GONGKAI_ATTACHMENT_EXTENSIONS:
            try:
                services.validate_upload(name=path.name, size=path.stat().st_size)
                attachments.append(path)
            except services.RecordActionError as exc:
                problem("file", f"原文件不能作为附件保存：{exc}")
        elif attach_original:
            notes.append(f"“{path.suffix}”类型不能作为附件保存，原文件不附上")
    for part in _split(value("attachments"), LIST_SEPARATORS):
        try:
            attachment = _inside(directory, part)
            services.validate_upload(name=attachment.name, size=attachment.stat().st_size)
        except (ValueError, services.RecordActionError) as exc:
            problem("attachments", str(exc))
            continue
        if attachment not in attachments:
            attachments.append(attachment)

    # Organ, issuers and the importing user's right to write there.
    organ = default_organ
    if value("organ"):
        try:
            organ = lookup.organ(value("organ"))
        except ValueError as exc:
            problem("organ", str(exc))
            organ = None
    elif organ is None:
        problem("organ", "必须填写（或用 --organ 指定默认的发布机构）。")
    if organ is not None:
        if not can(user, Perm.RECORD_DRAFT, organ):
            problem("organ", f"用户“{user.get_username()}”不是“{organ.name}”的信息员/编辑，不能向该机关导入。")
        if publish and not organ.is_active:
            problem("organ", f"“{organ.name}”已停用，不能发布它的信息。")
    issuers: list[Organ] = []
    if value("issuers"):
        try:
            issuers = lookup.issuers(value("issuers"))
        except ValueError as exc:
            problem("issuers", str(exc))

    data: dict[str, Any] = {
        "title": value("title"), "summary": value("summary"), "keywords": value("keywords"), "body": body,
        "doc_no": "", "written_on": None, "genre": None, "topic": None, "attribute": Attribute.PROACTIVE,
        "withholding_ground": "", "attribute_reason": value("attribute_reason"), "validity": Validity.VALID,
        "valid_from": None, "valid_until": None,
    }
    if len(data["title"]) > 300:
        problem("title", f"标题有{len(data['title'])}个字，最多300个字。")
    if len(data["keywords"]) > 200:
        problem("keywords", "关键词最多200个字。")
    if value("doc_no"):
        try:
            data["doc_no"] = docno.normalize(value("doc_no"))
        except docno.DocNoError as exc:
            problem("doc_no", str(exc))
    for key in ("written_on", "valid_from", "valid_until"):
        if value(key):
            try:
                data[key] = parse_date(value(key))
            except ValueError as exc:
                problem(key, str(exc))
    published_at = None
    if value("published_at"):
        try:
            published_at = parse_datetime(value("published_at"))
        except ValueError as exc:
            problem("published_at", str(exc))
    if value("genre"):
        try:
            data["genre"] = lookup.genre(value("genre"))
        except ValueError as exc:
            problem("genre", str(exc))
    if value("topic"):
        try:
            data["topic"] = lookup.topic(value("topic"))
        except ValueError as exc:
            problem("topic", str(exc))
    if value("attribute"):
        attribute = _choice(value("attribute"), Attribute, ATTRIBUTE_WORDS)
        if attribute is None:
            problem("attribute", f"“{value('attribute')}”不是公开属性，应为主动公开、依申请公开或不予公开（免予公开按不予公开导入）。")
        else:
            data["attribute"] = attribute
    if value("withholding_ground"):
        ground = _choice(value("withholding_ground"), WithholdingGround)
        if ground is None:
            grounds = "、".join(str(g.label).split("（")[0] for g in WithholdingGround)
            problem("withholding_ground", f"“{value('withholding_ground')}”不是不公开依据，可选：{grounds}。")
        else:
            data["withholding_ground"] = ground
    if value("validity"):
        validity = _choice(value("validity"), Validity)
        if validity is None:
            problem("validity", f"“{value('validity')}”不是有效性，应为有效、已修订、已废止或已失效。")
        else:
            data["validity"] = validity
    if data["attribute"] != Attribute.PROACTIVE:
        label = Attribute(data["attribute"]).label
        if not data["attribute_reason"]:
            problem("attribute_reason", f"公开属性为“{label}”时必须写明不公开理由。")
        if data["attribute"] == Attribute.WITHHELD and not value("withholding_ground"):
            problem("withholding_ground", "不予公开必须填写依据（条例第十四至十六条），例如“属于国家秘密”“属于四类过程性信息”。")
    if data["valid_from"] and data["valid_until"] and data["valid_until"] < data["valid_from"]:
        problem("valid_until", "有效期截止日期不能早于施行日期。")
    if not publish or data["attribute"] != Attribute.PROACTIVE:
        published_at = None
    else:
        published_at = published_at or now
        if data["written_on"] and published_at and data["written_on"] > timezone.localtime(published_at).date():
            problem("published_at", f"发布日期（{timezone.localtime(published_at):%Y-%m-%d}）早于成文日期（{data['written_on']:%Y-%m-%d}）。")

    if problems or path is None or organ is None:
        return None, problems
    try:
        data = services.clean_record_data(data)
    except services.RecordActionError as exc:  # a rule the checks above did not foresee
        problem(None, str(exc))
        return None, problems
    plan = RowPlan(
        number=number, where=where, path=path, organ=organ, issuers=issuers or [organ], data=data,
        attachments=attachments, published_at=published_at, scheduled=bool(published_at and published_at > now),
        interprets_ref=value("interprets"), notes=notes,
    )
    return plan, problems


def _find_existing(row: RowPlan) -> list[Record]:
    qs = Record.objects.filter(organ=row.organ)
    doc_no, title, written_on = row.data["doc_no"], row.data["title"], row.data["written_on"]
    if doc_no:
        found = list(qs.filter(doc_no=doc_no))
        if found:
            return found
        return list(qs.filter(title=title, written_on=written_on, doc_no=""))
    return list(qs.filter(title=title, written_on=written_on))


def _resolve_interprets(row: RowPlan, rows: list[RowPlan]) -> RowPlan | Record:
    ref = row.interprets_ref
    try:
        ref_doc_no = docno.normalize(ref)
    except docno.DocNoError:
        ref_doc_no = ""
    in_file = [r for r in rows if r is not row and ((ref_doc_no and r.data["doc_no"] == ref_doc_no) or r.data["title"] == ref)]
    if len(in_file) == 1:
        return in_file[0]
    if len(in_file) > 1:
        raise ValueError(f"“{ref}”对应本文件中的多行（{'、'.join(r.where.split()[-1] for r in in_file)}），请填写发文字号。")
    cond = Q(title=ref) | (Q(doc_no=ref_doc_no) if ref_doc_no else Q(pk__in=[]))
    found = list(Record.objects.filter(cond).select_related("organ"))
    if len(found) > 1:
        same_organ = [r for r in found if r.organ_id == row.organ.pk]
        found = same_organ if len(same_organ) == 1 else found
    if len(found) > 1:
        raise ValueError(f"“{ref}”对应多条已有信息（索引号{'、'.join(r.index_no for r in found)}），请填写发文字号。")
    if not found:
        raise ValueError(f"找不到“{ref}”：它既不是本文件中另一行的发文字号或标题，也不是平台上已有信息的发文字号或标题。")
    return found[0]


def _status_after(row: RowPlan) -> str:
    if row.action == "skip" and row.existing is not None:
        return row.existing.status
    if row.publish:
        return Status.PUBLISHED if row.data["attribute"] == Attribute.PROACTIVE else Status.FILED
    return row.existing.status if row.existing is not None else Status.DRAFT


def _check_interprets(row: RowPlan, target: RowPlan | Record) -> str | None:
    """Why ``row`` cannot link to ``target`` (the rules of services._check_links and publication), or None."""
    if isinstance(target, RowPlan):
        status, organ, attribute, at = _status_after(target), target.organ, target.data["attribute"], target.published_at
        if target.action == "skip" and target.existing is not None:
            at = target.existing.published_at
    else:
        status, organ, attribute, at = target.status, target.organ, target.attribute, target.published_at
    linkable = (Status.PUBLISHED, Status.APPROVED, Status.SCHEDULED, Status.FILED)
    if status not in linkable and organ.pk != row.organ.pk:
        return "解读的文件必须是已发布的信息或本机关的信息。"
    if row.publish and row.data["attribute"] == Attribute.PROACTIVE:
        public_then = (
            attribute == Attribute.PROACTIVE
            and status in (Status.PUBLISHED, Status.APPROVED, Status.SCHEDULED)
            and at is not None and row.published_at is not None and at <= row.published_at
        )
        if not public_then:
            return "它解读的文件在本条的发布日期尚未公开，政策解读不能先于文件发布。"
    return None


def _changes(row: RowPlan, record: Record) -> list[str]:
    changed = []
    for key, new in row.data.items():
        old = getattr(record, key)
        if (old.pk if hasattr(old, "pk") else old) != (new.pk if hasattr(new, "pk") else new):
            changed.append(str(Record._meta.get_field(key).verbose_name))
    if {o.pk for o in row.issuers} != set(record.issuers.values_list("pk", flat=True)):
        changed.append("发文机关")
    target = row.interprets
    target_pk = target.pk if isinstance(target, Record) else (target.existing.pk if target and target.existing else None)
    if (target is not None or record.interprets_id) and target_pk != record.interprets_id:
        changed.append("解读的文件")
    have = set(record.attachments.values_list("name", flat=True))
    if any(p.name not in have for p in row.attachments):
        changed.append("附件")
    return changed


def _order(rows: list[RowPlan]) -> tuple[list[RowPlan], list[RowPlan]]:
    """File order, except that a document comes before the rows interpreting it; also the rows in a cycle."""
    done: list[RowPlan] = []
    placed: set[int] = set()
    cycle: list[RowPlan] = []
    for row in rows:
        chain: list[RowPlan] = []
        current: RowPlan | None = row
        while current is not None and id(current) not in placed:
            if current in chain:
                cycle.extend(r for r in chain[chain.index(current):] if r not in cycle)
                break
            chain.append(current)
            current = current.interprets if isinstance(current.interprets, RowPlan) else None
        else:
            for item in reversed(chain):
                done.append(item)
                placed.add(id(item))
    return done, cycle


def import_plan(
    directory: str | os.PathLike[str],
    *,
    user,
    publish: bool = False,
    organ: Organ | None = None,
    metadata: str | os.PathLike[str] | None = None,
    attach_original: bool = False,
    now: dt.datetime | None = None,
    progress: Callable[[Iterable[Any]], Iterable[Any]] | None = None,
) -> ImportPlan:
    """Read and check everything; write nothing. The plan lists problems, or what each row will do."""
    now = now or timezone.now()
    directory = Path(directory)
    progress = progress or (lambda items: items)
    if not directory.is_dir():
        plan = ImportPlan(source=str(directory), directory=directory, publish=publish)
        plan.problems.append(Problem(str(directory), "不是一个文件夹。"))
        return plan
    if metadata is not None:
        meta_path = Path(metadata) if Path(metadata).is_absolute() else directory / metadata
        candidates = [meta_path] if meta_path.is_file() else []
        if not candidates:
            plan = ImportPlan(source=str(metadata), directory=directory, publish=publish)
            plan.problems.append(Problem(str(metadata), "元数据文件不存在。"))
            return plan
    else:
        candidates = [directory / name for name in METADATA_NAMES if (directory / name).is_file()]
    if len(candidates) != 1:
        plan = ImportPlan(source=str(directory), directory=directory, publish=publish)
        message = ("文件夹里没有元数据文件 metadata.csv 或 metadata.json。" if not candidates
                   else "文件夹里同时有 metadata.csv 和 metadata.json，请用 --metadata 指定使用哪一个。")
        plan.problems.append(Problem(str(directory), message))
        return plan
    meta_path = candidates[0]
    plan = ImportPlan(source=meta_path.name, directory=directory, publish=publish)
    raw_rows, problems, unit = read_metadata(meta_path)
    plan.problems.extend(problems)
    if problems and not raw_rows:
        return plan

    lookup = Lookup()
    rows: list[RowPlan] = []
    for number, raw in progress(raw_rows):
        row, row_problems = _check_row(
            number=number, where=f"{plan.source} 第{number}{unit}", row=raw, directory=directory, lookup=lookup,
            user=user, publish=publish, default_organ=organ, attach_original=attach_original, now=now,
        )
        plan.problems.extend(row_problems)
        if row is not None:
            rows.append(row)

    # Rows repeating each other inside the file.
    seen: dict[tuple[Any, ...], RowPlan] = {}
    for row in rows:
        keys = [(("file", row.path), "file", "与{}是同一个文件")]
        if row.data["doc_no"]:
            keys.append((("doc_no", row.organ.pk, row.data["doc_no"]), "doc_no", "与{}的发布机构和发文字号相同"))
        keys.append((("title", row.organ.pk, row.data["title"], row.data["written_on"]), "title", "与{}的发布机构、标题和成文日期相同"))
        for key, column, message in keys:
            if key in seen:
                plan.problems.append(Problem(row.where, message.format(seen[key].where.split()[-1]) + "，同一份文件只能有一行。", column))
                break
            seen[key] = row

    # Existing records: update, skip, or create.
    claimed: dict[int, RowPlan] = {}
    for row in rows:
        found = _find_existing(row)
        if len(found) > 1:
            numbers = "、".join(r.index_no for r in found)
            plan.problems.append(Problem(row.where, f"平台上已有多条信息与本行匹配（索引号{numbers}），无法确定更新哪一条。"))
            continue
        if not found:
            row.action, row.publish = "create", publish
            continue
        existing = found[0]
        if existing.pk in claimed:
            plan.problems.append(Problem(row.where, f"与{claimed[existing.pk].where.split()[-1]}匹配的是同一条已有信息（索引号{existing.index_no}）。"))
            continue
        claimed[existing.pk] = row
        row.existing = existing
        if existing.status in EDITABLE_STATUSES:
            row.action, row.publish = "update", publish
        else:
            row.action = "skip"
            row.skip_reason = f"已有信息{existing.index_no}处于“{existing.get_status_display()}”状态"

    # Interpretation links (need every row's outcome).
    for row in rows:
        if row.interprets_ref:
            try:
                row.interprets = _resolve_interprets(row, rows)
            except ValueError as exc:
                plan.problems.append(Problem(row.where, str(exc), "interprets"))
                continue
            if row.interprets is row.existing:
                plan.problems.append(Problem(row.where, "一份文件不能解读它自己。", "interprets"))
                continue
            if row.action != "skip":
                reason = _check_interprets(row, row.interprets)
                if reason:
                    plan.problems.append(Problem(row.where, reason, "interprets"))
        elif row.publish and row.data["genre"].is_interpretation and row.data["attribute"] == Attribute.PROACTIVE:
            plan.problems.append(Problem(row.where, "政策解读必须填写它所解读的文件（发文字号或标题）。", "interprets"))

    ordered, cycle = _order(rows)
    for row in cycle:
        plan.problems.append(Problem(row.where, "解读关系形成了循环。", "interprets"))

    for row in ordered:
        if row.existing is None:
            continue
        row.changes = _changes(row, row.existing)
        if row.action == "skip" and row.changes:
            row.notes.append(f"已有信息（索引号{row.existing.index_no}）处于“{row.existing.get_status_display()}”状态，"
                             f"导入不修改它（本行与它不同：{'、'.join(row.changes)}）")
            row.changes = []
        elif row.action == "update" and not row.changes and not row.publish:
            row.action = "skip"
            row.skip_reason = f"与已有信息{row.existing.index_no}相同"
    plan.rows = ordered  # the order to write in: documents before their interpretations
    for row in ordered:
        plan.notes.extend(Problem(row.where, note) for note in row.notes)
    if not publish and any(raw.get("published_at") for _, raw in raw_rows):
        plan.notes.append(Problem(plan.source, "未使用 --publish，“发布日期”列不生效，信息以草稿导入。"))
    return plan


# --- applying a plan ----------------------------------------------------------


def _publish_imported(*, actor, record: Record, at: dt.datetime, now: dt.datetime, note: str) -> Record:
    return services.record_publish_imported(actor=actor, record=record, at=at, now=now, note=note,
                                            opinion=AUTO_REVIEW_OPINION)


def _apply_row(*, row: RowPlan, actor, now: dt.datetime, stored: list[tuple[Any, str]]) -> Record:
    data = dict(row.data)
    target = row.interprets
    if isinstance(target, RowPlan):
        target = target.record or target.existing
    data["interprets"] = target
    if row.action == "create":
        record = services.record_create(actor=actor, organ=row.organ, data=data, issuers=row.issuers)
    else:
        assert row.existing is not None
        record = row.existing
        if set(row.changes) - {"附件"}:
            record = services.record_update(actor=actor, record=record, data=data, issuers=row.issuers)
    have = set(record.attachments.values_list("name", flat=True))
    for path in row.attachments:
        if path.name in have:
            continue
        with path.open("rb") as fh:
            attachment = services.attachment_add(actor=actor, record=record, file=File(fh, name=path.name), name=path.name)
        stored.append((attachment.file.storage, attachment.file.name))
    note = f"从 {row.where} 导入（文件 {row.path.name}）"
    if row.publish:
        record = _publish_imported(actor=actor, record=record, at=row.published_at or now, now=now, note=note)
    else:
        audit_log(actor=actor, event_type=AuditEventType.RECORD_IMPORTED, obj=record, organ=record.organ, note=note)
    return record


def import_apply(
    plan: ImportPlan,
    *,
    user,
    now: dt.datetime | None = None,
    progress: Callable[[Iterable[Any]], Iterable[Any]] | None = None,
) -> ImportPlan:
    """Carry out a checked plan, all or nothing. Raises :class:`ImportFailed` and leaves nothing behind."""
    if plan.problems:
        raise ImportFailed(plan.problems)
    now = now or timezone.now()
    progress = progress or (lambda items: items)
    stored: list[tuple[Any, str]] = []
    try:
        with transaction.atomic():
            for row in progress([r for r in plan.rows if r.action != "skip"]):
                try:
                    row.record = _apply_row(row=row, actor=user, now=now, stored=stored)
                except (services.RecordActionError, PermissionDenied, ValidationError, DatabaseError, OSError) as exc:
                    messages = exc.messages if isinstance(exc, ValidationError) else [str(exc) or type(exc).__name__]
                    raise ImportFailed([Problem(row.where, "；".join(messages))]) from exc
    except BaseException:
        for row in plan.rows:
            row.record = None
        for storage, name in stored:
            try:
                storage.delete(name)
            except OSError:
                pass
        raise
    return plan
