"""Writes to records: every state change goes through here, with its audit row.

Each service is the transaction boundary, checks permission through
``gongkai.core.permissions`` and refuses with a Chinese reason
(:class:`RecordActionError`) before changing anything.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
import os
from collections.abc import Iterable
from typing import Any

import django.dispatch
import nh3
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from gongkai.core.audit import audit_log, diff, snapshot
from gongkai.core.files import upload_content_error
from gongkai.core.models import AuditEventType, Organ
from gongkai.core.permissions import Perm, can, require

from . import docno, indexno
from .models import (
    EDITABLE_STATUSES,
    Attachment,
    Attribute,
    Audience,
    Catalog,
    CatalogEntry,
    IndexSerial,
    Record,
    Review,
    ReviewDecision,
    Status,
    Validity,
    ValidityChange,
)

# Sent after commit whenever a record may have entered or left the public, or
# changed while public: search indexing and page caches listen to it.
record_changed = django.dispatch.Signal()  # kwargs: record_ids

AUDITED_FIELDS = [
    "title", "doc_no", "summary", "written_on", "topic", "genre", "attribute", "withholding_ground",
    "attribute_reason", "validity", "valid_from", "valid_until", "superseded_by", "interprets", "body",
    "keywords", "status", "published_at", "withdrawal_reason", "proposed_attribute",
]
EDIT_FIELDS = [
    "title", "doc_no", "summary", "written_on", "topic", "genre", "attribute", "withholding_ground",
    "attribute_reason", "validity", "valid_from", "valid_until", "superseded_by", "interprets", "body", "keywords",
]

ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "s", "sub", "sup", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li",
    "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "colgroup", "col", "blockquote", "a", "img",
    "hr", "span", "div", "pre", "code",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
}


class RecordActionError(Exception):
    """An action cannot happen; the message says why, in Chinese, for the person at the screen."""


def _notify(record_ids: Iterable[int]) -> None:
    """Send ``record_changed`` once when the outermost transaction commits, with every id it touched.

    Ids gathered inside one transaction are coalesced into a single signal, so
    listeners (search index, page cache) do their work once per transaction
    rather than once per save. Outside a transaction the signal goes at once.
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        record_changed.send(sender=Record, record_ids=list(record_ids))
        return
    state = getattr(connection, "_gongkai_changed_records", None)
    registered = state is not None and any(entry[1] is state[1] for entry in connection.run_on_commit)
    if not registered:  # first change of this transaction, or the earlier one was rolled back
        pending: set[int] = set()

        def flush() -> None:
            connection._gongkai_changed_records = None
            if pending:
                record_changed.send(sender=Record, record_ids=sorted(pending))

        state = (pending, flush)
        connection._gongkai_changed_records = state
        transaction.on_commit(flush)
    state[0].update(record_ids)


def _local_image(src: str) -> str | None:
    """An image source on this site as a path; None for anything else (external images would let
    a third party count the readers of a government page: tracking pixels)."""
    value = src.strip()
    site = settings.GONGKAI_SITE_URL.rstrip("/")
    if site and value.startswith(site + "/"):
        value = value[len(site):]
    if value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return None


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        return _local_image(value)
    return value


def sanitize_html(html: str) -> str:
    """Editor HTML kept to ALLOWED_TAGS / ALLOWED_ATTRIBUTES (docs/security.md): no script, no
    style, no event handler; links get rel="noopener noreferrer"; images only from this site."""
    return nh3.clean(html or "", tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, link_rel="noopener noreferrer",
                     attribute_filter=_attribute_filter)


def next_index_no(*, organ: Organ, year: int) -> str:
    """Take the next serial of ``organ`` in ``year`` (call inside a transaction)."""
    IndexSerial.objects.get_or_create(organ=organ, year=year)
    serial_row = IndexSerial.objects.select_for_update().get(organ=organ, year=year)
    while True:
        serial_row.last += 1
        candidate = indexno.format_index_no(
            code=organ.code, year=year, serial=serial_row.last, fmt=settings.GONGKAI_INDEX_NO_FORMAT
        )
        if not Record.objects.filter(index_no=candidate).exists():
            break
    serial_row.save(update_fields=["last"])
    return candidate


