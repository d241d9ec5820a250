"""Writes to the message box: receive, assign, transfer, reply (reviewed), publish masked, rate.

Deadlines: a message is answered within N working days (``ReplyDeadlineRule``
per organ and type, default 5) counted by ``gongkai.workdays`` from the day the
handling organ received it (a transfer restarts the count at the new organ).
``due_on`` is a cached copy for the inbox's filters; :func:`message_deadline`
derives it from the calendar every time it is shown, and the daily job
:func:`messages_refresh_due` brings the cache back in line after a calendar change.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from gongkai.core.audit import audit_log, diff, snapshot
from gongkai.core.calendar import get_work_calendar
from gongkai.core.files import short_file_name
from gongkai.core.masking import mask_text
from gongkai.core.models import AuditEventType, Organ
from gongkai.core.permissions import Perm, can, require
from gongkai.records.models import Record
from gongkai.search.text import normalize
from gongkai.workdays import Deadline, WorkCalendar

from ..errors import ParticipationActionError
from ..models import (
    Answer,
    Message,
    MessageKind,
    MessageRating,
    MessageReply,
    MessageStatus,
    MessageTransfer,
    Rating,
    ReplyDeadlineRule,
    ReplyStatus,
)
from ..models.messages import BODY_MAX, DEFAULT_REPLY_WORKDAYS, OPEN_STATUSES, SUBJECT_MAX

AUDITED = ["organ", "kind", "status", "handler", "due_on", "received_on", "is_published", "hidden", "hidden_reason",
           "rating", "rating_reason", "rejection_reason", "replied_at"]
ATTACHMENT_EXTENSIONS = ("pdf", "jpg", "jpeg", "png", "doc", "docx", "txt")
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_receipt_code() -> str:
    return "LY" + "".join(secrets.choice(_CODE_ALPHABET) for _ in range(10))


def today() -> dt.date:
    return timezone.localdate()


def reply_workdays(*, organ: Organ, kind: str) -> int:
    """The organ's rule for this type, else its rule for all types, else 5 working days."""
    rules = {r.kind: r.workdays for r in ReplyDeadlineRule.objects.filter(organ=organ, kind__in=[kind, ""])}
    return rules.get(kind) or rules.get("") or DEFAULT_REPLY_WORKDAYS


def message_deadline(message: Message, calendar: WorkCalendar | None = None) -> Deadline:
    """The reply deadline (marked 暂定 where the calendar of a year is not yet published)."""
    calendar = calendar or get_work_calendar()
    return calendar.deadline(message.received_on, reply_workdays(organ=message.organ, kind=message.kind))


def _set_due(message: Message, calendar: WorkCalendar | None = None) -> None:
    deadline = message_deadline(message, calendar)
    message.due_on = deadline.date
    message.due_provisional = deadline.provisional


def validate_attachment(file: UploadedFile) -> None:
    name = file.name or "附件"
    ext = os.path.splitext(name)[1].lower().lstrip(".")
    if ext not in ATTACHMENT_EXTENSIONS:
        raise ParticipationActionError(
            f"附件“{name}”的类型不允许上传，允许的类型：{'、'.join(ATTACHMENT_EXTENSIONS)}。")
    if (file.size or 0) > ATTACHMENT_MAX_BYTES:
        raise ParticipationActionError(f"附件“{name}”超过10MB的大小限制。")
    if not file.size:
        raise ParticipationActionError(f"附件“{name}”是空文件。")


def _notify_sender(message: Message, template: str, subject: str) -> None:
    """E-mail the sender (when they gave an address) once the transaction commits."""
    if not message.email:
        return
    body = render_to_string(template, {"message": message})
    email = message.email

    def send() -> None:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email], fail_silently=True)

    transaction.on_commit(send)


