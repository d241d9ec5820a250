"""The applicant's side of an application: the two-way thread, an online 补正, a fee payment
proof and the withdrawal (docs/applications.md, “申请人页面”).

The applicant acts with ``actor=None`` after the tracking check (the view grants the code to the
session); staff act as themselves. A 补正 or payment proof waits until staff accept it, which records
the ``corrected`` / ``fee_paid`` event on the clock. A withdrawal closes the clock at once and is
counted in table 三 (六) 3 其他 (:data:`~gongkai.applications.models.WITHDRAWN_OUTCOME`).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from gongkai.core.audit import audit_log
from gongkai.core.models import AuditEventType

from .. import services
from ..clock import ClockState, EventKind
from ..models import (
    WITHDRAWN_OUTCOME,
    Application,
    ApplicationMessage,
    FeeNotice,
    ReplyType,
    ThreadKind,
    ThreadStatus,
)
from .base import ApplicationActionError, require_handle
from .determination import close_with
from .events import append_event, lock_application
from .letters import send_safely

log = logging.getLogger(__name__)

MAX_BODY = 5000


def _is_open(app: Application) -> bool:
    return not hasattr(app, "determination") and app.clock_state not in (
        ClockState.STOPPED, ClockState.ABANDONED)


def thread_refusal(application: Application, kind: ThreadKind | str) -> str:
    """Why the applicant cannot send this kind of entry now ("" when they can)."""
    kind = ThreadKind(kind)
    if kind is ThreadKind.MESSAGE:
        return ""
    if not _is_open(application):
        return "该申请已办结。"
    if kind is ThreadKind.CORRECTION:
        if application.clock_state != ClockState.WAITING_CORRECTION:
            return "本机关未要求补正，或补正已经收到。"
        if application.thread.filter(kind=ThreadKind.CORRECTION, status=ThreadStatus.OPEN).exists():
            return "已提交补正，正在等待受理机关确认。"
        return ""
    fee = FeeNotice.objects.filter(application=application).first()
    if fee is None or fee.paid_on:
        return "没有待缴纳的信息处理费。"
    if application.thread.filter(kind=ThreadKind.FEE_PROOF, status=ThreadStatus.OPEN).exists():
        return "已上传缴费凭证，正在等待受理机关确认。"
    return ""


@transaction.atomic
def application_thread_post(*, application: Application, body: str, kind: ThreadKind | str = ThreadKind.MESSAGE,
                            upload: UploadedFile | None = None, actor=None) -> ApplicationMessage:
    """A message (either side), or the applicant's 补正 / payment proof. E-mail goes out on commit."""
    kind = ThreadKind(kind)
    body = (body or "").strip()
    if not body:
        raise ApplicationActionError("请填写内容。")
    if len(body) > MAX_BODY:
        raise ApplicationActionError(f"内容不能超过 {MAX_BODY} 字。")
    app = lock_application(application)
    from_applicant = actor is None
    if not from_applicant:
        require_handle(actor, app)
        if kind is not ThreadKind.MESSAGE:
            raise ApplicationActionError("工作人员只能发送留言。")
    else:
        refusal = thread_refusal(app, kind)
        if refusal:
            raise ApplicationActionError(refusal)
    if kind is ThreadKind.FEE_PROOF and upload is None:
        raise ApplicationActionError("请上传缴费凭证（付款截图或回单）。")
    msg = ApplicationMessage(application=app, kind=kind, from_applicant=from_applicant, body=body,
                             received_on=services.today(),
                             author=actor if not from_applicant else None,
                             status=ThreadStatus.OPEN if from_applicant else ThreadStatus.DONE)
    if upload is not None:
        msg.file_name = (upload.name or "附件")[:200]
        msg.file.save(msg.file_name, upload, save=False)
    msg.save()
    if not from_applicant:  # the office answered: the applicant's open messages are done
        app.thread.filter(kind=ThreadKind.MESSAGE, status=ThreadStatus.OPEN).update(status=ThreadStatus.DONE)
    who = "申请人" if from_applicant else "工作人员"
    audit_log(actor=actor, event_type=AuditEventType.APPLICATION_EVENT, obj=app, organ=app.organ,
              note=f"{who}{kind.label}{'（附件：' + msg.file_name + '）' if msg.file_name else ''}")
    _notify(app, msg)
    return msg


def _notify(app: Application, msg: ApplicationMessage) -> None:
    if msg.from_applicant:
        to = [app.handler.email] if app.handler_id and app.handler.email else []
        subject = f"【依申请公开】{app.tracking_code} 申请人{msg.get_kind_display()}"
        text = f"申请“{app.title}”（查询码 {app.tracking_code}）的申请人发来{msg.get_kind_display()}：\n\n{msg.body}\n"
    else:
        to = [app.email] if app.email else []
        subject = f"【{app.organ.name}】您的政府信息公开申请有新留言（查询码 {app.tracking_code}）"
        text = (f"{app.organ.name}就您的申请“{app.title}”留言：\n\n{msg.body}\n\n"
                f"请凭查询码 {app.tracking_code} 和联系电话后四位登录查询页面查看和回复。\n")
    if to:
        transaction.on_commit(lambda: send_safely(subject, text, to))


@transaction.atomic
def application_thread_accept(*, actor, message: ApplicationMessage) -> ApplicationMessage:
    """Staff accept an online 补正 (records ``corrected``) or a payment proof (records ``fee_paid``)."""
    msg = ApplicationMessage.objects.select_for_update(of=("self",)).select_related("application").get(pk=message.pk)
    require_handle(actor, msg.application)
    if msg.status != ThreadStatus.OPEN or msg.kind == ThreadKind.MESSAGE:
        raise ApplicationActionError("该记录无需确认，或已经处理。")
    on = msg.received_on
    if msg.kind == ThreadKind.CORRECTION:
        services.application_record_correction(actor=actor, application=msg.application, on=on, text=msg.body)
    else:
        services.application_fee_paid(actor=actor, application=msg.application, on=on)
    msg.status = ThreadStatus.ACCEPTED
    msg.save(update_fields=["status"])
    return msg


@transaction.atomic
def application_withdraw(*, application: Application, reason: str, actor=None,
                         on: dt.date | None = None) -> Application:
    """申请人撤回: close the clock and count the application under table 三 (六) 3 其他."""
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationActionError("请填写撤回申请的理由。")
    if actor is not None:
        require_handle(actor, application)
    app = lock_application(application)
    if not _is_open(app):
        raise ApplicationActionError("该申请已办结，不能撤回。")
    on = on or services.today()
    r = append_event(app, actor=actor, kind=EventKind.WITHDRAWN, on=on, details={"reason": reason[:500]},
                     note=reason[:100])
    det = close_with(r.application, outcome=WITHDRAWN_OUTCOME, reply_type=ReplyType.WITHDRAWN, on=on, actor=actor)
    det.reasons = f"申请人撤回申请：{reason[:500]}"
    det.save(update_fields=["reasons"])
    return r.application


def kept_files_purge(*, older_than: dt.timedelta | None = None) -> int:
    """Delete the apply form's pending uploads (kept across a form error) that no form can use any more."""
    from gongkai.core.forms import purge_kept_files

    from ..forms import KEPT_DIR, KEPT_SECONDS

    return purge_kept_files(dirs={KEPT_DIR: KEPT_SECONDS}, older_than=older_than)