def clean_record_data(data: dict[str, Any]) -> dict[str, Any]:
    """Normalise what an editor typed; raise RecordActionError with the first problem."""
    data = dict(data)
    if "doc_no" in data:
        try:
            data["doc_no"] = docno.normalize(data.get("doc_no") or "")
        except docno.DocNoError as exc:
            raise RecordActionError(str(exc)) from exc
    if "body" in data:
        data["body"] = sanitize_html(data.get("body") or "")
    if "title" in data:
        data["title"] = (data.get("title") or "").strip()
        if not data["title"]:
            raise RecordActionError("标题不能为空。")
    attribute = data.get("attribute")
    if attribute and attribute != Attribute.PROACTIVE:
        if not (data.get("attribute_reason") or "").strip():
            raise RecordActionError("依申请公开或不予公开的信息必须写明理由。")
        if attribute == Attribute.WITHHELD and not data.get("withholding_ground"):
            raise RecordActionError("不予公开的信息必须选择依据（条例第十四至十六条）。")
    elif attribute == Attribute.PROACTIVE:
        data["withholding_ground"] = ""
        data["attribute_reason"] = ""
    if data.get("valid_from") and data.get("valid_until") and data["valid_until"] < data["valid_from"]:
        raise RecordActionError("有效期截止日期不能早于施行日期。")
    return data


def _year_for(record_data: dict[str, Any]) -> int:
    written = record_data.get("written_on")
    return written.year if written else timezone.localdate().year


@transaction.atomic
def record_create(
    *,
    actor,
    organ: Organ,
    data: dict[str, Any],
    issuers: Iterable[Organ] = (),
    catalog_entries: Iterable[CatalogEntry] = (),
    check_permission: bool = True,
) -> Record:
    if check_permission:
        require(actor, Perm.RECORD_DRAFT, organ)
    data = clean_record_data(data)
    _check_links(organ=organ, data=data)
    record = Record(organ=organ, created_by=actor, last_edited_by=actor, status=Status.DRAFT, **data)
    record.index_no = next_index_no(organ=organ, year=_year_for(data))
    record.save()
    record.issuers.set(list(issuers) or [organ])
    if catalog_entries:
        record.catalog_entries.set(catalog_entries)
    audit_log(actor=actor, event_type=AuditEventType.RECORD_CREATED, obj=record, organ=organ,
              changes=diff({}, snapshot(record, AUDITED_FIELDS)))
    return record


def _check_links(*, organ: Organ, data: dict[str, Any]) -> None:
    for key, label in (("interprets", "解读的文件"), ("superseded_by", "修订或废止它的文件")):
        target = data.get(key)
        if target is not None and target.status not in (Status.PUBLISHED, Status.APPROVED, Status.SCHEDULED, Status.FILED) and target.organ_id != organ.pk:
            raise RecordActionError(f"{label}必须是已发布的信息或本机关的信息。")


def _lock(record: Record) -> Record:
    return Record.objects.select_for_update().get(pk=record.pk)


@transaction.atomic
def record_update(
    *,
    actor,
    record: Record,
    data: dict[str, Any],
    issuers: Iterable[Organ] | None = None,
    catalog_entries: Iterable[CatalogEntry] | None = None,
) -> Record:
    record = _lock(record)
    require(actor, Perm.RECORD_DRAFT, record.organ)
    if record.status not in EDITABLE_STATUSES:
        raise RecordActionError(f"“{record.get_status_display()}”状态的信息不能修改；只有草稿和退回修改的信息可以修改。")
    data = clean_record_data({k: v for k, v in data.items() if k in EDIT_FIELDS})
    _check_links(organ=record.organ, data=data)
    before = snapshot(record, AUDITED_FIELDS)
    for key, value in data.items():
        setattr(record, key, value)
    record.last_edited_by = actor
    record.save()
    if issuers is not None:
        record.issuers.set(list(issuers) or [record.organ])
    if catalog_entries is not None:
        record.catalog_entries.set(catalog_entries)
    audit_log(actor=actor, event_type=AuditEventType.RECORD_EDITED, obj=record, organ=record.organ,
              changes=diff(before, snapshot(record, AUDITED_FIELDS)))
    return record


