"""Public pages of the message box. Published messages start from ``Message.objects.public()``;
a sender sees their own message only after the receipt code and contact check (throttled)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from gongkai.core.calendar import get_work_calendar
from gongkai.core.idempotency import SubmissionTokenError, submit_once
from gongkai.core.models import Organ
from gongkai.core.throttle import Throttle, client_ip
from gongkai.records.models import Record

from ..errors import ParticipationActionError
from ..forms.messages import MESSAGE_THROTTLE, TRACK_THROTTLE, MessageForm, RateForm, TrackForm
from ..models import Message, MessageKind, MessageStatus
from ..selectors import messages as sel
from ..services import messages as svc

TRACK_SESSION_KEY = "gongkai_message_codes"


def _grant(request, code: str) -> None:
    codes = list(request.session.get(TRACK_SESSION_KEY, []))[-19:]
    if code not in codes:
        codes.append(code)
    request.session[TRACK_SESSION_KEY] = codes


def _granted(request, code: str) -> Message:
    if code not in request.session.get(TRACK_SESSION_KEY, []):
        raise Http404("请先输入查询码和验证信息。")
    return get_object_or_404(Message.objects.select_related("organ", "record"), receipt_code=code)


def _organ_param(request) -> Organ | None:
    code = request.GET.get("organ") or ""
    return Organ.objects.active().filter(code=code).first() if code else None


def message_list(request):
    organ = _organ_param(request)
    kind = request.GET.get("kind", "")
    kind = kind if kind in MessageKind.values else ""
    q = (request.GET.get("q") or "").strip()[:100]
    page = Paginator(sel.public_messages(organ=organ, kind=kind, q=q), 20).get_page(request.GET.get("page"))
    organs = Organ.objects.active().filter(pk__in=Message.objects.public().values("organ")).order_by("path")
    return render(request, "participation/public/message_list.html", {
        "page": page, "organ": organ, "kind": kind, "kinds": MessageKind.choices, "q": q, "organs": organs,
        "nav": "messages",
    })


def message_detail(request, pk: int):
    message = get_object_or_404(Message.objects.public().select_related("organ"), pk=pk)
    return render(request, "participation/public/message_detail.html", {
        "m": message, "reply": message.public_reply(), "nav": "messages",
    })


def message_stats(request):
    year = request.GET.get("year", "")
    start = end = None
    if year.isdigit() and 2000 <= int(year) <= 2100:
        import datetime as dt

        start, end = dt.date(int(year), 1, 1), dt.date(int(year), 12, 31)
    rows = sel.message_stats_by_organ(start=start, end=end)
    total = sel.message_stats(start=start, end=end)
    return render(request, "participation/public/message_stats.html", {
        "rows": rows, "total": total, "year": year if start else "", "nav": "messages",
    })


@require_http_methods(["GET", "POST"])
def message_create(request):
    """Write to an organ. ``?organ=<code>`` preselects it; ``?record=<pk>`` makes it a 纠错 of that record."""
    ip = client_ip(request)
    if MESSAGE_THROTTLE.is_limited(ip):
        return render(request, "participation/public/limited.html", {}, status=429)
    organ = _organ_param(request)
    record = None
    record_pk = request.POST.get("record") or request.GET.get("record")
    if record_pk and str(record_pk).isdigit():
        record = Record.objects.public().select_related("organ").filter(pk=int(record_pk)).first()
        if record is not None and organ is None:
            organ = record.organ
    challenge = None
    if MESSAGE_THROTTLE.needs_challenge(ip):
        challenge = MESSAGE_THROTTLE.challenge_for(request.POST.get("challenge_token", ""))
    initial = {}
    if record is not None:
        initial = {"kind": MessageKind.CORRECTION, "record": record.pk,
                   "subject": f"纠错：{record.title}"[:100]}
    form = MessageForm(request.POST or None, request.FILES or None, organ=organ, challenge=challenge,
                       initial=initial)
    if request.method == "POST" and form.is_valid():
        target = form.target_organ()
        d = form.cleaned_data
        try:
            if target is None:
                raise ParticipationActionError("所选机关不存在或已停用，请重新选择。")
            once = submit_once(token=form.submission_token, purpose="message", create=lambda: svc.message_submit(
                organ=target, kind=d["kind"], subject=d["subject"], body=d["body"], name=d.get("name", ""),
                phone=d.get("phone", ""), email=d.get("email", ""), may_publish=bool(d.get("may_publish")),
                record=record, page_url=d.get("page_url", ""), attachment=form.attachment_file(), ip=ip,
            ).receipt_code)
        except (ParticipationActionError, SubmissionTokenError) as exc:
            form.add_error(None, str(exc))
        else:
            form.discard_kept()
            if not once.repeated:
                MESSAGE_THROTTLE.hit(ip)
            _grant(request, once.ref)
            return redirect("participation:message_receipt", code=once.ref)
    return render(request, "participation/public/message_form.html", {
        "form": form, "organ": organ, "record": record, "nav": "messages",
    }, status=400 if form.errors else 200)


def message_suggest(request):
    """JSON for the form's suggestions while the subject is typed: public Q&A entries and published answers."""
    text = (request.GET.get("q") or "").strip()[:100]
    organ = Organ.objects.active().filter(pk=request.GET.get("organ")).first() \
        if (request.GET.get("organ") or "").isdigit() else None
    found = sel.suggestions(text, organ=organ) if len(text) >= 2 else {"answers": [], "messages": []}
    items = [{"kind": "政策问答", "title": a.question, "organ": a.organ.name, "url": a.get_absolute_url()}
             for a in found["answers"]]
    items += [{"kind": "留言答复", "title": m.public_subject, "organ": m.organ.name, "url": m.get_absolute_url()}
              for m in found["messages"]]
    response = JsonResponse({"q": text, "results": items}, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "public, max-age=60"
    return response


def message_receipt(request, code: str):
    if code not in request.session.get(TRACK_SESSION_KEY, []):  # another browser or session: the lookup form
        return redirect(f"{reverse('participation:message_track')}?{urlencode({'code': code[:20]})}")
    message = _granted(request, code)
    deadline = svc.message_deadline(message)
    return render(request, "participation/public/message_receipt.html",
                  {"m": message, "deadline": deadline, "nav": "messages"})


#: Failed checks of one receipt code, from any address (the per-address limit is TRACK_THROTTLE).
TRACK_CODE_THROTTLE = Throttle(name="message-track-code", limit=5, window=3600)


@require_http_methods(["GET", "POST"])
def message_track(request):
    ip = client_ip(request)
    form = TrackForm(request.POST or None, initial={"code": (request.GET.get("code") or "")[:20]})
    if request.method == "POST":
        if TRACK_THROTTLE.is_limited(ip):
            return render(request, "participation/public/limited.html", {}, status=429)
        if form.is_valid():
            TRACK_THROTTLE.hit(ip)
            code = form.cleaned_data["code"]
            check = form.cleaned_data["check"].strip()
            if TRACK_CODE_THROTTLE.is_limited(code):  # guesses of one code's check from many addresses
                return render(request, "participation/public/limited.html", {}, status=429)
            message = Message.objects.filter(receipt_code=code).first()
            if message and _contact_matches(message, check):
                _grant(request, code)
                return redirect("participation:message_track_detail", code=code)
            TRACK_CODE_THROTTLE.hit(code)
            form.add_error(None, "查询码或验证信息不正确，请核对留言后得到的查询码。")
    return render(request, "participation/public/message_track.html", {"form": form, "nav": "messages"},
                  status=400 if form.errors else 200)


def _contact_matches(message: Message, check: str) -> bool:
    if "@" in check:
        return bool(message.email) and message.email.strip().lower() == check.lower()
    digits = "".join(c for c in check if c.isdigit())
    return len(digits) == 4 and bool(message.phone) and message.phone.replace(" ", "").endswith(digits)


def _track_context(message: Message, rate_form: RateForm | None = None) -> dict:
    reply = message.public_reply() if message.status in (MessageStatus.REPLIED, MessageStatus.REOPENED) else None
    return {
        "m": message, "reply": reply, "transfers": message.transfers.select_related("from_organ", "to_organ"),
        "deadline": svc.message_deadline(message, get_work_calendar()) if message.is_open else None,
        "ratings": list(message.ratings.all()),
        "rate_form": rate_form or (RateForm() if message.rating_due() else None),
        "nav": "messages",
    }


def message_track_detail(request, code: str):
    message = _granted(request, code)
    return render(request, "participation/public/message_track_detail.html", _track_context(message))


@require_POST
def message_rate(request, code: str):
    message = _granted(request, code)
    form = RateForm(request.POST)
    if form.is_valid():
        try:
            svc.message_rate(message=message, rating=form.cleaned_data["rating"], reason=form.cleaned_data["reason"])
        except ParticipationActionError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("participation:message_track_detail", code=code)
    message.refresh_from_db()
    return render(request, "participation/public/message_track_detail.html", _track_context(message, form),
                  status=400)