@transaction.atomic
def message_submit(
    *,
    organ: Organ,
    kind: MessageKind | str,
    subject: str,
    body: str,
    name: str = "",
    phone: str = "",
    email: str = "",
    may_publish: bool = False,
    record: Record | None = None,
    page_url: str = "",
    attachment: UploadedFile | None = None,
    ip: str | None = None,
) -> Message:
    """A message from the public (no account): receipt code, deadline, audit row, e-mail receipt."""
    subject = (subject or "").strip()
    body = (body or "").strip()
    if not organ.is_active:
        raise ParticipationActionError("该机关已停用，不能接收留言。")
    if not subject:
        raise ParticipationActionError("请填写留言标题。")
    if len(subject) > SUBJECT_MAX:
        raise ParticipationActionError(f"留言标题不能超过{SUBJECT_MAX}字。")
    if not body:
        raise ParticipationActionError("请填写留言内容。")
    if len(body) > BODY_MAX:
        raise ParticipationActionError(f"留言内容不能超过{BODY_MAX}字，现在是{len(body)}字。")
    if not (phone or "").strip() and not (email or "").strip():
        raise ParticipationActionError("请至少填写联系电话或电子邮箱中的一项，便于查询和答复。")
    kind = MessageKind(kind)
    if record is not None and not Record.objects.public().filter(pk=record.pk).exists():
        record = None  # only a public record can be named by the public
    message = Message(
        organ=organ, kind=kind, subject=subject, body=body, name=(name or "").strip()[:50],
        phone=(phone or "").strip()[:30], email=(email or "").strip(), may_publish=bool(may_publish),
        record=record, page_url=(page_url or "")[:300], ip=ip or None, received_on=today(),
    )
    while True:
        message.receipt_code = new_receipt_code()
        if not Message.objects.filter(receipt_code=message.receipt_code).exists():
            break
    _set_due(message)
    if attachment is not None:
        validate_attachment(attachment)
        message.attachment_name = short_file_name(attachment.name or "附件")
        message.attachment.save(message.attachment_name, attachment, save=False)
    try:
        message.save()
    except BaseException:
        if message.attachment:
            message.attachment.delete(save=False)
        raise
    audit_log(actor=None, event_type=AuditEventType.MESSAGE_RECEIVED, obj=message, organ=organ,
              changes=diff({}, snapshot(message, ["organ", "kind", "status", "due_on"])))
    _notify_sender(message, "participation/email/message_received.txt", f"留言已收到（查询码 {message.receipt_code}）")
    return message


def _lock(message: Message) -> Message:
    return Message.objects.select_for_update(of=("self",)).select_related("organ").get(pk=message.pk)


def _save(*, actor, message: Message, before: dict, event: AuditEventType, note: str = "") -> Message:
    message.save()
    audit_log(actor=actor, event_type=event, obj=message, organ=message.organ,
              changes=diff(before, snapshot(message, AUDITED)), note=note)
    return message


def _require_open(message: Message) -> None:
    if message.status not in OPEN_STATUSES:
        raise ParticipationActionError(f"这条留言现在是“{message.get_status_display()}”，不能再办理。")


@transaction.atomic
def message_assign(*, actor, message: Message, handler) -> Message:
    message = _lock(message)
    require(actor, Perm.MESSAGE_HANDLE, message.organ)
    _require_open(message)
    if handler is not None and not can(handler, Perm.MESSAGE_HANDLE, message.organ):
        raise ParticipationActionError("只能分配给在该机关有留言办理权限的人员。")
    before = snapshot(message, AUDITED)
    message.handler = handler
    if message.status == MessageStatus.RECEIVED and handler is not None:
        message.status = MessageStatus.HANDLING
    return _save(actor=actor, message=message, before=before, event=AuditEventType.MESSAGE_ASSIGNED)


