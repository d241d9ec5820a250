"""Writes to consultations (意见征集): lifecycle, comments, moderation, dispositions, feedback.

Each service is its transaction boundary, checks permission through
``gongkai.core.permissions``, refuses with a Chinese reason
(:class:`ParticipationActionError`) before changing anything, and writes its
audit row in the same transaction. Who may do what:

* drafting, moderating comments, dispositions and the feedback text: ``RECORD_DRAFT``;
* 保密审查 of the consultation and of the feedback: ``RECORD_REVIEW`` (never the author);
* publishing, closing early, withdrawing: ``RECORD_PUBLISH``.

The feedback (意见采纳情况反馈) is published on the consultation page and also as a
``Record`` of genre 通知公告, through the records' normal flow with the real people:
the feedback's author creates and submits the record, the reviewer's approval of the
feedback is recorded as that record's 保密审查 and the reviewer publishes it — so the
record has the same review trail as any other and no door is bypassed.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from gongkai.core.audit import audit_log, diff, snapshot
from gongkai.core.files import upload_content_error
from gongkai.core.masking import mask_text
from gongkai.core.models import AuditEventType, Organ
from gongkai.core.permissions import Perm, can, require
from gongkai.records import services as record_services
from gongkai.records.models import Attribute, Genre, Record
from gongkai.records.models import ReviewDecision as RecordReviewDecision
from gongkai.records.services import RecordActionError, sanitize_html

from .. import periods
from ..errors import ParticipationActionError
from ..models import (
    Comment,
    CommentGroup,
    CommentModeration,
    Consultation,
    ConsultationFeedback,
    ConsultationQuestion,
    ConsultationReview,
    ConsultationSection,
    ConsultationStatus,
    Disposition,
    FeedbackStatus,
    QuestionKind,
    ReviewDecision,
    ReviewTarget,
)
from ..models.consultations import CONSULTATION_EDITABLE

AUDITED_FIELDS = [
    "title", "kind", "purpose", "draft_text", "explanation", "draft_record", "final_record", "starts_on", "ends_on",
    "short_period_reason", "accepts_online", "channel_email", "channel_post", "channel_other", "allow_anonymous",
    "show_comments", "status", "published_at", "closed_at", "withdrawal_reason",
]
EDIT_FIELDS = [
    "title", "kind", "purpose", "draft_text", "explanation", "draft_record", "starts_on", "ends_on",
    "short_period_reason", "accepts_online", "channel_email", "channel_post", "channel_other", "allow_anonymous",
    "show_comments",
]
COMMENT_MAX_CHARS = 5000
ATTACHMENT_TYPES = (".pdf", ".doc", ".docx", ".txt", ".jpg", ".jpeg", ".png", ".wps", ".odt")
ATTACHMENT_MAX_MB = 10
FEEDBACK_GENRE_CODES = ("notice", "other")


def _snapshot(consultation: Consultation) -> dict[str, Any]:
    return snapshot(consultation, AUDITED_FIELDS) | {"draft_file": consultation.draft_file.name or ""}


def _lock(consultation: Consultation) -> Consultation:
    return Consultation.objects.select_for_update(of=("self",)).select_related("organ").get(pk=consultation.pk)


def _transition(*, actor, consultation: Consultation, to: str, event: AuditEventType, note: str = "",
                **fields: Any) -> Consultation:
    before = _snapshot(consultation)
    consultation.status = to
    for key, value in fields.items():
        setattr(consultation, key, value)
    consultation.save()
    audit_log(actor=actor, event_type=event, obj=consultation, organ=consultation.organ,
              changes=diff(before, _snapshot(consultation)), note=note)
    return consultation


# -- drafting ---------------------------------------------------------------------------------


def clean_consultation_data(data: dict[str, Any]) -> dict[str, Any]:
    """Normalise what an editor typed; raise with the first problem (the period rules included)."""
    data = {k: v for k, v in data.items() if k in EDIT_FIELDS}
    for key in ("title", "purpose"):
        if key in data:
            data[key] = (data[key] or "").strip()
            if not data[key]:
                label = Consultation._meta.get_field(key).verbose_name
                raise ParticipationActionError(f"{label}不能为空。")
    for key in ("draft_text", "explanation"):
        if key in data:
            data[key] = sanitize_html(data[key] or "")
    if data.get("starts_on") and data.get("ends_on"):
        check = periods.check_period(kind=data.get("kind") or "policy", starts_on=data["starts_on"],
                                     ends_on=data["ends_on"], short_reason=data.get("short_period_reason") or "")
        if check.errors:
            raise ParticipationActionError(check.errors[0])
        if not check.is_short:
            data["short_period_reason"] = ""
    return data


def _set_sections(consultation: Consultation, sections: Sequence[dict[str, str]] | None) -> None:
    if sections is None:
        return
    keep = []
    for order, item in enumerate(sections):
        heading = (item.get("heading") or "").strip()
        if not heading:
            continue
        section, _ = ConsultationSection.objects.update_or_create(
            consultation=consultation, heading=heading, defaults={"order": order, "text": (item.get("text") or "").strip()})
        keep.append(section.pk)
    consultation.sections.exclude(pk__in=keep).delete()


def _set_questions(consultation: Consultation, questions: Sequence[dict[str, Any]] | None) -> None:
    if questions is None:
        return
    consultation.questions.all().delete()
    for order, item in enumerate(questions):
        text = (item.get("text") or "").strip()
        if not text:
            continue
        kind = item.get("kind") or QuestionKind.SINGLE
        options = [o.strip() for o in item.get("options") or [] if o and o.strip()]
        if kind != QuestionKind.TEXT and len(options) < 2:
            raise ParticipationActionError(f"选择题“{text}”至少需要两个选项。")
        ConsultationQuestion.objects.create(consultation=consultation, order=order, text=text, kind=kind,
                                            options=options if kind != QuestionKind.TEXT else [],
                                            required=bool(item.get("required")))


def _check_draft(data: dict[str, Any], organ: Organ) -> None:
    record = data.get("draft_record")
    if record is not None and record.organ_id != organ.pk and not Record.objects.public().filter(pk=record.pk).exists():
        raise ParticipationActionError("草案信息必须是本机关的信息或已公开的信息。")


def _attach_draft(consultation: Consultation, upload: UploadedFile | None) -> None:
    if upload is None:
        return
    name = (upload.name or "").lower()
    if not name.endswith((".pdf", ".doc", ".docx", ".wps", ".odt", ".txt")):
        raise ParticipationActionError("草案附件只能是PDF、Word、WPS或文本文件。")
    if upload.size == 0 or upload.size > 20 * 1024 * 1024:
        raise ParticipationActionError("草案附件不能是空文件，也不能超过20MB。")
    problem = upload_content_error(upload)
    if problem:
        raise ParticipationActionError(problem)
    consultation.draft_file.save(upload.name, upload, save=False)


@transaction.atomic
def consultation_create(*, actor, organ: Organ, data: dict[str, Any], sections: Sequence[dict[str, str]] = (),
                        questions: Sequence[dict[str, Any]] = (), draft_file: UploadedFile | None = None) -> Consultation:
    require(actor, Perm.RECORD_DRAFT, organ)
    data = clean_consultation_data(data)
    _check_draft(data, organ)
    consultation = Consultation(organ=organ, created_by=actor, status=ConsultationStatus.DRAFT, **data)
    consultation.full_clean(exclude=["draft_file"])
    _attach_draft(consultation, draft_file)
    consultation.save()
    _set_sections(consultation, sections)
    _set_questions(consultation, questions)
    audit_log(actor=actor, event_type=AuditEventType.CONSULTATION_CREATED, obj=consultation, organ=organ,
              changes=diff({}, _snapshot(consultation)))
    return consultation


@transaction.atomic
def consultation_update(*, actor, consultation: Consultation, data: dict[str, Any],
                        sections: Sequence[dict[str, str]] | None = None,
                        questions: Sequence[dict[str, Any]] | None = None,
                        draft_file: UploadedFile | None = None) -> Consultation:
    consultation = _lock(consultation)
    require(actor, Perm.RECORD_DRAFT, consultation.organ)
    if consultation.status not in CONSULTATION_EDITABLE:
        raise ParticipationActionError(
            f"“{consultation.get_status_display()}”状态的意见征集不能修改；只有草稿和退回修改的可以修改。")
    merged = {f: getattr(consultation, f) for f in EDIT_FIELDS} | data
    data = clean_consultation_data(merged)
    _check_draft(data, consultation.organ)
    before = _snapshot(consultation)
    for key, value in data.items():
        setattr(consultation, key, value)
    consultation.full_clean(exclude=["draft_file"])
    _attach_draft(consultation, draft_file)
    consultation.save()
    _set_sections(consultation, sections)
    _set_questions(consultation, questions)
    audit_log(actor=actor, event_type=AuditEventType.CONSULTATION_EDITED, obj=consultation,
              organ=consultation.organ, changes=diff(before, _snapshot(consultation)))
    return consultation


@transaction.atomic
def consultation_link_final(*, actor, consultation: Consultation, record: Record | None) -> Consultation:
    """Link the adopted final document (or unlink with ``None``); the consultation page shows it."""
    consultation = _lock(consultation)
    require(actor, Perm.RECORD_DRAFT, consultation.organ)
    if record is not None and not Record.objects.public().filter(pk=record.pk).exists():
        raise ParticipationActionError("只能关联已公开发布的正式文件。")
    before = _snapshot(consultation)
    consultation.final_record = record
    consultation.save(update_fields=["final_record", "updated_at"])
    audit_log(actor=actor, event_type=AuditEventType.CONSULTATION_EDITED, obj=consultation,
              organ=consultation.organ, changes=diff(before, _snapshot(consultation)))
    return consultation


# -- review and publishing ----------------------------------------------------------------------


def consultation_submit_failure_reason(*, actor, consultation: Consultation) -> str | None:
    if not can(actor, Perm.RECORD_DRAFT, consultation.organ):
        return "您没有在该机关起草意见征集的权限。"
    if consultation.status not in CONSULTATION_EDITABLE:
        return f"“{consultation.get_status_display()}”状态的意见征集不能提交审核。"
    if not (consultation.draft_text.strip() or consultation.draft_record_id or consultation.draft_file
            or consultation.sections.exists()):
        return "请提供草案：粘贴草案全文、上传草案附件、选择草案信息或添加条款。"
    if not (consultation.accepts_online or consultation.channel_email or consultation.channel_post
            or consultation.channel_other.strip()):
        return "请至少提供一种提交意见的方式。"
    if consultation.ends_on < timezone.localdate():
        return "截止日期已过，请修改征求意见期限。"
    return None


@transaction.atomic
def consultation_submit(*, actor, consultation: Consultation) -> Consultation:
    consultation = _lock(consultation)
    reason = consultation_submit_failure_reason(actor=actor, consultation=consultation)
    if reason:
        raise ParticipationActionError(reason)
    return _transition(actor=actor, consultation=consultation, to=ConsultationStatus.SUBMITTED,
                       event=AuditEventType.CONSULTATION_SUBMITTED)


def _authors(consultation: Consultation) -> set[int]:
    """Everyone who created or edited the consultation since it was created."""
    from gongkai.core.models import AuditEvent

    ids = set(AuditEvent.objects.for_object(consultation).filter(
        event_type__in=[AuditEventType.CONSULTATION_CREATED, AuditEventType.CONSULTATION_EDITED,
                        AuditEventType.CONSULTATION_SUBMITTED]).exclude(actor=None).values_list("actor_id", flat=True))
    if consultation.created_by_id:
        ids.add(consultation.created_by_id)
    return ids


def consultation_review_failure_reason(*, actor, consultation: Consultation) -> str | None:
    if not can(actor, Perm.RECORD_REVIEW, consultation.organ):
        return "您没有审核该机关意见征集的权限。"
    if consultation.status != ConsultationStatus.SUBMITTED:
        return f"只有待审核的意见征集可以审核，这项征集现在是“{consultation.get_status_display()}”。"
    if actor.pk in _authors(consultation):
        return "起草或修改这项意见征集的人不能审核它（先审查后公开，审核须由他人进行）。"
    return None


def _check_review_input(decision: str, opinion: str) -> None:
    if decision not in ReviewDecision.values:
        raise ParticipationActionError("请选择审核结论。")
    if not (opinion or "").strip():
        raise ParticipationActionError("请填写保密审查意见；退回修改时写明需要修改的内容。")


@transaction.atomic
def consultation_review(*, actor, consultation: Consultation, decision: str, opinion: str,
                        publish_now: bool = False) -> ConsultationReview:
    consultation = _lock(consultation)
    reason = consultation_review_failure_reason(actor=actor, consultation=consultation)
    if reason:
        raise ParticipationActionError(reason)
    _check_review_input(decision, opinion)
    review = ConsultationReview.objects.create(consultation=consultation, target=ReviewTarget.CONSULTATION,
                                               reviewer=actor, decision=decision, opinion=opinion.strip())
    if decision == ReviewDecision.RETURNED:
        _transition(actor=actor, consultation=consultation, to=ConsultationStatus.RETURNED,
                    event=AuditEventType.CONSULTATION_RETURNED, note=opinion.strip())
        return review
    _transition(actor=actor, consultation=consultation, to=ConsultationStatus.APPROVED,
                event=AuditEventType.CONSULTATION_APPROVED, note=opinion.strip())
    if publish_now:
        consultation_publish(actor=actor, consultation=consultation)
    return review


@transaction.atomic
def consultation_publish(*, actor, consultation: Consultation) -> Consultation:
    consultation = _lock(consultation)
    require(actor, Perm.RECORD_PUBLISH, consultation.organ)
    if consultation.status != ConsultationStatus.APPROVED:
        raise ParticipationActionError(
            f"只有审核通过的意见征集可以发布，这项征集现在是“{consultation.get_status_display()}”。")
    if not consultation.organ.is_active:
        raise ParticipationActionError("征集机关已停用，不能发布。")
    if consultation.ends_on < timezone.localdate():
        raise ParticipationActionError("截止日期已过，请退回修改征求意见期限后再发布。")
    return _transition(actor=actor, consultation=consultation, to=ConsultationStatus.PUBLISHED,
                       event=AuditEventType.CONSULTATION_PUBLISHED, published_at=timezone.now())


@transaction.atomic
def consultation_close(*, actor, consultation: Consultation, reason: str = "",
                       today: dt.date | None = None) -> Consultation:
    """Close a published consultation: by the scheduled job after its end (``actor=None``), or by
    staff — before the end only with a stated reason, shown on the page."""
    consultation = _lock(consultation)
    today = today or timezone.localdate()
    if actor is not None:
        require(actor, Perm.RECORD_PUBLISH, consultation.organ)
    if consultation.status != ConsultationStatus.PUBLISHED:
        raise ParticipationActionError(
            f"只有已发布的意见征集可以结束，这项征集现在是“{consultation.get_status_display()}”。")
    early = today <= consultation.ends_on
    if early and actor is None:
        raise ParticipationActionError("征求意见期限尚未届满。")
    if early and not reason.strip():
        raise ParticipationActionError("征求意见期限尚未届满；提前结束必须写明理由，理由会在征集页面上显示。")
    note = reason.strip() if early else "征求意见期限届满，自动结束。" if actor is None else "征求意见期限届满。"
    return _transition(actor=actor, consultation=consultation, to=ConsultationStatus.CLOSED,
                       event=AuditEventType.CONSULTATION_CLOSED, note=note, closed_at=timezone.now(),
                       withdrawal_reason=reason.strip()[:300] if early else "")


def consultation_close_due(*, today: dt.date | None = None) -> int:
    """The scheduled job: close every published consultation whose period has ended. Returns how many."""
    today = today or timezone.localdate()
    closed = 0
    for pk in Consultation.objects.filter(status=ConsultationStatus.PUBLISHED, ends_on__lt=today).values_list(
            "pk", flat=True):
        try:
            consultation_close(actor=None, consultation=Consultation(pk=pk), today=today)
        except ParticipationActionError:
            continue  # changed meanwhile
        closed += 1
    return closed


@transaction.atomic
def consultation_withdraw(*, actor, consultation: Consultation, reason: str) -> Consultation:
    consultation = _lock(consultation)
    require(actor, Perm.RECORD_PUBLISH, consultation.organ)
    if consultation.status not in (ConsultationStatus.APPROVED, ConsultationStatus.PUBLISHED):
        raise ParticipationActionError("只有待发布或征集中的意见征集可以撤回。")
    if not reason.strip():
        raise ParticipationActionError("撤回必须写明原因。")
    return _transition(actor=actor, consultation=consultation, to=ConsultationStatus.WITHDRAWN,
                       event=AuditEventType.CONSULTATION_WITHDRAWN, note=reason.strip(),
                       withdrawal_reason=reason.strip()[:300])


# -- comments from the public -------------------------------------------------------------------


def can_see_contact(user, organ: Organ) -> bool:
    """The public's contact data (commenters, applicants to attend) is for the staff of the organ that
    handles the item — its editors and reviewers — not for the offices above that oversee it."""
    return can(user, Perm.RECORD_DRAFT, organ) or can(user, Perm.RECORD_REVIEW, organ)


@transaction.atomic
def comments_export(*, actor, consultations: Sequence[Consultation]) -> bytes:
    """The comments of ``consultations`` as an Excel workbook, contact data only where ``actor`` handles
    the consultation; every consultation exported is audited (who, how many comments, with contact or not)."""
    from ..exports import comments_xlsx

    with_contact = {c.pk for c in consultations if can_see_contact(actor, c.organ)}
    data = comments_xlsx(consultations, with_contact=with_contact)
    for consultation in consultations:
        count = consultation.comments.count()
        if not count:
            continue
        audit_log(actor=actor, event_type=AuditEventType.COMMENTS_EXPORTED, obj=consultation,
                  organ=consultation.organ, changes={"comments": [None, count]},
                  note="含联系方式" if consultation.pk in with_contact else "联系方式已隐去")
    return data


def new_receipt_code() -> str:
    """Ten characters a person can read out: no 0/O, 1/I/L."""
    alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
    while True:
        code = "".join(secrets.choice(alphabet) for _ in range(10))
        if not Comment.objects.filter(receipt_code=code).exists():
            return code


def _check_attachment(upload: UploadedFile | None) -> None:
    if upload is None:
        return
    name = (upload.name or "").lower()
    if not name.endswith(ATTACHMENT_TYPES):
        raise ParticipationActionError(f"附件类型不允许上传，允许的类型：{'、'.join(ATTACHMENT_TYPES)}。")
    if upload.size > ATTACHMENT_MAX_MB * 1024 * 1024:
        raise ParticipationActionError(f"附件超过{ATTACHMENT_MAX_MB}MB的大小限制。")
    if upload.size == 0:
        raise ParticipationActionError("附件是空文件。")


def _clean_answers(consultation: Consultation, answers: dict[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for q in consultation.questions.all():
        raw = answers.get(str(q.pk))
        if q.kind == QuestionKind.MULTIPLE:
            value = [v for v in (raw or []) if v in q.options]
        elif q.kind == QuestionKind.SINGLE:
            value = raw if raw in q.options else ""
        else:
            value = (raw or "").strip()[:1000]
        if q.required and not value:
            raise ParticipationActionError(f"请回答问卷问题“{q.text}”。")
        if value:
            cleaned[str(q.pk)] = value
    return cleaned


@transaction.atomic
def comment_submit(*, consultation: Consultation, body: str, name: str = "", anonymous: bool = False,
                   email: str = "", phone: str = "", section: ConsultationSection | None = None,
                   answers: dict[str, Any] | None = None, attachment: UploadedFile | None = None,
                   channel: str = "online", actor=None, today: dt.date | None = None) -> Comment:
    """A comment from the public (or one staff type in from a letter, with ``actor``)."""
    consultation = _lock(consultation)
    today = today or timezone.localdate()
    if actor is not None:
        require(actor, Perm.RECORD_DRAFT, consultation.organ)
    elif not Consultation.objects.public().filter(pk=consultation.pk).exists():
        raise ParticipationActionError("这项意见征集不存在或尚未发布。")
    if not consultation.is_open_on(today):
        if today < consultation.starts_on:
            raise ParticipationActionError(f"意见征集将于{consultation.starts_on:%Y年%m月%d日}开始，届时再提交意见。")
        raise ParticipationActionError("意见征集已经结束，不再接收意见。感谢您的关注。")
    if actor is None and not consultation.accepts_online:
        raise ParticipationActionError("这项意见征集不接受网上提交，请按公告中的方式提交意见。")
    body = (body or "").strip()
    if not body:
        raise ParticipationActionError("请填写意见内容。")
    if len(body) > COMMENT_MAX_CHARS:
        raise ParticipationActionError(f"意见内容不能超过{COMMENT_MAX_CHARS}字，较长的意见请作为附件上传。")
    name = (name or "").strip()
    if anonymous and not consultation.allow_anonymous:
        raise ParticipationActionError("这项意见征集不接受匿名意见，请填写姓名或单位名称。")
    if not anonymous and not name:
        raise ParticipationActionError("请填写姓名或单位名称" + ("，或选择匿名提交。" if consultation.allow_anonymous else "。"))
    if section is not None and section.consultation_id != consultation.pk:
        raise ParticipationActionError("所选条款不属于这项意见征集。")
    _check_attachment(attachment)
    comment = Comment(
        consultation=consultation, section=section, receipt_code=new_receipt_code(), name="" if anonymous else name,
        is_anonymous=anonymous, email=(email or "").strip(), phone=(phone or "").strip()[:30], body=body,
        answers=_clean_answers(consultation, answers or {}), channel=channel,
    )
    if attachment is not None:
        comment.attachment.save(attachment.name, attachment, save=False)
    comment.save()
    audit_log(actor=actor, event_type=AuditEventType.COMMENT_RECEIVED, obj=comment, organ=consultation.organ,
              changes={"section": [None, str(section) if section else "总体意见"], "channel": [None, channel]})
    return comment


@transaction.atomic
def comment_moderate(*, actor, comment: Comment, moderation: str, public_text: str | None = None) -> Comment:
    """Show (with personal data masked), keep unshown, or mark invalid (spam, abuse) a comment."""
    comment = Comment.objects.select_for_update(of=("self",)).select_related("consultation__organ").get(pk=comment.pk)
    require(actor, Perm.RECORD_DRAFT, comment.consultation.organ)
    if moderation not in (CommentModeration.SHOWN, CommentModeration.NOT_SHOWN, CommentModeration.REJECTED):
        raise ParticipationActionError("请选择审核结果。")
    names = [comment.name] if comment.name else []
    text = mask_text(public_text if public_text and public_text.strip() else comment.body, names=names)
    before = {"moderation": comment.moderation, "public_text": comment.public_text}
    comment.moderation = moderation
    comment.public_text = text if moderation == CommentModeration.SHOWN else ""
    comment.moderated_by = actor
    comment.moderated_at = timezone.now()
    comment.save(update_fields=["moderation", "public_text", "moderated_by", "moderated_at"])
    audit_log(actor=actor, event_type=AuditEventType.COMMENT_MODERATED, obj=comment,
              organ=comment.consultation.organ,
              changes=diff(before, {"moderation": comment.moderation, "public_text": comment.public_text}))
    return comment


def _check_disposable(actor, consultation: Consultation) -> None:
    require(actor, Perm.RECORD_DRAFT, consultation.organ)
    if consultation.status != ConsultationStatus.CLOSED:
        raise ParticipationActionError("意见征集结束后才能填写采纳情况。")
    feedback = getattr(consultation, "feedback", None)
    if feedback is not None and feedback.status in (FeedbackStatus.SUBMITTED, FeedbackStatus.PUBLISHED):
        raise ParticipationActionError(f"采纳情况反馈{feedback.get_status_display()}，不能再修改采纳情况。")


def _check_disposition(disposition: str, reason: str) -> None:
    if disposition not in Disposition.values:
        raise ParticipationActionError("请选择采纳情况。")
    if not (reason or "").strip():
        raise ParticipationActionError("请写明采纳或不予采纳的理由，理由会向社会公布。")


def _dispose(actor, comment: Comment, disposition: str, reason: str, group: CommentGroup | None) -> None:
    before = {"disposition": comment.disposition, "disposition_reason": comment.disposition_reason,
              "group": str(comment.group) if comment.group_id else None}
    comment.disposition = disposition
    comment.disposition_reason = reason.strip()
    comment.disposed_by = actor
    comment.disposed_at = timezone.now()
    if group is not None:
        comment.group = group
    comment.save(update_fields=["disposition", "disposition_reason", "disposed_by", "disposed_at", "group"])
    audit_log(actor=actor, event_type=AuditEventType.COMMENT_DISPOSED, obj=comment,
              organ=comment.consultation.organ,
              changes=diff(before, {"disposition": comment.disposition,
                                    "disposition_reason": comment.disposition_reason,
                                    "group": str(comment.group) if comment.group_id else None}))


@transaction.atomic
def comment_dispose(*, actor, comment: Comment, disposition: str, reason: str) -> Comment:
    comment = Comment.objects.select_for_update(of=("self",)).select_related("consultation__organ", "group").get(pk=comment.pk)
    consultation = comment.consultation
    _check_disposable(actor, consultation)
    _check_disposition(disposition, reason)
    _dispose(actor, comment, disposition, reason, None)
    return comment


@transaction.atomic
def comment_group_dispose(*, actor, consultation: Consultation, title: str, comments: Iterable[Comment],
                          disposition: str, reason: str, group: CommentGroup | None = None) -> CommentGroup:
    """Group comments on one topic and answer them together (one disposition and reason for all)."""
    consultation = _lock(consultation)
    _check_disposable(actor, consultation)
    _check_disposition(disposition, reason)
    title = (title or "").strip()
    if not title:
        raise ParticipationActionError("请概括这一类意见，例如“关于收费标准的意见”。")
    ids = [c.pk for c in comments]
    members = list(Comment.objects.select_for_update(of=("self",)).select_related("consultation__organ", "group")
                   .filter(pk__in=ids, consultation=consultation))
    if not members or len(members) != len(set(ids)):
        raise ParticipationActionError("请选择属于这项意见征集的意见。")
    if group is None:
        group = CommentGroup.objects.create(consultation=consultation, title=title, disposition=disposition,
                                            reason=reason.strip())
    else:
        group.title, group.disposition, group.reason = title, disposition, reason.strip()
        group.save()
    for comment in members:
        _dispose(actor, comment, disposition, reason, group)
    for other in group.comments.exclude(pk__in=ids):
        _dispose(actor, other, disposition, reason, group)
    return group


# -- the feedback (意见采纳情况反馈) --------------------------------------------------------------


@transaction.atomic
def feedback_save(*, actor, consultation: Consultation, main_opinions: str, changes: str) -> ConsultationFeedback:
    consultation = _lock(consultation)
    require(actor, Perm.RECORD_DRAFT, consultation.organ)
    if consultation.status != ConsultationStatus.CLOSED:
        raise ParticipationActionError("意见征集结束后才能撰写采纳情况反馈。")
    feedback, created = ConsultationFeedback.objects.select_for_update().get_or_create(
        consultation=consultation, defaults={"written_by": actor})
    if feedback.status not in (FeedbackStatus.DRAFT, FeedbackStatus.RETURNED):
        raise ParticipationActionError(f"采纳情况反馈{feedback.get_status_display()}，不能修改。")
    before = {} if created else snapshot(feedback, ["main_opinions", "changes"])
    feedback.main_opinions = (main_opinions or "").strip()
    feedback.changes = (changes or "").strip()
    feedback.written_by = actor
    feedback.save()
    audit_log(actor=actor, event_type=AuditEventType.FEEDBACK_CHANGED, obj=feedback, organ=consultation.organ,
              changes=diff(before, snapshot(feedback, ["main_opinions", "changes"])))
    return feedback


def undisposed_comments(consultation: Consultation):
    """Comments still waiting for a disposition (invalid ones — spam, abuse — need none)."""
    return consultation.comments.exclude(moderation=CommentModeration.REJECTED).filter(disposition="")


def feedback_submit_failure_reason(*, actor, consultation: Consultation) -> str | None:
    if not can(actor, Perm.RECORD_DRAFT, consultation.organ):
        return "您没有在该机关撰写采纳情况反馈的权限。"
    if consultation.status != ConsultationStatus.CLOSED:
        return "意见征集结束后才能提交采纳情况反馈。"
    feedback = getattr(consultation, "feedback", None)
    if feedback is None or feedback.status not in (FeedbackStatus.DRAFT, FeedbackStatus.RETURNED):
        return "请先撰写采纳情况反馈。"
    if not feedback.main_opinions.strip():
        return "请概括公众提出的主要意见。"
    waiting = undisposed_comments(consultation).count()
    if waiting:
        return f"还有{waiting}条意见没有填写采纳情况和理由，每条意见都要有答复。"
    if consultation.comments.filter(moderation=CommentModeration.PENDING).exists():
        return "还有意见没有审核（是否公开显示），请先审核。"
    return None


@transaction.atomic
def feedback_submit(*, actor, consultation: Consultation) -> ConsultationFeedback:
    consultation = _lock(consultation)
    reason = feedback_submit_failure_reason(actor=actor, consultation=consultation)
    if reason:
        raise ParticipationActionError(reason)
    feedback = ConsultationFeedback.objects.select_for_update().get(consultation=consultation)
    before = {"status": feedback.status}
    feedback.status = FeedbackStatus.SUBMITTED
    feedback.written_by = actor
    feedback.save(update_fields=["status", "written_by", "updated_at"])
    audit_log(actor=actor, event_type=AuditEventType.FEEDBACK_SUBMITTED, obj=feedback, organ=consultation.organ,
              changes=diff(before, {"status": feedback.status}))
    return feedback


def disposition_counts(consultation: Consultation) -> dict[str, int]:
    counts = {d.value: 0 for d in Disposition}
    for value in consultation.comments.exclude(disposition="").values_list("disposition", flat=True):
        counts[value] += 1
    return counts


def feedback_report_html(consultation: Consultation) -> str:
    """The feedback report as published: counts by disposition, main opinions, reasons, changes."""
    return render_to_string("participation/_feedback_report.html", {
        "consultation": consultation,
        "feedback": consultation.feedback,
        "total": consultation.comments.exclude(moderation=CommentModeration.REJECTED).count(),
        "counts": [(d.label, disposition_counts(consultation)[d.value]) for d in Disposition],
        "groups": consultation.groups.prefetch_related("comments"),
        "comments": consultation.comments.exclude(moderation=CommentModeration.REJECTED)
        .filter(group__isnull=True).select_related("section"),
    })


def feedback_title(title: str) -> str:
    """The published feedback's title: 关于… is not doubled when the consultation's title has it."""
    title = title.strip()
    return (f"{title}的意见采纳情况反馈" if title.startswith("关于") else f"关于{title}的意见采纳情况反馈")[:300]


def _feedback_genre() -> Genre:
    for code in FEEDBACK_GENRE_CODES:
        genre = Genre.objects.filter(code=code).first()
        if genre is not None:
            return genre
    raise ParticipationActionError("系统中缺少“通知公告”体裁，请平台管理员在参考数据中添加。")


def _publish_as_record(*, reviewer, feedback: ConsultationFeedback, opinion: str) -> Record:
    consultation = feedback.consultation
    author = feedback.written_by
    try:
        record = record_services.record_create(
            actor=author, organ=consultation.organ, check_permission=False,
            data={"title": feedback_title(consultation.title),
                  "summary": f"{consultation.organ.name}公开征求意见的采纳情况反馈。",
                  "genre": _feedback_genre(), "attribute": Attribute.PROACTIVE,
                  "written_on": timezone.localdate(), "body": feedback_report_html(consultation)})
        record_services.record_submit(actor=author, record=record)
        record_services.record_review(actor=reviewer, record=record, decision=RecordReviewDecision.APPROVED,
                                      confidentiality_opinion=opinion, attribute_confirmed=Attribute.PROACTIVE,
                                      publish="now")
    except RecordActionError as exc:
        raise ParticipationActionError(f"反馈不能作为政府信息发布：{exc}") from exc
    record.refresh_from_db()
    return record


def _notify_commenters(consultation_id: int) -> None:
    consultation = Consultation.objects.select_related("organ").get(pk=consultation_id)
    base = getattr(settings, "GONGKAI_SITE_URL", "").rstrip("/")
    for comment in consultation.comments.exclude(email="").exclude(moderation=CommentModeration.REJECTED).filter(
            notified_at__isnull=True):
        body = render_to_string("participation/email/feedback_published.txt",
                                {"consultation": consultation, "comment": comment, "base_url": base})
        send_mail(f"您对“{consultation.title}”提出的意见已有答复", body, None, [comment.email])
        Comment.objects.filter(pk=comment.pk).update(notified_at=timezone.now())


def feedback_review_failure_reason(*, actor, consultation: Consultation) -> str | None:
    if not can(actor, Perm.RECORD_REVIEW, consultation.organ):
        return "您没有审核该机关采纳情况反馈的权限。"
    feedback = getattr(consultation, "feedback", None)
    if feedback is None or feedback.status != FeedbackStatus.SUBMITTED:
        return "只有待审核的采纳情况反馈可以审核。"
    from gongkai.core.models import AuditEvent

    authors = set(AuditEvent.objects.for_object(feedback).filter(
        event_type__in=[AuditEventType.FEEDBACK_CHANGED, AuditEventType.FEEDBACK_SUBMITTED])
        .exclude(actor=None).values_list("actor_id", flat=True))
    if actor.pk in authors | {feedback.written_by_id}:
        return "撰写或修改采纳情况反馈的人不能审核它（先审查后公开，审核须由他人进行）。"
    if not can(actor, Perm.RECORD_PUBLISH, consultation.organ):
        return "审核通过即发布，您没有在该机关发布信息的权限。"
    return None


@transaction.atomic
def feedback_review(*, actor, consultation: Consultation, decision: str, opinion: str) -> ConsultationReview:
    """保密审查 of the feedback; approval publishes it on the page and as a record, then mails commenters."""
    consultation = _lock(consultation)
    reason = feedback_review_failure_reason(actor=actor, consultation=consultation)
    if reason:
        raise ParticipationActionError(reason)
    _check_review_input(decision, opinion)
    feedback = ConsultationFeedback.objects.select_for_update().get(consultation=consultation)
    review = ConsultationReview.objects.create(consultation=consultation, target=ReviewTarget.FEEDBACK,
                                               reviewer=actor, decision=decision, opinion=opinion.strip())
    before = {"status": feedback.status}
    if decision == ReviewDecision.RETURNED:
        feedback.status = FeedbackStatus.RETURNED
        feedback.save(update_fields=["status", "updated_at"])
        audit_log(actor=actor, event_type=AuditEventType.FEEDBACK_RETURNED, obj=feedback, organ=consultation.organ,
                  changes=diff(before, {"status": feedback.status}), note=opinion.strip())
        return review
    feedback.status = FeedbackStatus.PUBLISHED
    feedback.published_at = timezone.now()
    feedback.save(update_fields=["status", "published_at", "updated_at"])
    feedback.record = _publish_as_record(reviewer=actor, feedback=feedback, opinion=opinion.strip())
    feedback.save(update_fields=["record"])
    audit_log(actor=actor, event_type=AuditEventType.FEEDBACK_PUBLISHED, obj=feedback, organ=consultation.organ,
              changes=diff(before, {"status": feedback.status, "record": feedback.record.index_no}),
              note=opinion.strip())
    transaction.on_commit(lambda pk=consultation.pk: _notify_commenters(pk))
    return review
