"""Staff pages of the message box: the inbox per organ and a message's page with its actions.

A message (and its sender's data) is visible only to the staff of the organ handling it:
every page starts from ``selectors.messages.visible_messages(user)``; others get a 404.
"""

from __future__ import annotations

from django.contrib import messages as flash
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from gongkai.core.calendar import get_work_calendar
from gongkai.core.models import AuditEvent, Membership
from gongkai.core.params import pk_param
from gongkai.core.permissions import Perm, can, staff_required

from ..errors import ParticipationActionError
from ..forms.staff_messages import (
    AssignForm,
    InboxFilterForm,
    ReasonForm,
    ReplyForm,
    ReplyReviewForm,
    TransferForm,
)
from ..models import Answer, Message, MessageStatus, ReplyStatus
from ..models.messages import DUE_SOON_WORKDAYS
from ..selectors import answers as answer_sel
from ..selectors import messages as sel
from ..services import messages as svc


@staff_required
def inbox(request):
    organs = sel.handling_organs(request.user)
    if not organs.exists():
        raise PermissionDenied("您没有办理留言的权限。")
    today = svc.today()
    soon = get_work_calendar().add_workdays(today, DUE_SOON_WORKDAYS)
    form = InboxFilterForm(request.GET or None, organs=organs.order_by("path"))
    d = form.cleaned_data if form.is_valid() else {}
    qs = sel.inbox(request.user, today=today, soon=soon, organ=d.get("organ"), status=d.get("status", ""),
                   kind=d.get("kind", ""), flag=d.get("flag", ""), q=d.get("q", ""))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "participation/staff/message_inbox.html", {
        "page": page, "form": form, "today": today, "soon": soon, "query": query.urlencode(),
        "counts": {
            "overdue": sel.visible_messages(request.user).overdue(today).count(),
            "soon": sel.visible_messages(request.user).due_soon(today, soon).count(),
            "review": sel.visible_messages(request.user).filter(status=MessageStatus.REPLY_SUBMITTED).count(),
        },
    })


def _message(request, pk: int) -> Message:
    return get_object_or_404(sel.visible_messages(request.user).select_related("organ", "handler", "record"), pk=pk)


def _handlers(message: Message):
    ids = Membership.objects.filter(organ=message.organ).values_list("user_id", flat=True)
    return [u for u in get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("username")
            if can(u, Perm.MESSAGE_HANDLE, message.organ)]


def _context(request, message: Message, bound: dict | None = None) -> dict:
    bound = bound or {}
    user = request.user
    open_reply = message.replies.filter(status__in=[ReplyStatus.DRAFT, ReplyStatus.RETURNED]).first()
    submitted = message.replies.filter(status=ReplyStatus.SUBMITTED).select_related("written_by").first()
    aq = (request.GET.get("aq") or request.POST.get("aq") or message.subject)[:100]
    candidates = answer_sel.insertable_answers(user, q=aq, organ=message.organ)[:10]
    if not candidates:
        candidates = answer_sel.rank_by_overlap(answer_sel.insertable_answers(user, organ=message.organ)[:300],
                                                aq, limit=10, minimum=0.2)
    reply_form = bound.get("reply") or ReplyForm(initial={
        "body": open_reply.body if open_reply else "",
        "answers": ",".join(str(pk) for pk in open_reply.answers_used.values_list("pk", flat=True)) if open_reply else "",
    }, auto_id="id_reply_%s")
    can_handle = can(user, Perm.MESSAGE_HANDLE, message.organ)
    return {
        "m": message, "deadline": svc.message_deadline(message) if message.is_open else None,
        "today": svc.today(),
        "transfers": message.transfers.select_related("from_organ", "to_organ", "transferred_by"),
        "replies": message.replies.select_related("written_by", "reviewed_by").prefetch_related("answers_used"),
        "open_reply": open_reply, "submitted": submitted, "aq": aq, "candidates": candidates,
        "history": list(AuditEvent.objects.for_object(message).select_related("actor", "organ")[:50]),
        "can_handle": can_handle and message.is_open,
        "review_reason": svc.reply_review_failure_reason(actor=user, message=message) if submitted else None,
        "can_hide": can(user, Perm.MESSAGE_REVIEW, message.organ) or can(user, Perm.ORGAN_OVERSEE, message.organ),
        "forms": {
            "assign": bound.get("assign") or AssignForm(handlers=_handlers(message),
                                                        initial={"handler": message.handler_id}, auto_id="id_assign_%s"),
            "transfer": bound.get("transfer") or TransferForm(auto_id="id_transfer_%s"),
            "reply": reply_form,
            "review": bound.get("review") or ReplyReviewForm(auto_id="id_review_%s"),
            "reject": bound.get("reject") or ReasonForm(auto_id="id_reject_%s"),
            "hide": bound.get("hide") or ReasonForm(auto_id="id_hide_%s"),
        },
    }


