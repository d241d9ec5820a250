"""Handling on the clock: correction (补正), third-party consultation (征求意见), extension (延期)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from gongkai.core.audit import audit_log
from gongkai.core.models import AuditEventType
from gongkai.core.permissions import Perm, can

from .. import services
from ..clock import ClockError, ConsultedParty, EventKind
from ..models import Application, ApplicationEvent, ExtensionRequest, LetterKind, Outcome, ReplyType
from .base import CLOCK_SETTINGS, ApplicationActionError, date_cn, require_handle
from .determination import close_with
from .events import append_event, application_clock, lock_application
from .letters import issue_letter


@transaction.atomic
def application_request_correction(*, actor, application: Application, on: dt.date, deadline: dt.date,
                                   items: str) -> Application:
    require_handle(actor, application)
    items = (items or "").strip()
    if not items:
        raise ApplicationActionError("请写明需要补正的事项（一次性告知）。")
    r = append_event(application, actor=actor, kind=EventKind.CORRECTION_REQUESTED, on=on, deadline=deadline,
                     details={"items": items})
    issue_letter(r.application, kind=LetterKind.CORRECTION, clock=r.clock, actor=actor, event=r.event, items=items,
                 correction_deadline_cn=date_cn(deadline), stated_deadlines={"补正期限": deadline})
    return r.application


@transaction.atomic
def application_record_correction(*, actor, application: Application, on: dt.date, text: str) -> Application:
    require_handle(actor, application)
    text = (text or "").strip()
    if not text:
        raise ApplicationActionError("请录入补正后的申请内容。")
    r = append_event(application, actor=actor, kind=EventKind.CORRECTED, on=on, details={"text": text})
    return r.application


@transaction.atomic
def application_correction_expired(*, actor, application: Application, on: dt.date) -> Application:
    require_handle(actor, application)
    r = append_event(application, actor=actor, kind=EventKind.CORRECTION_EXPIRED, on=on)
    close_with(r.application, outcome=Outcome.OTHER_NO_CORRECTION, reply_type=ReplyType.ABANDONED_CORRECTION,
               on=on, actor=actor)
    return r.application


# -- consultation --------------------------------------------------------------------------


@transaction.atomic
def application_consult(*, actor, application: Application, on: dt.date, party: ConsultedParty | str,
                        party_name: str, content: str, delivered: dt.date | None = None) -> Application:
    require_handle(actor, application)
    party_name = (party_name or "").strip()
    if not party_name:
        raise ApplicationActionError("请填写征求意见对象的名称。")
    ref = f"Z{application.events.filter(kind=EventKind.CONSULTATION_SENT).count() + 1}"
    r = append_event(application, actor=actor, kind=EventKind.CONSULTATION_SENT, on=on,
                     party=ConsultedParty(party).value, ref=ref, delivered=delivered,
                     details={"party_name": party_name, "content": content})
    issue_letter(r.application, kind=LetterKind.CONSULTATION, clock=r.clock, actor=actor, event=r.event,
                 party_name=party_name, content=(content or "涉及贵方").strip())
    return r.application


def open_consultations(application: Application) -> list[ApplicationEvent]:
    events = list(application.events.all())
    closed = {e.ref for e in events if e.kind in (EventKind.CONSULTATION_ANSWERED, EventKind.CONSULTATION_EXPIRED)}
    return [e for e in events if e.kind == EventKind.CONSULTATION_SENT and e.ref not in closed]


@transaction.atomic
def application_consultation_answered(*, actor, application: Application, on: dt.date, ref: str,
                                      answer: str = "", expired: bool = False) -> Application:
    require_handle(actor, application)
    kind = EventKind.CONSULTATION_EXPIRED if expired else EventKind.CONSULTATION_ANSWERED
    r = append_event(application, actor=actor, kind=kind, on=on, ref=ref, details={"answer": (answer or "").strip()})
    return r.application



def event_failure_reason(application: Application, kind: EventKind, on: dt.date | None = None,
                         **fields) -> str | None:
    """Why an event of ``kind`` could not be recorded today (None: it could) — the clock's own words."""
    on = on or services.today()
    events = list(application.events.all())
    trial = ApplicationEvent(application=application, seq=len(events) + 1, kind=kind, date=on, **fields)
    try:
        application_clock(application, on=on, events=[*events, trial])
    except ClockError as exc:
        return str(exc).split("：", 1)[-1]
    return None


