"""开放数据: the catalog of public records as bulk files (CSV with BOM, JSON Lines, XLSX), per organ
and for the whole installation, written by a nightly job and served as files.

* Rows come from ``Record.objects.public()`` only. Files live in ``GONGKAI_OPEN_DATA_DIR``
  (default ``var/open-data``), written to a temporary name and renamed, with ``manifest.json``
  beside them (name, scope, format, size, rows, generation time).
* The one door holds between nights too: before a file is served, :func:`is_stale` asks whether
  any record left the public (or an organ was disabled) since the file was written; if so the file
  is rewritten first.
* The nightly job (:func:`generate_all`) is cheap because it runs on the web servers' cores: one
  query of plain values builds each record's row once (names from small lookup tables, issuers and
  audiences one query each), the rows are fanned out to every scope's three writers in one
  pass, the workbook is streamed straight into its zip, and a scope whose rows are exactly those
  already in its files (a SHA-256 of the rows, kept in the manifest) is not rewritten at all.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import datetime as dt
import hashlib
import io
import json
import os
import re
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from gongkai.core.models import Organ
from gongkai.records.models import Genre, Record, Topic, Validity

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


CHUNK = 2000  # records fetched at a time
OPEN_AT_ONCE = 32  # organ scopes written in one read of the spooled rows (three open files each)
# Part of every file's fingerprint: change it when a writer's output changes for the same rows,
# so that the next night rewrites every file.
LAYOUT = "3"


def _public(organ: Organ | None = None):
    qs = Record.objects.public()
    if organ is not None:
        qs = qs.filter(organ=organ)
    return qs.order_by("-published_at", "-id")


_COLUMNS = ("id", "index_no", "doc_no", "title", "organ_id", "genre_id", "topic_id", "written_on", "published_at",
            "validity", "valid_until", "summary")


def _names(pairs) -> dict[int, str]:
    """record id → its names joined by 、, in the order given."""
    out: dict[int, list[str]] = {}
    for record_id, name in pairs:
        out.setdefault(record_id, []).append(name)
    return {pk: "、".join(names) for pk, names in out.items()}


def _coded_rows(qs) -> Iterator[tuple[str, dict[str, str]]]:
    """(organ code, row) for each record of ``qs`` (a query of public records), in its order.

    One pass over plain values: the names of organs, genres and topics come from small lookup
    tables, the issuers and audiences from one query each.
    """
    site = _site()
    marker = 987654321
    head, tail = reverse("portal:record", kwargs={"pk": marker}).split(str(marker))
    organs = {pk: (name, code) for pk, name, code in Organ.objects.values_list("pk", "name", "code")}
    genres = dict(Genre.objects.values_list("pk", "name"))
    topics = dict(Topic.objects.values_list("pk", "name"))
    labels = {value: str(label) for value, label in Validity.choices}
    expired = labels[Validity.EXPIRED]
    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    # the issuers and audiences of all the query's records, one query each (a subquery, no long IN list)
    chosen = qs.order_by().values("pk")
    issuer_names = _names(Record.issuers.through.objects.filter(record__in=chosen)
                          .order_by("record_id", "organ__path", "organ_id").values_list("record_id", "organ__name"))
    audience_names = _names(Record.audiences.through.objects.filter(record__in=chosen)
                            .order_by("record_id", "audience__group", "audience__order", "audience_id")
                            .values_list("record_id", "audience__name"))
    for (pk, index_no, doc_no, title, organ_id, genre_id, topic_id, written_on, published_at, validity,
         valid_until, summary) in qs.values_list(*_COLUMNS).iterator(chunk_size=CHUNK):
        organ_name, organ_code = organs[organ_id]
        if validity == Validity.VALID and valid_until and valid_until < today:
            shown = expired
        else:
            shown = labels[validity]
        yield organ_code, {
            "id": str(pk), "index_no": index_no, "doc_no": doc_no, "title": title,
            "organ": organ_name, "organ_code": organ_code,
            "issuers": issuer_names.get(pk, ""), "genre": genres[genre_id],
            "topic": topics[topic_id] if topic_id else "",
            "written_on": written_on.isoformat() if written_on else "",
            "published_at": published_at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
            "validity": shown,
            "valid_until": valid_until.isoformat() if valid_until else "",
            "audiences": audience_names.get(pk, ""),
            "summary": strip_tags(summary) if "<" in summary else summary,
            "url": f"{site}{head}{pk}{tail}",
        }


def rows(organ: Organ | None = None) -> Iterator[dict[str, str]]:
    """The rows of the public records (of one organ, or all), newest first."""
    for _, row in _coded_rows(_public(organ)):
        yield row


def _safe_cell(value: str) -> str:
    """A cell a spreadsheet would run as a formula (=, +, -, @) is written as text."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


