"""开放数据: the catalog of public records as bulk files (CSV with BOM, JSON Lines, XLSX), per organ
and for the whole installation, written by a nightly job and served as files.

* Rows come from ``Record.objects.public()`` only. Files live in ``GONGKAI_OPEN_DATA_DIR``
  (default ``var/open-data``), written to a temporary name and renamed, with ``manifest.json``
  beside them (name, scope, format, size, rows, generation time).
* The one door holds between nights too: before a file is served, :func:`is_stale` asks whether
  any record left the public (or an organ was disabled) since the file was written; if so the file
  is rewritten first.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.html import strip_tags

from gongkai.core.models import Organ
from gongkai.records.models import Audience, Record

FORMATS = ("csv", "jsonl", "xlsx")
ALL = "all"

# The data dictionary: field, Chinese name, meaning.
FIELDS: list[tuple[str, str, str]] = [
    ("id", "编号", "本平台的信息编号，与接口 /api/v1/records/{id} 相同"),
    ("index_no", "索引号", "政府信息公开目录的索引号"),
    ("doc_no", "发文字号", "如“保政办函〔2021〕15号”；无文号为空"),
    ("title", "标题", "信息标题"),
    ("organ", "发布机构", "负责公开该信息的机关名称"),
    ("organ_code", "机构代码", "发布机构的代码"),
    ("issuers", "发文机关", "联合发文时以顿号分隔，牵头机关在前"),
    ("genre", "体裁", "如规章、行政规范性文件、政策解读"),
    ("topic", "主题分类", "国务院政策文件库主题分类"),
    ("written_on", "成文日期", "YYYY-MM-DD"),
    ("published_at", "发布日期", "YYYY-MM-DD HH:MM（北京时间）"),
    ("validity", "有效性", "有效、已修订、已废止、已失效"),
    ("valid_until", "有效期至", "YYYY-MM-DD；无固定有效期为空"),
    ("audiences", "适用对象", "以顿号分隔"),
    ("summary", "内容概述", "一两句话的概述"),
    ("url", "网址", "门户中该信息的页面"),
]


def data_dir() -> Path:
    configured = getattr(settings, "GONGKAI_OPEN_DATA_DIR", "")
    return Path(configured) if configured else Path(settings.VAR_DIR) / "open-data"


def _site() -> str:
    return settings.GONGKAI_SITE_URL.rstrip("/")


def _records(organ: Organ | None):
    qs = Record.objects.public()
    if organ is not None:
        qs = qs.filter(organ=organ)
    return (qs.select_related("organ", "genre", "topic")
            .prefetch_related(Prefetch("issuers", Organ.objects.only("name")),
                              Prefetch("audiences", Audience.objects.only("name")))
            .defer("body", "attribute_reason").order_by("-published_at", "-id"))


def rows(organ: Organ | None = None) -> Iterator[dict[str, str]]:
    site = _site()
    for r in _records(organ).iterator(chunk_size=2000):
        yield {
            "id": str(r.pk), "index_no": r.index_no, "doc_no": r.doc_no, "title": r.title,
            "organ": r.organ.name, "organ_code": r.organ.code,
            "issuers": "、".join(o.name for o in r.issuers.all()), "genre": r.genre.name,
            "topic": r.topic.name if r.topic_id else "",
            "written_on": r.written_on.isoformat() if r.written_on else "",
            "published_at": timezone.localtime(r.published_at).strftime("%Y-%m-%d %H:%M"),
            "validity": r.get_effective_validity_display(),
            "valid_until": r.valid_until.isoformat() if r.valid_until else "",
            "audiences": "、".join(a.name for a in r.audiences.all()),
            "summary": strip_tags(r.summary), "url": site + r.get_absolute_url(),
        }


def _safe_cell(value: str) -> str:
    """A cell a spreadsheet would run as a formula (=, +, -, @) is written as text."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def _write_csv(path: Path, data: Iterator[dict]) -> int:
    n = 0
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:  # the BOM: Excel and WPS read UTF-8
        writer = csv.writer(fh)
        writer.writerow([f"{zh}（{key}）" for key, zh, _ in FIELDS])
        for row in data:
            writer.writerow([_safe_cell(row[key]) for key, _, _ in FIELDS])
            n += 1
    return n


def _write_jsonl(path: Path, data: Iterator[dict]) -> int:
    n = 0
    with open(path, "w", encoding="utf-8") as fh:
        for row in data:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            n += 1
    return n


