"""Writes to the records' reference data — 体裁, 主题分类, 公开目录, 政府公报 — each with its audit row.

Thin wrappers around :func:`gongkai.core.services.reference_save` and
:func:`~gongkai.core.services.reference_delete`: ``data`` maps field names to
values (a file field takes an upload, ``False`` clears it); an existing row is
passed as the entity, ``None`` creates one. The admin (``records/admin.py``)
calls nothing else. Like the core services they are atomic but not durable,
because the admin runs them inside its own transaction.

A 体裁 or 主题分类 that records use cannot be deleted (``ProtectedError``; the
admin shows which records stop it). Deleting a catalog or a gazette deletes its
entries or issues with it; the one audit row of the catalog or gazette says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from gongkai.core.models import AuditEventType
from gongkai.core.services import Actor, reference_delete, reference_save

from .models import Audience, Catalog, CatalogEntry, Gazette, GazetteIssue, Genre, Topic

GENRE_FIELDS = ["code", "name", "is_policy", "is_interpretation", "order"]
TOPIC_FIELDS = ["code", "name", "parent", "order"]
AUDIENCE_FIELDS = ["code", "name", "group", "order"]
CATALOG_FIELDS = ["name", "organ", "is_standard"]
CATALOG_ENTRY_FIELDS = ["catalog", "parent", "name", "code", "description", "order"]
GAZETTE_FIELDS = ["organ", "name"]
GAZETTE_ISSUE_FIELDS = ["gazette", "year", "number", "total_number", "issued_on", "pdf", "is_published"]


@transaction.atomic
def genre_save(*, actor: Actor, genre: Genre | None = None, data: Mapping[str, Any]) -> Genre:
    return reference_save(actor=actor, obj=genre if genre is not None else Genre(), data=data, fields=GENRE_FIELDS,
                          event_type=AuditEventType.GENRE_CHANGED)


@transaction.atomic
def genre_delete(*, actor: Actor, genre: Genre) -> None:
    reference_delete(actor=actor, obj=genre, fields=GENRE_FIELDS, event_type=AuditEventType.GENRE_CHANGED)


@transaction.atomic
def topic_save(*, actor: Actor, topic: Topic | None = None, data: Mapping[str, Any]) -> Topic:
    return reference_save(actor=actor, obj=topic if topic is not None else Topic(), data=data, fields=TOPIC_FIELDS,
                          event_type=AuditEventType.TOPIC_CHANGED)


@transaction.atomic
def topic_delete(*, actor: Actor, topic: Topic) -> None:
    reference_delete(actor=actor, obj=topic, fields=TOPIC_FIELDS, event_type=AuditEventType.TOPIC_CHANGED)


@transaction.atomic
def catalog_save(*, actor: Actor, catalog: Catalog | None = None, data: Mapping[str, Any]) -> Catalog:
    obj = catalog if catalog is not None else Catalog()
    return reference_save(actor=actor, obj=obj, data=data, fields=CATALOG_FIELDS,
                          event_type=AuditEventType.CATALOG_CHANGED, organ=_organ_after(obj, data))


@transaction.atomic
def catalog_delete(*, actor: Actor, catalog: Catalog) -> None:
    entries = catalog.entries.count()
    reference_delete(actor=actor, obj=catalog, fields=CATALOG_FIELDS, event_type=AuditEventType.CATALOG_CHANGED,
                     organ=catalog.organ, note=f"删除目录（含{entries}个栏目）")


@transaction.atomic
def catalog_entry_save(*, actor: Actor, entry: CatalogEntry | None = None, data: Mapping[str, Any]) -> CatalogEntry:
    obj = entry if entry is not None else CatalogEntry()
    catalog = data.get("catalog") or (obj.catalog if obj.catalog_id else None)
    return reference_save(actor=actor, obj=obj, data=data, fields=CATALOG_ENTRY_FIELDS,
                          event_type=AuditEventType.CATALOG_CHANGED, organ=catalog.organ if catalog else None)


@transaction.atomic
def catalog_entry_delete(*, actor: Actor, entry: CatalogEntry) -> None:
    children = entry.children.count()
    reference_delete(actor=actor, obj=entry, fields=CATALOG_ENTRY_FIELDS, event_type=AuditEventType.CATALOG_CHANGED,
                     organ=entry.catalog.organ, note=f"删除栏目（含{children}个下级栏目）" if children else "删除栏目")


@transaction.atomic
def gazette_save(*, actor: Actor, gazette: Gazette | None = None, data: Mapping[str, Any]) -> Gazette:
    obj = gazette if gazette is not None else Gazette()
    return reference_save(actor=actor, obj=obj, data=data, fields=GAZETTE_FIELDS,
                          event_type=AuditEventType.GAZETTE_CHANGED, organ=_organ_after(obj, data))


@transaction.atomic
def gazette_delete(*, actor: Actor, gazette: Gazette) -> None:
    issues = gazette.issues.count()
    reference_delete(actor=actor, obj=gazette, fields=GAZETTE_FIELDS, event_type=AuditEventType.GAZETTE_CHANGED,
                     organ=gazette.organ, note=f"删除公报（含{issues}期）")


@transaction.atomic
def gazette_issue_save(*, actor: Actor, issue: GazetteIssue | None = None, data: Mapping[str, Any]) -> GazetteIssue:
    obj = issue if issue is not None else GazetteIssue()
    gazette = data.get("gazette") or (obj.gazette if obj.gazette_id else None)
    return reference_save(actor=actor, obj=obj, data=data, fields=GAZETTE_ISSUE_FIELDS,
                          event_type=AuditEventType.GAZETTE_CHANGED, organ=gazette.organ if gazette else None)


@transaction.atomic
def gazette_issue_delete(*, actor: Actor, issue: GazetteIssue) -> None:
    reference_delete(actor=actor, obj=issue, fields=GAZETTE_ISSUE_FIELDS, event_type=AuditEventType.GAZETTE_CHANGED,
                     organ=issue.gazette.organ)


def _organ_after(obj: Catalog | Gazette, data: Mapping[str, Any]):
    return data["organ"] if "organ" in data else obj.organ


@transaction.atomic
def audience_save(*, actor: Actor, audience: Audience | None = None, data: Mapping[str, Any]) -> Audience:
    return reference_save(actor=actor, obj=audience if audience is not None else Audience(), data=data,
                          fields=AUDIENCE_FIELDS, event_type=AuditEventType.TOPIC_CHANGED)


@transaction.atomic
def audience_delete(*, actor: Actor, audience: Audience) -> None:
    reference_delete(actor=actor, obj=audience, fields=AUDIENCE_FIELDS, event_type=AuditEventType.TOPIC_CHANGED)
