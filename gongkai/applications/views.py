"""Public pages (apply, receipt, track) and the handler's workspace pages.

Each view checks access, validates a form, calls one service, adds a message
and redirects (or re-renders with the bound form and the reason it failed).
"""

from __future__ import annotations

import datetime as dt
import mimetypes
import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date
from django.views.decorators.http import require_POST

from gongkai.core.calendar import get_work_calendar
from gongkai.core.idempotency import SubmissionTokenError, submit_once
from gongkai.core.models import Organ
from gongkai.core.permissions import Perm, can, organs_where, staff_required
from gongkai.core.throttle import client_ip
from gongkai.workdays import CalendarError

from . import forms, identity, selectors, services
from .clock import ClockState
from .letters.render import LetterError
from .models import (
    APPLICANT_LETTERS,
    AppealResult,
    ApplicantKind,
    Application,
    ApplicationFile,
    ExtensionRequest,
    Letter,
    Litigation,
    Reconsideration,
    ThreadKind,
    due_soon_until,
)
from .services import ApplicationActionError
from .services.privacy import applicant_reveal

TRACK_SESSION_KEY = "gongkai_track_codes"


def _ip(request) -> str:
    return client_ip(request)  # REMOTE_ADDR, or the client behind a trusted proxy


def _grant(request, code: str) -> None:
    codes = list(request.session.get(TRACK_SESSION_KEY, []))[-19:]
    if code not in codes:
        codes.append(code)
    request.session[TRACK_SESSION_KEY] = codes


def _grant_in_transaction(request, code: str) -> None:
    """Grant ``code`` and write the session now, in the caller's transaction: a submission's
    answer then has no write left after its commit (the session middleware would write it
    after the view, where a busy database could fail a submission already made). The view
    sets the cookie (:func:`_session_cookie`)."""
    _grant(request, code)
    request.session.save()
    request.session.modified = False  # saved: the middleware need not write it again


def _session_cookie(response, request):
    """The session cookie the middleware would set (it skips an unmodified session)."""
    session = request.session
    max_age = None if session.get_expire_at_browser_close() else session.get_expiry_age()
    response.set_cookie(settings.SESSION_COOKIE_NAME, session.session_key, max_age=max_age,
                        expires=http_date(time.time() + max_age) if max_age is not None else None,
                        domain=settings.SESSION_COOKIE_DOMAIN, path=settings.SESSION_COOKIE_PATH,
                        secure=settings.SESSION_COOKIE_SECURE or None,
                        httponly=settings.SESSION_COOKIE_HTTPONLY or None,
                        samesite=settings.SESSION_COOKIE_SAMESITE)
    patch_vary_headers(response, ("Cookie",))
    return response


def _granted(request, code: str) -> Application:
    if code not in request.session.get(TRACK_SESSION_KEY, []):
        raise Http404("请先输入查询码和验证信息。")
    return get_object_or_404(Application.objects.select_related("organ"), tracking_code=code)


# -- public --------------------------------------------------------------------------------


def apply(request, code: str | None = None):
    organ = get_object_or_404(Organ.objects.active(), code=code) if code else None
    ip = _ip(request)
    gate = services.apply_gate(ip=ip)
    if gate.limited:
        return render(request, "applications/public/limited.html", {"limit": gate.limit}, status=429)
    challenge = forms.make_challenge(gate.challenge_seed) if gate.challenge_seed is not None else None
    form = forms.PublicApplyForm(request.POST or None, request.FILES or None, organ=organ, challenge=challenge)
    if request.method == "POST" and form.is_valid():
        def create() -> str:
            # The submission log and the session grant join the application's transaction:
            # nothing after the commit can fail the answer.
            services.submission_log_add(ip=ip)
            app = services.application_submit(organ=form.target_organ, data=form.application_data(), ip=ip,
                                               files=form.cleaned_data.get("attachments") or [])
            _grant_in_transaction(request, app.tracking_code)
            return app.tracking_code

        try:
            once = submit_once(token=form.submission_token, purpose="application", create=create)
        except (ApplicationActionError, SubmissionTokenError) as exc:
            form.add_error(None, str(exc))
        else:
            if once.repeated:
                _grant(request, once.ref)  # a repeat holds the same one-time token: the same person
                return redirect("applications:receipt", code=once.ref)
            return _session_cookie(redirect("applications:receipt", code=once.ref), request)
    organs = Organ.objects.active().order_by("path") if organ is None else None
    return render(request, "applications/public/apply.html",
                  {"form": form, "organ": organ, "organs": organs}, status=400 if form.errors else 200)