def _transition(*, actor, record: Record, to: Status, event: AuditEventType, note: str = "", **fields: Any) -> Record:
    before = snapshot(record, AUDITED_FIELDS)
    record.status = to
    for key, value in fields.items():
        setattr(record, key, value)
    record.save()
    audit_log(actor=actor, event_type=event, obj=record, organ=record.organ,
              changes=diff(before, snapshot(record, AUDITED_FIELDS)), note=note)
    _notify([record.pk])
    return record


def record_submit_failure_reason(*, actor, record: Record) -> str | None:
    if not can(actor, Perm.RECORD_DRAFT, record.organ) and not (
        record.proposed_attribute and can(actor, Perm.RECORD_REDETERMINE, record.organ)
    ):
        return "您没有在该机关起草信息的权限。"
    if record.status not in EDITABLE_STATUSES:
        return f"“{record.get_status_display()}”状态的信息不能提交审核。"
    if not record.title.strip():
        return "标题不能为空。"
    if record.attribute != Attribute.PROACTIVE and not record.attribute_reason.strip():
        return "依申请公开或不予公开的信息必须写明理由。"
    if record.genre.is_interpretation and record.interprets_id is None:
        return "政策解读必须关联它所解读的文件。"
    return None


@transaction.atomic
def record_submit(*, actor, record: Record) -> Record:
    record = _lock(record)
    reason = record_submit_failure_reason(actor=actor, record=record)
    if reason:
        raise RecordActionError(reason)
    return _transition(actor=actor, record=record, to=Status.SUBMITTED, event=AuditEventType.RECORD_SUBMITTED)


def record_review_failure_reason(*, actor, record: Record) -> str | None:
    if not can(actor, Perm.RECORD_REVIEW, record.organ):
        return "您没有审核该机关信息的权限。"
    if record.status != Status.SUBMITTED:
        return f"只有待审核的信息可以审核，这条信息现在是“{record.get_status_display()}”。"
    if actor.pk in record_authors(record):
        return "起草或修改这条信息的人（包括添加、删除附件或改变附件公开方式的人）不能审核它（先审查后公开，审核须由他人进行）。"
    return None


# Events that change the content of a version: whoever caused one is an author of it.
AUTHOR_EVENTS = (
    AuditEventType.RECORD_CREATED, AuditEventType.RECORD_EDITED, AuditEventType.RECORD_ATTRIBUTE_REDETERMINATION,
    AuditEventType.RECORD_VALIDITY_CHANGED, AuditEventType.RECORD_VALIDITY_CHANGE_REQUESTED,
    AuditEventType.ATTACHMENT_ADDED, AuditEventType.ATTACHMENT_REMOVED, AuditEventType.ATTACHMENT_WITHHELD,
    AuditEventType.ATTACHMENT_UNWITHHELD, AuditEventType.ATTACHMENT_DISCLOSURE_REQUESTED,
)
# Events that close a version: the next change starts a new one.
VERSION_CLOSING_EVENTS = (
    AuditEventType.RECORD_APPROVED, AuditEventType.RECORD_FILED, AuditEventType.RECORD_IMPORTED,
)


def record_authors(record: Record) -> set[int]:
    """Ids of everyone who changed the version under review: text, metadata, attachments, withholding.

    Read from the audit log since the last approval (or filing) closed a version, plus
    ``created_by`` and ``last_edited_by``. None of them may approve it.
    """
    from gongkai.core.models import AuditEvent

    events = AuditEvent.objects.for_object(record)
    closed = (
        events.filter(event_type__in=VERSION_CLOSING_EVENTS).order_by("-created_at", "-id").values_list("id", flat=True).first()
    )
    changes = events.filter(event_type__in=AUTHOR_EVENTS, actor__isnull=False)
    if closed is not None:
        changes = changes.filter(id__gt=closed)
    authors = set(changes.values_list("actor_id", flat=True))
    authors.update(pk for pk in (record.created_by_id, record.last_edited_by_id) if pk is not None)
    return authors


