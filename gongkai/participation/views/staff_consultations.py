"""Staff pages of consultations under /workspace/participation/consultations/.

Each view checks access (a consultation of an organ where the user may at least view
records, else 404), validates a form, calls one service, adds a message and redirects.
"""

from __future__ import annotations

import os
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.core.models import AuditEvent
from gongkai.core.params import pk_param
from gongkai.core.permissions import Perm, can, organs_where, staff_required
from gongkai.records.models import Record

from .. import periods
from ..errors import ParticipationActionError
from ..forms import consultations as forms
from ..models import Comment, CommentModeration, Consultation, ConsultationStatus, FeedbackStatus
from ..selectors import consultations as sel
from ..services import consultations as svc


def _consultation_for(user, pk: int) -> Consultation:
    consultation = get_object_or_404(Consultation.objects.select_related("organ"), pk=pk)
    if not can(user, Perm.RECORD_VIEW, consultation.organ) and not can(user, Perm.RECORD_DRAFT, consultation.organ):
        raise Http404("没有找到这项意见征集。")
    return consultation


def _viewable_organs(user):
    return (organs_where(user, Perm.RECORD_VIEW) | organs_where(user, Perm.RECORD_DRAFT)).distinct()


@staff_required
def dashboard(request):
    organs = _viewable_organs(request.user)
    chosen = pk_param(request.GET.get("organ"))
    organ = organs.filter(pk=chosen).first() if chosen else None
    scope = organs.filter(pk=organ.pk) if organ else organs
    return render(request, "participation/staff/dashboard.html", {
        "board": sel.dashboard(organs=scope), "organs": organs, "organ": organ,
        "draft_organs": organs_where(request.user, Perm.RECORD_DRAFT), "nav": "consultations",
    })


@staff_required
def consultation_create(request):
    organs = organs_where(request.user, Perm.RECORD_DRAFT)
    if not organs.exists():
        raise PermissionDenied("您没有起草意见征集的权限。")
    chosen = pk_param(request.POST.get("organ") or request.GET.get("organ"))
    organ = (organs.filter(pk=chosen).first() if chosen else None) or organs.first()
    form = forms.ConsultationForm(request.POST or None, request.FILES or None)
    warnings: tuple[str, ...] = ()
    if request.method == "POST" and form.is_valid():
        try:
            consultation = svc.consultation_create(
                actor=request.user, organ=organ, data=form.data_for_service(),
                sections=form.cleaned_data["sections_text"], questions=form.cleaned_data["questions_text"],
                draft_file=form.cleaned_data.get("draft_upload"))
        except ParticipationActionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "意见征集草稿已保存。")
            return redirect("participation_staff:consultation", pk=consultation.pk)
    if form.is_bound and form.is_valid():
        warnings = periods.check_period(kind=form.cleaned_data["kind"], starts_on=form.cleaned_data["starts_on"],
                                        ends_on=form.cleaned_data["ends_on"]).warnings
    return render(request, "participation/staff/consultation_form.html", {
        "form": form, "organs": organs, "organ": organ, "warnings": warnings, "nav": "consultations",
    }, status=400 if form.errors else 200)


@staff_required
def consultation_edit(request, pk: int):
    consultation = _consultation_for(request.user, pk)
    form = forms.ConsultationForm(request.POST or None, request.FILES or None, instance=consultation)
    if request.method == "POST" and form.is_valid():
        try:
            svc.consultation_update(actor=request.user, consultation=consultation, data=form.data_for_service(),
                                    sections=form.cleaned_data["sections_text"],
                                    questions=form.cleaned_data["questions_text"],
                                    draft_file=form.cleaned_data.get("draft_upload"))
        except ParticipationActionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "已保存。")
            return redirect("participation_staff:consultation", pk=pk)
    return render(request, "participation/staff/consultation_form.html", {
        "form": form, "consultation": consultation, "nav": "consultations",
    }, status=400 if form.errors else 200)