def receipt(request, code: str):
    if code not in request.session.get(TRACK_SESSION_KEY, []):
        # A bookmark or another device: ask for the check, with the code filled in.
        return redirect(f"{reverse('applications:track')}?{urlencode({'code': code})}")
    app = _granted(request, code)
    clock = services.application_clock(app)
    letter = app.letters.filter(kind="receipt").first()
    return render(request, "applications/public/receipt.html", {"app": app, "clock": clock, "letter": letter})


def track(request):
    initial = {"code": request.GET.get("code", "")[:20]} if request.method == "GET" else None
    form = forms.TrackForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            app = services.application_track(code=form.cleaned_data["code"], check=form.cleaned_data["check"],
                                              ip=_ip(request))
        except services.TrackingRefused as exc:
            form.add_error(None, str(exc))
            status = 429 if exc.throttled else 400
        else:
            _grant(request, app.tracking_code)
            return redirect("applications:track_detail", code=app.tracking_code)
    if form.errors and status == 200:
        status = 400
    return render(request, "applications/public/track.html", {"form": form}, status=status)


def track_detail(request, code: str):
    app = _granted(request, code)
    clock = services.application_clock(app)
    letters = app.letters.filter(kind__in=APPLICANT_LETTERS)
    return render(request, "applications/public/track_detail.html", {
        "app": app, "clock": clock, "letters": letters,
        "events": app.events.all(), "determination": getattr(app, "determination", None),
        "provided_files": app.files.filter(source=ApplicationFile.Source.PROVIDED),
        "fee_notice": getattr(app, "fee_notice", None),
        "payment_details": services.letter_settings(app.organ).payment_details,
        "thread": app.thread.all(), "withdraw_form": forms.WithdrawForm(auto_id="withdraw-%s"),
        **{f"{name}_form": forms.ThreadForm(auto_id=f"{name}-%s") for name in TRACK_THREAD},
        "can_correct": not services.thread_refusal(app, ThreadKind.CORRECTION),
        "can_prove_fee": not services.thread_refusal(app, ThreadKind.FEE_PROOF),
        "can_withdraw": not hasattr(app, "determination") and app.clock_state not in ("stopped", "abandoned"),
    })


def _letter_response(letter: Letter, fmt: str):
    name = f"{letter.get_kind_display()}-{letter.application.tracking_code}"
    if fmt == "pdf":
        try:
            data = services.letter_pdf(letter)
        except LetterError as exc:
            return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
        response = HttpResponse(data, content_type="application/pdf")
        response["Content-Disposition"] = f"inline; filename*=UTF-8''{_quote(name)}.pdf"
        return response
    try:
        services.letter_ensure_rendered(letter)  # a receipt still waiting for its background job
    except ApplicationActionError as exc:
        return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
    return FileResponse(letter.docx.open("rb"), as_attachment=True, filename=f"{name}.docx")


def _quote(s: str) -> str:
    from urllib.parse import quote

    return quote(s)


TRACK_THREAD = {"message": ThreadKind.MESSAGE, "correction": ThreadKind.CORRECTION,
                "fee_proof": ThreadKind.FEE_PROOF}


def track_act(request, code: str, action: str):
    """The applicant answers from the tracking page: message, 补正, payment proof, withdrawal."""
    app = _granted(request, code)
    detail = reverse("applications:track_detail", args=[app.tracking_code])
    if request.method != "POST":
        return redirect(detail)
    if action == "withdraw":
        form = forms.WithdrawForm(request.POST)
        done = "已撤回申请，本申请终止办理。"
    elif action in TRACK_THREAD:
        form = forms.ThreadForm(request.POST, request.FILES)
        done = {"message": "留言已发送。", "correction": "补正已提交，受理机关确认后重新计算答复期限。",
                "fee_proof": "缴费凭证已上传，受理机关确认后恢复计时。"}[action]
    else:
        raise Http404
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, "；".join(errors))
        return redirect(f"{detail}#{action}")
    d = form.cleaned_data
    try:
        if action == "withdraw":
            services.application_withdraw(application=app, reason=d["reason"])
        else:
            services.application_thread_post(application=app, body=d["body"], kind=TRACK_THREAD[action],
                                              upload=d.get("file"))
    except ApplicationActionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect(f"{detail}#thread")


