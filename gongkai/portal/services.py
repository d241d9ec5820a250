"""Writes of the portal: the texts of an organ's 专栏."""

from __future__ import annotations

from django.db import transaction

from gongkai.core.audit import audit_log, diff
from gongkai.core.models import AuditEventType, Organ
from gongkai.core.services import Actor, values
from gongkai.records.services import sanitize_html

from .models import ColumnKind, ColumnPage

FIELDS = ["organ", "kind", "body"]


@transaction.atomic
def column_page_save(*, actor: Actor, organ: Organ, kind: ColumnKind | str, body: str) -> ColumnPage:
    """Create or replace an organ's 指南/制度/依申请公开说明 text (HTML sanitised with nh3), with its
    audit row (before/after) in the same transaction."""
    stored = ColumnPage.objects.select_for_update().filter(organ=organ, kind=ColumnKind(kind)).first()
    before = values(stored, FIELDS) if stored else {}
    page, _ = ColumnPage.objects.update_or_create(
        organ=organ, kind=ColumnKind(kind), defaults={"body": sanitize_html(body)}
    )
    changes = diff(before, values(page, FIELDS))
    if changes:
        audit_log(actor=actor, event_type=AuditEventType.COLUMN_PAGE_CHANGED, obj=page, organ=organ,
                  changes=changes, note="修改" if stored else "新建")
    return page
