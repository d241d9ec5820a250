"""Public pages of consultations (意见征集). Every page starts from ``Consultation.objects.public()``."""

from __future__ import annotations

import os

from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from gongkai.core.idempotency import SubmissionTokenError, submit_once
from gongkai.core.models import Organ
from gongkai.core.throttle import client_ip

from ..errors import ParticipationActionError
from ..forms.consultations import COMMENT_THROTTLE, LOOKUP_THROTTLE, CommentForm, LookupForm
from ..models import Meeting
from ..selectors import consultations as sel
from ..services import consultations as svc

RECEIPT_SESSION_KEY = "gongkai_comment_receipts"


def consultation_list(request):
    phase = request.GET.get("phase", "")
    phase = phase if phase in sel.PHASES else ""
    organ = None
    if request.GET.get("organ"):
        organ = Organ.objects.active().filter(code=request.GET["organ"]).first()
    q = (request.GET.get("q") or "").strip()[:100]
    page = Paginator(sel.public_consultations(phase=phase, organ=organ, q=q), 20).get_page(request.GET.get("page"))
    return render(request, "participation/public/consultation_list.html", {
        "page": page, "phase": phase, "phases": sel.PHASES, "organ": organ, "q": q, "nav": "consultations",
    })


def consultation_detail(request, pk: int):
    consultation = sel.public_consultation(pk)
    if consultation is None:
        raise Http404("没有找到这项意见征集。")
    feedback = sel.public_feedback(consultation)
    feedback_record = sel.public_record(feedback.record) if feedback else None
    return render(request, "participation/public/consultation_detail.html", {
        "c": consultation,
        "feedback": feedback,
        "feedback_record": feedback_record,
        "feedback_html": feedback_record.body if feedback_record else svc.feedback_report_html(consultation)
        if feedback else "",
        "comments": sel.public_comments(consultation),
        "final_record": sel.public_record(consultation.final_record),
        "draft_record": sel.public_record(consultation.draft_record),
        "meetings": Meeting.objects.public().filter(consultation=consultation).order_by("starts_at"),
        "nav": "consultations",
    })


@require_http_methods(["GET", "POST"])
def comment_create(request, pk: int):
    consultation = sel.public_consultation(pk)
    if consultation is None:
        raise Http404("没有找到这项意见征集。")
    if not consultation.is_open or not consultation.accepts_online:
        return render(request, "participation/public/comment_closed.html", {"c": consultation}, status=410
                      if not consultation.is_open else 403)
    ip = client_ip(request)
    if COMMENT_THROTTLE.is_limited(ip):
        return render(request, "participation/public/limited.html", {"c": consultation}, status=429)
    challenge = None
    if COMMENT_THROTTLE.needs_challenge(ip):
        challenge = COMMENT_THROTTLE.challenge_for(request.POST.get("challenge_token", ""))
    form = CommentForm(request.POST or None, request.FILES or None, consultation=consultation, challenge=challenge)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            once = submit_once(token=form.submission_token, purpose="comment", create=lambda: svc.comment_submit(
                consultation=consultation, body=d["body"], name=d.get("name", ""),
                anonymous=bool(d.get("anonymous")), email=d.get("email", ""), phone=d.get("phone", ""),
                section=form.section_obj(), answers=form.answers(), attachment=d.get("attachment"),
            ).receipt_code)
        except (ParticipationActionError, SubmissionTokenError) as exc:
            form.add_error(None, str(exc))
        else:
            form.discard_kept()
            if not once.repeated:
                COMMENT_THROTTLE.hit(ip)
            codes = list(request.session.get(RECEIPT_SESSION_KEY, []))[-19:] + [once.ref]
            request.session[RECEIPT_SESSION_KEY] = codes
            return redirect("participation:comment_receipt", code=once.ref)
    if request.method == "POST" and "attachment" in form.errors:
        form.add_error(None, "请重新选择附件：所选文件未能接收。其他内容已保留。")
    return render(request, "participation/public/comment_form.html", {"c": consultation, "form": form,
                                                                        "nav": "consultations"},
                  status=400 if form.errors else 200)


def comment_receipt(request, code: str):
    """Shown once after submitting (the session holds the codes this browser submitted)."""
    if code not in request.session.get(RECEIPT_SESSION_KEY, []):
        return redirect("participation:comment_lookup")
    comment = sel.comment_by_receipt(code)
    if comment is None:
        raise Http404("没有找到这条意见。")
    return render(request, "participation/public/comment_receipt.html", {"comment": comment,
                                                                          "nav": "consultations"})


@require_http_methods(["GET", "POST"])
def comment_lookup(request):
    """Find a comment and, once the feedback is published, its disposition, with the receipt code."""
    ip = client_ip(request)
    form = LookupForm(request.POST or None)
    comment = None
    if request.method == "POST":
        if LOOKUP_THROTTLE.is_limited(ip):
            return render(request, "participation/public/limited.html", {}, status=429)
        if form.is_valid():
            LOOKUP_THROTTLE.hit(ip)
            comment = sel.comment_by_receipt(form.cleaned_data["code"])
            if comment is None:
                form.add_error("code", "没有找到这个查询码对应的意见，请核对后重新输入（不区分大小写）。")
    feedback = sel.public_feedback(comment.consultation) if comment else None
    return render(request, "participation/public/comment_lookup.html", {
        "form": form, "comment": comment, "feedback": feedback, "nav": "consultations",
    }, status=400 if form.errors else 200)


def consultation_draft(request, pk: int):
    """The uploaded draft of a public consultation (nothing else of it is ever served as a file)."""
    consultation = sel.public_consultation(pk)
    if consultation is None or not consultation.draft_file:
        raise Http404("没有找到这份草案。")
    ext = os.path.splitext(consultation.draft_file.name)[1]
    return FileResponse(consultation.draft_file.open("rb"), as_attachment=True, filename=f"征求意见稿{ext}")
