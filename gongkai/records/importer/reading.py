"""Reading a metadata file (CSV or JSON) into rows of ``{column key: text}``."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from .columns import COLUMNS, IGNORED_COLUMNS, REQUIRED, column_label
from .results import Problem

METADATA_NAMES = ("metadata.csv", "metadata.json")


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