def extension_failure_reason(application: Application, workdays: int, on: dt.date | None = None) -> str | None:
    """Why an extension of ``workdays`` could not be approved today (None: it could)."""
    return event_failure_reason(application, EventKind.EXTENDED, on, workdays=workdays)


def action_failure_reasons(application: Application, on: dt.date | None = None) -> dict[str, str]:
    """Why each once-only action of the detail page is not offered now (only those that are not).

    The page shows the reason in place of the form: a second 补正 (Art. 30), a second extension or
    one already waiting for approval (Art. 33 ¶2), a second fee notice.
    """
    if application.closed_on is not None:
        return {}
    reasons: dict[str, str] = {}
    if application.clock_state != "waiting_correction":
        why = event_failure_reason(application, EventKind.CORRECTION_REQUESTED, on)
        if why:
            reasons["correction"] = why
    pending = application.extension_requests.filter(status=ExtensionRequest.Status.PENDING).first()
    why = (f"已于 {pending.requested_at:%Y-%m-%d} 申请延期，待公开办负责人审批。" if pending
           else extension_failure_reason(application, 1, on))
    if why:
        reasons["extension"] = why
    fee = getattr(application, "fee_notice", None)
    if fee is not None and fee.paid_on:
        reasons["fee"] = f"已于 {fee.issued_on:%Y-%m-%d} 发出收费通知，{fee.paid_on:%Y-%m-%d} 缴纳；一件申请只收取一次信息处理费。"
    return reasons


@transaction.atomic
def application_request_extension(*, actor, application: Application, workdays: int, reason: str) -> ExtensionRequest:
    require_handle(actor, application)
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationActionError("请写明延期理由。")
    if not 1 <= workdays <= CLOCK_SETTINGS.max_extension_workdays:
        raise ApplicationActionError(f"延长的期限应为 1 至 {CLOCK_SETTINGS.max_extension_workdays} 个工作日。")
    app = lock_application(application)
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
    req = ExtensionRequest.objects.select_for_update(of=("self",)).select_related("application__organ").get(pk=request.pk)
    app = req.application
    if not can(actor, Perm.APPLICATION_APPROVE_EXTENSION, app.organ):
        raise ApplicationActionError("延期须经政府信息公开工作机构负责人（公开办负责人）同意，您没有审批权限。")
    if req.status != ExtensionRequest.Status.PENDING:
        raise ApplicationActionError("该延期申请已审批。")
    if req.requested_by_id == actor.pk:
        raise ApplicationActionError("申请延期的人不能审批自己的延期申请，须由公开办负责人中的其他人审批。")
    on = services.today()
    req.decided_by = actor
    req.decided_on = on
    req.comment = (comment or "").strip()[:300]
    if approve:
        before = application_clock(app, on=on)
        r = append_event(app, actor=actor, kind=EventKind.EXTENDED, on=on, workdays=req.workdays,
                         note=f"经{actor.get_full_name() or actor.get_username()}同意",
                         details={"reason": req.reason, "approved_by": actor.get_username()})
        req.status = ExtensionRequest.Status.APPROVED
        issue_letter(r.application, kind=LetterKind.EXTENSION, clock=r.clock, actor=actor, event=r.event,
                     reason=req.reason, workdays=req.workdays, old_due_cn=date_cn(before.due_date))
    else:
        req.status = ExtensionRequest.Status.REFUSED
    req.save(update_fields=["status", "decided_by", "decided_on", "comment"])
    audit_log(actor=actor, event_type=AuditEventType.APPLICATION_EXTENSION_DECIDED, obj=app, organ=app.organ,
              note=f"{req.get_status_display()}延期 {req.workdays} 个工作日{('：' + req.comment) if req.comment else ''}")
    return req