def track_thread_file(request, code: str, pk: int):
    app = _granted(request, code)
    m = get_object_or_404(app.thread.exclude(file=""), pk=pk)
    return FileResponse(m.file.open("rb"), as_attachment=True, filename=m.file_name or "附件")


def track_letter(request, code: str, pk: int, fmt: str):
    app = _granted(request, code)
    letter = get_object_or_404(app.letters.filter(kind__in=APPLICANT_LETTERS), pk=pk)
    return _letter_response(letter, fmt)


def track_file(request, code: str, pk: int):
    app = _granted(request, code)
    f = get_object_or_404(app.files.filter(source=ApplicationFile.Source.PROVIDED), pk=pk)
    return FileResponse(f.file.open("rb"), as_attachment=True, filename=f.name)


# -- workspace ----------------------------------------------------------------------------------


def _app(request, pk: int) -> Application:
    """An application the user may handle; others are 404 (their existence is not revealed)."""
    return get_object_or_404(selectors.visible_applications(request.user).select_related("organ", "handler"), pk=pk)


@staff_required
def thread_reply(request, pk: int):
    """Staff answer in the applicant's thread (the applicant gets an e-mail when they gave one)."""
    app = _app(request, pk)
    if request.method == "POST":
        form = forms.ThreadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.application_thread_post(application=app, body=form.cleaned_data["body"],
                                                  upload=form.cleaned_data.get("file"), actor=request.user)
            except ApplicationActionError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, "留言已发送给申请人。")
        else:
            for errors in form.errors.values():
                messages.error(request, "；".join(errors))
    return redirect(f"{reverse('applications:detail', args=[app.pk])}#thread")


@staff_required
def thread_accept(request, pk: int, mid: int):
    """Accept the applicant's online 补正 or payment proof: records the clock event."""
    app = _app(request, pk)
    msg = get_object_or_404(app.thread.all(), pk=mid)
    if request.method == "POST":
        try:
            services.application_thread_accept(actor=request.user, message=msg)
        except ApplicationActionError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "已确认，期限已重新计算。")
    return redirect(f"{reverse('applications:detail', args=[app.pk])}#thread")


@staff_required
def thread_file(request, pk: int, mid: int):
    app = _app(request, pk)
    m = get_object_or_404(app.thread.exclude(file=""), pk=mid)
    return FileResponse(m.file.open("rb"), as_attachment=True, filename=m.file_name or "附件")


@staff_required
def queue(request):
    user = request.user
    organs = organs_where(user, Perm.APPLICATION_HANDLE)
    if not organs.exists():
        raise PermissionDenied("您没有办理依申请公开申请的权限。")
    today = services.today()
    form = forms.QueueFilterForm(request.GET or None, organs=organs, handlers=selectors.handlers_for(organs))
    data = form.cleaned_data if form.is_valid() else {}
    apps = selectors.queue(user, state=data.get("state", ""), handler=data.get("handler", ""),
                           organ=data.get("organ"), q=data.get("q", ""), today=today)
    apps = apps.select_related("organ", "handler").only(
        "pk", "tracking_code", "name", "applicant_kind", "title", "arrived_on", "confirmed_on", "due_date",
        "clock_state", "closed_on", "repeat_of_id", "organ__name", "organ__short_name",
        "handler__username", "handler__first_name", "handler__last_name")
    sort = request.GET.get("sort", "")
    if sort.lstrip("-") in QUEUE_SORTS:
        field = QUEUE_SORTS[sort.lstrip("-")]
        apps = apps.order_by(f"-{field}" if sort.startswith("-") else field, "pk")
    page = Paginator(apps, 50).get_page(request.GET.get("page"))
    soon = due_soon_until(today)
    rows = [_queue_row(a, today, soon) for a in page]
    query = request.GET.copy()
    query.pop("page", None)
    unsorted = query.copy()
    unsorted.pop("sort", None)
    approvable = set(organs_where(user, Perm.APPLICATION_APPROVE_EXTENSION).values_list("pk", flat=True))
    pending = sum(1 for organ_id in ExtensionRequest.objects.filter(status=ExtensionRequest.Status.PENDING)
                  .values_list("application__organ_id", flat=True) if organ_id in approvable)
    return render(request, "applications/workspace/queue.html", {
        "page": page, "rows": rows, "form": form, "today": today, "soon": soon, "query": query.urlencode(),
        "pending_extensions": pending, "sort": sort, "unsorted": unsorted.urlencode(),
        "sort_columns": [(key, label, f"-{key}" if sort == key else key) for key, label in QUEUE_SORT_LABELS],
    })