def publication_problems(record: Record, at: dt.datetime) -> list[str]:
    """What stops ``record`` from going public at ``at`` (empty when nothing does)."""
    problems = []
    if record.attribute != Attribute.PROACTIVE:
        problems.append(f"公开属性为“{record.get_attribute_display()}”，不能主动公开。")
    if not record.organ.is_active:
        problems.append("发布机构已停用。")
    if not record.title.strip():
        problems.append("标题不能为空。")
    if record.written_on and record.written_on > timezone.localtime(at).date():
        problems.append("发布日期不能早于成文日期。")
    if not record.reviews.filter(decision=ReviewDecision.APPROVED, reviewed_at__gte=_last_submission(record)).exists():
        problems.append("这条信息还没有通过保密审查。")
    if record.interprets_id and not Record.objects.public(now=at).filter(pk=record.interprets_id).exists() and not (
        record.interprets.status in (Status.APPROVED, Status.SCHEDULED)
        and record.interprets.published_at and record.interprets.published_at <= at
    ):
        problems.append("它解读的文件尚未公开，政策解读不能先于文件发布。")
    return problems


def _last_submission(record: Record) -> dt.datetime:
    from gongkai.core.models import AuditEvent

    last = (
        AuditEvent.objects.for_object(record)
        .filter(event_type=AuditEventType.RECORD_SUBMITTED)
        .order_by("-created_at", "-id")
        .values_list("created_at", flat=True)
        .first()
    )
    return last or dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@transaction.atomic
def record_review(
    *,
    actor,
    record: Record,
    decision: ReviewDecision,
    confidentiality_opinion: str,
    attribute_confirmed: Attribute | str,
    comment: str = "",
    publish: str = "later",
    publish_at: dt.datetime | None = None,
) -> Review:
    """Record a confidentiality review; on approval optionally publish now or at ``publish_at``."""
    record = _lock(record)
    reason = record_review_failure_reason(actor=actor, record=record)
    if reason:
        raise RecordActionError(reason)
    if not confidentiality_opinion.strip():
        raise RecordActionError("请填写保密审查意见。")
    if decision == ReviewDecision.RETURNED and not comment.strip():
        raise RecordActionError("退回修改时请写明需要修改的内容。")
    attribute_confirmed = Attribute(attribute_confirmed)
    if decision == ReviewDecision.APPROVED and attribute_confirmed != Attribute.PROACTIVE and not record.attribute_reason.strip() and record.proposed_attribute != attribute_confirmed:
        raise RecordActionError("确认为依申请公开或不予公开时，信息必须写明理由，请退回起草人补充。")
    review = Review.objects.create(
        record=record, reviewer=actor, decision=decision, confidentiality_opinion=confidentiality_opinion.strip(),
        attribute_confirmed=attribute_confirmed, comment=comment.strip(),
    )
    if decision == ReviewDecision.RETURNED:
        _transition(actor=actor, record=record, to=Status.RETURNED, event=AuditEventType.RECORD_RETURNED,
                    note=comment.strip(), proposed_attribute="")
        return review
    fields: dict[str, Any] = {"attribute": attribute_confirmed, "proposed_attribute": ""}
    if attribute_confirmed == Attribute.PROACTIVE:
        fields.update(withholding_ground="", attribute_reason="")
    if attribute_confirmed != Attribute.PROACTIVE:
        _transition(actor=actor, record=record, to=Status.FILED, event=AuditEventType.RECORD_FILED,
                    note=confidentiality_opinion, **fields)
        return review
    _transition(actor=actor, record=record, to=Status.APPROVED, event=AuditEventType.RECORD_APPROVED,
                note=confidentiality_opinion, **fields)
    if publish == "now":
        record_publish(actor=actor, record=record)
    elif publish == "schedule":
        record_publish(actor=actor, record=record, at=publish_at)
    return review


@transaction.atomic
def record_publish(*, actor, record: Record, at: dt.datetime | None = None) -> Record:
    """Publish an approved record now, or schedule it for ``at`` (validated now and again when due)."""
    record = _lock(record)
    require(actor, Perm.RECORD_PUBLISH, record.organ)
    if record.status not in (Status.APPROVED, Status.SCHEDULED):
        raise RecordActionError(f"只有审核通过的信息可以发布，这条信息现在是“{record.get_status_display()}”。")
    now = timezone.now()
    when = at or now
    if at is not None and at <= now:
        raise RecordActionError("定时发布的时间必须晚于现在。")
    problems = publication_problems(record, when)
    if problems:
        raise RecordActionError("不能发布：" + "；".join(problems))
    if at is None:
        return _transition(actor=actor, record=record, to=Status.PUBLISHED, event=AuditEventType.RECORD_PUBLISHED,
                           published_at=now)
    return _transition(actor=actor, record=record, to=Status.SCHEDULED, event=AuditEventType.RECORD_SCHEDULED,
                       published_at=at)


