"""The ledger (工作台账) as an Excel workbook, in the layout offices already keep."""

from __future__ import annotations

import datetime as dt
import io

from .models import Publication, TaskUnit, UnitRole, WorkPlan
from .selectors import ledger

HEADERS = ["序号", "工作任务", "具体内容", "牵头单位", "责任单位", "配合单位", "完成时限", "完成状态", "进展情况", "最近报送"]
WIDTHS = [8, 36, 60, 22, 28, 18, 20, 10, 60, 12]


def _names(units: list[TaskUnit], role: str) -> str:
    return "、".join(u.name for u in units if u.role == role)


def ledger_xlsx(plan: WorkPlan, today: dt.date) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = "工作台账"
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    sheet.append([f"{plan.title}工作台账"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append([f"导出日期：{today:%Y年%m月%d日}"])
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(HEADERS))
    sheet.append(HEADERS)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE6F0")
        cell.border = border
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for task in ledger(plan):
        units = list(task.units.all())
        reports = sorted(task.reports.all(), key=lambda r: (r.reported_on, r.pk))
        progress = "\n".join(f"{r.reported_on:%m-%d} {r.organ.display_name}：{r.text}"
                             + ("（已公开）" if r.publication == Publication.APPROVED else "") for r in reports)
        indent = "　" * task.depth
        row = [
            f"{indent}{task.number}" if task.number else "",
            f"{indent}{task.title}",
            task.text,
            _names(units, UnitRole.LEAD),
            _names(units, UnitRole.RESPONSIBLE),
            _names(units, UnitRole.COOPERATING),
            "；".join(task.deadline_labels()) or (f"{task.effective_due():%Y-%m-%d}前" if task.is_tracked and task.effective_due() else ""),
            task.display_status(today) if task.is_tracked else "—",
            progress,
            f"{reports[-1].reported_on:%Y-%m-%d}" if reports else "",
        ]
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            cell.alignment = wrap
            cell.border = border
        if not task.is_tracked:
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
    for idx, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(idx)].width = width
    sheet.freeze_panes = "C4"
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()
