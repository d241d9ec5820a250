"""Files of a report: JSON (every cell by the format's labels), CSV, XLSX, Word and PDF (charts on request)."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from typing import Any

from gongkai.core import pdf

from . import tables
from .layout import charts as chart_series
from .selectors import ReportData

CONTENT_TYPES = {
    "json": "application/json; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
FORMATS = tuple(CONTENT_TYPES)


class ExportError(Exception):
    """A file cannot be produced (Chinese message)."""


def _num(v: tables.Value) -> Any:
    return float(v) if isinstance(v, Decimal) else v


def date_text(d) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def as_dict(data: ReportData) -> dict[str, Any]:
    prose = {tables.section_heading(n): data.prose(name) for n, name in tables.PROSE_SECTIONS.items()}
    return {
        "title": data.title,
        "organ": {"name": data.organ.name, "code": data.organ.code},
        "year": data.year,
        "format": "国办公开办函〔2021〕30号",
        "include_subordinates": data.include_subordinates,
        "organs": [o.name for o in data.organs],
        "frozen": data.frozen,
        "preview": data.preview,
        "notes": list(data.notes),
        "tables": tables.labelled(data.values),
        "cells": {k: _num(v) for k, v in data.values.items()},
        "sources": {tables.cell_label(k): v for k, v in data.sources.items()},
        "prose": prose,
        "applications_by_month": data.monthly,
        "findings": [{"code": x.code, "severity": x.severity, "message": x.message,
                      "cells": [tables.cell_label(c) for c in x.cells]} for x in data.findings],
        "discrepancies": [{"cell": tables.cell_label(d.key), "computed": _num(d.computed), "entered": _num(d.entered),
                           "message": d.message} for d in data.discrepancies],
    }


def to_json(data: ReportData) -> bytes:
    return json.dumps(as_dict(data), ensure_ascii=False, indent=2).encode("utf-8")


def table_rows(data: ReportData) -> list[tuple[str, list[list[Any]]]]:
    """Each table as a title and rows of printed labels and figures (CSV, XLSX)."""
    v = data.values
    t2: list[list[Any]] = []
    for block, rows in tables.T2_BLOCKS:
        cols = rows[0][2]
        t2.append([block])
        t2.append(["信息内容", *[tables.T2_COLUMNS[c] for c in cols]])
        t2 += [[label, *[_num(v[f"t2.{row}.{c}"]) for c in cols]] for row, label, cols in rows]
    kinds = [tables.T3_COLUMNS[k] for k in tables.T3_KINDS]
    t3: list[list[Any]] = [  # the format's three header rows: the 勾稽关系 note, 申请人情况, 法人或其他组织
        [tables.T3_NOTE, "", "", tables.T3_COLUMN_GROUP, *[""] * 6],
        ["", "", "", kinds[0], tables.T3_ORG_GROUP, *[""] * 4, tables.T3_COLUMNS["total"]],
        ["", "", "", "", *kinds[1:], ""],
    ]
    for row, label, group in tables.T3_ROWS:
        block = tables.T3_BLOCK_HEADER if row.startswith("r3_") else ""
        t3.append([block, group, label, *[v[f"t3.{row}.{c}"] for c in tables.T3_COLUMNS]])
    t4 = [["行政复议"] * 5 + ["行政诉讼"] * 10,
          [tables.T4_GROUPS[g] for g in tables.T4_GROUPS for _ in tables.T4_COLUMNS],
          [tables.T4_COLUMNS[c] for _ in tables.T4_GROUPS for c in tables.T4_COLUMNS],
          [v[f"t4.{g}.{c}"] for g in tables.T4_GROUPS for c in tables.T4_COLUMNS]]
    return [("表二 " + tables.SECTIONS[1][1], t2), ("表三 " + tables.SECTIONS[2][1], t3), ("表四 " + tables.SECTIONS[3][1], t4)]


#: Merged header cells of each sheet (rows counted from the first table row, 1-based; the title is row 1).
T3_MERGES = ["A2:C4", "D2:J2", "D3:D4", "E3:I3", "J3:J4"]
T4_MERGES = ["A2:E3", "F2:O2", "F3:J3", "K3:O3"]


def heading_lines(data: ReportData) -> list[str]:
    """What a file says above the tables: the title, and for an unfinished year that it is a preview."""
    lines = [data.title]
    if data.preview:
        lines.append(preview_text(data))
    return lines


def preview_text(data: ReportData) -> str:
    return (f"预览（年度未结束）：{data.year}年度尚未结束，数据统计至{date_text(data.as_of)}，"
            "年度结束前仍会变化，不是年度报告的最终数据。")


def to_csv(data: ReportData) -> bytes:
    out = io.StringIO()
    w = csv.writer(out)
    for line in heading_lines(data):
        w.writerow([line])
    for title, rows in table_rows(data):
        w.writerow([])
        w.writerow([title])
        w.writerows(rows)
        if title.startswith("表二"):
            for note in data.notes:
                w.writerow(["注：" + note])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # BOM: Excel opens it as UTF-8


def to_xlsx(data: ReportData) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in table_rows(data):
        ws = wb.create_sheet(title.split()[0])
        ws.append([f"{data.title} · {title}"])
        ws["A1"].font = Font(bold=True)
        for row in rows:
            ws.append(row)
        merges = T3_MERGES if title.startswith("表三") else T4_MERGES if title.startswith("表四") else []
        for cells in merges:
            ws.merge_cells(cells)
        if title.startswith("表二"):
            for note in data.notes:
                ws.append(["注：" + note])
        if data.preview:
            ws.append([preview_text(data)])
        for col in ws.columns:
            for c in col:
                c.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions["A"].width = 24
        if title.startswith("表三"):
            ws.column_dimensions["B"].width = 16
            ws.column_dimensions["C"].width = 40
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in (text or "").splitlines() if p.strip()]


#: The signature date left for the office to fill in when the report was never saved.
BLANK_DATE = "　　年　　月　　日"


def signature_date(data: ReportData):
    """The day the report is signed: when it was sent for publication, else when it was last saved, else None."""
    from django.utils import timezone

    report = data.report
    if report is None or report.pk is None:
        return None
    if data.frozen and report.submitted_at:
        return timezone.localtime(report.submitted_at).date()
    return timezone.localtime(report.updated_at).date() if report.updated_at else None


def word_context(data: ReportData, *, on=None) -> dict[str, Any]:
    on = on or signature_date(data)
    if data.preview:
        period = (f"{preview_text(data)}本报告根据《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度报告格式》"
                  f"（国办公开办函〔2021〕30号）的格式编制，数据统计期限自{data.year}年1月1日起，统计至{date_text(data.as_of)}。")
    intro = (f"本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《中华人民共和国政府信息公开工作年度报告格式》"
             f"（国办公开办函〔2021〕30号）要求编制，报告全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、"
             f"政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项。"
             f"本报告中所列数据的统计期限自{data.year}年1月1日起至{data.year}年12月31日止。")
    if data.preview:
        intro = period
    return {
        "title": data.title, "intro": intro, "organ_name": data.organ.name,
        "date_text": date_text(on) if on else BLANK_DATE, "notes": ["注：" + n for n in data.notes],
        "v": {k.replace(".", "_"): tables.fmt(val) for k, val in data.values.items()},
        **{name: _paragraphs(data.prose(name)) for name in tables.PROSE_SECTIONS.values()},
    }


def chart_text(chart: dict[str, Any]) -> str:
    """The text alternative of a chart: its data as one line."""
    return "；".join(f"{label} {value}" for label, value in zip(chart["labels"], chart["values"], strict=True))


def chart_png(chart: dict[str, Any]) -> bytes:
    """One chart as a PNG (matplotlib, Agg, Noto Sans CJK)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    plt.rcParams["font.family"] = ["Noto Sans CJK SC", "Noto Sans CJK JP", "DejaVu Sans"]
    plt.rcParams["axes.unicode_minus"] = False
    fig, ax = plt.subplots(figsize=(7.5, 3.4), dpi=110)
    try:
        labels, values = chart["labels"], chart["values"]
        if chart["kind"] == "bar":
            bars = ax.bar(labels, values, color="#b3261e")
            ax.bar_label(bars, fontsize=8)
            ax.set_ylabel("件")
            from matplotlib.ticker import MaxNLocator

            ax.yaxis.set_major_locator(MaxNLocator(integer=True))
            ax.spines[["top", "right"]].set_visible(False)
        else:
            shown = [(lab, val) for lab, val in zip(labels, values, strict=True) if val]
            if shown:
                ax.pie([v for _, v in shown], labels=[f"{lab} {v}" for lab, v in shown], startangle=90,
                       counterclock=False, textprops={"fontsize": 9})
            else:
                ax.text(0.5, 0.5, "本年度无数据", ha="center", va="center")
            ax.axis("equal")
            ax.axis("off")
        fig.tight_layout()
        out = io.BytesIO()
        fig.savefig(out, format="png")
        return out.getvalue()
    finally:
        plt.close(fig)