def record_publish_imported(
    *, actor, record: Record, at: dt.datetime, now: dt.datetime, note: str, opinion: str
) -> Record:
    """Register the review done in the original system and publish (or file) an imported record.

    The automatic ``Review`` names the importing user; the audit log shows the
    change of status as RECORD_IMPORTED. A 主动公开 record is checked against
    the same rules as any publication; a future ``at`` schedules it.
    Call inside the import's transaction.
    """
    record = _lock(record)
    Review.objects.create(
        record=record, reviewer=actor, decision=ReviewDecision.APPROVED, confidentiality_opinion=opinion,
        attribute_confirmed=record.attribute, reviewed_at=now, is_automatic=True,
    )
    if record.attribute != Attribute.PROACTIVE:
        return _transition(actor=actor, record=record, to=Status.FILED, event=AuditEventType.RECORD_IMPORTED,
                           note=note, proposed_attribute="")
    problems = publication_problems(record, at)
    if problems:
        raise RecordActionError("不能发布：" + "；".join(problems))
    to = Status.PUBLISHED if at <= now else Status.SCHEDULED
    return _transition(actor=actor, record=record, to=to, event=AuditEventType.RECORD_IMPORTED,
                       note=note, published_at=at, proposed_attribute="")


def record_publish_due(*, now: dt.datetime | None = None) -> tuple[int, int]:
    """Take every scheduled record whose time has come live, validating each again.

    Returns (published, failed). A record that fails validation goes back to
    已审核待发布 with the reason in the audit log.
    """
    now = now or timezone.now()
    published = failed = 0
    for pk in Record.objects.filter(status=Status.SCHEDULED, published_at__lte=now).values_list("pk", flat=True):
        with transaction.atomic():
            record = Record.objects.select_for_update().get(pk=pk)
            if record.status != Status.SCHEDULED:
                continue
            problems = publication_problems(record, record.published_at)
            if problems:
                _transition(actor=None, record=record, to=Status.APPROVED, event=AuditEventType.RECORD_SCHEDULE_FAILED,
                            note="；".join(problems), published_at=None)
                failed += 1
            else:
                _transition(actor=None, record=record, to=Status.PUBLISHED, event=AuditEventType.RECORD_PUBLISHED,
                            note="定时发布")
                published += 1
    return published, failed


@transaction.atomic
def record_withdraw(*, actor, record: Record, reason: str) -> Record:
    record = _lock(record)
    require(actor, Perm.RECORD_WITHDRAW, record.organ)
    if record.status not in (Status.PUBLISHED, Status.SCHEDULED):
        raise RecordActionError("只有已发布或定时发布的信息可以撤回。")
    if not reason.strip():
        raise RecordActionError("撤回必须写明原因，原因会在公开页面上显示。")
    return _transition(actor=actor, record=record, to=Status.WITHDRAWN, event=AuditEventType.RECORD_WITHDRAWN,
                       note=reason.strip(), withdrawal_reason=reason.strip()[:300], withdrawn_at=timezone.now())


@transaction.atomic
def record_set_validity(
    *, actor, record: Record, validity: Validity | str, superseded_by: Record | None = None,
    valid_until: dt.date | None = None, note: str = "",
) -> Record:
    """Change a document's validity (revised, repealed, expired).

    A draft (or a returned record) changes at once: it goes through review anyway. A
    record past review — published above all — only gets a pending
    :class:`ValidityChange` that another reviewer must approve
    (:func:`record_validity_change_decide`); the record is returned unchanged.
    """
    record = _lock(record)
    if not (can(actor, Perm.RECORD_DRAFT, record.organ) or can(actor, Perm.RECORD_REVIEW, record.organ)):
        raise PermissionDenied("您没有修改该机关信息有效性的权限。")
    validity = Validity(validity)
    if superseded_by is not None and superseded_by.pk == record.pk:
        raise RecordActionError("文件不能被自己修订或废止。")
    if record.status in EDITABLE_STATUSES:
        return _apply_validity(actor=actor, record=record, validity=validity, superseded_by=superseded_by,
                               valid_until=valid_until, note=note)
    if record.validity_changes.filter(decided_at__isnull=True).exists():
        raise RecordActionError("这条信息已有一项待审批的有效性变更，请先由审核人处理。")
    change = ValidityChange.objects.create(record=record, validity=validity, superseded_by=superseded_by,
                                           valid_until=valid_until, note=note.strip()[:300], requested_by=actor)
    audit_log(actor=actor, event_type=AuditEventType.RECORD_VALIDITY_CHANGE_REQUESTED, obj=record, organ=record.organ,
              changes={"validity": [record.validity, change.validity]}, note=note)
    return record


