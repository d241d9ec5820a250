"""Staff back office. Each view: check access, validate a form, call one service, message, redirect."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.applications.selectors import desk as application_desk
from gongkai.core.calendar import calendar_next_year_notice
from gongkai.core.models import AuditEvent
from gongkai.core.permissions import Perm, can, organs_where, staff_required
from gongkai.records import selectors, services
from gongkai.records.models import Attachment, Record, Status, ValidityChange

from . import forms


def _visible_record(user, pk: int) -> Record:
    """A record the user may see in the workspace; others are 404 (their existence is not revealed)."""
    return get_object_or_404(
        selectors.workspace_records(user).select_related("organ", "genre", "topic", "created_by"), pk=pk
    )


def _fail(request, exc: Exception):
    messages.error(request, str(exc))


def _form_errors(request, form) -> None:
    """Show every error of a form posted from the record page as a message (the page redisplays)."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


@staff_required
def home(request):
    user = request.user
    context = {
        "drafts": selectors.my_drafts(user).select_related("organ")[:10],
        "queue": selectors.review_queue(user).select_related("organ")[:10],
        "queue_count": selectors.review_queue(user).count(),
        "organs": organs_where(user, Perm.RECORD_VIEW),
        "memberships": user.memberships.select_related("organ"),
        "application_desk": application_desk(user, today=timezone.localdate()),
        "calendar_notice": (
            calendar_next_year_notice(today=timezone.localdate()) if user.is_superuser else None
        ),
    }
    return render(request, "workspace/home.html", context)


@staff_required
def record_list(request, scope: str = "all"):
    user = request.user
    organs = organs_where(user, Perm.RECORD_VIEW)
    if scope == "review":
        records = selectors.review_queue(user)
        title = "待审核"
    elif scope == "mine":
        records = selectors.my_drafts(user)
        title = "我的草稿"
    else:
        records = selectors.workspace_records(user)
        title = "信息管理"
    form = forms.RecordFilterForm(request.GET or None, organs=organs)
    sort = "-updated_at"
    if form.is_valid():
        data = form.cleaned_data
        if data.get("q"):
            records = records.filter(Q(title__icontains=data["q"]) | Q(doc_no__icontains=data["q"]) | Q(index_no__icontains=data["q"]))
        for key in ("status", "attribute", "organ", "genre"):
            if data.get(key):
                records = records.filter(**{key: data[key]})
        sort = data.get("sort") or sort
    records = records.select_related("organ", "genre").order_by(sort, "-id")
    page = Paginator(records, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "workspace/record_list.html",
                  {"page": page, "form": form, "title": title, "scope": scope, "query": query.urlencode()})


@staff_required
def record_create(request):
    organs = organs_where(request.user, Perm.RECORD_DRAFT)
    if not organs.exists():
        raise PermissionDenied("您没有任何机关的起草权限。")
    form = forms.RecordForm(request.POST or None, organs=organs, initial={"organ": organs.first()})
    if request.method == "POST" and form.is_valid():
        try:
            record = services.record_create(
                actor=request.user, organ=form.cleaned_data["organ"], data=form.record_data(),
                issuers=form.cleaned_data["issuers"], catalog_entries=form.cleaned_data["catalog_entries"],
            )
        except services.RecordActionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已保存草稿，索引号 {record.index_no}。")
            return redirect("workspace:record", pk=record.pk)
    return render(request, "workspace/record_form.html", {"form": form, "title": "新建信息"})


@staff_required
def record_edit(request, pk: int):
    record = _visible_record(request.user, pk)
    if not can(request.user, Perm.RECORD_DRAFT, record.organ):
        raise PermissionDenied("您没有修改该机关信息的权限。")
    if not record.is_editable:
        messages.error(request, f"“{record.get_status_display()}”状态的信息不能修改。")
        return redirect("workspace:record", pk=record.pk)
    organs = organs_where(request.user, Perm.RECORD_DRAFT)
    form = forms.RecordForm(request.POST or None, instance=record, organs=organs,
                            initial={"issuers": record.issuers.all(), "catalog_entries": record.catalog_entries.all()})
    if request.method == "POST" and form.is_valid():
        try:
            services.record_update(actor=request.user, record=record, data=form.record_data(),
                                   issuers=form.cleaned_data["issuers"], catalog_entries=form.cleaned_data["catalog_entries"])
        except services.RecordActionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "已保存。")
            return redirect("workspace:record", pk=record.pk)
    return render(request, "workspace/record_form.html", {"form": form, "title": f"修改：{record.title}", "record": record})