def _write_xlsx(path: Path, data: Iterator[dict]) -> int:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("政府信息目录")
    ws.append([zh for _, zh, _ in FIELDS])
    n = 0
    for row in data:
        ws.append([_safe_cell(row[key]) for key, _, _ in FIELDS])
        n += 1
    info = wb.create_sheet("数据字典")
    info.append(["字段", "中文名称", "说明"])
    for entry in FIELDS:
        info.append(list(entry))
    wb.save(path)
    return n


WRITERS = {"csv": _write_csv, "jsonl": _write_jsonl, "xlsx": _write_xlsx}


@dataclass
class DataFile:
    name: str
    scope: str
    format: str
    size: int
    rows: int
    generated_at: dt.datetime
    organs: list[str] = field(default_factory=list)  # codes of the organs whose records it holds

    def as_dict(self) -> dict:
        return {"name": self.name, "scope": self.scope, "format": self.format, "size": self.size,
                "rows": self.rows, "generated_at": self.generated_at.isoformat(), "organs": self.organs}


def file_name(scope: str, fmt: str) -> str:
    return f"catalog-{scope}.{fmt}"


def write_file(scope: str, fmt: str) -> DataFile:
    """Write one file (atomically) and record it in the manifest."""
    organ = None if scope == ALL else Organ.objects.active().get(code=scope)
    folder = data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    name = file_name(scope, fmt)
    started = timezone.now()
    tmp = folder / f".{name}.tmp"
    organs: set[str] = set()

    def noting() -> Iterator[dict]:
        for row in rows(organ):
            organs.add(row["organ_code"])
            yield row

    n = WRITERS[fmt](tmp, noting())
    os.replace(tmp, folder / name)
    entry = DataFile(name, scope, fmt, (folder / name).stat().st_size, n, started, sorted(organs))
    manifest = {e["name"]: e for e in _read_manifest()}
    manifest[name] = entry.as_dict()
    _write_manifest(list(manifest.values()))
    return entry


def generate_all() -> list[DataFile]:
    """The nightly job: every format for the whole installation and for each organ with public records."""
    scopes = [ALL] + list(Organ.objects.active().filter(records__in=Record.objects.public()).distinct()
                          .order_by("path").values_list("code", flat=True))
    written = [write_file(scope, fmt) for scope in scopes for fmt in FORMATS]
    keep = {f.name for f in written}
    for old in _read_manifest():  # an organ disabled or emptied since: its files go
        if old["name"] not in keep:
            (data_dir() / old["name"]).unlink(missing_ok=True)
    _write_manifest([f.as_dict() for f in written])
    return written


def open_data_nightly() -> str:
    files = generate_all()
    total = next((f.rows for f in files if f.scope == ALL and f.format == "csv"), 0)
    return f"已生成 {len(files)} 个开放数据文件，全部目录 {total} 条"


def _read_manifest() -> list[dict]:
    try:
        return json.loads((data_dir() / "manifest.json").read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return []


def _write_manifest(entries: list[dict]) -> None:
    folder = data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / ".manifest.json.tmp"
    tmp.write_text(json.dumps(sorted(entries, key=lambda e: e["name"]), ensure_ascii=False, indent=1),
                   encoding="utf-8")
    os.replace(tmp, folder / "manifest.json")


def files() -> list[DataFile]:
    out = []
    for e in _read_manifest():
        if (data_dir() / e["name"]).exists():
            out.append(DataFile(e["name"], e["scope"], e["format"], e["size"], e.get("rows", 0),
                                dt.datetime.fromisoformat(e["generated_at"]), e.get("organs", [])))
    order = {fmt: i for i, fmt in enumerate(FORMATS)}
    return sorted(out, key=lambda f: (f.scope != ALL, f.scope, order.get(f.format, 9)))


def find(name: str) -> DataFile | None:
    return next((f for f in files() if f.name == name), None)


def is_stale(entry: DataFile) -> bool:
    """Has any record left the public since the file was written (withdrawn, re-determined, organ disabled)?"""
    left = Record.objects.not_public().filter(updated_at__gt=entry.generated_at, published_at__isnull=False)
    if entry.scope != ALL:
        left = left.filter(organ__code=entry.scope)
    if left.exists():
        return True
    return Organ.objects.filter(is_active=False, code__in=entry.organs).exists()


def fresh(entry: DataFile) -> DataFile:
    """The file, rewritten first if a record in it may have left the public."""
    if not is_stale(entry):
        return entry
    if entry.scope != ALL and not Organ.objects.active().filter(code=entry.scope).exists():
        (data_dir() / entry.name).unlink(missing_ok=True)
        raise FileNotFoundError(entry.name)
    return write_file(entry.scope, entry.format)


def dictionary_csv() -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["字段（英文）", "中文名称", "说明"])
    for entry in FIELDS:
        writer.writerow(entry)
    return buf.getvalue().encode("utf-8-sig")