def record_validity_change_failure_reason(*, actor, change: ValidityChange) -> str | None:
    if not can(actor, Perm.RECORD_REVIEW, change.record.organ):
        return "您没有审核该机关信息的权限。"
    if not change.is_pending:
        return "这项有效性变更已经处理过了。"
    if actor.pk == change.requested_by_id:
        return "申请变更有效性的人不能自己审批，须由另一位审核人确认。"
    return None


@transaction.atomic
def record_validity_change_decide(*, actor, change: ValidityChange, approve: bool, comment: str = "") -> ValidityChange:
    """A second person approves (the record's validity changes) or rejects a pending validity change."""
    record = _lock(change.record)
    change = ValidityChange.objects.select_for_update().get(pk=change.pk)
    reason = record_validity_change_failure_reason(actor=actor, change=change)
    if reason:
        raise RecordActionError(reason)
    change.decided_by = actor
    change.decided_at = timezone.now()
    change.approved = approve
    change.save(update_fields=["decided_by", "decided_at", "approved"])
    if approve:
        note = f"{change.requested_by}申请，{actor}审批同意" + (f"：{change.note}" if change.note else "")
        _apply_validity(actor=actor, record=record, validity=Validity(change.validity),
                        superseded_by=change.superseded_by, valid_until=change.valid_until, note=note)
    else:
        audit_log(actor=actor, event_type=AuditEventType.RECORD_VALIDITY_CHANGE_REJECTED, obj=record,
                  organ=record.organ, changes={"validity": [record.validity, change.validity]}, note=comment.strip())
    return change


def _apply_validity(*, actor, record: Record, validity: Validity, superseded_by: Record | None,
                    valid_until: dt.date | None, note: str) -> Record:
    before = snapshot(record, AUDITED_FIELDS)
    record.validity = validity
    record.superseded_by = superseded_by
    if valid_until is not None:
        record.valid_until = valid_until
    record.save()
    audit_log(actor=actor, event_type=AuditEventType.RECORD_VALIDITY_CHANGED, obj=record, organ=record.organ,
              changes=diff(before, snapshot(record, AUDITED_FIELDS)), note=note)
    _notify([record.pk])
    return record


def redetermination_candidates(organs):
    """依申请公开/不予公开 records that are still in force: candidates for 主动公开 (公开属性重新审定)."""
    return (
        Record.objects.filter(organ__in=organs, status=Status.FILED)
        .exclude(attribute=Attribute.PROACTIVE)
        .in_force()
    )


@transaction.atomic
def record_request_redetermination(*, actor, records: Iterable[Record], reason: str) -> list[Record]:
    """Send filed non-public records back to review, proposing 主动公开 (singly or in bulk)."""
    if not reason.strip():
        raise RecordActionError("请写明重新审定的理由，例如“情况变化，不公开的理由已消失”。")
    done = []
    for record in records:
        record = _lock(record)
        require(actor, Perm.RECORD_REDETERMINE, record.organ)
        if record.status != Status.FILED or record.attribute == Attribute.PROACTIVE:
            raise RecordActionError(f"“{record.title}”不是已审定的非主动公开信息，不能申请重新审定。")
        before = snapshot(record, AUDITED_FIELDS)
        record.proposed_attribute = Attribute.PROACTIVE
        record.status = Status.SUBMITTED
        record.last_edited_by = actor
        record.save()
        audit_log(actor=actor, event_type=AuditEventType.RECORD_ATTRIBUTE_REDETERMINATION, obj=record,
                  organ=record.organ, changes=diff(before, snapshot(record, AUDITED_FIELDS)), note=reason.strip())
        audit_log(actor=actor, event_type=AuditEventType.RECORD_SUBMITTED, obj=record, organ=record.organ,
                  note="重新审定公开属性")
        done.append(record)
    return done


