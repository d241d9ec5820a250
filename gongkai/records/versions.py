"""Corrected and revised versions of a published (or withdrawn) record, through review.

The one door stays the record: its title, summary and body are what the public sees. A new
version is edited on a :class:`RecordVersion` row, never on the record; it goes through review
like a new record (its author cannot approve it), and only its publication copies the text onto
the record — so until then the previous text stays public, and search, feeds, subscriptions and
the page cache follow at once through ``record_changed``. The text before the first new version
is kept as version 1; every version stays listed with its date and reason.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from gongkai.core.audit import audit_log
from gongkai.core.models import AuditEventType
from gongkai.core.permissions import Perm, can

from .models import Record, RecordVersion, Status, VersionStatus
from .services import _notify, sanitize_html

TEXT_FIELDS = ("title", "summary", "body")


class VersionError(Exception):
    """A step that cannot be taken, with the reason in Chinese."""


def _log(actor, version: RecordVersion, event: AuditEventType, note: str, changes: dict | None = None) -> None:
    audit_log(actor=actor, event_type=event, obj=version.record, organ=version.record.organ,
              changes=changes or {}, note=f"第{version.number}版：{note}")


def _first_version(record: Record) -> None:
    """Keep the text published so far as version 1 (once)."""
    if not record.versions.exists():
        RecordVersion.objects.create(record=record, number=1, title=record.title, summary=record.summary,
                                     body=record.body, reason="首次发布", status=VersionStatus.PUBLISHED,
                                     created_by=record.created_by, published_at=record.published_at)


@transaction.atomic
def record_version_open(*, actor, record: Record, reason: str) -> RecordVersion:
    """Open a new version of a published or withdrawn record, starting from the public text."""
    record = Record.objects.select_for_update().get(pk=record.pk)
    if not can(actor, Perm.RECORD_DRAFT, record.organ):
        raise PermissionDenied("您没有编辑该机关信息的权限。")
    if record.status not in (Status.PUBLISHED, Status.WITHDRAWN):
        raise VersionError("只有已发布或已撤回的信息可以更正或修订；草稿请直接修改。")
    if record.versions.filter(status__in=[VersionStatus.DRAFT, VersionStatus.SUBMITTED]).exists():
        raise VersionError("该信息已有一个正在编辑或审核的新版本。")
    if not reason.strip():
        raise VersionError("请填写更正或修订的原因，它会显示在公开页面的版本列表中。")
    _first_version(record)
    number = (record.versions.aggregate(m=Max("number"))["m"] or 1) + 1
    version = RecordVersion.objects.create(record=record, number=number, title=record.title, summary=record.summary,
                                           body=record.body, reason=reason.strip(), created_by=actor)
    _log(actor, version, AuditEventType.RECORD_EDITED, "新建版本", {"reason": [None, version.reason]})
    return version


@transaction.atomic
def record_version_update(*, actor, version: RecordVersion, title: str, summary: str, body: str) -> RecordVersion:
    version = RecordVersion.objects.select_for_update(of=("self",)).select_related("record__organ").get(pk=version.pk)
    if not can(actor, Perm.RECORD_DRAFT, version.record.organ):
        raise PermissionDenied("您没有编辑该机关信息的权限。")
    if version.status != VersionStatus.DRAFT:
        raise VersionError("该版本已送审或已发布，不能再修改。")
    before = {f: getattr(version, f) for f in TEXT_FIELDS}
    version.title, version.summary, version.body = title.strip(), summary, sanitize_html(body)
    if not version.title:
        raise VersionError("标题不能为空。")
    version.save()
    changed = {f: [before[f][:200], getattr(version, f)[:200]] for f in TEXT_FIELDS if before[f] != getattr(version, f)}
    if changed:
        _log(actor, version, AuditEventType.RECORD_EDITED, "修改版本", changed)
    return version


@transaction.atomic
def record_version_submit(*, actor, version: RecordVersion) -> RecordVersion:
    version = RecordVersion.objects.select_for_update(of=("self",)).select_related("record__organ").get(pk=version.pk)
    if not can(actor, Perm.RECORD_DRAFT, version.record.organ):
        raise PermissionDenied("您没有编辑该机关信息的权限。")
    if version.status != VersionStatus.DRAFT:
        raise VersionError("该版本不在编辑中。")
    version.status = VersionStatus.SUBMITTED
    version.save(update_fields=["status"])
    _log(actor, version, AuditEventType.RECORD_SUBMITTED, "送审")
    return version


def version_authors(version: RecordVersion) -> set[int]:
    """Everyone who wrote this version (its creator and whoever edited it): none may approve it."""
    from gongkai.core.models import AuditEvent

    notes = [f"第{version.number}版：新建版本", f"第{version.number}版：修改版本"]
    ids = set(AuditEvent.objects.for_object(version.record).filter(note__in=notes, actor__isnull=False)
              .values_list("actor_id", flat=True))
    return ids | ({version.created_by_id} if version.created_by_id else set())


@transaction.atomic
def record_version_review(*, actor, version: RecordVersion, approve: bool, comment: str = "") -> RecordVersion:
    """Approve (the version is published at once and replaces the public text) or send it back."""
    version = RecordVersion.objects.select_for_update(of=("self",)).select_related("record__organ").get(pk=version.pk)
    record = Record.objects.select_for_update().get(pk=version.record_id)
    if not can(actor, Perm.RECORD_REVIEW, record.organ):
        raise PermissionDenied("您没有审核该机关信息的权限。")
    if version.status != VersionStatus.SUBMITTED:
        raise VersionError("该版本不在待审核状态。")
    if actor.pk in version_authors(version):
        raise VersionError("编辑过该版本的人不能审核它，须由另一位审核人审核。")
    if not approve:
        version.status, version.reviewed_by = VersionStatus.DRAFT, actor
        version.save(update_fields=["status", "reviewed_by"])
        _log(actor, version, AuditEventType.RECORD_RETURNED, "退回修改", {"comment": [None, comment]} if comment else {})
        return version
    now = timezone.now()
    record.versions.filter(status=VersionStatus.PUBLISHED).update(status=VersionStatus.SUPERSEDED)
    before = {f: getattr(record, f) for f in TEXT_FIELDS}
    for f in TEXT_FIELDS:
        setattr(record, f, getattr(version, f))
    reopened = record.status == Status.WITHDRAWN
    if reopened:  # a withdrawn record comes back as its corrected version
        record.status, record.withdrawal_reason = Status.PUBLISHED, ""
    record.save()
    version.status, version.reviewed_by, version.published_at = VersionStatus.PUBLISHED, actor, now
    version.save(update_fields=["status", "reviewed_by", "published_at"])
    _log(actor, version, AuditEventType.RECORD_PUBLISHED, "审核通过并发布" + ("（撤回后重新发布）" if reopened else ""),
         {f: [before[f][:200], getattr(record, f)[:200]] for f in TEXT_FIELDS if before[f] != getattr(record, f)})
    _notify([record.pk])
    return version


def public_versions(record: Record, *, brief: bool = False) -> list[RecordVersion]:
    """The versions the public may see: published ones (current and earlier), newest first.
    ``brief``: without their texts (a record page lists them; only the comparison reads the texts)."""
    found = record.versions.filter(status__in=[VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED])
    if brief:
        found = found.only("pk", "record_id", "number", "published_at", "reason", "status")
    return list(found.order_by("-number"))
