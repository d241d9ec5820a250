"""Staff pages (edit, drill down, roll-up, compliance monitor, files) and the public report page.

Each view checks access through ``gongkai.core.permissions`` (``ORGAN_OVERSEE``),
validates a form, calls one service, adds a message and redirects.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.core.models import Organ
from gongkai.core.permissions import Perm, organs_where, require, staff_required
from gongkai.participation.selectors.consultations import participation_figures
from gongkai.participation.selectors.messages import message_year_figures
from gongkai.records.models import Record

from . import exports, forms, monitor, selectors, services, stored, tables
from .layout import table_context
from .models import AnnualReport


def _organ(user, code: str) -> Organ:
    organ = get_object_or_404(Organ, code=code)
    require(user, Perm.ORGAN_OVERSEE, organ)
    return organ


def split_slug(slug: str) -> tuple[str, int]:
    """``机关代码-年度`` → (code, year); 404 unless the year is 2019–2100."""
    code, _, year = slug.rpartition("-")
    if not code or not year.isdigit() or not 2019 <= int(year) <= 2100:
        raise Http404("报告地址应为“机关代码-年度”，年度在2019年至2100年之间。")
    return code, int(year)


def slug_for(organ: Organ, year: int) -> str:
    return f"{organ.code}-{year}"


def _staff_report(request, slug: str) -> tuple[Organ, int]:
    code, year = split_slug(slug)
    return _organ(request.user, code), year


def default_year() -> int:
    return timezone.localdate().year - 1


@staff_required
def index(request):
    organs = selectors.tree_order(organs_where(request.user, Perm.ORGAN_OVERSEE))
    if not organs:
        raise PermissionDenied("年度报告由公开办编制；您的账号没有公开办角色。")
    form = forms.YearForm(request.GET or None)
    year = form.cleaned_data["year"] if form.is_valid() else default_year()
    reports = {r.organ_id: r for r in AnnualReport.objects.filter(organ__in=organs, year=year).select_related("record")}
    published = selectors.published_reports(organs, year)
    public_ids = set(Record.objects.public().filter(pk__in=[r.record_id for r in reports.values() if r.record_id])
                     .values_list("pk", flat=True))
    today = timezone.localdate()
    rows = []
    for o in organs:
        deadline = selectors.deadline_for(o, year)
        record = published.get(o.pk)
        report = reports.get(o.pk)
        public_url = ""
        if report is not None and report.record_id in public_ids:
            state, public_url = "已发布", reverse("reports:public", kwargs={"slug": slug_for(o, year)})
        elif record:
            state, public_url = "专栏中有平台外编制的报告", record.get_absolute_url()
        elif report and report.record_id:
            state = report.record.get_status_display()
        elif report:
            state = "编写中"
        else:
            state = "未开始"
        rows.append({"organ": o, "slug": slug_for(o, year), "deadline": deadline, "state": state, "record": record,
                     "public_url": public_url, "overdue": not public_url and today > deadline})
    return render(request, "reports/index.html", {"rows": rows, "year": year, "form": form})


@staff_required
def edit(request, slug: str):
    organ, year = _staff_report(request, slug)
    report = AnnualReport.objects.filter(organ=organ, year=year).select_related("record").first()
    initial = {name: getattr(report, name) for name in ("overview", "problems", "other_matters",
                                                        "include_subordinates")} if report else {}
    kw = {"entries": report.entries if report else {}, "sources": report.sources if report else {}}
    if request.method == "POST":
        form = forms.ReportForm(request.POST, **kw)
        if form.is_valid():
            entries, sources = form.entries()
            try:
                services.report_save(
                    actor=request.user, organ=organ, year=year, entries=entries, sources=sources,
                    **{k: form.cleaned_data[k] for k in ("overview", "problems", "other_matters",
                                                          "include_subordinates")})
            except services.ReportError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, "年度报告已保存。")
                return redirect("reports:edit", slug=slug)
    else:
        form = forms.ReportForm(initial=initial, **kw)
    data = selectors.report_data(organ, year)
    previous = data.previous_report
    return render(request, "reports/edit.html", {
        "organ": organ, "year": year, "slug": slug, "data": data, "report": report, "form": form,
        "lock_reason": services.report_lock_reason(report),
        "submit_reason": services.submit_failure_reason(actor=request.user, report=report, data=data),
        "previous_report": previous, "drill": reverse("reports:cell", kwargs={"slug": slug}) + "?key=", "compare": data.previous is not None,
        "formats": exports.FORMATS, **table_context(data), "t2_rows": form.t2_rows(data.computed.values),
        "discrepancies": [{"message": d.message, "source": data.sources.get(d.key, "")} for d in data.discrepancies],
        "fees_sentence": selectors.fees_sentence(data.organs, year),
        "participation_sentence": participation_figures(organs=data.organs, year=year).sentence(),
        "messages_sentence": message_year_figures(organs=data.organs, year=year).sentence(),
        "early_form": forms.EarlySubmissionForm() if request.user.is_superuser and data.preview and report else None,
    })


@staff_required
@require_POST
def submit(request, slug: str):
    organ, year = _staff_report(request, slug)
    try:
        report = services.report_submit(actor=request.user, organ=organ, year=year)
    except services.ReportError as exc:
        messages.error(request, str(exc))
    else:
        if report.record.status == "draft":
            messages.success(request, f"已生成待发布的信息“{report.record.title}”（草稿），请本机关信息员提交保密审查。")
        else:
            messages.success(request, f"已提交保密审查：“{report.record.title}”。审核通过并发布后，报告出现在本机关的政府信息公开专栏。")
    return redirect("reports:edit", slug=slug)


@staff_required
@require_POST
def allow_early(request, slug: str):
    """A platform admin lets a report be sent before its year ends (reason required, audited)."""
    organ, year = _staff_report(request, slug)
    form = forms.EarlySubmissionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        return redirect("reports:edit", slug=slug)
    try:
        services.report_allow_early_submission(actor=request.user, organ=organ, year=year,
                                               reason=form.cleaned_data["reason"])
    except services.ReportError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已允许在{year}年度结束前提交本报告，理由已记入操作记录。")
    return redirect("reports:edit", slug=slug)


@staff_required
def cell(request, slug: str):
    organ, year = _staff_report(request, slug)
    key = request.GET.get("key", "")
    if key not in tables.KEY_SET:
        raise Http404("没有这个单元格。")
    data = selectors.report_data(organ, year)
    found = selectors.drill_down(data, key)
    return render(request, "reports/cell.html", {
        "organ": organ, "year": year, "slug": slug, "data": data, "key": key, "label": tables.cell_label(key),
        "value": tables.fmt(data.values[key]), "computed": tables.fmt(data.computed.values[key]),
        "entered": key in data.entries or key in tables.T2_ENTERED_KEYS, "source": data.sources.get(key, ""), **found,
        "date_note": tables.audit_dated_note(key, data.computed.audit_dated[key]) if key in data.computed.audit_dated else "",
    })


@staff_required
def download(request, slug: str):
    organ, year = _staff_report(request, slug)
    fmt = request.GET.get("format", "")
    if fmt in stored.SLOW_FORMATS:  # LibreOffice and Word files on demand: limited per user
        throttle = stored.staff_throttle()
        if throttle.is_limited(str(request.user.pk)):
            return HttpResponse("生成文件过于频繁，请稍后再试。", status=429, content_type="text/plain; charset=utf-8")
        throttle.hit(str(request.user.pk))
    data = selectors.report_data(organ, year, frozen=request.GET.get("live") != "1")
    return _file(data, fmt, charts=request.GET.get("charts") == "1")


def _file(data, fmt: str, *, charts: bool = False) -> HttpResponse:
    if fmt not in exports.FORMATS:
        raise Http404("不支持的格式。")
    try:
        blob = exports.export(data, fmt, charts=charts)
    except exports.ExportError as exc:
        return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(blob, content_type=exports.CONTENT_TYPES[fmt])
    disposition = "inline" if fmt in ("json", "pdf") else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{exports.filename(data, fmt)}"'
    return response


@staff_required
def rollup(request, slug: str):
    organ, year = _staff_report(request, slug)
    rows = selectors.rollup(organ, year, today=timezone.localdate())
    return render(request, "reports/rollup.html", {
        "organ": organ, "year": year, "slug": slug, "rows": rows,
        "missing": sum(1 for r in rows if r.overdue), "published": sum(1 for r in rows if r.published_on)})


@staff_required
def monitor_page(request, code: str):
    """All indicators, or with ``?indicator=`` the list behind one."""
    organ = _organ(request.user, code)
    today = timezone.localdate()
    indicator = request.GET.get("indicator")
    if indicator is None:
        message_rows, message_total = monitor.message_figures(organ, today=today)
        return render(request, "reports/monitor.html", {
            "organ": organ, "today": today, "indicators": monitor.indicators(organ, today=today),
            "message_rows": message_rows, "message_total": message_total})
    if indicator not in monitor.CODES:
        raise Http404("没有这个指标。")
    return render(request, "reports/monitor_list.html", {
        "organ": organ, "today": today, "ind": monitor.indicator(organ, indicator, today=today)})


# -- public --------------------------------------------------------------------------------------


def public(request, slug: str):
    """The published report with interactive charts: only once its record is public (the one door)."""
    code, year = split_slug(slug)
    report = selectors.public_report(code, year)
    if report is None:
        raise Http404("该年度报告尚未公开。")
    data = selectors.report_data(report.organ, year, frozen=True)
    return render(request, "reports/public.html", {
        "report": report, "data": data, "record": report.record, "slug": slug, "formats": ("pdf", "docx", "xlsx", "csv", "json"),
        "paragraphs": {name: [p for p in data.prose(name).splitlines() if p.strip()]
                       for name in tables.PROSE_SECTIONS.values()},
        **table_context(data)})


def public_file(request, slug: str):
    code, year = split_slug(slug)
    report = selectors.public_report(code, year)
    if report is None:
        raise Http404("该年度报告尚未公开。")
    fmt, charts = request.GET.get("format", ""), request.GET.get("charts") == "1"
    if fmt not in stored.SLOW_FORMATS:
        return _file(selectors.report_data(report.organ, year, frozen=True), fmt, charts=charts)
    data = selectors.report_data(report.organ, year, frozen=True)
    try:
        blob = stored.published_file(report, fmt, charts=charts)  # made once, then served stored
    except exports.ExportError as exc:
        return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(blob, content_type=exports.CONTENT_TYPES[fmt])
    disposition = "inline" if fmt == "pdf" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{exports.filename(data, fmt)}"'
    return response