@transaction.atomic
def record_delete_draft(*, actor, record: Record) -> None:
    record = _lock(record)
    require(actor, Perm.RECORD_DRAFT, record.organ)
    if record.status != Status.DRAFT or record.reviews.exists():
        raise RecordActionError("只有从未提交审核的草稿可以删除。")
    audit_log(actor=actor, event_type=AuditEventType.RECORD_DELETED, obj=record, organ=record.organ,
              changes=diff(snapshot(record, AUDITED_FIELDS), {}))
    record.delete()


def validate_upload(*, name: str, size: int, file=None) -> None:
    """An attachment's name, size and, given its ``file``, content (which must match the extension)."""
    ext = os.path.splitext(name)[1].lower().lstrip(".")
    allowed = settings.GONGKAI_ATTACHMENT_EXTENSIONS
    if ext not in allowed:
        raise RecordActionError(f"附件“{name}”的类型不允许上传，允许的类型：{'、'.join(allowed)}。")
    if size > settings.GONGKAI_ATTACHMENT_MAX_BYTES:
        limit = settings.GONGKAI_ATTACHMENT_MAX_BYTES // (1024 * 1024)
        raise RecordActionError(f"附件“{name}”超过{limit}MB的大小限制。")
    if size == 0:
        raise RecordActionError(f"附件“{name}”是空文件。")
    problem = upload_content_error(file, ext, name=name) if file is not None else ""
    if problem:
        raise RecordActionError(problem)


@transaction.atomic
def attachment_add(
    *, actor, record: Record, file: UploadedFile, name: str = "", withheld: bool = False, withheld_reason: str = "",
    check_permission: bool = True,
) -> Attachment:
    record = _lock(record)
    if check_permission:
        require(actor, Perm.RECORD_DRAFT, record.organ)
        if record.status not in EDITABLE_STATUSES:
            raise RecordActionError("只能给草稿或退回修改的信息添加附件。")
    name = (name or os.path.basename(file.name or "附件")).strip()[:200]
    validate_upload(name=name, size=file.size or 0, file=file)
    if withheld and not withheld_reason.strip():
        raise RecordActionError("不予公开的附件必须写明理由。")
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    attachment = Attachment(record=record, name=name, size=file.size or 0, content_type=content_type,
                            withheld=withheld, withheld_reason=withheld_reason.strip(),
                            order=record.attachments.count())
    attachment.file.save(name, file, save=False)
    from .text import extract_stored_text

    try:
        attachment.text = extract_stored_text(attachment.file, name)  # S3: from a local copy
        attachment.save()
    except BaseException:
        attachment.file.delete(save=False)  # no orphan file when the row cannot be written
        raise
    audit_log(actor=actor, event_type=AuditEventType.ATTACHMENT_ADDED, obj=record, organ=record.organ,
              changes={"attachment": [None, name]}, note="不予公开：" + withheld_reason if withheld else "")
    _notify([record.pk])
    return attachment