@staff_required
def record_detail(request, pk: int):
    record = _visible_record(request.user, pk)
    user = request.user
    review_reason = services.record_review_failure_reason(actor=user, record=record)
    pending_validity = list(record.validity_changes.filter(decided_at__isnull=True).select_related("requested_by", "superseded_by"))
    context = {
        "record": record,
        "attachments": record.attachments.all(),
        "reviews": record.reviews.select_related("reviewer"),
        "history": AuditEvent.objects.for_object(record).select_related("actor")[:50],
        "can_edit": record.is_editable and can(user, Perm.RECORD_DRAFT, record.organ),
        "submit_reason": services.record_submit_failure_reason(actor=user, record=record),
        "can_review": review_reason is None,
        "review_reason": review_reason if can(user, Perm.RECORD_REVIEW, record.organ) else None,
        "can_publish": record.status in (Status.APPROVED, Status.SCHEDULED) and can(user, Perm.RECORD_PUBLISH, record.organ),
        "can_withdraw": record.status in (Status.PUBLISHED, Status.SCHEDULED) and can(user, Perm.RECORD_WITHDRAW, record.organ),
        "can_validity": can(user, Perm.RECORD_DRAFT, record.organ) or can(user, Perm.RECORD_REVIEW, record.organ),
        "can_file": can(user, Perm.RECORD_DRAFT, record.organ),
        "catalog_entries": list(record.catalog_entries.order_by("order", "id")),
        "review_form": forms.ReviewForm(initial={"attribute_confirmed": record.proposed_attribute or record.attribute}),
        "publish_form": forms.PublishForm(),
        "withdraw_form": forms.WithdrawForm(),
        "attachment_form": forms.AttachmentForm(),
        "validity_form": forms.ValidityForm(record=record, initial={
            "validity": record.validity, "superseded_by": record.superseded_by_id, "valid_until": record.valid_until}),
        "interpretations": record.interpretations.all(),
        "pending_validity": pending_validity,
        "validity_decide_reason": (
            services.record_validity_change_failure_reason(actor=user, change=pending_validity[0])
            if pending_validity else None
        ),
    }
    return render(request, "workspace/record_detail.html", context)


@staff_required
@require_POST
def record_submit(request, pk: int):
    record = _visible_record(request.user, pk)
    try:
        services.record_submit(actor=request.user, record=record)
        messages.success(request, "已提交审核。")
    except services.RecordActionError as exc:
        _fail(request, exc)
    return redirect("workspace:record", pk=pk)


@staff_required
@require_POST
def record_review(request, pk: int):
    record = _visible_record(request.user, pk)
    form = forms.ReviewForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("workspace:record", pk=pk)
    data = form.cleaned_data
    try:
        services.record_review(
            actor=request.user, record=record, decision=data["decision"],
            confidentiality_opinion=data["confidentiality_opinion"], attribute_confirmed=data["attribute_confirmed"],
            comment=data["comment"], publish=data["publish"], publish_at=data.get("publish_at"),
        )
        messages.success(request, "审核意见已记录。")
    except services.RecordActionError as exc:
        _fail(request, exc)
    return redirect("workspace:record", pk=pk)


@staff_required
@require_POST
def record_publish(request, pk: int):
    record = _visible_record(request.user, pk)
    form = forms.PublishForm(request.POST)
    if form.is_valid():
        at = form.cleaned_data["publish_at"] if form.cleaned_data["publish"] == "schedule" else None
        try:
            services.record_publish(actor=request.user, record=record, at=at)
            messages.success(request, "已定时发布。" if at else "已发布。")
        except services.RecordActionError as exc:
            _fail(request, exc)
    else:
        _form_errors(request, form)
    return redirect("workspace:record", pk=pk)


@staff_required
@require_POST
def record_withdraw(request, pk: int):
    record = _visible_record(request.user, pk)
    form = forms.WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.record_withdraw(actor=request.user, record=record, reason=form.cleaned_data["reason"])
            messages.success(request, "已撤回。公开页面只显示撤回说明。")
        except services.RecordActionError as exc:
            _fail(request, exc)
    else:
        messages.error(request, "请填写撤回原因。")
    return redirect("workspace:record", pk=pk)


