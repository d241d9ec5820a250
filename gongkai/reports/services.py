"""Writes: the office edits its report; sending it for publication makes a Record of genre 年度报告.

The report is published like any other record: ``report_submit`` creates (or
updates) a draft Record of genre ``annual_report`` through the records
services and submits it to the organ's review queue (先审查后公开); a
reviewer approves and publishes it in the workspace. Figures and prose are
frozen in ``AnnualReport.snapshot`` at submission, so what was reviewed is
what the public sees.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from gongkai.core.audit import audit_log
from gongkai.core.models import AuditEventType, Organ
from gongkai.core.permissions import Perm, can, require
from gongkai.records import services as record_services
from gongkai.records.models import CatalogEntry, Genre, Status

from . import selectors, tables
from .layout import table_context
from .models import AnnualReport

LOCKED_STATUSES = (Status.SUBMITTED, Status.APPROVED, Status.SCHEDULED, Status.PUBLISHED, Status.FILED)


class ReportError(Exception):
    """The report cannot be saved or sent; the message says why, in Chinese."""


def report_lock_reason(report: AnnualReport | None) -> str | None:
    """Why the report can no longer be edited, or None."""
    if report is None or report.record_id is None or report.record is None:
        return None
    status = report.record.status
    if status == Status.PUBLISHED:
        return "报告已发布，不能再修改；如需更正，请撤回后重新提交审核。"
    if status in LOCKED_STATUSES:
        return f"报告已提交发布，当前状态为“{report.record.get_status_display()}”，审核退回后才能修改。"
    return None


def _check_year(year: int) -> None:
    if not 2019 <= year <= 2100:
        raise ReportError("报告年度应在2019年至2100年之间。")


def _clean_entries(entries: dict[str, str], sources: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    problems, kept, kept_sources = [], {}, {}
    for key, raw in entries.items():
        if key not in tables.KEY_SET:
            problems.append(f"未知的表格单元格“{key}”。")
            continue
        text = (raw or "").strip()
        if text == "":
            continue
        try:
            value = tables.parse_entry(key, text)
        except ValueError as exc:
            problems.append(str(exc))
            continue
        source = (sources.get(key) or "").strip()
        if not source:
            problems.append(f"请为{tables.cell_label(key)}写明数据来源（例如“市场监管综合执法系统年度统计”）。")
        kept[key] = tables.fmt(value) if isinstance(value, Decimal) else str(value)
        kept_sources[key] = source[:200]
    if problems:
        raise ReportError("；".join(problems))
    return kept, kept_sources


@transaction.atomic
def report_save(
    *, actor, organ: Organ, year: int, overview: str = "", problems: str = "", other_matters: str = "",
    entries: dict[str, str] | None = None, sources: dict[str, str] | None = None,
    include_subordinates: bool = False,
) -> AnnualReport:
    """Save the prose and the entered figures (all or nothing)."""
    require(actor, Perm.ORGAN_OVERSEE, organ)
    _check_year(year)
    report = AnnualReport.objects.select_for_update(of=("self",)).select_related("record").filter(organ=organ, year=year).first()
    reason = report_lock_reason(report)
    if reason:
        raise ReportError(reason)
    clean, clean_sources = _clean_entries(entries or {}, sources or {})
    if report is None:
        report = AnnualReport(organ=organ, year=year)
    report.overview = (overview or "").strip()
    report.problems = (problems or "").strip()
    report.other_matters = (other_matters or "").strip()
    report.entries = clean
    report.sources = clean_sources
    report.include_subordinates = bool(include_subordinates)
    report.updated_by = actor
    report.full_clean(exclude=["record", "updated_by"])
    report.save()
    return report


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in (text or "").splitlines() if p.strip()]


def snapshot_of(data: selectors.ReportData) -> dict[str, Any]:
    report = data.report
    return {
        "values": {k: (tables.fmt(v) if isinstance(v, Decimal) else v) for k, v in data.values.items()},
        "sources": dict(data.sources),
        "prose": {name: getattr(report, name, "") for name in tables.PROSE_SECTIONS.values()},
        "monthly": list(data.monthly),
        "include_subordinates": data.include_subordinates,
        "organs": [o.name for o in data.organs],
        "notes": list(data.notes),
        "taken_at": timezone.now().isoformat(),
    }


def record_body(data: selectors.ReportData) -> str:
    """The report as the HTML body of its Record (tables in the national layout, prose)."""
    return render_to_string("reports/record_body.html", {
        "data": data, "slug": f"{data.organ.code}-{data.year}", **table_context(data), "paragraphs": {
        name: _paragraphs(data.prose(name)) for name in tables.PROSE_SECTIONS.values()}})


def submit_failure_reason(*, actor, report: AnnualReport | None, data: selectors.ReportData) -> str | None:
    if report is None:
        return "请先填写并保存报告。"
    if not can(actor, Perm.ORGAN_OVERSEE, report.organ):
        return "您没有在该机关编制年度报告的权限。"
    reason = report_lock_reason(report)
    if reason:
        return reason
    if not data.year_over and report.early_submission_allowed_at is None:
        return (f"{data.year}年度尚未结束，统计期限至{data.year}年12月31日，年度结束后才能提交发布；"
                "确需提前提交的，须由平台管理员在本页写明理由后允许。")
    if data.errors:
        return "表格数据存在勾稽错误，不能提交发布：" + "；".join(e.message for e in data.errors[:5])
    missing = [f"“{tables.section_heading(n)}”" for n, name in tables.PROSE_SECTIONS.items() if not getattr(report, name).strip()]
    if missing:
        return "请填写" + "、".join(missing) + "后再提交发布。"
    undocumented = [tables.cell_label(d.key) for d in data.discrepancies if not data.sources.get(d.key)]
    if undocumented:
        return "以下填报数据与平台统计不一致且未说明来源：" + "、".join(undocumented)
    if data.unentered:
        return ("以下数据平台无法统计，请填报，本年没有的请勾选“确认为0”：" +
                "、".join(tables.cell_label(k) for k in data.unentered))
    return None


@transaction.atomic
def report_submit(*, actor, organ: Organ, year: int, on: dt.date | None = None) -> AnnualReport:
    """Freeze the report and send it through the normal review as a Record of genre 年度报告.

    The 公开办 drafts its organ's report (checked here: ``ORGAN_OVERSEE``); the
    record is submitted to review when the actor may also draft records there,
    else it stays a draft for the organ's editor to submit.
    """
    require(actor, Perm.ORGAN_OVERSEE, organ)
    report = AnnualReport.objects.select_for_update(of=("self",)).select_related("record", "organ").filter(
        organ=organ, year=year).first()
    on = on or timezone.localdate()
    data = selectors.report_data(organ, year, today=on)
    reason = submit_failure_reason(actor=actor, report=report, data=data)
    if reason:
        raise ReportError(reason)
    assert report is not None  # noqa: S101 - submit_failure_reason refuses a missing report
    genre = Genre.objects.filter(code="annual_report").first()
    if genre is None:
        raise ReportError("体裁“年度报告”不存在，请管理员在参考数据中添加（代码 annual_report）。")
    record_data = {
        "title": report.title, "genre": genre, "written_on": on, "body": record_body(data),
        "summary": f"报告{year}年主动公开政府信息、收到和处理政府信息公开申请、行政复议和行政诉讼等情况。",
        "keywords": "政府信息公开、年度报告",
    }
    entries = CatalogEntry.objects.filter(catalog__organ=organ, code="annual_reports")
    try:
        if report.record is None:
            record = record_services.record_create(actor=actor, organ=organ, data=record_data,
                                                   catalog_entries=list(entries), check_permission=False)
        else:
            record = record_services.record_update(actor=actor, record=report.record, data=record_data)
        if can(actor, Perm.RECORD_DRAFT, organ):
            record = record_services.record_submit(actor=actor, record=record)
    except (record_services.RecordActionError, PermissionDenied) as exc:
        raise ReportError(str(exc)) from exc
    report.record = record
    report.snapshot = snapshot_of(data)
    report.submitted_at = timezone.now()
    report.updated_by = actor
    report.save(update_fields=["record", "snapshot", "submitted_at", "updated_by", "updated_at"])
    return report


@transaction.atomic
def report_allow_early_submission(*, actor, organ: Organ, year: int, reason: str,
                                  on: dt.date | None = None) -> AnnualReport:
    """Let a report be sent before its year ends: a platform admin's explicit, reasoned, audited decision."""
    if not getattr(actor, "is_superuser", False):
        raise PermissionDenied("只有平台管理员可以允许在年度结束前提交年度报告。")
    reason = (reason or "").strip()
    if not reason:
        raise ReportError("请写明允许在年度结束前提交的理由。")
    on = on or timezone.localdate()
    if on > tables.year_bounds(year)[1]:
        raise ReportError(f"{year}年度已经结束，无需允许提前提交。")
    report = AnnualReport.objects.select_for_update(of=("self",)).filter(organ=organ, year=year).first()
    if report is None:
        raise ReportError("请先填写并保存报告。")
    before = [report.early_submission_reason, None]
    report.early_submission_allowed_by = actor
    report.early_submission_allowed_at = timezone.now()
    report.early_submission_reason = reason[:300]
    report.save(update_fields=["early_submission_allowed_by", "early_submission_allowed_at",
                               "early_submission_reason", "updated_at"])
    audit_log(actor=actor, event_type=AuditEventType.REPORT_EARLY_SUBMISSION_ALLOWED, obj=report, organ=organ,
              changes={"early_submission_reason": [before[0], report.early_submission_reason]}, note=reason[:300])
    return report