@transaction.atomic
def message_transfer(*, actor, message: Message, to_organ: Organ, reason: str) -> Message:
    """转办 to another organ; the reason is shown to the sender; the deadline restarts there."""
    message = _lock(message)
    require(actor, Perm.MESSAGE_HANDLE, message.organ)
    _require_open(message)
    reason = (reason or "").strip()
    if not reason:
        raise ParticipationActionError("转办必须写明理由，理由会告知留言人。")
    if to_organ.pk == message.organ_id:
        raise ParticipationActionError("不能转办给本机关。")
    if not to_organ.is_active:
        raise ParticipationActionError("接办机关已停用。")
    if message.status == MessageStatus.REPLY_SUBMITTED:
        raise ParticipationActionError("答复正在审核中，不能转办；请先由审核人退回答复。")
    before = snapshot(message, AUDITED)
    MessageTransfer.objects.create(message=message, from_organ=message.organ, to_organ=to_organ,
                                   reason=reason[:300], transferred_by=actor)
    message.replies.filter(status__in=[ReplyStatus.DRAFT, ReplyStatus.RETURNED]).delete()
    message.organ = to_organ
    message.handler = None
    message.status = MessageStatus.RECEIVED
    message.received_on = today()
    _set_due(message)
    _save(actor=actor, message=message, before=before, event=AuditEventType.MESSAGE_TRANSFERRED, note=reason)
    _notify_sender(message, "participation/email/message_transferred.txt", f"您的留言已转办（查询码 {message.receipt_code}）")
    return message


def _usable_answers(answers: Iterable[Answer]) -> list[Answer]:
    answers = list(answers)
    usable = set(Answer.objects.usable().filter(pk__in=[a.pk for a in answers]).values_list("pk", flat=True))
    bad = [a.question for a in answers if a.pk not in usable]
    if bad:
        raise ParticipationActionError(f"口径“{bad[0]}”未审核、待复核或已停用，不能引用。")
    return answers


@transaction.atomic
def message_reply_draft(*, actor, message: Message, body: str, answers: Iterable[Answer] = ()) -> MessageReply:
    """Write (or rewrite) the reply; cited 口径库 entries must be usable."""
    message = _lock(message)
    require(actor, Perm.MESSAGE_HANDLE, message.organ)
    _require_open(message)
    if message.status == MessageStatus.REPLY_SUBMITTED:
        raise ParticipationActionError("答复正在审核中，不能修改。")
    body = (body or "").strip()
    if not body:
        raise ParticipationActionError("答复内容不能为空。")
    answers = _usable_answers(answers)
    reply = message.replies.filter(status__in=[ReplyStatus.DRAFT, ReplyStatus.RETURNED]).first()
    old_body = reply.body if reply else ""
    if reply is None:
        reply = MessageReply(message=message, written_by=actor)
    reply.body = body
    reply.written_by = actor
    reply.written_at = timezone.now()
    reply.status = ReplyStatus.DRAFT
    reply.save()
    if answers:
        reply.answers_used.add(*answers)
    before = snapshot(message, AUDITED)
    if message.status in (MessageStatus.RECEIVED, MessageStatus.REOPENED):
        message.status = MessageStatus.HANDLING
    if message.handler_id is None:
        message.handler = actor
    _save(actor=actor, message=message, before=before, event=AuditEventType.MESSAGE_REPLY_DRAFTED,
          note=f"答复稿 {len(old_body)} → {len(body)} 字" + (f"，引用口径 {len(answers)} 条" if answers else ""))
    return reply


@transaction.atomic
def message_reply_submit(*, actor, message: Message) -> MessageReply:
    message = _lock(message)
    require(actor, Perm.MESSAGE_HANDLE, message.organ)
    reply = message.replies.filter(status__in=[ReplyStatus.DRAFT, ReplyStatus.RETURNED]).first()
    if reply is None:
        raise ParticipationActionError("还没有答复稿，请先拟写答复。")
    reply.status = ReplyStatus.SUBMITTED
    reply.save(update_fields=["status"])
    before = snapshot(message, AUDITED)
    message.status = MessageStatus.REPLY_SUBMITTED
    _save(actor=actor, message=message, before=before, event=AuditEventType.MESSAGE_REPLY_DRAFTED, note="提交审核")
    return reply