#: Sortable queue columns: key → field (``?sort=key`` or ``-key``).
QUEUE_SORTS = {"code": "tracking_code", "name": "name", "organ": "organ__name", "received": "arrived_on",
               "due": "due_date", "state": "clock_state"}
QUEUE_SORT_LABELS = [("code", "查询码"), ("name", "申请人"), ("organ", "机关"), ("received", "收到"),
                     ("due", "答复期限"), ("state", "状态")]


_KINDS = dict(ApplicantKind.choices)
_STATES = {s.value: s.label for s in ClockState}


def _queue_row(a: Application, today: dt.date, soon: dt.date) -> dict:
    """One row of the queue, formatted in Python (the page shows 50 of 100,000 quickly)."""
    flag = a.deadline_flag(today=today, soon=soon)
    if a.closed_on:
        state = "已办结（视为放弃）" if a.clock_state == "abandoned" else "已办结"
    else:
        state = _STATES.get(a.clock_state, a.clock_state) + ("（已逾期）" if flag == "overdue" else "")
    h = a.handler
    return {
        "pk": a.pk, "code": a.tracking_code, "repeat": bool(a.repeat_of_id), "name": identity.mask_name(a.name),
        "kind": _KINDS.get(a.applicant_kind, ""), "title": a.title if len(a.title) <= 40 else a.title[:39] + "…",
        "organ": a.organ.short_name or a.organ.name, "received": a.receipt_date.isoformat(),
        "due": a.due_date.isoformat() if a.due_date else "", "flag": flag, "state": state,
        "projected": a.clock_state != "running" and not a.closed_on,
        "handler": (h.get_full_name() or h.username) if h else "未分配",
        "url": reverse("applications:detail", args=[a.pk]),
    }


@staff_required
@require_POST
def export_csv(request):
    """The queue as CSV with the queue's filters; personal data masked unless asked for with a
    reason (``full=1`` and ``reason``, only where the user handles applications); audited, so
    a POST from the queue page's export form."""
    user = request.user
    organs = organs_where(user, Perm.APPLICATION_HANDLE)
    if not organs.exists():
        raise PermissionDenied("您没有办理依申请公开申请的权限。")
    form = forms.QueueFilterForm(request.POST, organs=organs, handlers=selectors.handlers_for(organs))
    data = form.cleaned_data if form.is_valid() else {}
    apps = selectors.queue(user, state=data.get("state", ""), handler=data.get("handler", ""),
                           organ=data.get("organ"), q=data.get("q", ""), today=services.today())
    full = request.POST.get("full") == "1"
    try:
        lines = services.applications_export(
            actor=user, applications=apps, filters=data,
            full_for=set(organs.values_list("pk", flat=True)) if full else (), reason=request.POST.get("reason", ""))
    except ApplicationActionError as exc:
        messages.error(request, str(exc))
        query = {k: v for k, v in request.POST.items() if k in form.fields}
        return redirect(f"{reverse('applications:queue')}?{urlencode(query)}")
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = "attachment; filename=applications.csv"
    response["Cache-Control"] = "no-store"
    return response