@staff_required
def consultation_detail(request, pk: int):
    consultation = _consultation_for(request.user, pk)
    user = request.user
    comments = list(consultation.comments.select_related("section", "group").order_by("submitted_at", "id"))
    feedback = getattr(consultation, "feedback", None)
    events = AuditEvent.objects.for_object(consultation).select_related("actor")[:30]
    return render(request, "participation/staff/consultation_detail.html", {
        "c": consultation,
        "comments": comments,
        "feedback": feedback,
        "can_draft": can(user, Perm.RECORD_DRAFT, consultation.organ),
        "can_publish": can(user, Perm.RECORD_PUBLISH, consultation.organ),
        "show_contact": svc.can_see_contact(user, consultation.organ),
        "submit_problem": svc.consultation_submit_failure_reason(actor=user, consultation=consultation),
        "review_problem": svc.consultation_review_failure_reason(actor=user, consultation=consultation),
        "feedback_submit_problem": svc.feedback_submit_failure_reason(actor=user, consultation=consultation),
        "feedback_review_problem": svc.feedback_review_failure_reason(actor=user, consultation=consultation),
        "undisposed": svc.undisposed_comments(consultation).count(),
        "counts": svc.disposition_counts(consultation),
        "questionnaire": sel.questionnaire_results(consultation),
        "review_form": forms.ReviewForm(),
        "close_form": forms.CloseForm(),
        "withdraw_form": forms.WithdrawForm(),
        "feedback_form": forms.FeedbackForm(initial={"main_opinions": feedback.main_opinions,
                                                     "changes": feedback.changes} if feedback else None),
        "disposition_form": forms.DispositionForm(),
        "group_form": forms.GroupForm(),
        "final_form": forms.FinalRecordForm(initial={"index_no": consultation.final_record.index_no
                                                     if consultation.final_record else ""}),
        "statuses": ConsultationStatus, "moderations": CommentModeration, "feedback_statuses": FeedbackStatus,
        "history": list(events),
        "today": timezone.localdate(),
        "nav": "consultations",
    })


def _run(request, pk: int, action, success: str):
    """Call one service; say what happened or why it could not."""
    try:
        action()
    except ParticipationActionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, success)
    return redirect("participation_staff:consultation", pk=pk)


def _form_or_error(request, pk: int, form):
    if form.is_valid():
        return None
    first = next(iter(form.errors.values()))[0]
    messages.error(request, first)
    return redirect("participation_staff:consultation", pk=pk)


@staff_required
@require_POST
def consultation_submit(request, pk: int):
    c = _consultation_for(request.user, pk)
    return _run(request, pk, lambda: svc.consultation_submit(actor=request.user, consultation=c), "已提交审核。")


@staff_required
@require_POST
def consultation_review(request, pk: int):
    c = _consultation_for(request.user, pk)
    form = forms.ReviewForm(request.POST)
    if (bad := _form_or_error(request, pk, form)) is not None:
        return bad
    d = form.cleaned_data
    return _run(request, pk, lambda: svc.consultation_review(
        actor=request.user, consultation=c, decision=d["decision"], opinion=d["opinion"],
        publish_now=d["decision"] == "approved" and can(request.user, Perm.RECORD_PUBLISH, c.organ)),
        "审核意见已保存。" if d["decision"] == "returned" else "审核通过。")


@staff_required
@require_POST
def consultation_publish(request, pk: int):
    c = _consultation_for(request.user, pk)
    return _run(request, pk, lambda: svc.consultation_publish(actor=request.user, consultation=c), "已发布。")


@staff_required
@require_POST
def consultation_close(request, pk: int):
    c = _consultation_for(request.user, pk)
    form = forms.CloseForm(request.POST)
    form.is_valid()
    return _run(request, pk, lambda: svc.consultation_close(
        actor=request.user, consultation=c, reason=form.cleaned_data.get("reason", "")), "意见征集已结束。")


@staff_required
@require_POST
def consultation_withdraw(request, pk: int):
    c = _consultation_for(request.user, pk)
    form = forms.WithdrawForm(request.POST)
    if (bad := _form_or_error(request, pk, form)) is not None:
        return bad
    return _run(request, pk, lambda: svc.consultation_withdraw(
        actor=request.user, consultation=c, reason=form.cleaned_data["reason"]), "已撤回。")


def _comment_for(request, pk: int, cid: int) -> tuple[Consultation, Comment]:
    c = _consultation_for(request.user, pk)
    return c, get_object_or_404(Comment, pk=cid, consultation=c)


@staff_required
@require_POST
def comment_moderate(request, pk: int, cid: int):
    _c, comment = _comment_for(request, pk, cid)
    form = forms.ModerateForm(request.POST)
    if (bad := _form_or_error(request, pk, form)) is not None:
        return bad
    return _run(request, pk, lambda: svc.comment_moderate(
        actor=request.user, comment=comment, moderation=form.cleaned_data["moderation"],
        public_text=form.cleaned_data.get("public_text")), f"意见 {comment.receipt_code} 已审核。")