def reply_review_failure_reason(*, actor, message: Message) -> str | None:
    if not can(actor, Perm.MESSAGE_REVIEW, message.organ):
        return "您没有审核该机关留言答复的权限。"
    reply = message.replies.filter(status=ReplyStatus.SUBMITTED).first()
    if message.status != MessageStatus.REPLY_SUBMITTED or reply is None:
        return "这条留言没有待审核的答复。"
    if reply.written_by_id == actor.pk:
        return "拟写答复的人不能审核自己的答复，审核须由他人进行。"
    return None


@transaction.atomic
def message_reply_review(*, actor, message: Message, approve: bool, comment: str = "",
                         publish: bool = True) -> MessageReply:
    """Approve (the reply is sent; published masked when the sender agreed and ``publish``) or return it."""
    message = _lock(message)
    reason = reply_review_failure_reason(actor=actor, message=message)
    if reason:
        raise ParticipationActionError(reason)
    reply = message.replies.get(status=ReplyStatus.SUBMITTED)
    comment = (comment or "").strip()
    now = timezone.now()
    before = snapshot(message, AUDITED)
    reply.reviewed_by = actor
    reply.reviewed_at = now
    reply.review_comment = comment
    if not approve:
        if not comment:
            raise ParticipationActionError("退回答复时请写明需要修改的内容。")
        reply.status = ReplyStatus.RETURNED
        reply.save()
        message.status = MessageStatus.HANDLING
        _save(actor=actor, message=message, before=before, event=AuditEventType.MESSAGE_REPLY_RETURNED, note=comment)
        return reply
    names = [message.name] if message.name else []
    reply.status = ReplyStatus.APPROVED
    reply.public_body = mask_text(reply.body, names=names)
    reply.save()
    calendar = get_work_calendar()
    replied_on = timezone.localdate(now)
    message.status = MessageStatus.REPLIED
    message.replied_at = now
    message.reply_workdays = max(0, calendar.workdays_between(message.received_on, replied_on))
    message.replied_on_time = message.due_on is None or replied_on <= message.due_on
    message.is_published = bool(publish and message.may_publish)
    message.public_subject = mask_text(message.subject, names=names)[:100]
    message.public_body = mask_text(message.body, names=names)
    if message.is_published and message.published_at is None:
        message.published_at = now
    message.search_text = normalize("\n".join([message.public_subject, message.public_body, reply.public_body]))
    _save(actor=actor, message=message, before=before, event=AuditEventType.MESSAGE_REPLY_APPROVED,
          note=comment or "审核通过")
    _notify_sender(message, "participation/email/message_replied.txt", f"您的留言已答复（查询码 {message.receipt_code}）")
    return reply


@transaction.atomic
def message_reject(*, actor, message: Message, reason: str) -> Message:
    """不予受理 (abuse, advertising, not a question for any organ); the reason is shown to the sender."""
    message = _lock(message)
    require(actor, Perm.MESSAGE_HANDLE, message.organ)
    _require_open(message)
    reason = (reason or "").strip()
    if not reason:
        raise ParticipationActionError("不予受理必须写明理由，理由会告知留言人。")
    before = snapshot(message, AUDITED)
    message.status = MessageStatus.REJECTED
    message.rejection_reason = reason[:300]
    _save(actor=actor, message=message, before=before, event=AuditEventType.MESSAGE_CHANGED, note="不予受理：" + reason)
    _notify_sender(message, "participation/email/message_rejected.txt", f"您的留言不予受理（查询码 {message.receipt_code}）")
    return message


