"""Writes to the concerns ledger (舆情回应台账) and the 重大行政决策事项目录.

The ledger is internal work: editors (``RECORD_DRAFT``) and the 公开办 (``ORGAN_OVERSEE``,
which reaches the organs below) register concerns and record the response; the response
itself is a record published through the records' normal flow and linked here.
The catalog is drafted by editors (``RECORD_DRAFT``), submitted, and published when another
person who may review and publish (``RECORD_REVIEW`` + ``RECORD_PUBLISH``, never one of its
authors) approves it in 保密审查; once published, its items change only by such a person.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from gongkai.core.audit import audit_log, diff, snapshot
from gongkai.core.models import AuditEvent, AuditEventType, Organ
from gongkai.core.permissions import Perm, can, require
from gongkai.records.models import Record

from ..errors import ParticipationActionError
from ..models import (
    RESPONSE_GENRES_LABEL,
    CatalogStatus,
    Concern,
    ConcernStatus,
    Consultation,
    DecisionCatalog,
    DecisionItem,
    DecisionItemStatus,
    response_genre_q,
)
from .meetings import review_apply

CONCERN_FIELDS = ["title", "description", "source", "source_ref", "received_on", "deadline", "organ"]
CONCERN_AUDITED = [*CONCERN_FIELDS, "status", "response_record", "response_note", "responded_at"]


def can_manage_concerns(user, organ: Organ) -> bool:
    return can(user, Perm.RECORD_DRAFT, organ) or can(user, Perm.ORGAN_OVERSEE, organ)


def _require_concerns(user, organ: Organ) -> None:
    if not can_manage_concerns(user, organ):
        raise ParticipationActionError("您没有管理该单位回应关切台账的权限。")


def _clean_concern(data: dict[str, Any]) -> dict[str, Any]:
    data = {k: v for k, v in data.items() if k in CONCERN_FIELDS}
    if "title" in data:
        data["title"] = (data["title"] or "").strip()
        if not data["title"]:
            raise ParticipationActionError("请填写关切事项。")
    if data.get("deadline") and data.get("received_on") and data["deadline"] < data["received_on"]:
        raise ParticipationActionError("回应时限不能早于发现日期。")
    return data


@transaction.atomic
def concern_create(*, actor, organ: Organ, data: dict[str, Any]) -> Concern:
    _require_concerns(actor, organ)
    data = _clean_concern(data)
    data.pop("organ", None)
    if not data.get("deadline"):
        raise ParticipationActionError("请填写回应时限。")
    concern = Concern(organ=organ, created_by=actor, **data)
    concern.full_clean()
    concern.save()
    audit_log(actor=actor, event_type=AuditEventType.CONCERN_REGISTERED, obj=concern, organ=organ,
              changes=diff({}, snapshot(concern, CONCERN_AUDITED)))
    return concern


@transaction.atomic
def concern_update(*, actor, concern: Concern, data: dict[str, Any]) -> Concern:
    concern = Concern.objects.select_for_update(of=("self",)).select_related("organ").get(pk=concern.pk)
    _require_concerns(actor, concern.organ)
    data = _clean_concern({f: getattr(concern, f) for f in CONCERN_FIELDS} | data)
    if data["organ"] != concern.organ:
        _require_concerns(actor, data["organ"])  # handing it to another organ needs rights there too
    before = snapshot(concern, CONCERN_AUDITED)
    for key, value in data.items():
        setattr(concern, key, value)
    concern.full_clean()
    concern.save()
    audit_log(actor=actor, event_type=AuditEventType.CONCERN_CHANGED, obj=concern, organ=concern.organ,
              changes=diff(before, snapshot(concern, CONCERN_AUDITED)))
    return concern


@transaction.atomic
def concern_respond(*, actor, concern: Concern, note: str, record: Record | None = None,
                    close_without_response: bool = False) -> Concern:
    """Record the response (a public record, or a stated response) — or close it as needing none."""
    concern = Concern.objects.select_for_update(of=("self",)).select_related("organ").get(pk=concern.pk)
    _require_concerns(actor, concern.organ)
    if concern.status != ConcernStatus.OPEN:
        raise ParticipationActionError(f"这项关切已经是“{concern.get_status_display()}”。")
    if not (note or "").strip():
        raise ParticipationActionError("请写明回应情况（或无需回应的理由）。")
    if record is not None and not Record.objects.public().filter(pk=record.pk).exists():
        raise ParticipationActionError("回应信息必须是已公开发布的政府信息。")
    if record is not None and not Record.objects.filter(response_genre_q(), pk=record.pk).exists():
        genre = Record.objects.filter(pk=record.pk).values_list("genre__name", flat=True).first() or "未定"
        raise ParticipationActionError(
            f"回应信息必须是{RESPONSE_GENRES_LABEL}类的信息，“{record.title}”的体裁是“{genre}”。")
    if not close_without_response and record is None:
        raise ParticipationActionError(f"请关联已发布的回应信息（{RESPONSE_GENRES_LABEL}），或选择无需回应。")
    before = snapshot(concern, CONCERN_AUDITED)
    concern.status = ConcernStatus.CLOSED if close_without_response else ConcernStatus.RESPONDED
    concern.response_note = note.strip()
    concern.response_record = record
    concern.responded_at = timezone.now()
    concern.save()
    audit_log(actor=actor, event_type=AuditEventType.CONCERN_RESPONDED, obj=concern, organ=concern.organ,
              changes=diff(before, snapshot(concern, CONCERN_AUDITED)))
    return concern


def concerns_overdue(*, organs, today: dt.date | None = None):
    return Concern.objects.filter(organ__in=organs).overdue(today).select_related("organ")


# -- 重大行政决策事项目录 ------------------------------------------------------------------------------

ITEM_FIELDS = ["order", "title", "lead_organ", "basis", "planned", "status", "consultation", "final_record"]


CATALOG_AUDITED = ["title", "year", "note", "status", "published_at", "review_opinion"]
CATALOG_EDITABLE = (CatalogStatus.DRAFT, CatalogStatus.RETURNED)


def _lock_catalog(catalog: DecisionCatalog) -> DecisionCatalog:
    return DecisionCatalog.objects.select_for_update(of=("self",)).select_related("organ").get(pk=catalog.pk)


@transaction.atomic
def decision_catalog_create(*, actor, organ: Organ, year: int, title: str, note: str = "") -> DecisionCatalog:
    require(actor, Perm.RECORD_DRAFT, organ)
    if DecisionCatalog.objects.filter(organ=organ, year=year).exists():
        raise ParticipationActionError(f"{organ.name}{year}年度的目录已经存在。")
    if not (title or "").strip():
        raise ParticipationActionError("请填写目录名称。")
    catalog = DecisionCatalog.objects.create(organ=organ, year=year, title=title.strip(), note=(note or "").strip(),
                                             created_by=actor)
    audit_log(actor=actor, event_type=AuditEventType.DECISION_CATALOG_CREATED, obj=catalog, organ=organ,
              changes=diff({}, snapshot(catalog, CATALOG_AUDITED)))
    return catalog


def _check_item(catalog: DecisionCatalog, data: dict[str, Any]) -> dict[str, Any]:
    data = {k: v for k, v in data.items() if k in ITEM_FIELDS}
    if not (data.get("title") or "").strip():
        raise ParticipationActionError("请填写决策事项。")
    consultation: Consultation | None = data.get("consultation")
    if consultation is not None and not Consultation.objects.public().filter(pk=consultation.pk).exists():
        raise ParticipationActionError("只能关联已发布的意见征集。")
    record: Record | None = data.get("final_record")
    if record is not None and not Record.objects.public().filter(pk=record.pk).exists():
        raise ParticipationActionError("决策文件必须是已公开发布的政府信息。")
    if data.get("status") == DecisionItemStatus.DECIDED and record is None:
        raise ParticipationActionError("标记为“已决策”时请关联已公开发布的决策文件。")
    if data.get("status") == DecisionItemStatus.CONSULTING and consultation is None:
        raise ParticipationActionError("标记为“征求意见中”时请关联意见征集。")
    return data


def decision_item_failure_reason(*, actor, catalog: DecisionCatalog) -> str | None:
    if catalog.status in CATALOG_EDITABLE:
        return None if can(actor, Perm.RECORD_DRAFT, catalog.organ) else "您没有编制该机关目录的权限。"
    if catalog.status == CatalogStatus.SUBMITTED:
        return "目录正在审核，审核退回后才能修改事项。"
    if not can(actor, Perm.RECORD_PUBLISH, catalog.organ):
        return "目录已经公布，事项的调整（例如更新状态、关联决策文件）只能由有发布权限的审核人员进行。"
    return None


@transaction.atomic
def decision_item_save(*, actor, catalog: DecisionCatalog, data: dict[str, Any],
                       item: DecisionItem | None = None) -> DecisionItem:
    catalog = _lock_catalog(catalog)
    reason = decision_item_failure_reason(actor=actor, catalog=catalog)
    if reason:
        raise ParticipationActionError(reason)
    data = _check_item(catalog, data)
    before = snapshot(item, ITEM_FIELDS) if item is not None else {}
    if item is None:
        item = DecisionItem(catalog=catalog)
    elif item.catalog_id != catalog.pk:
        raise ParticipationActionError("事项不属于这个目录。")
    for key, value in data.items():
        setattr(item, key, value)
    item.save()
    audit_log(actor=actor, event_type=AuditEventType.DECISION_ITEM_CHANGED, obj=item, organ=catalog.organ,
              changes=diff(before, snapshot(item, ITEM_FIELDS)))
    if catalog.status == CatalogStatus.PUBLISHED:
        catalog.save(update_fields=["updated_at"])
    return item


def decision_catalog_submit_failure_reason(*, actor, catalog: DecisionCatalog) -> str | None:
    if not can(actor, Perm.RECORD_DRAFT, catalog.organ):
        return "您没有编制该机关目录的权限。"
    if catalog.status not in CATALOG_EDITABLE:
        return f"只有草稿和退回修改的目录可以提交审核，这份目录现在是“{catalog.get_status_display()}”。"
    if not catalog.items.exists():
        return "目录中还没有事项。"
    return None


@transaction.atomic
def decision_catalog_submit(*, actor, catalog: DecisionCatalog) -> DecisionCatalog:
    catalog = _lock_catalog(catalog)
    reason = decision_catalog_submit_failure_reason(actor=actor, catalog=catalog)
    if reason:
        raise ParticipationActionError(reason)
    before = snapshot(catalog, CATALOG_AUDITED)
    catalog.status = CatalogStatus.SUBMITTED
    catalog.save()
    audit_log(actor=actor, event_type=AuditEventType.DECISION_CATALOG_SUBMITTED, obj=catalog, organ=catalog.organ,
              changes=diff(before, snapshot(catalog, CATALOG_AUDITED)))
    return catalog


def _catalog_authors(catalog: DecisionCatalog) -> set[int]:
    """Who created the catalog, submitted it, or wrote any of its items: none of them may approve it."""
    ids = set(AuditEvent.objects.for_object(catalog).filter(
        event_type__in=[AuditEventType.DECISION_CATALOG_CREATED, AuditEventType.DECISION_CATALOG_SUBMITTED])
        .exclude(actor=None).values_list("actor_id", flat=True))
    item_ids = [str(pk) for pk in catalog.items.values_list("pk", flat=True)]
    ids |= set(AuditEvent.objects.filter(object_type=DecisionItem._meta.label_lower, object_id__in=item_ids)
               .exclude(actor=None).values_list("actor_id", flat=True))
    if catalog.created_by_id:
        ids.add(catalog.created_by_id)
    return ids


def decision_catalog_review_failure_reason(*, actor, catalog: DecisionCatalog) -> str | None:
    if not can(actor, Perm.RECORD_REVIEW, catalog.organ):
        return "您没有审核该机关目录的权限。"
    if catalog.status != CatalogStatus.SUBMITTED:
        return f"只有待审核的目录可以审核，这份目录现在是“{catalog.get_status_display()}”。"
    if actor.pk in _catalog_authors(catalog):
        return "编制这份目录或其中事项的人不能审核它（先审查后公开，审核须由他人进行）。"
    if not can(actor, Perm.RECORD_PUBLISH, catalog.organ):
        return "审核通过即公布，您没有在该机关发布信息的权限。"
    return None


@transaction.atomic
def decision_catalog_review(*, actor, catalog: DecisionCatalog, decision: str, opinion: str) -> DecisionCatalog:
    """保密审查 by another person: approval publishes the catalog, a return sends it back with the opinion."""
    catalog = _lock_catalog(catalog)
    reason = decision_catalog_review_failure_reason(actor=actor, catalog=catalog)
    if reason:
        raise ParticipationActionError(reason)
    return review_apply(catalog, actor=actor, decision=decision, opinion=opinion, audited=CATALOG_AUDITED,
                        states=(CatalogStatus.PUBLISHED, CatalogStatus.RETURNED),
                        event_types=(AuditEventType.DECISION_CATALOG_PUBLISHED,
                                     AuditEventType.DECISION_CATALOG_RETURNED),
                        inactive_error="决策机关已停用，不能公布。")