@staff_required
def register(request):
    organs = organs_where(request.user, Perm.APPLICATION_HANDLE)
    if not organs.exists():
        raise PermissionDenied("您没有登记依申请公开申请的权限。")
    form = forms.RegisterForm(request.POST or None, request.FILES or None, organs=organs)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            app = services.application_register(actor=request.user, organ=d["organ"], data=form.application_data(),
                                                channel=d["channel"], arrived_on=d["arrived_on"],
                                                confirmed_on=d.get("confirmed_on"), files=d.get("attachments") or [])
        except ApplicationActionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已登记，查询码 {app.tracking_code}。")
            today = services.today()
            if app.due_date and app.clock_state == "running" and app.due_date < today:
                # A back-dated registration (a letter found late in the post room): say so at once.
                messages.warning(request, f"按收到申请之日计算，答复期限 {app.due_date:%Y年%m月%d日} 已过，"
                                          "该申请已经逾期，请尽快答复。")
            return redirect("applications:detail", pk=app.pk)
    return render(request, "applications/workspace/register.html", {"form": form}, status=400 if form.errors else 200)


def _detail_context(request, app: Application, bound: dict | None = None) -> dict:
    user = request.user
    today = services.today()
    bound = bound or {}
    closed = app.closed_on is not None
    organs = organs_where(user, Perm.APPLICATION_HANDLE)
    revealed = _revealed(request, app)
    consultations = services.open_consultations(app)
    try:
        clock = services.application_clock(app, on=today)
        clock_error = None
    except Exception as exc:  # noqa: BLE001 - a calendar change may invalidate an old log; show why
        clock, clock_error = None, str(exc)

    initial = {"assign": {"handler": app.handler_id}}
    action_forms = {name: bound.get(name) or _action_form(name, app, initial=initial.get(name)) for name in ACTIONS}
    similar = selectors.similar_to(user, app) if not closed else []
    action_reasons = services.action_failure_reasons(app, today)
    return {
        "app": app, "clock": clock, "clock_error": clock_error, "today": today, "closed": closed,
        "revealed": revealed, "can_reveal": services.can_handle(user, app) and not app.erased_at,
        "events": app.events.select_related("created_by"),
        "letters": app.letters.all(), "files": app.files.all(),
        "determination": getattr(app, "determination", None),
        "fee_notice": getattr(app, "fee_notice", None),
        "extension_requests": app.extension_requests.select_related("requested_by", "decided_by"),
        "reconsiderations": _with_reopen(app.reconsiderations.all()),
        "litigations": _with_reopen(app.litigations.all()),
        "can_approve": can(user, Perm.APPLICATION_APPROVE_EXTENSION, app.organ),
        "action_reasons": action_reasons, "extension_reason": action_reasons.get("extension"),
        "consultations": consultations, "similar": similar, "organs": organs,
        "history": services.audit_history(app),
        "result_choices": AppealResult.choices,
        "forms": {**action_forms, "extension_decision": forms.ExtensionDecisionForm(auto_id="id_decision_%s")},
    }


@staff_required
def detail(request, pk: int):
    app = _app(request, pk)
    return render(request, "applications/workspace/detail.html", _detail_context(request, app))


REVEAL_SESSION_KEY = "gongkai_revealed_applicants"
REVEAL_SECONDS = 600


def _revealed(request, app: Application) -> bool:
    """Whether the user asked (audited) to see this applicant's full numbers in the last ten minutes."""
    until = request.session.get(REVEAL_SESSION_KEY, {}).get(str(app.pk), 0)
    return until > time.time() and services.can_handle(request.user, app)


@staff_required
def personal_data(request, pk: int):
    """Show the applicant's full ID and phone numbers for ten minutes; the request is audited."""
    app = _app(request, pk)
    if request.method != "POST":  # a bookmarked or reloaded action URL: back to the page
        return redirect("applications:detail", pk=app.pk)
    try:
        applicant_reveal(actor=request.user, application=app, reason=request.POST.get("reason", ""))
    except ApplicationActionError as exc:
        messages.error(request, str(exc))
    else:
        granted = {k: v for k, v in request.session.get(REVEAL_SESSION_KEY, {}).items() if v > time.time()}
        granted[str(app.pk)] = time.time() + REVEAL_SECONDS
        request.session[REVEAL_SESSION_KEY] = granted
    return redirect("applications:detail", pk=app.pk)