class _Csv:
    def __init__(self, path: Path) -> None:
        self.fh = open(path, "w", encoding="utf-8-sig", newline="")  # noqa: SIM115 - closed in close()
        self.writer = csv.writer(self.fh)  # the BOM: Excel and WPS read UTF-8
        self.writer.writerow([f"{zh}（{key}）" for key, zh, _ in FIELDS])

    def add(self, row: dict[str, str], line: str) -> None:
        self.writer.writerow([_safe_cell(row[key]) for key, _, _ in FIELDS])

    def close(self) -> None:
        self.fh.close()


class _Jsonl:
    def __init__(self, path: Path) -> None:
        self.fh = open(path, "w", encoding="utf-8")  # noqa: SIM115 - closed in close()

    def add(self, row: dict[str, str], line: str) -> None:
        self.fh.write(line)

    def close(self) -> None:
        self.fh.close()


_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006"
_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_SHEETS = ("政府信息目录", "数据字典")
_XLSX_PARTS = {
    "[Content_Types].xml": (
        f'{_XML}<Types xmlns="{_PKG}/content-types">'
        f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPE}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_TYPE}.worksheet+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet2.xml" ContentType="{_TYPE}.worksheet+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{_TYPE}.styles+xml"/></Types>'),
    "_rels/.rels": (
        f'{_XML}<Relationships xmlns="{_PKG}/relationships">'
        f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
    "xl/workbook.xml": (
        f'{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>'
        + "".join(f'<sheet name="{name}" sheetId="{i}" r:id="rId{i}"/>' for i, name in enumerate(_SHEETS, 1))
        + "</sheets></workbook>"),
    "xl/_rels/workbook.xml.rels": (
        f'{_XML}<Relationships xmlns="{_PKG}/relationships">'
        + "".join(f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                  for i in range(1, len(_SHEETS) + 1))
        + f'<Relationship Id="rId{len(_SHEETS) + 1}" Type="{_REL}/styles" Target="styles.xml"/></Relationships>'),
    "xl/styles.xml": (
        f'{_XML}<styleSheet xmlns="{_MAIN}"><fonts count="1"><font><sz val="11"/><name val="等线"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/>'
        '</fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="常规" xfId="0" builtinId="0"/></cellStyles></styleSheet>'),
}
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # not allowed in XML 1.0


class _Xlsx:
    """The workbook streamed straight into its zip: the catalog sheet row by row, then the dictionary.

    Text cells as inline strings (as openpyxl's write-only mode writes them), an empty value as no
    cell; five times cheaper than openpyxl for the same cells. Characters XML cannot hold are dropped.
    """

    COLUMNS = [chr(ord("A") + i) for i in range(len(FIELDS))]

    def __init__(self, path: Path) -> None:
        self.zip = zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED)
        self.sheet = self.zip.open("xl/worksheets/sheet1.xml", "w")
        self.sheet.write(f'{_XML}<worksheet xmlns="{_MAIN}"><sheetData>'.encode())
        self.n = 0
        self._row([zh for _, zh, _ in FIELDS])

    def _row(self, values: list[str]) -> None:
        self.n += 1
        n = self.n
        cells = "".join(f'<c r="{col}{n}" t="inlineStr"><is><t xml:space="preserve">'
                        f'{xml_escape(_ILLEGAL_XML.sub("", value))}</t></is></c>'
                        for col, value in zip(self.COLUMNS, values, strict=False) if value)
        self.sheet.write(f'<row r="{n}">{cells}</row>'.encode())

    def add(self, row: dict[str, str], line: str) -> None:
        self._row([_safe_cell(row[key]) for key, _, _ in FIELDS])

    def close(self) -> None:
        self.sheet.write(b"</sheetData></worksheet>")
        self.sheet.close()
        self.sheet = self.zip.open("xl/worksheets/sheet2.xml", "w")
        self.sheet.write(f'{_XML}<worksheet xmlns="{_MAIN}"><sheetData>'.encode())
        self.n = 0
        for entry in [("字段", "中文名称", "说明"), *FIELDS]:
            self._row(list(entry))
        self.sheet.write(b"</sheetData></worksheet>")
        self.sheet.close()
        for name, text in _XLSX_PARTS.items():
            self.zip.writestr(name, text)
        self.zip.close()


