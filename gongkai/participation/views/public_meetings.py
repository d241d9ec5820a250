"""Public pages of open meetings, open days and the 重大行政决策事项目录 (each from its ``public()``)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from gongkai.core.idempotency import SubmissionTokenError, submit_once
from gongkai.core.throttle import Throttle, client_ip

from ..errors import ParticipationActionError
from ..forms.meetings import (
    LOOKUP_THROTTLE,
    REGISTRATION_THROTTLE,
    RegistrationForm,
    RegistrationLookupForm,
)
from ..models import MeetingKind, Registration, RegistrationStatus
from ..selectors import meetings as sel
from ..services import meetings as svc

RECEIPT_SESSION_KEY = "gongkai_registration_receipts"


def meeting_list(request):
    when = request.GET.get("when", "")
    when = when if when in ("upcoming", "past") else ""
    kind = request.GET.get("kind", "")
    kind = kind if kind in MeetingKind.values else ""
    q = (request.GET.get("q") or "").strip()[:100]
    page = Paginator(sel.public_meetings(when=when, kind=kind, q=q), 20).get_page(request.GET.get("page"))
    return render(request, "participation/public/meeting_list.html", {
        "page": page, "when": when, "kind": kind, "kinds": MeetingKind.choices, "q": q})


def meeting_detail(request, pk: int):
    meeting = sel.public_meeting(pk)
    if meeting is None:
        raise Http404("没有找到这项会议活动。")
    return render(request, "participation/public/meeting_detail.html", {
        "m": meeting, **sel.public_linked(meeting),
        "places_left": max(0, meeting.places - svc.accepted_count(meeting)),
    })


@require_http_methods(["GET", "POST"])
def meeting_apply(request, pk: int):
    meeting = sel.public_meeting(pk)
    if meeting is None:
        raise Http404("没有找到这项会议活动。")
    if not meeting.registration_open:
        return render(request, "participation/public/meeting_closed.html", {"m": meeting}, status=410)
    ip = client_ip(request)
    if REGISTRATION_THROTTLE.is_limited(ip):
        return render(request, "participation/public/limited.html", {}, status=429)
    challenge = None
    if REGISTRATION_THROTTLE.needs_challenge(ip):
        challenge = REGISTRATION_THROTTLE.challenge_for(request.POST.get("challenge_token", ""))
    form = RegistrationForm(request.POST or None, challenge=challenge)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            once = submit_once(token=form.submission_token, purpose="registration", create=lambda: (
                svc.registration_submit(meeting=meeting, name=d["name"], phone=d["phone"],
                                        email=d.get("email", ""), kind=d["kind"],
                                        affiliation=d.get("affiliation", ""), reason=d.get("reason", ""))
            ).receipt_code)
        except (ParticipationActionError, SubmissionTokenError) as exc:
            form.add_error(None, str(exc))
        else:
            if not once.repeated:
                REGISTRATION_THROTTLE.hit(ip)
            request.session[RECEIPT_SESSION_KEY] = (
                list(request.session.get(RECEIPT_SESSION_KEY, []))[-19:] + [once.ref])
            return redirect("participation:registration_receipt", code=once.ref)
    return render(request, "participation/public/meeting_apply.html", {"m": meeting, "form": form},
                  status=400 if form.errors else 200)


def registration_receipt(request, code: str):
    if code not in request.session.get(RECEIPT_SESSION_KEY, []):
        return redirect("participation:registration_lookup")
    registration = Registration.objects.select_related("meeting").filter(receipt_code=code).first()
    if registration is None or sel.public_meeting(registration.meeting_id) is None:
        raise Http404("没有找到这条报名。")
    return render(request, "participation/public/registration_receipt.html", {"r": registration})


#: Failed look-ups of one registration code, from any address (the per-address limit is LOOKUP_THROTTLE).
LOOKUP_CODE_THROTTLE = Throttle(name="meeting-lookup-code", limit=5, window=3600)


@require_http_methods(["GET", "POST"])
def registration_lookup(request):
    form = RegistrationLookupForm(request.POST or None)
    registration = None
    if request.method == "POST":
        ip = client_ip(request)
        if LOOKUP_THROTTLE.is_limited(ip):
            return render(request, "participation/public/limited.html", {}, status=429)
        if form.is_valid():
            LOOKUP_THROTTLE.hit(ip)
            code = form.cleaned_data["code"]
            if LOOKUP_CODE_THROTTLE.is_limited(code):  # guesses of one code's phone tail from many addresses
                return render(request, "participation/public/limited.html", {}, status=429)
            registration = sel.registration_by_code(code, form.cleaned_data["phone_tail"])
            if registration is None:
                LOOKUP_CODE_THROTTLE.hit(code)
                form.add_error(None, "查询码或电话后四位不正确，请核对后重新输入。")
    return render(request, "participation/public/registration_lookup.html", {
        "form": form, "r": registration, "statuses": RegistrationStatus}, status=400 if form.errors else 200)


def decision_catalogs(request):
    return render(request, "participation/public/decision_catalogs.html", {"catalogs": sel.public_catalogs()})


def decision_catalog(request, pk: int):
    catalog = sel.public_catalog(pk)
    if catalog is None:
        raise Http404("没有找到这份目录。")
    return render(request, "participation/public/decision_catalog.html", {
        "catalog": catalog, "items": sel.public_catalog_items(catalog)})