#: Each action of the detail page: its form (validation, Chinese errors), the service it
#: calls with the form's ``service_kwargs()`` and the message shown when it is done.
ACTIONS: dict[str, tuple[type[forms.ActionForm], Callable[..., object], str]] = {
    "assign": (forms.AssignForm, services.application_assign, "已分配经办人。"),
    "correction": (forms.CorrectionForm, services.application_request_correction, "已告知补正，补正告知书已生成。"),
    "corrected": (forms.CorrectedForm, services.application_record_correction, "已记录补正后的申请，答复期限重新计算。"),
    "correction_expired": (forms.CorrectionExpiredForm, services.application_correction_expired,
                           "已记录逾期未补正，视为放弃申请。"),
    "consult": (forms.ConsultForm, services.application_consult, "已发出征求意见函，计时暂停。"),
    "consult_answer": (forms.ConsultAnswerForm, services.application_consultation_answered,
                       "已记录征求意见结果，恢复计时。"),
    "fee": (forms.FeeForm, services.application_fee_notice, "收费通知书已生成。"),
    "fee_paid": (forms.FeePaidForm, services.application_fee_paid, "已记录缴费，恢复计时。"),
    "fee_expired": (forms.FeeExpiredForm, services.application_fee_expired, "已记录逾期未缴费，视为放弃申请。"),
    "extension": (forms.ExtensionForm, services.application_request_extension, "已提交延期申请，待公开办负责人审批。"),
    "determine": (forms.DetermineForm, services.application_determine, "已作出答复，答复告知书已生成。"),
    "transfer": (forms.TransferForm, services.application_transfer, "已答复并告知负责公开的机关。"),
    "reconsideration": (forms.ReconsiderationForm, services.reconsideration_add, "已登记行政复议。"),
    "litigation": (forms.LitigationForm, services.litigation_add, "已登记行政诉讼。"),
}


def _action_form(action: str, app: Application, *args, **kwargs) -> forms.ActionForm:
    """The form of ``action`` for ``app`` (the choices some forms offer depend on the application)."""
    if action == "assign":
        kwargs["handlers"] = selectors.handlers_for(Organ.objects.filter(pk=app.organ_id))
    elif action == "consult_answer":
        kwargs["letters"] = services.open_consultations(app)
    elif action == "reconsideration":
        kwargs["initial"] = {"body": services.reconsideration_body(app.organ)}
    return ACTIONS[action][0](*args, auto_id=f"id_{action}_%s", **kwargs)


@staff_required
def act(request, pk: int, action: str):
    app = _app(request, pk)
    if action not in ACTIONS:
        raise Http404
    if request.method != "POST":  # a bookmarked or reloaded action URL: back to the page
        return redirect("applications:detail", pk=app.pk)
    _form_class, service, done = ACTIONS[action]
    form = _action_form(action, app, request.POST, request.FILES)
    if form.is_valid():
        try:
            service(actor=request.user, application=app, **form.service_kwargs())
        except ApplicationActionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, done)
            return redirect("applications:detail", pk=app.pk)
    messages.error(request, "操作未完成，请查看表单中的提示。")
    ctx = _detail_context(request, app, bound={action: form})
    ctx["failed"] = action
    return render(request, "applications/workspace/detail.html", ctx, status=400)


@staff_required
def convert(request, pk: int):
    app = _app(request, pk)
    if request.method != "POST":
        return redirect("applications:detail", pk=app.pk)
    det = getattr(app, "determination", None)
    if det is None:
        raise Http404
    try:
        record = services.application_convert_to_record(actor=request.user, determination=det)
    except ApplicationActionError as exc:
        messages.error(request, str(exc))
        return redirect("applications:detail", pk=app.pk)
    messages.success(request, f"已创建主动公开草稿（索引号 {record.index_no}），请完善后提交审核。")
    return redirect("applications:detail", pk=app.pk)


@staff_required
def extensions(request):
    organs = organs_where(request.user, Perm.APPLICATION_APPROVE_EXTENSION)
    if not organs.exists():
        raise PermissionDenied("延期须经公开办负责人审批，您没有审批权限。")
    pending = list(ExtensionRequest.objects.filter(status=ExtensionRequest.Status.PENDING, application__organ__in=organs)
                   .select_related("application__organ", "requested_by"))
    cal = get_work_calendar()
    for r in pending:  # the approver sees what the decision changes
        r.current_due = r.application.due_date
        try:
            r.resulting_due = cal.add_workdays(r.current_due, r.workdays) if r.current_due else None
        except CalendarError:
            r.resulting_due = None
    return render(request, "applications/workspace/extensions.html",
                  {"pending": pending, "form": forms.ExtensionDecisionForm()})