WRITERS = {"csv": _Csv, "jsonl": _Jsonl, "xlsx": _Xlsx}


def _line(row: dict[str, str]) -> str:
    """The row as a line of the JSON Lines file; the fingerprints are taken over these lines."""
    return json.dumps(row, ensure_ascii=False) + "\n"


def _digest() -> hashlib._Hash:
    return hashlib.sha256(f"gongkai-open-data/{LAYOUT}/{_site()}\n".encode())


@dataclass
class DataFile:
    name: str
    scope: str
    format: str
    size: int
    rows: int
    generated_at: dt.datetime
    organs: list[str] = field(default_factory=list)  # codes of the organs whose records it holds
    digest: str = ""  # fingerprint of its rows (and of the layout): an unchanged scope is not rewritten

    def as_dict(self) -> dict:
        return {"name": self.name, "scope": self.scope, "format": self.format, "size": self.size,
                "rows": self.rows, "generated_at": self.generated_at.isoformat(), "organs": self.organs,
                "digest": self.digest}

    @classmethod
    def from_dict(cls, e: dict) -> DataFile:
        return cls(e["name"], e["scope"], e["format"], e["size"], e.get("rows", 0),
                   dt.datetime.fromisoformat(e["generated_at"]), e.get("organs", []), e.get("digest", ""))


def file_name(scope: str, fmt: str) -> str:
    return f"catalog-{scope}.{fmt}"


@dataclass
class _Scope:
    """What the first pass learned of one scope's rows."""

    digest: hashlib._Hash = field(default_factory=_digest)
    rows: int = 0
    organs: set[str] = field(default_factory=set)

    def add(self, code: str, line: str) -> None:
        self.digest.update(line.encode())
        self.rows += 1
        self.organs.add(code)


class _Out:
    """The files of one scope being written, each to a temporary name until :meth:`close`."""

    def __init__(self, folder: Path, scope: str, formats) -> None:
        self.folder, self.scope = folder, scope
        self.names = {fmt: file_name(scope, fmt) for fmt in formats}
        self.writers = {fmt: WRITERS[fmt](self.tmp(name)) for fmt, name in self.names.items()}

    def tmp(self, name: str) -> Path:
        return self.folder / f".{name}.tmp"

    def add(self, row: dict[str, str], line: str) -> None:
        for writer in self.writers.values():
            writer.add(row, line)

    def close(self, facts: _Scope, started: dt.datetime) -> list[DataFile]:
        out = []
        for fmt, writer in self.writers.items():
            writer.close()
            name = self.names[fmt]
            os.replace(self.tmp(name), self.folder / name)
            out.append(DataFile(name, self.scope, fmt, (self.folder / name).stat().st_size, facts.rows, started,
                                sorted(facts.organs), facts.digest.hexdigest()))
        return out

    def discard(self) -> None:
        for fmt, writer in self.writers.items():
            with contextlib.suppress(Exception):
                writer.close()
            self.tmp(self.names[fmt]).unlink(missing_ok=True)


def write_file(scope: str, fmt: str) -> DataFile:
    """Write one file (atomically) and record it in the manifest."""
    organ = None if scope == ALL else Organ.objects.active().get(code=scope)
    folder = data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    started = timezone.now()
    facts = _Scope()
    out = _Out(folder, scope, [fmt])
    try:
        for code, row in _coded_rows(_public(organ)):
            line = _line(row)
            facts.add(code, line)
            out.add(row, line)
    except BaseException:
        out.discard()
        raise
    (entry,) = out.close(facts, started)
    manifest = {e["name"]: e for e in _read_manifest()}
    manifest[entry.name] = entry.as_dict()
    _write_manifest(list(manifest.values()))
    return entry


def _unchanged(scope: str, facts: _Scope, old: dict[str, dict], folder: Path) -> bool:
    """Do all of the scope's files exist, as the manifest has them, with the same fingerprint?"""
    for fmt in FORMATS:
        entry = old.get(file_name(scope, fmt))
        if entry is None or entry.get("digest") != facts.digest.hexdigest():
            return False
        try:
            if (folder / entry["name"]).stat().st_size != entry["size"]:
                return False
        except FileNotFoundError:
            return False
    return True


