"""Staff pages of meetings and registrations, the concerns ledger and the decision catalog."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.core.models import AuditEvent
from gongkai.core.params import pk_param
from gongkai.core.permissions import Perm, can, organs_where, staff_required
from gongkai.records.models import Record

from ..errors import ParticipationActionError
from ..forms import meetings as forms
from ..models import (
    CatalogStatus,
    Concern,
    Consultation,
    DecisionCatalog,
    DecisionItem,
    Meeting,
    MeetingStatus,
    Registration,
)
from ..selectors import meetings as sel
from ..services import concerns as concern_svc
from ..services import meetings as svc
from ..services.consultations import can_see_contact


def _organs(user):
    return (organs_where(user, Perm.RECORD_VIEW) | organs_where(user, Perm.RECORD_DRAFT)
            | organs_where(user, Perm.ORGAN_OVERSEE)).distinct()


def _pick_organ(request, perm: Perm):
    organs = organs_where(request.user, perm)
    if not organs.exists():
        raise PermissionDenied("您没有在任何机关执行此操作的权限。")
    chosen = pk_param(request.POST.get("organ") or request.GET.get("organ"))
    return organs, (organs.filter(pk=chosen).first() if chosen else None) or organs.first()


def _run(request, action, success: str, to: str, **kwargs):
    try:
        action()
    except ParticipationActionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, success)
    return redirect(to, **kwargs)


# -- meetings ---------------------------------------------------------------------------------------


def _meeting_for(user, pk: int) -> Meeting:
    meeting = get_object_or_404(Meeting.objects.select_related("organ"), pk=pk)
    if not _organs(user).filter(pk=meeting.organ_id).exists():
        raise Http404("没有找到这项会议活动。")
    return meeting


def _meeting_data(form) -> dict:
    data = {f: form.cleaned_data.get(f) for f in form.Meta.fields}
    pk = form.cleaned_data.get("consultation_id")
    data["consultation"] = Consultation.objects.filter(pk=pk).first() if pk else None
    return data


@staff_required
def meeting_list(request):
    meetings = Meeting.objects.filter(organ__in=_organs(request.user)).select_related("organ").order_by("-starts_at")
    reviewing = organs_where(request.user, Perm.RECORD_REVIEW)
    return render(request, "participation/staff/meeting_list.html", {
        "meetings": meetings[:200], "can_create": organs_where(request.user, Perm.RECORD_DRAFT).exists(),
        "review_meetings": Meeting.objects.filter(organ__in=reviewing, status=MeetingStatus.SUBMITTED)
        .select_related("organ").order_by("starts_at"),
        "review_catalogs": DecisionCatalog.objects.filter(organ__in=reviewing, status=CatalogStatus.SUBMITTED)
        .select_related("organ"),
    })


@staff_required
def meeting_create(request):
    organs, organ = _pick_organ(request, Perm.RECORD_DRAFT)
    form = forms.MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = svc.meeting_create(actor=request.user, organ=organ, data=_meeting_data(form))
        except ParticipationActionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "会议活动已保存（草稿）。")
            return redirect("participation_staff:meeting", pk=meeting.pk)
    return render(request, "participation/staff/meeting_form.html", {"form": form, "organs": organs, "organ": organ},
                  status=400 if form.errors else 200)


@staff_required
def meeting_edit(request, pk: int):
    meeting = _meeting_for(request.user, pk)
    form = forms.MeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            svc.meeting_update(actor=request.user, meeting=Meeting.objects.get(pk=pk), data=_meeting_data(form))
        except ParticipationActionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "已保存。")
            return redirect("participation_staff:meeting", pk=pk)
    return render(request, "participation/staff/meeting_form.html", {"form": form, "meeting": meeting},
                  status=400 if form.errors else 200)


@staff_required
def meeting_detail(request, pk: int):
    meeting = _meeting_for(request.user, pk)
    user = request.user
    return render(request, "participation/staff/meeting_detail.html", {
        "m": meeting,
        "registrations": meeting.registrations.select_related("decided_by"),
        "accepted": svc.accepted_count(meeting),
        "can_draft": can(user, Perm.RECORD_DRAFT, meeting.organ),
        "can_publish": can(user, Perm.RECORD_PUBLISH, meeting.organ),
        "show_contact": can_see_contact(user, meeting.organ),  # not the offices above
        "edit_problem": svc.meeting_update_failure_reason(actor=user, meeting=meeting),
        "submit_problem": svc.meeting_submit_failure_reason(actor=user, meeting=meeting),
        "review_problem": svc.meeting_review_failure_reason(actor=user, meeting=meeting),
        "review_form": forms.ReviewForm(),
        "history": list(AuditEvent.objects.for_object(meeting).select_related("actor")[:30]),
    })


@staff_required
@require_POST
def meeting_submit(request, pk: int):
    meeting = _meeting_for(request.user, pk)
    return _run(request, lambda: svc.meeting_submit(actor=request.user, meeting=meeting), "已提交审核。",
                "participation_staff:meeting", pk=pk)


@staff_required
@require_POST
def meeting_review(request, pk: int):
    meeting = _meeting_for(request.user, pk)
    form = forms.ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, next(iter(form.errors.values()))[0])
        return redirect("participation_staff:meeting", pk=pk)
    d = form.cleaned_data
    return _run(request, lambda: svc.meeting_review(actor=request.user, meeting=meeting, decision=d["decision"],
                                                    opinion=d["opinion"]),
                "审核通过，已发布。" if d["decision"] == "approved" else "已退回修改。",
                "participation_staff:meeting", pk=pk)


@staff_required
@require_POST
def meeting_cancel(request, pk: int):
    meeting = _meeting_for(request.user, pk)
    return _run(request, lambda: svc.meeting_cancel(actor=request.user, meeting=meeting,
                                                    reason=request.POST.get("reason", "")),
                "已取消，已通知报名人。", "participation_staff:meeting", pk=pk)


@staff_required
@require_POST
def registration_decide(request, pk: int, rid: int):
    meeting = _meeting_for(request.user, pk)
    registration = get_object_or_404(Registration, pk=rid, meeting=meeting)
    form = forms.DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择同意或不同意。")
        return redirect("participation_staff:meeting", pk=pk)
    accept = form.cleaned_data["accept"] == "1"
    return _run(request, lambda: svc.registration_decide(actor=request.user, registration=registration,
                                                         accept=accept, note=form.cleaned_data.get("note", "")),
                f"{registration.name}的报名已{'同意' if accept else '不同意'}。", "participation_staff:meeting", pk=pk)


# -- concerns ledger ------------------------------------------------------------------------------------


def _concern_organs(user):
    return (organs_where(user, Perm.RECORD_DRAFT) | organs_where(user, Perm.ORGAN_OVERSEE)).distinct()


@staff_required
def concern_list(request):
    organs = _concern_organs(request.user)
    if not organs.exists():
        raise PermissionDenied("您没有管理回应关切台账的权限。")
    status = request.GET.get("status", "")
    form = forms.ConcernForm(request.POST or None, initial={"received_on": timezone.localdate()})
    chosen = pk_param(request.POST.get("organ") or request.GET.get("organ"))
    organ = (organs.filter(pk=chosen).first() if chosen else None) or organs.first()
    if request.method == "POST" and form.is_valid():
        try:
            concern_svc.concern_create(actor=request.user, organ=organ,
                                       data={f: form.cleaned_data.get(f) for f in form.Meta.fields})
        except ParticipationActionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "已登记。")
            return redirect("participation_staff:concerns")
    return render(request, "participation/staff/concern_list.html", {
        "concerns": sel.concerns_for(organs, status=status)[:300], "status": status, "form": form,
        "organs": organs, "organ": organ, "today": timezone.localdate(), "respond_form": forms.ConcernRespondForm(),
    }, status=400 if form.errors else 200)


@staff_required
@require_POST
def concern_respond(request, pk: int):
    concern = get_object_or_404(Concern.objects.select_related("organ"), pk=pk)
    if not _concern_organs(request.user).filter(pk=concern.organ_id).exists():
        raise Http404("没有找到这项关切。")
    form = forms.ConcernRespondForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请写明回应情况。")
        return redirect("participation_staff:concerns")
    index_no = form.cleaned_data.get("index_no", "").strip()
    record = Record.objects.filter(index_no=index_no).first() if index_no else None
    if index_no and record is None:
        messages.error(request, f"没有找到索引号为“{index_no}”的信息。")
        return redirect("participation_staff:concerns")
    return _run(request, lambda: concern_svc.concern_respond(
        actor=request.user, concern=concern, note=form.cleaned_data["note"], record=record,
        close_without_response=form.cleaned_data.get("no_response", False)), "已登记回应情况。",
        "participation_staff:concerns")


# -- decision catalog ------------------------------------------------------------------------------------


@staff_required
def catalog_list(request):
    organs, organ = _pick_organ(request, Perm.RECORD_DRAFT)
    if request.method == "POST":
        try:
            year = int(request.POST.get("year", ""))
            catalog = concern_svc.decision_catalog_create(actor=request.user, organ=organ, year=year,
                                                          title=request.POST.get("title", ""))
        except ValueError:
            messages.error(request, "请填写年度，例如 2026。")
        except ParticipationActionError as exc:
            messages.error(request, str(exc))
        else:
            return redirect("participation_staff:catalog", pk=catalog.pk)
    return render(request, "participation/staff/catalog_list.html", {
        "catalogs": DecisionCatalog.objects.filter(organ__in=_organs(request.user)).select_related("organ"),
        "organs": organs, "organ": organ, "year": timezone.localdate().year})


def _catalog_for(user, pk: int) -> DecisionCatalog:
    catalog = get_object_or_404(DecisionCatalog.objects.select_related("organ"), pk=pk)
    if not _organs(user).filter(pk=catalog.organ_id).exists():
        raise Http404("没有找到这份目录。")
    return catalog


@staff_required
def catalog_detail(request, pk: int):
    catalog = _catalog_for(request.user, pk)
    form = forms.DecisionItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        consultation = Consultation.objects.filter(pk=d.get("consultation_id")).first() if d.get("consultation_id") else None
        record = Record.objects.filter(index_no=d.get("record_index_no")).first() if d.get("record_index_no") else None
        item = DecisionItem.objects.filter(pk=pk_param(request.POST.get("item")) or 0, catalog=catalog).first()
        try:
            concern_svc.decision_item_save(actor=request.user, catalog=catalog, item=item, data={
                "order": d.get("order") or 0, "title": d["title"], "basis": d.get("basis", ""),
                "planned": d.get("planned", ""), "status": d["status"], "consultation": consultation,
                "final_record": record, "lead_organ": catalog.organ})
        except ParticipationActionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "事项已保存。")
            return redirect("participation_staff:catalog", pk=pk)
    user = request.user
    return render(request, "participation/staff/catalog_detail.html", {
        "catalog": catalog, "items": catalog.items.select_related("consultation", "final_record"), "form": form,
        "item_problem": concern_svc.decision_item_failure_reason(actor=user, catalog=catalog),
        "submit_problem": concern_svc.decision_catalog_submit_failure_reason(actor=user, catalog=catalog),
        "review_problem": concern_svc.decision_catalog_review_failure_reason(actor=user, catalog=catalog),
        "review_form": forms.ReviewForm(),
        "history": list(AuditEvent.objects.for_object(catalog).select_related("actor")[:30]),
    }, status=400 if form.errors else 200)


@staff_required
@require_POST
def catalog_submit(request, pk: int):
    catalog = _catalog_for(request.user, pk)
    return _run(request, lambda: concern_svc.decision_catalog_submit(actor=request.user, catalog=catalog),
                "目录已提交审核。", "participation_staff:catalog", pk=pk)


@staff_required
@require_POST
def catalog_review(request, pk: int):
    catalog = _catalog_for(request.user, pk)
    form = forms.ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, next(iter(form.errors.values()))[0])
        return redirect("participation_staff:catalog", pk=pk)
    d = form.cleaned_data
    return _run(request, lambda: concern_svc.decision_catalog_review(
        actor=request.user, catalog=catalog, decision=d["decision"], opinion=d["opinion"]),
        "审核通过，目录已公布。" if d["decision"] == "approved" else "已退回修改。",
        "participation_staff:catalog", pk=pk)
