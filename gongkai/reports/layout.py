"""The tables laid out row by row for templates (pages, the record body, Word), from a ReportData."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import tables


@dataclass
class Cell:
    key: str
    value: tables.Value
    previous: tables.Value | None
    entered: bool
    flagged: bool
    refs: int
    missing: bool = False  # an entered-only cell with no figure and no confirmed 0

    @property
    def text(self) -> str:
        return tables.fmt(self.value)

    @property
    def change(self) -> str:
        return tables.change(self.value, self.previous)

    @property
    def label(self) -> str:
        return tables.cell_label(self.key)


def table_context(data) -> dict[str, Any]:
    """Rows of tables 二, 三, 四 and the chart series, for any template."""
    flagged = {d.key for d in data.discrepancies}
    for finding in data.errors:
        flagged.update(finding.cells)

    def cell(key: str) -> Cell:
        prev = data.previous.get(key) if data.previous is not None else None
        return Cell(key, data.values[key], prev, key in data.entries or key in tables.T2_ENTERED_KEYS, key in flagged,
                    len(data.computed.refs.get(key, [])), missing=key in unentered)

    unentered = set(getattr(data, "unentered", ()))

    t2 = []
    for block, rows in tables.T2_BLOCKS:
        cols = rows[0][2]
        t2.append({"header": block, "columns": [tables.T2_COLUMNS[c] for c in cols],
                   "rows": [{"key": row, "label": label, "cells": [cell(f"t2.{row}.{c}") for c in cols]}
                            for row, label, cols in rows]})
    t3 = []
    seen_groups: set[str] = set()
    group_sizes: dict[str, int] = {}
    for _, _, group in tables.T3_ROWS:
        if group:
            group_sizes[group] = group_sizes.get(group, 0) + 1
    for i, (row, label, group) in enumerate(tables.T3_ROWS):
        first_in_block = row == "r3_1"
        t3.append({
            "key": row, "label": label, "group": group,
            "group_first": bool(group) and group not in seen_groups, "group_size": group_sizes.get(group, 0),
            "in_block": row.startswith("r3_"), "block_first": first_in_block,
            "cells": [cell(f"t3.{row}.{c}") for c in tables.T3_COLUMNS], "index": i,
        })
        if group:
            seen_groups.add(group)
    t4 = [cell(f"t4.{g}.{c}") for g in tables.T4_GROUPS for c in tables.T4_COLUMNS]
    return {
        "t2_blocks": t2, "t3_rows": t3, "t4_cells": t4,
        "t3_columns": tables.T3_COLUMNS, "t3_kinds": [tables.T3_COLUMNS[k] for k in tables.T3_KINDS],
        "t3_note": tables.T3_NOTE, "t3_block_header": tables.T3_BLOCK_HEADER,
        "t3_block_size": sum(1 for r in tables.T3_ROWS if r[0].startswith("r3_")),
        "t4_columns": [tables.T4_COLUMNS[c] for c in tables.T4_COLUMNS],
        "headings": {n: tables.section_heading(n) for n, _ in tables.SECTIONS},
        "t2_notes": list(getattr(data, "notes", [])),
        "charts": charts(data),
    }


MONTHS = [f"{m}月" for m in range(1, 13)]
OUTCOME_GROUPS = [
    ("予以公开", ["r3_1"]), ("部分公开", ["r3_2"]),
    ("不予公开", [r for r in tables.OUTCOME_ROWS if r.startswith("r3_3_")]),
    ("无法提供", [r for r in tables.OUTCOME_ROWS if r.startswith("r3_4_")]),
    ("不予处理", [r for r in tables.OUTCOME_ROWS if r.startswith("r3_5_")]),
    ("其他处理", [r for r in tables.OUTCOME_ROWS if r.startswith("r3_6_")]),
]


def charts(data) -> list[dict[str, Any]]:
    """The year's three charts as plain series (ECharts on the page, matplotlib in the PDF)."""
    v = data.values
    return [
        {"id": "monthly", "kind": "bar", "title": f"{data.year}年各月新收政府信息公开申请数量（件）",
         "labels": MONTHS, "values": list(data.monthly or [0] * 12)},
        {"id": "outcomes", "kind": "pie", "title": f"{data.year}年度办理结果（件）",
         "labels": [g for g, _ in OUTCOME_GROUPS],
         "values": [sum(v[f"t3.{r}.total"] for r in rows) for _, rows in OUTCOME_GROUPS]},
        {"id": "applicants", "kind": "pie", "title": f"{data.year}年新收申请的申请人类型（件）",
         "labels": [tables.T3_COLUMNS[k] for k in tables.T3_KINDS],
         "values": [v[f"t3.r1.{k}"] for k in tables.T3_KINDS]},
    ]