def _generate() -> tuple[list[DataFile], int]:
    """Every file; returns them and how many were (re)written.

    First pass: one query of the public records, each row built once, spooled as its JSON line
    beside its organ's code, and fingerprinted per scope (all, and its organ). A scope whose three
    files already hold exactly these rows (same fingerprint in the manifest, files present) is kept
    as it is, its generation time moved to now: it is what a rewrite would write. Second pass: the
    spooled rows fanned out to the writers of the other scopes, the whole installation and up to
    :data:`OPEN_AT_ONCE` organs per read of the spool.
    """
    folder = data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    started = timezone.now()
    old = {e["name"]: e for e in _read_manifest()}
    scopes: dict[str, _Scope] = {ALL: _Scope()}
    fd, spool_name = tempfile.mkstemp(prefix=".rows-", suffix=".tmp", dir=folder)
    spool = Path(spool_name)
    try:
        with open(fd, "w", encoding="utf-8") as fh:
            for code, row in _coded_rows(_public()):
                line = _line(row)
                fh.write(f"{code}\t{line}")
                scopes[ALL].add(code, line)
                if code not in scopes:
                    scopes[code] = _Scope()
                scopes[code].add(code, line)
        path = dict(Organ.objects.filter(code__in=list(scopes)).values_list("code", "path"))
        order = [ALL, *sorted((c for c in scopes if c != ALL), key=lambda c: (path.get(c, ""), c))]
        files: dict[str, list[DataFile]] = {}
        todo = []
        for scope in order:
            if _unchanged(scope, scopes[scope], old, folder):
                files[scope] = [dataclasses.replace(DataFile.from_dict(old[file_name(scope, fmt)]), generated_at=started)
                                for fmt in FORMATS]
            else:
                todo.append(scope)
        whole = todo[:1] if todo[:1] == [ALL] else []
        organs = todo[len(whole):]
        groups = [whole + organs[:OPEN_AT_ONCE]] + [organs[i:i + OPEN_AT_ONCE]
                                                   for i in range(OPEN_AT_ONCE, len(organs), OPEN_AT_ONCE)]
        for group in (g for g in groups if g):
            files.update(_fan_out(spool, folder, group, scopes, started))
    finally:
        spool.unlink(missing_ok=True)
    written = [f for scope in order for f in files[scope]]
    rewritten = sum(len(files[scope]) for scope in todo)
    keep = {f.name for f in written}
    for name in old:  # an organ disabled or emptied since: its files go
        if name not in keep:
            (folder / name).unlink(missing_ok=True)
    _write_manifest([f.as_dict() for f in written])
    return written, rewritten


def _fan_out(spool: Path, folder: Path, group: list[str], scopes: dict[str, _Scope],
             started: dt.datetime) -> dict[str, list[DataFile]]:
    """One read of the spooled rows, each written to the files of its scopes in ``group``."""
    outs: dict[str, _Out] = {}
    try:
        for scope in group:
            outs[scope] = _Out(folder, scope, FORMATS)
        whole = outs.get(ALL)
        with open(spool, encoding="utf-8") as fh:
            for entry in fh:
                code, line = entry.split("\t", 1)
                mine = outs.get(code)
                if whole is None and mine is None:
                    continue
                row = json.loads(line)
                if whole is not None:
                    whole.add(row, line)
                if mine is not None:
                    mine.add(row, line)
    except BaseException:
        for out in outs.values():
            out.discard()
        raise
    return {scope: out.close(scopes[scope], started) for scope, out in outs.items()}


def generate_all() -> list[DataFile]:
    """The nightly job: every format for the whole installation and for each organ with public records."""
    return _generate()[0]


def open_data_nightly() -> str:
    files, rewritten = _generate()
    total = next((f.rows for f in files if f.scope == ALL and f.format == "csv"), 0)
    kept = len(files) - rewritten
    return (f"已生成 {len(files)} 个开放数据文件，全部目录 {total} 条"
            + (f"（其中 {kept} 个内容未变，未重写）" if kept else ""))


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
    out = [DataFile.from_dict(e) for e in _read_manifest() if (data_dir() / e["name"]).exists()]
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
