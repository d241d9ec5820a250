"""Carrying out a checked plan through the record services, all or nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import DatabaseError, transaction
from django.utils import timezone

from gongkai.core.audit import audit_log
from gongkai.core.models import AuditEventType

from .. import services
from ..models import Record
from .results import ImportFailed, ImportPlan, Problem, RowPlan

AUTO_REVIEW_OPINION = "导入时自动登记：已于原系统完成保密审查"


def _publish_imported(*, actor, record: Record, at: dt.datetime, now: dt.datetime, note: str) -> Record:
    return services.record_publish_imported(actor=actor, record=record, at=at, now=now, note=note,
                                            opinion=AUTO_REVIEW_OPINION)


def _apply_row(*, row: RowPlan, actor, now: dt.datetime, stored: list[tuple[Any, str]]) -> Record:
    data = dict(row.data)
    target = row.interprets
    if isinstance(target, RowPlan):
        target = target.record or target.existing
    data["interprets"] = target
    if row.action == "create":
        record = services.record_create(actor=actor, organ=row.organ, data=data, issuers=row.issuers)
    else:
        assert row.existing is not None
        record = row.existing
        if set(row.changes) - {"附件"}:
            record = services.record_update(actor=actor, record=record, data=data, issuers=row.issuers)
    have = set(record.attachments.values_list("name", flat=True))
    for path in row.attachments:
        if path.name in have:
            continue
        with path.open("rb") as fh:
            attachment = services.attachment_add(actor=actor, record=record, file=File(fh, name=path.name), name=path.name)
        stored.append((attachment.file.storage, attachment.file.name))
    note = f"从 {row.where} 导入（文件 {row.path.name}）"
    if row.publish:
        record = _publish_imported(actor=actor, record=record, at=row.published_at or now, now=now, note=note)
    else:
        audit_log(actor=actor, event_type=AuditEventType.RECORD_IMPORTED, obj=record, organ=record.organ, note=note)
    return record


def import_apply(
    plan: ImportPlan,
    *,
    user,
    now: dt.datetime | None = None,
    progress: Callable[[Iterable[Any]], Iterable[Any]] | None = None,
) -> ImportPlan:
    """Carry out a checked plan, all or nothing. Raises :class:`ImportFailed` and leaves nothing behind."""
    if plan.problems:
        raise ImportFailed(plan.problems)
    now = now or timezone.now()
    progress = progress or (lambda items: items)
    stored: list[tuple[Any, str]] = []
    try:
        with transaction.atomic():
            for row in progress([r for r in plan.rows if r.action != "skip"]):
                try:
                    row.record = _apply_row(row=row, actor=user, now=now, stored=stored)
                except (services.RecordActionError, PermissionDenied, ValidationError, DatabaseError, OSError) as exc:
                    messages = exc.messages if isinstance(exc, ValidationError) else [str(exc) or type(exc).__name__]
                    raise ImportFailed([Problem(row.where, "；".join(messages))]) from exc
    except BaseException:
        for row in plan.rows:
            row.record = None
        for storage, name in stored:
            try:
                storage.delete(name)
            except OSError:
                pass
        raise
    return plan
