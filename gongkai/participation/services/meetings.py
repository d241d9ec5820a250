"""Writes to open meetings (会议开放, 政务开放日) and applications to attend them.

Meetings are announcements of an organ's own schedule, not documents: editors
(``RECORD_DRAFT``) prepare them and a reviewer (``RECORD_PUBLISH``) publishes them.
Applications to attend come from the public; staff with ``RECORD_DRAFT`` accept or
decline them within the places, and an accepted attendee is sent a notice on commit.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from gongkai.core.audit import audit_log, diff, snapshot
from gongkai.core.models import AuditEventType, Organ
from gongkai.core.permissions import Perm, require
from gongkai.records.models import Record

from ..errors import ParticipationActionError
from ..models import Meeting, MeetingStatus, Registration, RegistrationStatus

AUDITED_FIELDS = [
    "kind", "title", "starts_at", "ends_at", "place", "topics", "attendance_open", "how_to_apply", "places",
    "registration_deadline", "stream_url", "replay_url", "decisions", "minutes_record", "consultation", "status",
    "published_at", "cancel_reason",
]
EDIT_FIELDS = [f for f in AUDITED_FIELDS if f not in ("status", "published_at", "cancel_reason")]


def _lock(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update(of=("self",)).select_related("organ").get(pk=meeting.pk)


def _clean(data: dict[str, Any], organ: Organ) -> dict[str, Any]:
    data = {k: v for k, v in data.items() if k in EDIT_FIELDS}
    for key in ("title", "place"):
        if key in data and not (data[key] or "").strip():
            raise ParticipationActionError(f"{Meeting._meta.get_field(key).verbose_name}不能为空。")
    if data.get("ends_at") and data.get("starts_at") and data["ends_at"] < data["starts_at"]:
        raise ParticipationActionError("结束时间不能早于开始时间。")
    if data.get("attendance_open") and not data.get("places"):
        raise ParticipationActionError("接受公众报名时请填写名额。")
    deadline = data.get("registration_deadline")
    if deadline and data.get("starts_at") and deadline > data["starts_at"]:
        raise ParticipationActionError("报名截止时间不能晚于开始时间。")
    record = data.get("minutes_record")
    if record is not None and not Record.objects.public().filter(pk=record.pk).exists():
        raise ParticipationActionError("会议纪要或决定只能关联已公开发布的政府信息。")
    consultation = data.get("consultation")
    if consultation is not None and consultation.organ_id != organ.pk:
        raise ParticipationActionError("只能关联本机关的意见征集。")
    return data


@transaction.atomic
def meeting_create(*, actor, organ: Organ, data: dict[str, Any]) -> Meeting:
    require(actor, Perm.RECORD_DRAFT, organ)
    meeting = Meeting(organ=organ, created_by=actor, **_clean(data, organ))
    meeting.full_clean()
    meeting.save()
    audit_log(actor=actor, event_type=AuditEventType.MEETING_CHANGED, obj=meeting, organ=organ,
              changes=diff({}, snapshot(meeting, AUDITED_FIELDS)))
    return meeting


@transaction.atomic
def meeting_update(*, actor, meeting: Meeting, data: dict[str, Any]) -> Meeting:
    """Edit a meeting; after it took place this is where the decisions, minutes and replay are added."""
    meeting = _lock(meeting)
    require(actor, Perm.RECORD_DRAFT, meeting.organ)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ParticipationActionError("已取消的会议活动不能修改。")
    merged = {f: getattr(meeting, f) for f in EDIT_FIELDS} | data
    cleaned = _clean(merged, meeting.organ)
    before = snapshot(meeting, AUDITED_FIELDS)
    for key, value in cleaned.items():
        setattr(meeting, key, value)
    meeting.full_clean()
    meeting.save()
    audit_log(actor=actor, event_type=AuditEventType.MEETING_CHANGED, obj=meeting, organ=meeting.organ,
              changes=diff(before, snapshot(meeting, AUDITED_FIELDS)))
    return meeting


@transaction.atomic
def meeting_publish(*, actor, meeting: Meeting) -> Meeting:
    meeting = _lock(meeting)
    require(actor, Perm.RECORD_PUBLISH, meeting.organ)
    if meeting.status != MeetingStatus.DRAFT:
        raise ParticipationActionError(f"只有草稿可以发布，这项会议活动现在是“{meeting.get_status_display()}”。")
    if not meeting.organ.is_active:
        raise ParticipationActionError("主办机关已停用，不能发布。")
    before = snapshot(meeting, AUDITED_FIELDS)
    meeting.status = MeetingStatus.PUBLISHED
    meeting.published_at = timezone.now()
    meeting.save()
    audit_log(actor=actor, event_type=AuditEventType.MEETING_CHANGED, obj=meeting, organ=meeting.organ,
              changes=diff(before, snapshot(meeting, AUDITED_FIELDS)), note="发布")
    return meeting


@transaction.atomic
def meeting_cancel(*, actor, meeting: Meeting, reason: str) -> Meeting:
    """Cancel a published meeting; the page says so with the reason, pending and accepted attendees are told."""
    meeting = _lock(meeting)
    require(actor, Perm.RECORD_PUBLISH, meeting.organ)
    if meeting.status != MeetingStatus.PUBLISHED:
        raise ParticipationActionError("只有已发布的会议活动可以取消。")
    if not (reason or "").strip():
        raise ParticipationActionError("取消必须写明原因，原因会公开显示。")
    before = snapshot(meeting, AUDITED_FIELDS)
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancel_reason = reason.strip()[:300]
    meeting.save()
    audit_log(actor=actor, event_type=AuditEventType.MEETING_CHANGED, obj=meeting, organ=meeting.organ,
              changes=diff(before, snapshot(meeting, AUDITED_FIELDS)), note=reason.strip())
    ids = list(meeting.registrations.filter(status__in=[RegistrationStatus.PENDING, RegistrationStatus.ACCEPTED])
               .exclude(email="").values_list("pk", flat=True))
    transaction.on_commit(lambda: [_notify(pk, "cancelled") for pk in ids])
    return meeting


# -- applications to attend ------------------------------------------------------------------------


def _new_code() -> str:
    alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
    while True:
        code = "".join(secrets.choice(alphabet) for _ in range(10))
        if not Registration.objects.filter(receipt_code=code).exists():
            return code


@transaction.atomic
def registration_submit(*, meeting: Meeting, name: str, phone: str, email: str = "", kind: str = "citizen",
                        affiliation: str = "", reason: str = "", now: dt.datetime | None = None) -> Registration:
    meeting = _lock(meeting)
    now = now or timezone.now()
    if not Meeting.objects.public().filter(pk=meeting.pk).exists():
        raise ParticipationActionError("这项会议活动不存在或尚未发布。")
    if not meeting.attendance_open or meeting.places == 0:
        raise ParticipationActionError("这项会议活动不接受公众报名。")
    if not meeting.registration_open_at(now):
        raise ParticipationActionError("报名已经截止。感谢您的关注。")
    name, phone = (name or "").strip(), (phone or "").strip()
    if not name or not phone:
        raise ParticipationActionError("请填写姓名和联系电话。")
    if meeting.registrations.filter(phone=phone).exclude(status=RegistrationStatus.CANCELLED).exists():
        raise ParticipationActionError("这个电话号码已经报过名，请用查询码查询报名结果。")
    registration = Registration.objects.create(
        meeting=meeting, receipt_code=_new_code(), name=name[:50], phone=phone[:30], email=(email or "").strip(),
        kind=kind, affiliation=(affiliation or "").strip()[:100], reason=(reason or "").strip()[:2000])
    audit_log(actor=None, event_type=AuditEventType.MEETING_REGISTRATION, obj=registration, organ=meeting.organ,
              changes={"status": [None, registration.status]}, note="收到报名")
    return registration


def accepted_count(meeting: Meeting) -> int:
    return meeting.registrations.filter(status=RegistrationStatus.ACCEPTED).count()


@transaction.atomic
def registration_decide(*, actor, registration: Registration, accept: bool, note: str = "") -> Registration:
    """Accept (within the places) or decline an application; the applicant is told on commit."""
    registration = Registration.objects.select_for_update(of=("self",)).select_related("meeting__organ").get(pk=registration.pk)
    meeting = _lock(registration.meeting)
    require(actor, Perm.RECORD_DRAFT, meeting.organ)
    if meeting.status != MeetingStatus.PUBLISHED:
        raise ParticipationActionError("会议活动已取消或未发布，不能处理报名。")
    if registration.status == RegistrationStatus.CANCELLED:
        raise ParticipationActionError("报名已取消。")
    target = RegistrationStatus.ACCEPTED if accept else RegistrationStatus.DECLINED
    if registration.status == target:
        raise ParticipationActionError(f"这条报名已经是“{registration.get_status_display()}”。")
    if accept and accepted_count(meeting) >= meeting.places:
        raise ParticipationActionError(f"名额（{meeting.places}人）已满，不能再同意。")
    if not accept and not (note or "").strip():
        raise ParticipationActionError("未同意报名时请写明原因，原因会告知报名人。")
    before = {"status": registration.status}
    registration.status = target
    registration.decision_note = (note or "").strip()[:300]
    registration.decided_by = actor
    registration.decided_at = timezone.now()
    registration.save()
    audit_log(actor=actor, event_type=AuditEventType.MEETING_REGISTRATION, obj=registration, organ=meeting.organ,
              changes=diff(before, {"status": registration.status}), note=registration.decision_note)
    if registration.email:
        transaction.on_commit(lambda pk=registration.pk: _notify(pk, "decided"))
    return registration


def _notify(registration_id: int, what: str) -> None:
    registration = Registration.objects.select_related("meeting__organ").get(pk=registration_id)
    if not registration.email:
        return
    base = getattr(settings, "GONGKAI_SITE_URL", "").rstrip("/")
    meeting = registration.meeting
    if what == "cancelled":
        subject = f"会议活动取消通知：{meeting.title}"
    elif registration.status == RegistrationStatus.ACCEPTED:
        subject = f"参加通知：{meeting.title}"
    else:
        subject = f"报名结果：{meeting.title}"
    body = render_to_string("participation/email/registration.txt",
                            {"r": registration, "meeting": meeting, "what": what, "base_url": base})
    send_mail(subject, body, None, [registration.email])
    Registration.objects.filter(pk=registration.pk).update(notified_at=timezone.now())