@transaction.atomic
def attachment_set_withheld(*, actor, attachment: Attachment, withheld: bool, reason: str = "") -> Attachment:
    """Withhold an attachment, or make a withheld one public.

    Withholding takes effect at once (it makes less public). Making an attachment public
    on a draft, a returned or a submitted record changes the version that review will
    look at (the actor becomes one of its authors). On a record past review it needs a
    second person: the first reviewer's call records a request (ATTACHMENT_DISCLOSURE_REQUESTED),
    another reviewer's call carries it out (ATTACHMENT_UNWITHHELD).
    """
    record = _lock(attachment.record)
    attachment = Attachment.objects.select_for_update().get(pk=attachment.pk)
    in_draft = record.status in EDITABLE_STATUSES and can(actor, Perm.RECORD_DRAFT, record.organ)
    if not (can(actor, Perm.RECORD_REVIEW, record.organ) or in_draft):
        raise PermissionDenied("您没有修改该附件公开方式的权限。")
    if withheld and not reason.strip():
        raise RecordActionError("不予公开的附件必须写明理由。")
    unchanged = withheld == attachment.withheld and (
        not withheld or (reason.strip() == attachment.withheld_reason and attachment.disclosure_requested_by_id is None)
    )
    if unchanged:
        raise RecordActionError("附件已经是这种公开方式。")
    before = [attachment.withheld, attachment.withheld_reason]
    if not withheld and record.status not in (*EDITABLE_STATUSES, Status.SUBMITTED):
        requester = attachment.disclosure_requested_by_id
        if requester is None:
            if not reason.strip():
                raise RecordActionError("申请将附件转为公开时请写明理由。")
            attachment.disclosure_requested_by = actor
            attachment.disclosure_requested_at = timezone.now()
            attachment.disclosure_reason = reason.strip()[:300]
            attachment.save(update_fields=["disclosure_requested_by", "disclosure_requested_at", "disclosure_reason"])
            audit_log(actor=actor, event_type=AuditEventType.ATTACHMENT_DISCLOSURE_REQUESTED, obj=record,
                      organ=record.organ, changes={attachment.name: [before, [False, ""]]}, note=reason.strip())
            return attachment
        if requester == actor.pk:
            raise RecordActionError("申请将附件转为公开的人不能自己确认，须由另一位审核人确认。")
        if not can(actor, Perm.RECORD_REVIEW, record.organ):
            raise PermissionDenied("只有审核人可以确认将附件转为公开。")
        note = f"{attachment.disclosure_requested_by}申请，{actor}确认：{attachment.disclosure_reason}"
    else:
        note = reason.strip() if not withheld else ""
    attachment.withheld = withheld
    attachment.withheld_reason = reason.strip() if withheld else ""
    attachment.disclosure_requested_by = None
    attachment.disclosure_requested_at = None
    attachment.disclosure_reason = ""
    attachment.save(update_fields=["withheld", "withheld_reason", "disclosure_requested_by",
                                   "disclosure_requested_at", "disclosure_reason"])
    event = AuditEventType.ATTACHMENT_WITHHELD if withheld else AuditEventType.ATTACHMENT_UNWITHHELD
    audit_log(actor=actor, event_type=event, obj=record, organ=record.organ,
              changes={attachment.name: [before, [attachment.withheld, attachment.withheld_reason]]}, note=note)
    _notify([record.pk])
    return attachment


@transaction.atomic
def attachment_remove(*, actor, attachment: Attachment) -> None:
    record = _lock(attachment.record)
    require(actor, Perm.RECORD_DRAFT, record.organ)
    if record.status not in EDITABLE_STATUSES:
        raise RecordActionError("只能删除草稿或退回修改的信息的附件。")
    audit_log(actor=actor, event_type=AuditEventType.ATTACHMENT_REMOVED, obj=record, organ=record.organ,
              changes={"attachment": [attachment.name, None]})
    attachment.delete()  # its file goes when the transaction commits (gongkai.core.files)


@transaction.atomic
def catalog_copy(*, source: Catalog, organ: Organ, name: str = "") -> Catalog:
    """Copy a (standard) catalog's entry tree to an organ that has none yet."""
    if Catalog.objects.filter(organ=organ).exists():
        raise RecordActionError(f"{organ.name}已经有公开目录。")
    catalog = Catalog.objects.create(name=name or f"{organ.name}政府信息公开目录", organ=organ)

    def copy(entries, parent):
        for entry in entries:
            new = CatalogEntry.objects.create(catalog=catalog, parent=parent, name=entry.name, code=entry.code,
                                              description=entry.description, order=entry.order,
                                              rule_keywords=entry.rule_keywords)
            new.rule_genres.set(entry.rule_genres.all())
            new.rule_topics.set(entry.rule_topics.all())
            copy(entry.children.all(), new)

    copy(source.entries.filter(parent=None), None)
    return catalog


@transaction.atomic
def record_set_audiences(*, actor, record: Record, audiences: Iterable[Audience]) -> Record:
    """Tag a record with the people it concerns (适用对象), in any state: the tags change no content,
    only who is told about it (precise push) and the API's ``audiences``."""
    record = _lock(record)
    require(actor, Perm.RECORD_DRAFT, record.organ)
    before = sorted(record.audiences.values_list("name", flat=True))
    record.audiences.set(list(audiences))
    after = sorted(record.audiences.values_list("name", flat=True))
    if before != after:
        audit_log(actor=actor, event_type=AuditEventType.RECORD_EDITED, obj=record, organ=record.organ,
                  changes={"audiences": ["、".join(before), "、".join(after)]}, note="适用对象")
        _notify([record.pk])
    return record