@staff_required
@require_POST
def comment_dispose(request, pk: int, cid: int):
    _c, comment = _comment_for(request, pk, cid)
    form = forms.DispositionForm(request.POST)
    if (bad := _form_or_error(request, pk, form)) is not None:
        return bad
    return _run(request, pk, lambda: svc.comment_dispose(
        actor=request.user, comment=comment, disposition=form.cleaned_data["disposition"],
        reason=form.cleaned_data["reason"]), f"意见 {comment.receipt_code} 的采纳情况已保存。")


@staff_required
@require_POST
def comment_group(request, pk: int):
    c = _consultation_for(request.user, pk)
    form = forms.GroupForm(request.POST)
    if (bad := _form_or_error(request, pk, form)) is not None:
        return bad
    chosen = list(c.comments.filter(pk__in=[v for v in request.POST.getlist("comments") if v.isdigit()]))
    if not chosen:
        messages.error(request, "请勾选要归类合并答复的意见。")
        return redirect("participation_staff:consultation", pk=pk)
    d = form.cleaned_data
    return _run(request, pk, lambda: svc.comment_group_dispose(
        actor=request.user, consultation=c, title=d["title"], comments=chosen, disposition=d["disposition"],
        reason=d["reason"]), f"已将{len(chosen)}条意见归类答复。")


@staff_required
def comment_attachment(request, pk: int, cid: int):
    c, comment = _comment_for(request, pk, cid)
    if not svc.can_see_contact(request.user, c.organ):
        raise PermissionDenied("意见附件可能含有提意见人的个人信息，仅承办机关的工作人员可以查看。")
    if not comment.attachment:
        raise Http404("这条意见没有附件。")
    ext = os.path.splitext(comment.attachment.name)[1]
    return FileResponse(comment.attachment.open("rb"), as_attachment=True,
                        filename=f"意见附件-{comment.receipt_code}{ext}")


@staff_required
@require_POST
def feedback_save(request, pk: int):
    c = _consultation_for(request.user, pk)
    form = forms.FeedbackForm(request.POST)
    if (bad := _form_or_error(request, pk, form)) is not None:
        return bad
    d = form.cleaned_data
    return _run(request, pk, lambda: svc.feedback_save(
        actor=request.user, consultation=c, main_opinions=d["main_opinions"], changes=d["changes"]),
        "采纳情况反馈已保存。")


@staff_required
@require_POST
def feedback_submit(request, pk: int):
    c = _consultation_for(request.user, pk)
    return _run(request, pk, lambda: svc.feedback_submit(actor=request.user, consultation=c),
                "采纳情况反馈已提交审核。")


@staff_required
@require_POST
def feedback_review(request, pk: int):
    c = _consultation_for(request.user, pk)
    form = forms.ReviewForm(request.POST)
    if (bad := _form_or_error(request, pk, form)) is not None:
        return bad
    d = form.cleaned_data
    return _run(request, pk, lambda: svc.feedback_review(
        actor=request.user, consultation=c, decision=d["decision"], opinion=d["opinion"]),
        "已退回修改。" if d["decision"] == "returned" else "采纳情况反馈已发布，并已通知留下邮箱的提意见人。")


@staff_required
@require_POST
def final_record(request, pk: int):
    c = _consultation_for(request.user, pk)
    form = forms.FinalRecordForm(request.POST)
    form.is_valid()
    index_no = (form.cleaned_data.get("index_no") or "").strip()
    record = Record.objects.filter(index_no=index_no).first() if index_no else None
    if index_no and record is None:
        messages.error(request, f"没有找到索引号为“{index_no}”的信息。")
        return redirect("participation_staff:consultation", pk=pk)
    return _run(request, pk, lambda: svc.consultation_link_final(actor=request.user, consultation=c, record=record),
                "已关联正式文件。" if record else "已取消关联。")


@staff_required
def export_comments(request, pk: int | None = None):
    """All comments (one consultation, or every consultation the user may see) as Excel."""
    if pk is not None:
        consultations = [_consultation_for(request.user, pk)]
        name = f"意见汇总-{pk}.xlsx"
    else:
        consultations = list(Consultation.objects.filter(organ__in=_viewable_organs(request.user))
                              .prefetch_related("questions").order_by("-starts_on"))
        name = f"意见汇总-{timezone.localdate():%Y%m%d}.xlsx"
    response = HttpResponse(svc.comments_export(actor=request.user, consultations=consultations),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