@staff_required
def detail(request, pk: int):
    message = _message(request, pk)
    return render(request, "participation/staff/message_detail.html", _context(request, message))


@staff_required
def attachment(request, pk: int):
    message = _message(request, pk)
    if not message.attachment:
        raise Http404
    return FileResponse(message.attachment.open("rb"), as_attachment=True,
                        filename=message.attachment_name or "附件")


def _insert(request, message: Message, form: ReplyForm):
    """No-script path of 插入口径: append the entry's answer to the draft and re-show the page."""
    entry = get_object_or_404(answer_sel.insertable_answers(request.user), pk=pk_param(request.POST.get("insert")) or 0)
    data = request.POST.copy()
    body = (data.get("body") or "").rstrip()
    data["body"] = (body + "\n\n" if body else "") + entry.answer
    ids = set(form.answer_ids()) | {entry.pk}
    data["answers"] = ",".join(str(i) for i in sorted(ids))
    bound = ReplyForm(data, auto_id="id_reply_%s")
    ctx = _context(request, message, bound={"reply": bound})
    return render(request, "participation/staff/message_detail.html", ctx)


@staff_required
@require_POST
def act(request, pk: int, action: str):
    message = _message(request, pk)
    user = request.user
    P = request.POST
    forms_by_action = {
        "assign": lambda: AssignForm(P, handlers=_handlers(message), auto_id="id_assign_%s"),
        "transfer": lambda: TransferForm(P, auto_id="id_transfer_%s"),
        "reply": lambda: ReplyForm(P, auto_id="id_reply_%s"),
        "submit": lambda: ReplyForm(P, auto_id="id_reply_%s"),
        "review": lambda: ReplyReviewForm(P, auto_id="id_review_%s"),
        "reject": lambda: ReasonForm(P, auto_id="id_reject_%s"),
        "hide": lambda: ReasonForm(P, auto_id="id_hide_%s"),
    }
    if action == "unhide":
        try:
            svc.message_set_hidden(actor=user, message=message, hidden=False)
        except ParticipationActionError as exc:
            flash.error(request, str(exc))
        else:
            flash.success(request, "已恢复公开。")
        return redirect("participation_staff:message", pk=message.pk)
    if action not in forms_by_action:
        raise Http404
    form = forms_by_action[action]()
    if action in ("reply", "submit") and P.get("insert"):
        return _insert(request, message, form)
    if form.is_valid():
        d = form.cleaned_data
        try:
            if action == "assign":
                handler = get_user_model().objects.filter(pk=d["handler"]).first() if d["handler"] else None
                svc.message_assign(actor=user, message=message, handler=handler)
                done = "已分配经办人。"
            elif action == "transfer":
                svc.message_transfer(actor=user, message=message, to_organ=d["to_organ"], reason=d["reason"])
                flash.success(request, f"已转至{d['to_organ'].name}办理。")
                return redirect("participation_staff:inbox")
            elif action in ("reply", "submit"):
                answers = list(Answer.objects.filter(pk__in=form.answer_ids()))
                svc.message_reply_draft(actor=user, message=message, body=d["body"], answers=answers)
                done = "答复稿已保存。"
                if action == "submit":
                    svc.message_reply_submit(actor=user, message=message)
                    done = "答复已提交审核。"
            elif action == "review":
                approve = d["decision"] == "approve"
                svc.message_reply_review(actor=user, message=message, approve=approve,
                                         comment=d.get("comment", ""), publish=bool(d.get("publish")))
                done = "答复已审核通过，已通知留言人。" if approve else "已退回修改。"
            elif action == "reject":
                svc.message_reject(actor=user, message=message, reason=d["reason"])
                done = "已不予受理，理由会告知留言人。"
            else:
                svc.message_set_hidden(actor=user, message=message, hidden=True, reason=d["reason"])
                done = "已从公开页面隐藏。"
        except ParticipationActionError as exc:
            form.add_error(None, str(exc))
        else:
            flash.success(request, done)
            return redirect("participation_staff:message", pk=message.pk)
    flash.error(request, "操作未完成，请查看表单中的提示。")
    message.refresh_from_db()
    key = "reply" if action == "submit" else action
    ctx = _context(request, message, bound={key: form})
    ctx["failed"] = key
    return render(request, "participation/staff/message_detail.html", ctx, status=400)