@transaction.atomic
def message_set_hidden(*, actor, message: Message, hidden: bool, reason: str = "") -> Message:
    """Take a published message off the public pages (or put it back)."""
    message = _lock(message)
    if not (can(actor, Perm.MESSAGE_REVIEW, message.organ) or can(actor, Perm.ORGAN_OVERSEE, message.organ)):
        raise ParticipationActionError("您没有隐藏该机关留言的权限。")
    reason = (reason or "").strip()
    if hidden and not reason:
        raise ParticipationActionError("隐藏留言必须写明原因。")
    before = snapshot(message, AUDITED)
    message.hidden = hidden
    message.hidden_reason = reason[:300] if hidden else ""
    return _save(actor=actor, message=message, before=before, event=AuditEventType.MESSAGE_CHANGED,
                 note=("隐藏：" + reason) if hidden else "恢复公开")


@transaction.atomic
def message_rate(*, message: Message, rating: Rating | str, reason: str = "") -> MessageRating:
    """The sender rates the latest reply; every rating is kept, the latest counts (``Message.rating``).

    不满意 (with a reason) reopens the message for a second look with a new deadline; the new
    reply can be rated again.
    """
    message = _lock(message)
    rating = Rating(rating)
    reason = (reason or "").strip()
    if message.status != MessageStatus.REPLIED:
        raise ParticipationActionError("留言答复后才能评价。")
    reply = message.public_reply()
    if reply is None or MessageRating.objects.filter(reply=reply).exists():
        raise ParticipationActionError("您已经评价过这次答复。")
    if rating == Rating.DISSATISFIED and not reason:
        raise ParticipationActionError("选择“不满意”时请写明理由，我们会重新办理。")
    entry = MessageRating.objects.create(message=message, reply=reply, rating=rating, reason=reason[:500])
    before = snapshot(message, AUDITED)
    message.rating = rating
    message.rating_reason = entry.reason
    message.rated_at = entry.rated_at
    _save(actor=None, message=message, before=before, event=AuditEventType.MESSAGE_RATED,
          note=f"第{message.ratings.count()}次评价：{rating.label}" + (f"（{reason[:200]}）" if reason else ""))
    if rating == Rating.DISSATISFIED:
        before = snapshot(message, AUDITED)
        message.status = MessageStatus.REOPENED
        message.reopened_count += 1
        message.received_on = today()
        _set_due(message)
        _save(actor=None, message=message, before=before, event=AuditEventType.MESSAGE_REOPENED,
              note="留言人不满意：" + reason)
    return entry


RULE_FIELDS = ["organ", "kind", "workdays"]


def reply_deadline_rule_save(*, actor, rule: ReplyDeadlineRule, data: dict) -> ReplyDeadlineRule:
    """Create or change an organ's reply deadline (admin); audited, and the open messages' deadlines follow."""
    from gongkai.core.services import reference_save

    with transaction.atomic():
        rule = reference_save(actor=actor, obj=rule, data=data, fields=RULE_FIELDS,
                              event_type=AuditEventType.MESSAGE_CHANGED, organ=data.get("organ") or rule.organ,
                              note="留言答复期限：" + ("新建" if rule._state.adding else "修改"))
        transaction.on_commit(messages_refresh_due)
    return rule


def reply_deadline_rule_delete(*, actor, rule: ReplyDeadlineRule) -> None:
    """Remove a rule (the organ's other rule or the default of 5 working days applies again); audited."""
    from gongkai.core.services import reference_delete

    with transaction.atomic():
        reference_delete(actor=actor, obj=rule, fields=RULE_FIELDS, event_type=AuditEventType.MESSAGE_CHANGED,
                         organ=rule.organ, note="留言答复期限：删除")
        transaction.on_commit(messages_refresh_due)


def messages_refresh_due() -> int:
    """Recompute the cached reply deadline of every open message (after a calendar or rule change)."""
    calendar = get_work_calendar()
    changed = 0
    for message in Message.objects.open().select_related("organ").iterator():
        old = (message.due_on, message.due_provisional)
        _set_due(message, calendar)
        if (message.due_on, message.due_provisional) != old:
            Message.objects.filter(pk=message.pk).update(due_on=message.due_on, due_provisional=message.due_provisional)
            changed += 1
    return changed
