"""The handler queue as CSV: the queue's own filters, personal data masked unless the handler
asks for it with a reason, every export audited, and no cell a spreadsheet would run.

Spreadsheet programs (Excel, WPS) treat a cell starting with ``= + - @`` (or a tab or carriage
return before one) as a formula; an applicant who writes ``=HYPERLINK(...)`` as their name
would otherwise run it on the handler's machine. Such cells get a leading apostrophe (OWASP,
"CSV Injection").
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import Any

from django.db import transaction

from gongkai.core.audit import audit_log
from gongkai.core.models import AuditEventType

from ..models import Application
from .base import ApplicationActionError

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HEADER = ["查询码", "机关", "申请人类型", "申请人", "证件号码", "联系电话", "所需信息", "收到申请之日", "答复期限", "状态",
          "办结日期"]


def csv_cell(value: Any) -> str:
    """``value`` as a CSV cell a spreadsheet shows as text (never evaluates)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Echo:
    def write(self, value: str) -> str:
        return value


@transaction.atomic
def applications_export(
    *, actor, applications, filters: dict[str, Any], full_for: Iterable[int] = (), reason: str = "",
) -> Iterator[str]:
    """Audit the export of ``applications`` and return its CSV lines (with a BOM for Excel).

    ``full_for`` are the organ ids whose applicants' names, ID numbers and phone numbers go out
    in full; it needs a ``reason``. Everyone else's are masked.
    """
    full = set(full_for)
    if full and not reason.strip():
        raise ApplicationActionError("导出完整的申请人个人信息须写明理由。")
    apps = list(applications.select_related("organ"))
    shown = sum(1 for a in apps if a.organ_id in full)
    audit_log(actor=actor, event_type=AuditEventType.APPLICANT_DATA_EXPORTED, obj=actor,
              changes={"filters": {k: str(v) for k, v in filters.items() if v not in (None, "")},
                       "rows": len(apps), "unmasked_rows": shown},
              note=("导出申请列表（含完整个人信息）：" + reason.strip()) if shown else "导出申请列表（个人信息已掩码）")
    return _lines(apps, full)


def _lines(apps: list[Application], full: set[int]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(HEADER)
    for a in apps:
        see = a.organ_id in full
        yield writer.writerow([csv_cell(v) for v in (
            a.tracking_code, a.organ.name, a.get_applicant_kind_display(),
            a.name if see else a.masked_name, a.id_number if see else a.masked_id,
            a.phone if see else a.masked_phone, a.title, a.receipt_date, a.due_date or "",
            a.get_clock_state_display(), a.closed_on or "",
        )])