@staff_required
@require_POST
def record_validity(request, pk: int):
    record = _visible_record(request.user, pk)
    form = forms.ValidityForm(request.POST, record=record)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.record_set_validity(actor=request.user, record=record, validity=data["validity"],
                                         superseded_by=data["superseded_by"], valid_until=data["valid_until"], note=data["note"])
            messages.success(request, "有效性已更新。" if record.is_editable else "已提交有效性变更申请，须由另一位审核人审批。")
        except services.RecordActionError as exc:
            _fail(request, exc)
    else:
        messages.error(request, "有效性表单填写有误。")
    return redirect("workspace:record", pk=pk)


@staff_required
@require_POST
def record_validity_decide(request, pk: int):
    change = get_object_or_404(ValidityChange.objects.select_related("record"), pk=pk)
    record = _visible_record(request.user, change.record_id)
    approve = request.POST.get("approve") == "1"
    try:
        services.record_validity_change_decide(actor=request.user, change=change, approve=approve,
                                               comment=request.POST.get("comment", ""))
        messages.success(request, "有效性已更新。" if approve else "已不同意这项有效性变更。")
    except services.RecordActionError as exc:
        _fail(request, exc)
    return redirect("workspace:record", pk=record.pk)


@staff_required
@require_POST
def record_delete(request, pk: int):
    record = _visible_record(request.user, pk)
    try:
        services.record_delete_draft(actor=request.user, record=record)
        messages.success(request, "草稿已删除。")
        return redirect("workspace:records_mine")
    except services.RecordActionError as exc:
        _fail(request, exc)
        return redirect("workspace:record", pk=pk)


@staff_required
@require_POST
def attachment_add(request, pk: int):
    record = _visible_record(request.user, pk)
    form = forms.AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.attachment_add(actor=request.user, record=record, file=data["file"], name=data["name"],
                                    withheld=data["withheld"], withheld_reason=data["withheld_reason"])
            messages.success(request, "附件已上传。")
        except services.RecordActionError as exc:
            _fail(request, exc)
    else:
        _form_errors(request, form)
    return redirect("workspace:record", pk=pk)


def _visible_attachment(user, pk: int) -> Attachment:
    attachment = get_object_or_404(Attachment.objects.select_related("record__organ"), pk=pk)
    if not selectors.workspace_records(user).filter(pk=attachment.record_id).exists():
        raise Http404
    return attachment


@staff_required
@require_POST
def attachment_remove(request, pk: int):
    attachment = _visible_attachment(request.user, pk)
    try:
        services.attachment_remove(actor=request.user, attachment=attachment)
        messages.success(request, "附件已删除。")
    except services.RecordActionError as exc:
        _fail(request, exc)
    return redirect("workspace:record", pk=attachment.record_id)


@staff_required
@require_POST
def attachment_withhold(request, pk: int):
    attachment = _visible_attachment(request.user, pk)
    withheld = request.POST.get("withheld") == "1"
    try:
        services.attachment_set_withheld(actor=request.user, attachment=attachment, withheld=withheld,
                                         reason=request.POST.get("reason", ""))
        attachment.refresh_from_db()
        if not withheld and attachment.withheld:
            messages.success(request, "已申请将附件转为公开，须由另一位审核人确认。")
        else:
            messages.success(request, "附件公开方式已更新。")
    except services.RecordActionError as exc:
        _fail(request, exc)
    return redirect("workspace:record", pk=attachment.record_id)


@staff_required
def attachment_download(request, pk: int):
    attachment = _visible_attachment(request.user, pk)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)


@staff_required
def redetermination(request):
    organs = organs_where(request.user, Perm.RECORD_REDETERMINE)
    candidates = services.redetermination_candidates(organs).select_related("organ", "genre").order_by("-written_on", "-id")
    form = forms.RedeterminationForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                done = services.record_request_redetermination(
                    actor=request.user, records=form.cleaned_data["records"], reason=form.cleaned_data["reason"])
            messages.success(request, f"已将{len(done)}条信息提交审核，拟转为主动公开。")
            return redirect("workspace:redetermination")
        except services.RecordActionError as exc:
            form.add_error(None, str(exc))
    page = Paginator(candidates, 50).get_page(request.GET.get("page"))
    return render(request, "workspace/redetermination.html", {"form": form, "page": page})
