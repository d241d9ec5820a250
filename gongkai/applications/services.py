"""Writes to applications: every action is one transaction that appends its clock
event (validated by the pure clock), refreshes the due-date cache, writes the
audit row and produces the letter the law wants; e-mail goes out on commit.

Actions refuse with :class:`ApplicationActionError` (a Chinese sentence for the
person at the screen) before anything is written.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from gongkai.core.audit import audit_log
from gongkai.core.calendar import get_work_calendar
from gongkai.core.models import AuditEventType, Organ, OrganKind
from gongkai.core.permissions import Perm, can
from gongkai.workdays import WorkCalendar

from . import fees, identity, similarity
from .clock import (
    DEFAULT_SETTINGS,
    Channel,
    ClockError,
    ClockResult,
    ClockState,
    ConsultedParty,
    EventKind,
    compute_clock,
)
from .fastclock import KIND_CODES, fast_calendar, fast_clock, supports
from .letters.render import LetterError, builtin_template, docx_to_pdf, render_docx
from .models import (
    APPLICANT_LETTERS,
    BASIS_OVERRIDES,
    EVENT_ONLY_OUTCOMES,
    OUTCOME_BASIS,
    OUTCOME_REPLY_TYPES,
    ApplicantKind,
    Application,
    ApplicationEvent,
    ApplicationFile,
    Determination,
    ExtensionRequest,
    FeeNotice,
    IdType,
    Letter,
    LetterKind,
    LetterTemplate,
    Litigation,
    Outcome,
    Reconsideration,
    ReplyType,
)

log = logging.getLogger(__name__)

CLOCK_SETTINGS = DEFAULT_SETTINGS
_TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
ERASED = "（已删除）"


class ApplicationActionError(Exception):
    """An action cannot happen; the message says why, in Chinese."""


def today() -> dt.date:
    return timezone.localdate()


def date_cn(d: dt.date | None) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else "（暂停计时，待恢复后计算）"


def new_tracking_code() -> str:
    return "GK" + "".join(secrets.choice(_TRACKING_ALPHABET) for _ in range(10))


def can_handle(user, application: Application) -> bool:
    """Handlers of the organ and its 公开办 (roles above it): may act and see personal data."""
    return can(user, Perm.APPLICATION_HANDLE, application.organ)


def _require_handle(actor, application: Application) -> None:
    if not can_handle(actor, application):
        raise ApplicationActionError("您没有办理该机关依申请公开申请的权限。")


# -- the clock ---------------------------------------------------------------------------


def application_clock(
    application: Application,
    *,
    on: dt.date | None = None,
    calendar: WorkCalendar | None = None,
    events: Iterable[ApplicationEvent] | None = None,
) -> ClockResult:
    """The full clock with its explanation, as of ``on`` (today)."""
    rows = list(events) if events is not None else list(application.events.all())
    return compute_clock(
        [e.to_clock_event() for e in rows],
        calendar=calendar or get_work_calendar(),
        settings=CLOCK_SETTINGS,
        today=on or today(),
    )


def _cache_fields(result: ClockResult) -> dict[str, Any]:
    due = result.due_date or result.projected_due_date
    closed = result.stopped_on if result.state in (ClockState.STOPPED, ClockState.ABANDONED) else None
    return {"clock_state": result.state.value, "due_date": due, "clock_computed_on": result.as_of,
            "closed_on": closed}


def applications_recompute(
    *, queryset=None, on: dt.date | None = None, batch: int = 2000
) -> dict[str, int]:
    """Recompute the due-date cache of every application (fast path); returns counts.

    Run nightly and whenever the working-day calendar changes.
    """
    on = on or today()
    cal = get_work_calendar()
    table = fast_calendar(cal)
    day = on.toordinal()
    qs = (queryset if queryset is not None else Application.objects.all()).order_by("pk")
    total = 0
    ids = list(qs.values_list("pk", flat=True))
    by_due: dict[tuple[str, dt.date | None], list[int]] = {}
    by_closed: dict[dt.date | None, list[int]] = {}
    for i in range(0, len(ids), batch):
        chunk = ids[i : i + batch]
        logs: dict[int, list[tuple[int, int, int]]] = {pk: [] for pk in chunk}
        last_day: dict[int, dt.date] = {}
        rows = (ApplicationEvent.objects.filter(application_id__in=chunk).order_by("application_id", "seq")
                .values_list("application_id", "kind", "date", "confirmed", "workdays"))
        for app_id, kind, date, confirmed, workdays in rows:
            logs[app_id].append((KIND_CODES[kind], (confirmed or date).toordinal(), workdays or 0))
            last_day[app_id] = date
        current = {pk: (st, due, closed) for pk, st, due, closed in Application.objects.filter(pk__in=chunk)
                   .values_list("pk", "clock_state", "due_date", "closed_on")}
        for pk, events in logs.items():
            if not events:
                continue
            total += 1
            state, due = fast_clock(events, table, day, CLOCK_SETTINGS)
            due_date = dt.date.fromordinal(due) if due is not None else None
            closed_on = last_day[pk] if state in ("stopped", "abandoned") else None
            old = current.get(pk)
            if old is None or old[:2] != (state, due_date):
                by_due.setdefault((state, due_date), []).append(pk)
            if old is None or old[2] != closed_on:
                by_closed.setdefault(closed_on, []).append(pk)
    # One UPDATE per distinct value (a few hundred statements for 100,000 rows), in slices of 2,000 ids.
    changed: set[int] = set()
    for (state, due_date), pks in by_due.items():
        changed.update(pks)
        for k in range(0, len(pks), 2000):
            Application.objects.filter(pk__in=pks[k : k + 2000]).update(
                clock_state=state, due_date=due_date, clock_computed_on=on)
    for closed_on, pks in by_closed.items():
        changed.update(pks)
        for k in range(0, len(pks), 2000):
            Application.objects.filter(pk__in=pks[k : k + 2000]).update(closed_on=closed_on)
    return {"total": total, "changed": len(changed)}


def due_dates_fast(logs: Iterable[list[tuple[int, int, int]]], *, on: dt.date,
                   calendar: WorkCalendar | None = None) -> list[tuple[str, int | None]]:
    """The fast path over in-memory logs (the benchmark measures this)."""
    if not supports(CLOCK_SETTINGS):  # pragma: no cover - settings are the defaults
        raise ApplicationActionError("当前计时设置不支持快速计算")
    table = fast_calendar(calendar or get_work_calendar())
    day = on.toordinal()
    return [fast_clock(events, table, day, CLOCK_SETTINGS) for events in logs]


# -- events ------------------------------------------------------------------------------


def _lock(application: Application) -> Application:
    return Application.objects.select_for_update().get(pk=application.pk)


@dataclass
class _Appended:
    application: Application
    event: ApplicationEvent
    clock: ClockResult


def _append_event(
    application: Application, *, actor, kind: EventKind, on: dt.date, note: str = "",
    details: dict[str, Any] | None = None, **fields: Any,
) -> _Appended:
    """Validate the event against the whole log with the pure clock, then save it (locked)."""
    app = _lock(application)
    events = list(app.events.all())
    current = today()
    if on > current:
        raise ApplicationActionError(f"日期 {on.isoformat()} 晚于今天，不能预先记录。")
    event = ApplicationEvent(application=app, seq=len(events) + 1, kind=kind.value, date=on, note=note,
                             details=details or {}, created_by=actor if getattr(actor, "is_authenticated", False) else None,
                             **{k: ("" if v is None and k in ("channel", "party", "ref") else v) for k, v in fields.items()})
    try:
        clock = application_clock(app, on=current, events=[*events, event])
    except ClockError as exc:
        raise ApplicationActionError(str(exc)) from None
    event.save()
    before = {"clock_state": app.clock_state, "due_date": app.due_date}
    for key, value in _cache_fields(clock).items():
        setattr(app, key, value)
    app.save(update_fields=["clock_state", "due_date", "clock_computed_on", "closed_on"])
    audit_log(actor=actor, event_type=AuditEventType.APPLICATION_EVENT, obj=app, organ=app.organ,
              changes={k: [v, getattr(app, k)] for k, v in before.items() if v != getattr(app, k)},
              note=f"{event.get_kind_display()}（{on.isoformat()}）{('：' + note) if note else ''}")
    return _Appended(app, event, clock)


# -- letters -----------------------------------------------------------------------------

_ABBR = {LetterKind.RECEIPT: "收", LetterKind.CORRECTION: "补", LetterKind.CONSULTATION: "征",
         LetterKind.FEE: "费", LetterKind.EXTENSION: "延", LetterKind.REPLY: "答"}


def reconsideration_body(organ: Organ) -> str:
    """行政复议机关 (行政复议法 2023 Art. 24): a department's government; a government's superior."""
    chain = [*reversed(organ.ancestors())]
    if organ.kind in (OrganKind.GOVERNMENT, OrganKind.TOWN):
        for o in chain:
            if o.kind == OrganKind.GOVERNMENT:
                return o.name
        return "上一级人民政府"
    for o in chain:
        if o.kind == OrganKind.GOVERNMENT:
            return o.name
    return "本级人民政府"


def _base_context(app: Application, clock: ClockResult | None) -> dict[str, Any]:
    organ = app.organ
    due = clock.due_date if clock else app.due_date
    return {
        "organ_name": organ.name,
        "organ_phone": organ.phone or "—",
        "organ_address": organ.address or "—",
        "applicant_name": app.name,
        "tracking_code": app.tracking_code,
        "received_cn": date_cn(app.receipt_date),
        "channel": Channel(app.channel).label,
        "app_title": app.title,
        "app_doc_no": app.doc_no,
        "due_cn": date_cn(due),
        "date_cn": date_cn(today()),
        "extension_workdays": clock.extension_workdays if clock else 0,
        "excluded_workdays": clock.excluded_workdays if clock else 0,
        "explanation": list(clock.explanation) if clock else [],
        "reconsideration_body": reconsideration_body(organ),
        "court": "有管辖权的人民法院",
        "track_url": getattr(settings, "GONGKAI_SITE_URL", "") + reverse("applications:track"),
    }


def _template_for(app: Application, kind: str):
    custom = LetterTemplate.objects.filter(organ=app.organ, kind=kind).first()
    if custom and custom.file:
        return custom.file.path
    return builtin_template(kind)


def _letter(app: Application, *, kind: LetterKind, clock: ClockResult | None, actor,
            event: ApplicationEvent | None = None, **extra: Any) -> Letter:
    context = _base_context(app, clock)
    context.update(extra)
    year = (event.date if event else today()).year
    n = app.letters.filter(kind=kind).count() + 1
    suffix = f"-{n}" if n > 1 else ""
    context["number"] = f"{app.organ.display_name}依申{_ABBR[kind]}〔{year}〕{app.pk}{suffix}号"
    context["letter_title"] = kind.label if kind != LetterKind.RECEIPT else "政府信息公开申请回执"
    try:
        data = render_docx(_template_for(app, kind), context)
    except LetterError as exc:
        raise ApplicationActionError(str(exc)) from exc
    letter = Letter(application=app, kind=kind, number=context["number"], event=event,
                    to_applicant=kind in APPLICANT_LETTERS,
                    context={k: v for k, v in context.items() if isinstance(v, str | int)})
    letter.docx.save(f"{kind}-{app.pk}{suffix}.docx", ContentFile(data), save=False)
    letter.save()
    audit_log(actor=actor, event_type=AuditEventType.APPLICATION_LETTER, obj=app, organ=app.organ,
              note=f"{kind.label} {letter.number}")
    if letter.to_applicant:
        _email_applicant(app, letter)
    return letter


def letter_pdf(letter: Letter) -> bytes:
    """The PDF of a letter, rendered on first request and stored."""
    if letter.pdf:
        with letter.pdf.open("rb") as fh:
            return fh.read()
    with letter.docx.open("rb") as fh:
        data = docx_to_pdf(fh.read())
    letter.pdf.save(f"{letter.kind}-{letter.application_id}-{letter.pk}.pdf", ContentFile(data), save=False)
    Letter.objects.filter(pk=letter.pk).update(pdf=letter.pdf.name)
    return data


def _email_applicant(app: Application, letter: Letter) -> None:
    if not app.email:
        return
    subject = f"【{app.organ.name}】{letter.get_kind_display()}（查询码 {app.tracking_code}）"
    body = (f"{app.name}：\n\n{app.organ.name}就您的政府信息公开申请“{app.title}”出具了{letter.get_kind_display()}"
            f"（{letter.number}）。请凭查询码 {app.tracking_code} 和联系电话后四位登录查询页面查看和下载。\n")
    to = app.email
    transaction.on_commit(lambda: _send(subject, body, [to]))


def _send(subject: str, body: str, to: list[str]) -> None:
    try:
        send_mail(subject, body, None, to)
    except Exception:  # noqa: BLE001 - mail failure must not undo the action
        log.exception("依申请公开邮件发送失败")


# -- intake ------------------------------------------------------------------------------


def validate_identity(*, applicant_kind: str, id_type: str, id_number: str) -> str:
    """The normalised identity number, or ApplicationActionError."""
    number = identity.normalize_id(id_number)
    if not number:
        raise ApplicationActionError("请填写证件号码。")
    organisation = applicant_kind != ApplicantKind.NATURAL_PERSON
    if organisation and id_type not in (IdType.CREDIT_CODE, IdType.OTHER):
        raise ApplicationActionError("法人或其他组织请填写统一社会信用代码。")
    if not organisation and id_type == IdType.CREDIT_CODE:
        raise ApplicationActionError("自然人请填写身份证件号码，不能填写统一社会信用代码。")
    try:
        if id_type == IdType.RESIDENT_ID:
            return identity.check_resident_id(number)
        if id_type == IdType.CREDIT_CODE:
            return identity.check_credit_code(number)
    except identity.IdentityError as exc:
        raise ApplicationActionError(str(exc)) from exc
    return number


APPLICANT_FIELDS = ("applicant_kind", "name", "id_type", "id_number", "contact_person", "legal_representative",
                    "phone", "email", "address", "postcode", "title", "doc_no", "description", "delivery",
                    "receive_via", "fee_waiver_requested")


def _find_repeat(app: Application) -> Application | None:
    """An earlier, answered application of the same applicant to the same organ asking the same."""
    earlier = (Application.objects.filter(organ=app.organ, id_number=app.id_number, closed_on__isnull=False,
                                          determination__isnull=False)
               .exclude(pk=app.pk).only("pk", "title", "description").order_by("-pk")[:50])
    mine = similarity.bigrams(app.title + app.description)
    for other in earlier:
        if similarity.similarity(mine, other.title + other.description) >= similarity.SIMILAR:
            return other
    return None


def _create(*, organ: Organ, data: dict[str, Any], channel: Channel, arrived_on: dt.date,
            confirmed_on: dt.date | None, actor, ip: str | None,
            files: Iterable[UploadedFile] = ()) -> Application:
    data = {k: data[k] for k in APPLICANT_FIELDS if k in data}
    data["id_number"] = validate_identity(applicant_kind=data.get("applicant_kind", ""),
                                          id_type=data.get("id_type", ""), id_number=data.get("id_number", ""))
    for key in ("name", "phone", "title", "description"):
        data[key] = (data.get(key) or "").strip()
        if not data[key]:
            raise ApplicationActionError("申请人姓名或名称、联系电话、所需信息名称和内容描述都必须填写。")
    if confirmed_on is not None and not channel.needs_confirmation:
        confirmed_on = None
    app = Application(organ=organ, channel=channel.value, arrived_on=arrived_on, confirmed_on=confirmed_on,
                      submitted_ip=ip, created_by=actor if getattr(actor, "is_authenticated", False) else None,
                      tracking_code=new_tracking_code(), **data)
    app.save()
    app.serial = f"{app.receipt_date.year}-{app.pk:05d}"
    app.repeat_of = _find_repeat(app)
    app.save(update_fields=["serial", "repeat_of"])
    for f in files:
        ApplicationFile.objects.create(application=app, source=ApplicationFile.Source.APPLICANT, file=f,
                                       name=f.name[:200], size=f.size or 0)
    appended = _append_event(app, actor=actor, kind=EventKind.RECEIVED, on=arrived_on, channel=channel.value,
                             confirmed=confirmed_on)
    app = appended.application
    audit_log(actor=actor, event_type=AuditEventType.APPLICATION_RECEIVED, obj=app, organ=organ,
              note=f"{channel.label}，收到申请之日 {app.receipt_date.isoformat()}")
    _letter(app, kind=LetterKind.RECEIPT, clock=appended.clock, actor=actor, event=appended.event)
    return app


@transaction.atomic
def application_submit(*, organ: Organ, data: dict[str, Any], ip: str | None = None,
                       files: Iterable[UploadedFile] = ()) -> Application:
    """An application made on this platform (网络). The platform confirms receipt at once
    with the receipt (回执), so the confirmation day — the date of receipt (Art. 31) — is today."""
    if not organ.is_active:
        raise ApplicationActionError("该机关暂不接受网上申请。")
    on = today()
    return _create(organ=organ, data=data, channel=Channel.ONLINE, arrived_on=on, confirmed_on=on,
                   actor=None, ip=ip, files=files)


@transaction.atomic
def application_register(*, actor, organ: Organ, data: dict[str, Any], channel: Channel | str,
                         arrived_on: dt.date, confirmed_on: dt.date | None = None,
                         files: Iterable[UploadedFile] = ()) -> Application:
    """An application by post, in person or by fax, registered by staff with its channel and dates."""
    if not can(actor, Perm.APPLICATION_HANDLE, organ):
        raise ApplicationActionError("您没有登记该机关依申请公开申请的权限。")
    channel = Channel(channel)
    if confirmed_on is not None and confirmed_on < arrived_on:
        raise ApplicationActionError("确认日期不能早于到达日期。")
    if confirmed_on is not None and not channel.needs_confirmation:
        raise ApplicationActionError(f"{channel.label}的申请无需确认：{channel.receipt_rule}。")
    return _create(organ=organ, data=data, channel=channel, arrived_on=arrived_on, confirmed_on=confirmed_on,
                   actor=actor, ip=None, files=files)


@transaction.atomic
def application_assign(*, actor, application: Application, handler) -> Application:
    _require_handle(actor, application)
    app = _lock(application)
    if handler is not None and not can(handler, Perm.APPLICATION_HANDLE, app.organ):
        raise ApplicationActionError(f"{handler} 不是该机关的依申请公开经办人。")
    old = app.handler
    app.handler = handler
    app.save(update_fields=["handler"])
    audit_log(actor=actor, event_type=AuditEventType.APPLICATION_ASSIGNED, obj=app, organ=app.organ,
              changes={"handler": [old, handler]})
    return app


# -- correction ----------------------------------------------------------------------------


@transaction.atomic
def application_request_correction(*, actor, application: Application, on: dt.date, deadline: dt.date,
                                   items: str) -> Application:
    _require_handle(actor, application)
    items = (items or "").strip()
    if not items:
        raise ApplicationActionError("请写明需要补正的事项（一次性告知）。")
    r = _append_event(application, actor=actor, kind=EventKind.CORRECTION_REQUESTED, on=on, deadline=deadline,
                      details={"items": items})
    _letter(r.application, kind=LetterKind.CORRECTION, clock=r.clock, actor=actor, event=r.event, items=items,
            correction_deadline_cn=date_cn(deadline))
    return r.application


@transaction.atomic
def application_record_correction(*, actor, application: Application, on: dt.date, text: str) -> Application:
    _require_handle(actor, application)
    text = (text or "").strip()
    if not text:
        raise ApplicationActionError("请录入补正后的申请内容。")
    r = _append_event(application, actor=actor, kind=EventKind.CORRECTED, on=on, details={"text": text})
    return r.application


@transaction.atomic
def application_correction_expired(*, actor, application: Application, on: dt.date) -> Application:
    _require_handle(actor, application)
    r = _append_event(application, actor=actor, kind=EventKind.CORRECTION_EXPIRED, on=on)
    _close_with(r.application, outcome=Outcome.OTHER_NO_CORRECTION, reply_type=ReplyType.ABANDONED_CORRECTION,
                on=on, actor=actor)
    return r.application


# -- consultation --------------------------------------------------------------------------


@transaction.atomic
def application_consult(*, actor, application: Application, on: dt.date, party: ConsultedParty | str,
                        party_name: str, content: str, delivered: dt.date | None = None) -> Application:
    _require_handle(actor, application)
    party_name = (party_name or "").strip()
    if not party_name:
        raise ApplicationActionError("请填写征求意见对象的名称。")
    ref = f"Z{application.events.filter(kind=EventKind.CONSULTATION_SENT).count() + 1}"
    r = _append_event(application, actor=actor, kind=EventKind.CONSULTATION_SENT, on=on,
                      party=ConsultedParty(party).value, ref=ref, delivered=delivered,
                      details={"party_name": party_name, "content": content})
    _letter(r.application, kind=LetterKind.CONSULTATION, clock=r.clock, actor=actor, event=r.event,
            party_name=party_name, content=(content or "涉及贵方").strip())
    return r.application


def open_consultations(application: Application) -> list[ApplicationEvent]:
    events = list(application.events.all())
    closed = {e.ref for e in events if e.kind in (EventKind.CONSULTATION_ANSWERED, EventKind.CONSULTATION_EXPIRED)}
    return [e for e in events if e.kind == EventKind.CONSULTATION_SENT and e.ref not in closed]


@transaction.atomic
def application_consultation_answered(*, actor, application: Application, on: dt.date, ref: str,
                                      answer: str = "", expired: bool = False) -> Application:
    _require_handle(actor, application)
    kind = EventKind.CONSULTATION_EXPIRED if expired else EventKind.CONSULTATION_ANSWERED
    r = _append_event(application, actor=actor, kind=kind, on=on, ref=ref, details={"answer": (answer or "").strip()})
    return r.application


# -- fee ----------------------------------------------------------------------------------


def prior_in_month(application: Application) -> int:
    """Applications of the same applicant received earlier in the same natural month (按件计收)."""
    year, month = fees.billing_month(application.receipt_date)
    first = dt.date(year, month, 1)
    same = Application.objects.filter(id_number=application.id_number, erased_at__isnull=True).exclude(pk=application.pk)
    count = 0
    for other in same.only("pk", "arrived_on", "confirmed_on"):
        r = other.receipt_date
        if first <= r and (r.year, r.month) == (year, month) and (r, other.pk) < (application.receipt_date, application.pk):
            count += 1
    return count


@transaction.atomic
def application_fee_notice(*, actor, application: Application, on: dt.date, standard: fees.FeeStandard | str,
                           pages: int | None = None, units: int = 1, how_to_pay: str = "") -> Application:
    _require_handle(actor, application)
    standard = fees.FeeStandard(standard)
    prior = prior_in_month(application)
    try:
        quote = fees.fee_quote(standard=standard, prior_in_month=prior, units=units, pages=pages,
                               delivery=fees.Delivery(application.delivery))
    except fees.FeeError as exc:
        raise ApplicationActionError(str(exc)) from exc
    if quote.amount <= 0:
        raise ApplicationActionError("按所选标准计算，本申请无需收费（应缴金额为 0），不发收费通知。")
    r = _append_event(application, actor=actor, kind=EventKind.FEE_NOTICE_SENT, on=on)
    cal = get_work_calendar()
    pay_by = cal.add_workdays(on, CLOCK_SETTINGS.fee_payment_workdays)
    FeeNotice.objects.create(application=r.application, standard=standard.value, prior_in_month=prior, units=units,
                             pages=pages, amount=quote.amount, breakdown=list(quote.breakdown), issued_on=on,
                             pay_by=pay_by)
    _letter(r.application, kind=LetterKind.FEE, clock=r.clock, actor=actor, event=r.event,
            standard=standard.label, breakdown=list(quote.breakdown), amount=f"{quote.amount:.2f}",
            amount_words=fees.amount_in_words(quote.amount), pay_by_cn=date_cn(pay_by),
            how_to_pay=how_to_pay or "按本通知所附缴款信息缴入国库（非税收入）",
            fee_pauses=CLOCK_SETTINGS.fee_period_excluded)
    return r.application


@transaction.atomic
def application_fee_paid(*, actor, application: Application, on: dt.date) -> Application:
    _require_handle(actor, application)
    r = _append_event(application, actor=actor, kind=EventKind.FEE_PAID, on=on)
    FeeNotice.objects.filter(application=r.application).update(paid_on=on)
    return r.application


@transaction.atomic
def application_fee_expired(*, actor, application: Application, on: dt.date) -> Application:
    _require_handle(actor, application)
    r = _append_event(application, actor=actor, kind=EventKind.FEE_EXPIRED, on=on)
    _close_with(r.application, outcome=Outcome.OTHER_NO_FEE, reply_type=ReplyType.ABANDONED_FEE, on=on, actor=actor)
    return r.application


# -- extension ----------------------------------------------------------------------------


def extension_failure_reason(application: Application, workdays: int, on: dt.date | None = None) -> str | None:
    """Why an extension of ``workdays`` could not be approved today (None: it could)."""
    on = on or today()
    events = list(application.events.all())
    trial = ApplicationEvent(application=application, seq=len(events) + 1, kind=EventKind.EXTENDED, date=on,
                             workdays=workdays)
    try:
        application_clock(application, on=on, events=[*events, trial])
    except ClockError as exc:
        return str(exc).split("：", 1)[-1]
    return None


@transaction.atomic
def application_request_extension(*, actor, application: Application, workdays: int, reason: str) -> ExtensionRequest:
    _require_handle(actor, application)
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationActionError("请写明延期理由。")
    if not 1 <= workdays <= CLOCK_SETTINGS.max_extension_workdays:
        raise ApplicationActionError(f"延长的期限应为 1 至 {CLOCK_SETTINGS.max_extension_workdays} 个工作日。")
    app = _lock(application)
    why = extension_failure_reason(app, workdays)
    if why:
        raise ApplicationActionError(f"不能申请延期：{why}")
    if app.extension_requests.filter(status=ExtensionRequest.Status.PENDING).exists():
        raise ApplicationActionError("已有待审批的延期申请。")
    req = ExtensionRequest.objects.create(application=app, workdays=workdays, reason=reason, requested_by=actor)
    audit_log(actor=actor, event_type=AuditEventType.APPLICATION_EXTENSION_REQUESTED, obj=app, organ=app.organ,
              note=f"申请延期 {workdays} 个工作日：{reason}")
    return req


@transaction.atomic
def application_decide_extension(*, actor, request: ExtensionRequest, approve: bool, comment: str = "") -> ExtensionRequest:
    """The head of the 公开办 approves (the EXTENDED event and the letter) or refuses."""
    req = ExtensionRequest.objects.select_for_update().select_related("application__organ").get(pk=request.pk)
    app = req.application
    if not can(actor, Perm.APPLICATION_APPROVE_EXTENSION, app.organ):
        raise ApplicationActionError("延期须经政府信息公开工作机构负责人（公开办负责人）同意，您没有审批权限。")
    if req.status != ExtensionRequest.Status.PENDING:
        raise ApplicationActionError("该延期申请已审批。")
    on = today()
    req.decided_by = actor
    req.decided_on = on
    req.comment = (comment or "").strip()[:300]
    if approve:
        before = application_clock(app, on=on)
        r = _append_event(app, actor=actor, kind=EventKind.EXTENDED, on=on, workdays=req.workdays,
                          note=f"经{actor.get_full_name() or actor.get_username()}同意",
                          details={"reason": req.reason, "approved_by": actor.get_username()})
        req.status = ExtensionRequest.Status.APPROVED
        _letter(r.application, kind=LetterKind.EXTENSION, clock=r.clock, actor=actor, event=r.event,
                reason=req.reason, workdays=req.workdays, old_due_cn=date_cn(before.due_date))
    else:
        req.status = ExtensionRequest.Status.REFUSED
    req.save(update_fields=["status", "decided_by", "decided_on", "comment"])
    audit_log(actor=actor, event_type=AuditEventType.APPLICATION_EXTENSION_DECIDED, obj=app, organ=app.organ,
              note=f"{req.get_status_display()}延期 {req.workdays} 个工作日{('：' + req.comment) if req.comment else ''}")
    return req


# -- determination -------------------------------------------------------------------------


def _close_with(app: Application, *, outcome: Outcome, reply_type: ReplyType, on: dt.date, actor) -> Determination:
    try:
        with transaction.atomic():
            det = Determination.objects.create(application=app, outcome=outcome.value, reply_type=reply_type.value,
                                               decided_on=on, legal_basis=OUTCOME_BASIS[outcome], decided_by=actor)
    except IntegrityError:
        raise ApplicationActionError("该申请已有答复，不能重复答复。") from None
    audit_log(actor=actor, event_type=AuditEventType.APPLICATION_DETERMINED, obj=app, organ=app.organ,
              changes={"outcome": [None, outcome.label]})
    return det


OUTCOME_TEXT = {
    "予以公开": "经审查，您申请的政府信息属于公开范围，本机关予以公开。",
    "部分公开": "经审查，您申请的政府信息中含有不应当公开的内容，但能够作区分处理，本机关向您提供可以公开的部分。",
    "不予公开": "经审查，您申请的政府信息属于不予公开的范围，本机关不予公开。",
    "无法提供": "经审查，本机关无法提供您申请的政府信息。",
    "不予处理": "经审查，您的申请不属于本机关应当作为政府信息公开申请处理的情形，本机关不予处理。",
    "其他处理": "本机关对您的申请作如下处理。",
}
ALREADY_PUBLIC_TEXT = "您申请的政府信息已经主动公开，获取方式见下。"
NOT_OURS_TEXT = "经审查，您申请的政府信息不属于本机关负责公开的政府信息。"


@transaction.atomic
def application_determine(
    *, actor, application: Application, on: dt.date, outcome: Outcome | str, reply_type: ReplyType | str | None = None,
    legal_basis: str = "", reasons: str = "", provided: str = "", public_records: Iterable = (),
    transfer_organ_name: str = "", transfer_organ_contact: str = "", general_interest: bool = False,
    files: Iterable[UploadedFile] = (),
) -> Determination:
    """答复: the outcome row of table 三, its basis, what is provided, and the reply letter."""
    _require_handle(actor, application)
    outcome = Outcome(outcome)
    if outcome in EVENT_ONLY_OUTCOMES:
        raise ApplicationActionError("逾期不补正、逾期不缴费的，请记录“补正期限届满”或“缴费期限届满”事件。")
    allowed = OUTCOME_REPLY_TYPES[outcome]
    reply_type = ReplyType(reply_type or allowed[0])
    if reply_type not in allowed:
        raise ApplicationActionError(f"答复情形“{reply_type.label}”与办理结果“{outcome.label}”不一致。")
    public_records = list(public_records)
    reasons = (reasons or "").strip()
    if reply_type == ReplyType.NOT_OURS and not transfer_organ_name.strip():
        raise ApplicationActionError("不属于本机关公开职责的，请写明负责公开的机关名称（第三十六条第五项）。")
    if reply_type == ReplyType.ALREADY_PUBLIC and not public_records and not provided.strip():
        raise ApplicationActionError("已主动公开的，请选择已公开的信息或写明获取方式（第三十六条第一项）。")
    if outcome not in (Outcome.DISCLOSED,) and not reasons:
        raise ApplicationActionError("除予以公开外，答复须写明理由。")
    app = _lock(application)
    if Determination.objects.filter(application=app).exists():
        raise ApplicationActionError("该申请已有答复，不能重复答复。")
    r = _append_event(app, actor=actor, kind=EventKind.DETERMINED, on=on, note=outcome.label)
    basis = (legal_basis or "").strip() or BASIS_OVERRIDES.get(reply_type) or OUTCOME_BASIS[outcome]
    try:
        with transaction.atomic():
            det = Determination.objects.create(
                application=r.application, outcome=outcome.value, reply_type=reply_type.value, decided_on=on,
                legal_basis=basis, reasons=reasons, provided=(provided or "").strip(),
                transfer_organ_name=transfer_organ_name.strip(), transfer_organ_contact=transfer_organ_contact.strip(),
                general_interest=general_interest, decided_by=actor)
    except IntegrityError:
        raise ApplicationActionError("该申请已有答复，不能重复答复。") from None
    det.public_records.set(public_records)
    for f in files:
        ApplicationFile.objects.create(application=r.application, source=ApplicationFile.Source.PROVIDED, file=f,
                                       name=f.name[:200], size=f.size or 0)
    audit_log(actor=actor, event_type=AuditEventType.APPLICATION_DETERMINED, obj=r.application, organ=app.organ,
              changes={"outcome": [None, outcome.label], "reply_type": [None, reply_type.label]})
    group = outcome.group
    text = OUTCOME_TEXT[group]
    if reply_type == ReplyType.ALREADY_PUBLIC:
        text = ALREADY_PUBLIC_TEXT
    elif reply_type == ReplyType.NOT_OURS:
        text = NOT_OURS_TEXT
    site = getattr(settings, "GONGKAI_SITE_URL", "")
    _letter(r.application, kind=LetterKind.REPLY, clock=r.clock, actor=actor, event=r.event,
            outcome_group=group, outcome_detail=outcome.label.split("：", 1)[1] if "：" in outcome.label else "",
            outcome_label=outcome.label, outcome_text=text, reasons=reasons, provided=det.provided,
            public_records=[{"title": rec.title, "index_no": rec.index_no, "url": site + rec.get_absolute_url()}
                            for rec in public_records],
            transfer_organ_name=det.transfer_organ_name, transfer_organ_contact=det.transfer_organ_contact,
            legal_basis=basis)
    return det


def application_transfer(*, actor, application: Application, on: dt.date, organ_name: str, contact: str = "",
                         reasons: str = "") -> Determination:
    """Not this organ's information (Art. 36(5)): answer with the responsible organ's name."""
    return application_determine(
        actor=actor, application=application, on=on, outcome=Outcome.UNABLE_NOT_HELD, reply_type=ReplyType.NOT_OURS,
        transfer_organ_name=organ_name, transfer_organ_contact=contact,
        reasons=reasons or f"该信息由{organ_name}制作或保存，不属于本机关负责公开的政府信息。")


# -- reconsideration and litigation ----------------------------------------------------------


@transaction.atomic
def reconsideration_add(*, actor, application: Application, filed_on: dt.date, body: str, note: str = "") -> Reconsideration:
    _require_handle(actor, application)
    if not body.strip():
        raise ApplicationActionError("请填写复议机关。")
    rec = Reconsideration.objects.create(application=application, filed_on=filed_on, body=body.strip(), note=note)
    audit_log(actor=actor, event_type=AuditEventType.APPLICATION_APPEAL_CHANGED, obj=application,
              organ=application.organ, note=f"登记{rec}")
    return rec


@transaction.atomic
def litigation_add(*, actor, application: Application, filed_on: dt.date, court: str,
                   after_reconsideration: bool = False, note: str = "") -> Litigation:
    _require_handle(actor, application)
    if not court.strip():
        raise ApplicationActionError("请填写受理法院。")
    lit = Litigation.objects.create(application=application, filed_on=filed_on, court=court.strip(),
                                    after_reconsideration=after_reconsideration, note=note)
    audit_log(actor=actor, event_type=AuditEventType.APPLICATION_APPEAL_CHANGED, obj=application,
              organ=application.organ, note=f"登记{lit}")
    return lit


@transaction.atomic
def appeal_set_result(*, actor, appeal: Reconsideration | Litigation, result: str,
                      decided_on: dt.date | None) -> Reconsideration | Litigation:
    _require_handle(actor, appeal.application)
    if result != "pending" and decided_on is None:
        raise ApplicationActionError("已审结的，请填写决定（判决）日期。")
    if decided_on and decided_on < appeal.filed_on:
        raise ApplicationActionError("决定（判决）日期不能早于申请（起诉）日期。")
    old = appeal.get_result_display()
    appeal.result = result
    appeal.decided_on = decided_on if result != "pending" else None
    appeal.save(update_fields=["result", "decided_on"])
    audit_log(actor=actor, event_type=AuditEventType.APPLICATION_APPEAL_CHANGED, obj=appeal.application,
              organ=appeal.application.organ, changes={str(appeal): [old, appeal.get_result_display()]})
    return appeal


# -- 依申请转主动 -------------------------------------------------------------------------------


@transaction.atomic
def application_convert_to_record(*, actor, determination: Determination, title: str = "", body: str = ""):
    """A draft record (主动公开) from a determination that gave information of general interest;
    it goes through the normal review before publication."""
    from gongkai.records.models import Genre
    from gongkai.records.services import RecordActionError, record_create

    det = Determination.objects.select_for_update().select_related("application__organ").get(pk=determination.pk)
    app = det.application
    _require_handle(actor, app)
    if det.outcome not in (Outcome.DISCLOSED, Outcome.PARTIAL):
        raise ApplicationActionError("只有予以公开或部分公开的答复，才能转为主动公开。")
    if det.converted_record_id:
        raise ApplicationActionError("该答复已转为主动公开草稿。")
    genre = Genre.objects.filter(code="other").first() or Genre.objects.order_by("pk").first()
    if genre is None:
        raise ApplicationActionError("尚未设置体裁，不能创建信息草稿。")
    try:
        record = record_create(actor=actor, organ=app.organ, check_permission=False, data={
            "title": (title or app.title).strip(),
            "summary": f"依申请公开转主动公开（{app.tracking_code}）",
            "genre": genre, "body": body or f"<p>{det.provided or app.title}</p>",
        })
    except RecordActionError as exc:
        raise ApplicationActionError(str(exc)) from exc
    det.converted_record = record
    det.general_interest = True
    det.save(update_fields=["converted_record", "general_interest"])
    audit_log(actor=actor, event_type=AuditEventType.APPLICATION_CONVERTED, obj=app, organ=app.organ,
              note=f"已创建主动公开草稿：{record.index_no}")
    return record


# -- personal data ----------------------------------------------------------------------------

PERSONAL_FIELDS = ("name", "id_number", "contact_person", "legal_representative", "phone", "email", "address",
                   "postcode")


def retention_days() -> int:
    return int(getattr(settings, "GONGKAI_APPLICATION_RETENTION_DAYS", 5 * 365))


def applicant_export(*, actor, id_number: str, organs=None) -> dict[str, Any]:
    """Everything held about one applicant (by ID number), logged."""
    number = identity.normalize_id(id_number)
    apps = Application.objects.filter(id_number=number).select_related("organ").prefetch_related("events", "letters")
    if organs is not None:
        apps = apps.filter(organ__in=organs)
    out: dict[str, Any] = {"id_number": number, "applications": []}
    with transaction.atomic():
        for app in apps:
            out["applications"].append({
                "tracking_code": app.tracking_code, "organ": app.organ.name,
                **{f: getattr(app, f) for f in PERSONAL_FIELDS},
                "title": app.title, "description": app.description,
                "received_on": app.receipt_date.isoformat(),
                "events": [{"kind": e.kind, "date": e.date.isoformat(), "details": e.details} for e in app.events.all()],
                "letters": [{"kind": ltr.kind, "number": ltr.number} for ltr in app.letters.all()],
            })
            audit_log(actor=actor, event_type=AuditEventType.APPLICANT_DATA_EXPORTED, obj=app, organ=app.organ,
                      note="导出申请人个人信息")
    return out


def erase_failure_reason(app: Application, on: dt.date | None = None) -> str | None:
    on = on or today()
    if app.erased_at:
        return "已删除。"
    if app.closed_on is None:
        return "申请尚未办结。"
    if app.reconsiderations.filter(result="pending").exists() or app.litigations.filter(result="pending").exists():
        return "有尚未审结的行政复议或行政诉讼。"
    keep_until = app.closed_on + dt.timedelta(days=retention_days())
    if on < keep_until:
        return f"保存期限至 {keep_until.isoformat()}，期满后才能删除。"
    return None


@transaction.atomic
def applicant_erase(*, actor, application: Application, on: dt.date | None = None) -> Application:
    """Delete the applicant's personal data after the retention period (the case file stays)."""
    app = _lock(application)
    why = erase_failure_reason(app, on)
    if why:
        raise ApplicationActionError(f"不能删除申请人个人信息：{why}")
    for f in PERSONAL_FIELDS:
        setattr(app, f, ERASED if f in ("name",) else "")
    app.id_number = f"ERASED-{app.pk}"
    app.submitted_ip = None
    app.erased_at = timezone.now()
    app.save()
    for event in app.events.exclude(details={}):
        event.details = {k: ERASED for k in event.details}
        event.save(update_fields=["details"])
    for letter in app.letters.all():
        letter.docx.delete(save=False)
        if letter.pdf:
            letter.pdf.delete(save=False)
        letter.context = {}
        letter.save(update_fields=["docx", "pdf", "context"])
    # What the applicant uploaded (ID copies, authorisations…) is personal data too.
    uploaded = list(app.files.filter(source=ApplicationFile.Source.APPLICANT))
    for upload in uploaded:
        upload.file.delete(save=False)
        upload.delete()
    audit_log(actor=actor, event_type=AuditEventType.APPLICANT_DATA_ERASED, obj=app, organ=app.organ,
              changes={"applicant_files": [len(uploaded), 0]} if uploaded else None,
              note="保存期满，删除申请人个人信息")
    return app


