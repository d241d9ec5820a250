"""Writes to open meetings (会议开放, 政务开放日) and applications to attend them.

Meetings are announcements of an organ's own schedule, not documents, but they go
through the same 保密审查 as records: editors (``RECORD_DRAFT``) prepare and submit
them, another person who may review and publish (``RECORD_REVIEW`` + ``RECORD_PUBLISH``,
never an author) approves — which publishes — or returns them with an opinion.
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
from gongkai.core.models import AuditEvent, AuditEventType, Organ
from gongkai.core.permissions import Perm, can, require
from gongkai.records.models import Record

from ..errors import ParticipationActionError
from ..models import Meeting, MeetingStatus, Registration, RegistrationStatus

AUDITED_FIELDS = [
    "kind", "title", "starts_at", "ends_at", "place", "topics", "attendance_open", "how_to_apply", "places",
    "registration_deadline", "stream_url", "replay_url", "decisions", "minutes_record", "consultation", "status",
    "published_at", "cancel_reason",
]
EDIT_FIELDS = [f for f in AUDITED_FIELDS if f not in ("status", "published_at", "cancel_reason")]
EDITABLE = (MeetingStatus.DRAFT, MeetingStatus.RETURNED)
REVIEW_APPROVED, REVIEW_RETURNED = "approved", "returned"


def check_review_input(decision: str, opinion: str) -> None:
    if decision not in (REVIEW_APPROVED, REVIEW_RETURNED):
        raise ParticipationActionError("请选择审核结论。")
    if not (opinion or "").strip():
        raise ParticipationActionError("请填写保密审查意见；退回修改时写明需要修改的内容。")


def review_apply(obj, *, actor, decision: str, opinion: str, audited, states, event_types, inactive_error: str):
    """The shared second half of a 保密审查 (meetings, decision catalogs), after the caller's own checks:
    approval publishes ``obj`` (``states[0]``, ``event_types[0]``), a return sends it back with the opinion
    (``states[1]``, ``event_types[1]``); the audit row is written in the caller's transaction."""
    check_review_input(decision, opinion)
    approved = decision == REVIEW_APPROVED
    if approved and not obj.organ.is_active:
        raise ParticipationActionError(inactive_error)
    before = snapshot(obj, audited)
    obj.status = states[0] if approved else states[1]
    obj.review_opinion = opinion.strip()
    obj.reviewed_by = actor
    obj.reviewed_at = timezone.now()
    if approved:
        obj.published_at = obj.reviewed_at
    obj.save()
    audit_log(actor=actor, organ=obj.organ, obj=obj, note=opinion.strip(),
              event_type=event_types[0] if approved else event_types[1],
              changes=diff(before, snapshot(obj, audited)))
    return obj


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
    audit_log(actor=actor, event_type=AuditEventType.MEETING_CREATED, obj=meeting, organ=organ,
              changes=diff({}, snapshot(meeting, AUDITED_FIELDS)))
    return meeting


def meeting_update_failure_reason(*, actor, meeting: Meeting) -> str | None:
    if not can(actor, Perm.RECORD_DRAFT, meeting.organ) and not can(actor, Perm.RECORD_PUBLISH, meeting.organ):
        return "您没有修改该机关会议活动的权限。"
    if meeting.status == MeetingStatus.CANCELLED:
        return "已取消的会议活动不能修改。"
    if meeting.status == MeetingStatus.SUBMITTED:
        return "会议活动正在审核，审核退回后才能修改。"
    if meeting.status == MeetingStatus.PUBLISHED and not can(actor, Perm.RECORD_PUBLISH, meeting.organ):
        return "已发布的会议活动直接显示在网站上，只能由有发布权限的审核人员修改（例如会后补充决定事项和回放）。"
    if meeting.status in EDITABLE and not can(actor, Perm.RECORD_DRAFT, meeting.organ):
        return "您没有在该机关起草会议活动的权限。"
    return None


@transaction.atomic
def meeting_update(*, actor, meeting: Meeting, data: dict[str, Any]) -> Meeting:
    """Edit a draft (or returned) meeting; once published only someone who may publish edits it —
    after it took place this is where the decisions, minutes and replay are added."""
    meeting = _lock(meeting)
    reason = meeting_update_failure_reason(actor=actor, meeting=meeting)
    if reason:
        raise ParticipationActionError(reason)
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


def meeting_submit_failure_reason(*, actor, meeting: Meeting) -> str | None:
    if not can(actor, Perm.RECORD_DRAFT, meeting.organ):
        return "您没有在该机关起草会议活动的权限。"
    if meeting.status not in EDITABLE:
        return f"只有草稿和退回修改的会议活动可以提交审核，这项会议活动现在是“{meeting.get_status_display()}”。"
    return None


@transaction.atomic
def meeting_submit(*, actor, meeting: Meeting) -> Meeting:
    """Send a draft to 保密审查; nothing is public until another person approves it."""
    meeting = _lock(meeting)
    reason = meeting_submit_failure_reason(actor=actor, meeting=meeting)
    if reason:
        raise ParticipationActionError(reason)
    before = snapshot(meeting, AUDITED_FIELDS)
    meeting.status = MeetingStatus.SUBMITTED
    meeting.save()
    audit_log(actor=actor, event_type=AuditEventType.MEETING_SUBMITTED, obj=meeting, organ=meeting.organ,
              changes=diff(before, snapshot(meeting, AUDITED_FIELDS)))
    return meeting


def _authors(meeting: Meeting) -> set[int]:
    """Everyone who created, edited or submitted the meeting (they cannot approve it)."""
    ids = set(AuditEvent.objects.for_object(meeting).filter(
        event_type__in=[AuditEventType.MEETING_CREATED, AuditEventType.MEETING_CHANGED,
                        AuditEventType.MEETING_SUBMITTED]).exclude(actor=None).values_list("actor_id", flat=True))
    if meeting.created_by_id:
        ids.add(meeting.created_by_id)
    return ids


def meeting_review_failure_reason(*, actor, meeting: Meeting) -> str | None:
    if not can(actor, Perm.RECORD_REVIEW, meeting.organ):
        return "您没有审核该机关会议活动的权限。"
    if meeting.status != MeetingStatus.SUBMITTED:
        return f"只有待审核的会议活动可以审核，这项会议活动现在是“{meeting.get_status_display()}”。"
    if actor.pk in _authors(meeting):
        return "起草或修改这项会议活动的人不能审核它（先审查后公开，审核须由他人进行）。"
    if not can(actor, Perm.RECORD_PUBLISH, meeting.organ):
        return "审核通过即发布，您没有在该机关发布信息的权限。"
    return None


@transaction.atomic
def meeting_review(*, actor, meeting: Meeting, decision: str, opinion: str) -> Meeting:
    """保密审查 by another person: approval publishes the meeting, a return sends it back with the opinion."""
    meeting = _lock(meeting)
    reason = meeting_review_failure_reason(actor=actor, meeting=meeting)
    if reason:
        raise ParticipationActionError(reason)
    return review_apply(meeting, actor=actor, decision=decision, opinion=opinion, audited=AUDITED_FIELDS,
                        states=(MeetingStatus.PUBLISHED, MeetingStatus.RETURNED),
                        event_types=(AuditEventType.MEETING_PUBLISHED, AuditEventType.MEETING_RETURNED),
                        inactive_error="主办机关已停用，不能发布。")


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
    audit_log(actor=actor, event_type=AuditEventType.MEETING_CANCELLED, obj=meeting, organ=meeting.organ,
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
    audit_log(actor=None, event_type=AuditEventType.REGISTRATION_RECEIVED, obj=registration, organ=meeting.organ,
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