@staff_required
def extension_decide(request, pk: int):
    req = get_object_or_404(ExtensionRequest.objects.select_related("application__organ"), pk=pk,
                            application__in=selectors.visible_applications(request.user))
    if request.method != "POST":
        return redirect("applications:detail", pk=req.application_id)
    form = forms.ExtensionDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择审批意见。")
    else:
        try:
            services.application_decide_extension(actor=request.user, request=req,
                                                  approve=form.cleaned_data["decision"] == "approve",
                                                  comment=form.cleaned_data.get("comment", ""))
        except ApplicationActionError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "已审批延期申请。")
    nxt = request.POST.get("next", "")
    if nxt == "list":
        return redirect("applications:extensions")
    return redirect("applications:detail", pk=req.application_id)


def _visible_appeal(request, kind: str, pk: int):
    """The 复议 or 诉讼 ``pk`` of an application the user may see (404 otherwise)."""
    model = {"reconsideration": Reconsideration, "litigation": Litigation}.get(kind)
    if model is None:
        raise Http404
    return get_object_or_404(model.objects.select_related("application__organ"), pk=pk,
                             application__in=selectors.visible_applications(request.user))


@staff_required
def appeal_result(request, kind: str, pk: int):
    appeal = _visible_appeal(request, kind, pk)
    if request.method != "POST":
        return redirect("applications:detail", pk=appeal.application_id)
    form = forms.AppealResultForm(request.POST)
    if form.is_valid():
        try:
            services.appeal_set_result(actor=request.user, appeal=appeal, result=form.cleaned_data["result"],
                                       decided_on=form.cleaned_data.get("decided_on"),
                                       decision_no=form.cleaned_data.get("decision_no", ""))
        except ApplicationActionError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "已更新结果。")
    else:
        messages.error(request, "请选择结果并填写日期。")
    return redirect("applications:detail", pk=appeal.application_id)


def _with_reopen(appeals) -> list:
    """The appeals, each with ``reopen_reason`` (why a 纠正 result cannot reopen the application now)."""
    out = list(appeals)
    for a in out:
        a.reopen_reason = services.reopen_failure_reason(a) if a.result == AppealResult.CORRECTED else ""
    return out


@staff_required
def appeal_reopen(request, kind: str, pk: int):
    """A 复议决定 or judgment that corrected the answer reopens the application (clock restarts)."""
    appeal = _visible_appeal(request, kind, pk)
    if request.method != "POST":
        return redirect("applications:detail", pk=appeal.application_id)
    form = forms.AppealReopenForm(request.POST)
    if not form.is_valid():
        errors = "；".join(e for errs in form.errors.values() for e in errs)
        messages.error(request, f"未能重新办理：{errors}")
        return redirect("applications:detail", pk=appeal.application_id)
    d = form.cleaned_data
    try:
        services.appeal_reopen(actor=request.user, appeal=appeal, on=d["on"], deadline=d.get("deadline"),
                               workdays=d.get("workdays"), note=d.get("note", ""))
    except ApplicationActionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "原答复已被纠正，申请重新办理，答复期限重新计算。")
    return redirect("applications:detail", pk=appeal.application_id)


@staff_required
def similar(request):
    groups = selectors.similar_groups(request.user, today=services.today())
    return render(request, "applications/workspace/similar.html", {"groups": groups})


@staff_required
def letter(request, pk: int, fmt: str):
    letter = get_object_or_404(Letter.objects.select_related("application"), pk=pk,
                               application__in=selectors.visible_applications(request.user))
    return _letter_response(letter, fmt)


@staff_required
def file(request, pk: int):
    f = get_object_or_404(ApplicationFile, pk=pk, application__in=selectors.visible_applications(request.user))
    content_type = mimetypes.guess_type(f.name)[0] or "application/octet-stream"
    return FileResponse(f.file.open("rb"), as_attachment=True, filename=f.name, content_type=content_type)


def track_url(app: Application) -> str:
    return reverse("applications:track_detail", kwargs={"code": app.tracking_code})


__all__ = ["dt"]
