"""Staff pages of the 口径库: search, write, review, retire, import and export (Excel)."""

from __future__ import annotations

from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.core.permissions import Perm, can, organs_where, staff_required

from ..errors import ParticipationActionError
from ..forms.staff_messages import (
    AnswerFilterForm,
    AnswerForm,
    AnswerReviewForm,
    ImportForm,
    ReasonForm,
)
from ..models import Answer
from ..models.answers import ANSWER_EDITABLE
from ..selectors import answers as sel
from ..services import answers as svc
from ..services.answers_excel import AnswerImportError, answers_export_xlsx, answers_import_xlsx


def _staff_answers(request):
    organs = sel.answer_organs(request.user)
    if not organs.exists():
        raise PermissionDenied("您没有使用口径库的权限。")
    return organs


@staff_required
def answer_list(request):
    _staff_answers(request)
    form = AnswerFilterForm(request.GET or None)
    d = form.cleaned_data if form.is_valid() else {}
    qs = sel.staff_answers(request.user, q=d.get("q", ""), status=d.get("status", ""))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "participation/staff/answer_list.html", {
        "page": page, "form": form, "query": query.urlencode(),
        "can_draft": organs_where(request.user, Perm.ANSWER_DRAFT).exists(),
    })


@staff_required
def answer_search_json(request):
    """Usable entries for the reply page's one-click insertion (staff only)."""
    _staff_answers(request)
    q = (request.GET.get("q") or "").strip()[:100]
    found = list(sel.insertable_answers(request.user, q=q)[:10])
    return JsonResponse({"results": [{"id": a.pk, "question": a.question, "answer": a.answer, "organ": a.organ.name}
                                     for a in found]}, json_dumps_params={"ensure_ascii": False})


def _bases_text(answer: Answer) -> str:
    lines = []
    for b in answer.bases.select_related("record"):
        ref = b.record.index_no
        lines.append(f"{ref}（{b.article}）" if b.article else ref)
    return "\n".join(lines)


@staff_required
def answer_create(request):
    organs = organs_where(request.user, Perm.ANSWER_DRAFT)
    if not organs.exists():
        raise PermissionDenied("您没有起草口径的权限。")
    form = AnswerForm(request.POST or None, organs=organs.order_by("path"))
    if request.method == "POST" and form.is_valid():
        try:
            entry = svc.answer_create(actor=request.user, organ=form.cleaned_data["organ"],
                                      data=form.data_for_service(), bases=form.cleaned_data["bases"])
        except ParticipationActionError as exc:
            form.add_error(None, str(exc))
        else:
            flash.success(request, "口径已保存为草稿，提交审核通过后才能使用。")
            return redirect("participation_staff:answer", pk=entry.pk)
    return render(request, "participation/staff/answer_form.html", {"form": form},
                  status=400 if form.errors else 200)


def _answer(request, pk: int) -> Answer:
    return get_object_or_404(Answer.objects.filter(organ__in=sel.answer_organs(request.user))
                             .select_related("organ", "topic", "created_by", "reviewed_by"), pk=pk)


@staff_required
def answer_detail(request, pk: int):
    entry = _answer(request, pk)
    editable = entry.status in ANSWER_EDITABLE and can(request.user, Perm.ANSWER_DRAFT, entry.organ)
    form = None
    if editable:
        form = AnswerForm(request.POST or None, initial={
            "question": entry.question, "phrasings": entry.phrasings, "answer": entry.answer, "topic": entry.topic,
            "audience": entry.audience, "valid_from": entry.valid_from, "valid_until": entry.valid_until,
            "is_public": entry.is_public, "bases": _bases_text(entry)})
        if request.method == "POST" and form.is_valid():
            try:
                svc.answer_update(actor=request.user, answer=entry, data=form.data_for_service(),
                                  bases=form.cleaned_data["bases"])
            except ParticipationActionError as exc:
                form.add_error(None, str(exc))
            else:
                flash.success(request, "已保存。")
                return redirect("participation_staff:answer", pk=entry.pk)
    elif request.method == "POST":
        raise Http404
    from gongkai.core.models import AuditEvent

    return render(request, "participation/staff/answer_detail.html", {
        "a": entry, "form": form, "bases": entry.bases.select_related("record"),
        "review_reason": svc.answer_review_failure_reason(actor=request.user, answer=entry),
        "review_form": AnswerReviewForm(), "retire_form": ReasonForm(auto_id="id_retire_%s"),
        "can_draft": can(request.user, Perm.ANSWER_DRAFT, entry.organ),
        "history": list(AuditEvent.objects.for_object(entry).select_related("actor", "organ")[:50]),
        "used": entry.replies.count(),
    }, status=400 if form is not None and form.errors else 200)


@staff_required
@require_POST
def answer_act(request, pk: int, action: str):
    entry = _answer(request, pk)
    user = request.user
    try:
        if action == "submit":
            svc.answer_submit(actor=user, answer=entry)
            done = "已提交审核。"
        elif action == "review":
            form = AnswerReviewForm(request.POST)
            if not form.is_valid():
                raise ParticipationActionError("请选择审核意见。")
            approve = form.cleaned_data["decision"] == "approve"
            svc.answer_review(actor=user, answer=entry, approve=approve, comment=form.cleaned_data.get("comment", ""))
            done = "审核通过，口径可以使用。" if approve else "已退回修改。"
        elif action == "retire":
            svc.answer_retire(actor=user, answer=entry, reason=request.POST.get("reason", ""))
            done = "已停用。"
        elif action == "restore":
            svc.answer_restore(actor=user, answer=entry)
            done = "已恢复为草稿。"
        else:
            raise Http404
    except ParticipationActionError as exc:
        flash.error(request, str(exc))
    else:
        flash.success(request, done)
    return redirect("participation_staff:answer", pk=entry.pk)


@staff_required
def answer_import(request):
    organs = organs_where(request.user, Perm.ANSWER_DRAFT)
    if not organs.exists():
        raise PermissionDenied("您没有起草口径的权限。")
    form = ImportForm(request.POST or None, request.FILES or None, organs=organs.order_by("path"))
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            created = answers_import_xlsx(actor=request.user, organ=form.cleaned_data["organ"],
                                          data=form.cleaned_data["file"].read())
        except AnswerImportError as exc:
            errors = exc.errors
            form.add_error(None, "导入未完成，没有导入任何条目。请修改下列问题后重新导入。")
        else:
            flash.success(request, f"已导入{len(created)}条口径（草稿），请逐条提交审核。")
            return redirect("participation_staff:answers")
    return render(request, "participation/staff/answer_import.html", {"form": form, "errors": errors},
                  status=400 if form.errors else 200)


@staff_required
def answer_export(request):
    _staff_answers(request)
    form = AnswerFilterForm(request.GET or None)
    d = form.cleaned_data if form.is_valid() else {}
    qs = sel.staff_answers(request.user, q=d.get("q", ""), status=d.get("status", "")).prefetch_related("bases__record")
    response = HttpResponse(answers_export_xlsx(qs),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename=answers-{timezone.localdate():%Y%m%d}.xlsx"
    return response