# -- reminders ---------------------------------------------------------------------------------


def due_soon_workdays() -> int:
    return int(getattr(settings, "GONGKAI_APPLICATION_DUE_SOON_WORKDAYS", 5))


def remind_handlers(*, on: dt.date | None = None) -> int:
    """E-mail each handler (or the organ's handlers) their due-soon and overdue applications."""
    from gongkai.core.models import Membership, Role

    on = on or today()
    cal = get_work_calendar()
    soon = cal.add_workdays(on, due_soon_workdays())
    qs = (Application.objects.open().filter(clock_state="running", due_date__lte=soon)
          .select_related("organ", "handler").order_by("due_date"))
    by_user: dict[Any, list[Application]] = {}
    for app in qs:
        users = [app.handler] if app.handler_id else [
            m.user for m in Membership.objects.filter(organ=app.organ, role=Role.HANDLER).select_related("user")]
        for u in users:
            if u.email:
                by_user.setdefault(u, []).append(app)
    for user, apps in by_user.items():
        lines = [f"{'已逾期' if a.due_date < on else '即将到期'} {a.due_date.isoformat()} {a.tracking_code} {a.title}"
                 for a in apps]
        _send(f"依申请公开提醒：{len(apps)} 件申请即将到期或已逾期", "\n".join(lines), [user.email])
    return sum(len(v) for v in by_user.values())


def decimal_str(d: Decimal) -> str:
    return f"{d:.2f}"


def audit_history(app: Application):
    from gongkai.core.models import AuditEvent

    return AuditEvent.objects.for_object(app).select_related("actor")[:100]