def to_docx(data: ReportData, *, with_charts: bool = False) -> bytes:
    from . import word

    charts = None
    if with_charts:
        charts = [{"png": chart_png(c), "title": c["title"], "text": "数据：" + chart_text(c)}
                  for c in chart_series(data)]
    return word.render(word_context(data), charts=charts)


def to_pdf(data: ReportData, *, with_charts: bool = False) -> bytes:
    """The PDF of the Word file; the chart appendix only when asked (the format asks for no extra content)."""
    try:
        return pdf.docx_to_pdf(to_docx(data, with_charts=with_charts))
    except pdf.PdfError as exc:
        raise ExportError(str(exc)) from exc


def export(data: ReportData, fmt: str, *, charts: bool = False) -> bytes:
    """One file; ``charts`` adds the chart appendix to Word and PDF (off by default)."""
    if fmt not in FORMATS:
        raise ExportError(f"不支持的格式“{fmt}”，可用：{'、'.join(FORMATS)}。")
    if fmt in ("docx", "pdf"):
        return {"docx": to_docx, "pdf": to_pdf}[fmt](data, with_charts=charts)
    return {"json": to_json, "csv": to_csv, "xlsx": to_xlsx}[fmt](data)


def filename(data: ReportData, fmt: str) -> str:
    return f"{data.organ.code}-{data.year}-annual-report.{fmt}"
