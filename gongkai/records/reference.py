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

from django.core.exceptions import PermissionDenied
from django.db import transaction

from gongkai.core.audit import audit_log, diff
from gongkai.core.models import AuditEventType
from gongkai.core.permissions import Perm, can, require
from gongkai.core.services import Actor, reference_delete, reference_save

from .filing import Rule, matching_entries, split_keywords
from .models import Audience, Catalog, CatalogEntry, Gazette, GazetteIssue, Genre, Record, Topic

GENRE_FIELDS = ["code", "name", "is_policy", "is_interpretation", "order"]
TOPIC_FIELDS = ["code", "name", "parent", "order"]
AUDIENCE_FIELDS = ["code", "name", "group", "order"]
CATALOG_FIELDS = ["name", "organ", "is_standard"]
CATALOG_ENTRY_FIELDS = ["catalog", "parent", "name", "code", "description", "order", "rule_keywords"]
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


# --- filing: a published record into the matching entries of its organ's catalog ---------------


def catalog_rules(organ) -> list[Rule]:
    """The filing rules of the organ's catalog, in the tree's order (two queries)."""
    entries = list(CatalogEntry.objects.filter(catalog__organ=organ).order_by("order", "id")
                   .prefetch_related("rule_genres", "rule_topics"))
    return [Rule(entry_id=e.pk, genres=frozenset(g.code for g in e.rule_genres.all()),
                 topics=frozenset(t.code for t in e.rule_topics.all()),
                 keywords=split_keywords(e.rule_keywords)) for e in entries]


@transaction.atomic
def record_file_by_rules(*, record: Record, actor: Actor = None, force: bool = False) -> list[CatalogEntry]:
    """File a record into the entries whose rules it satisfies, with an audit row. A record an
    editor has already filed is left as the editor chose unless ``force``."""
    if record.catalog_entries.exists() and not force:
        return []
    ids = matching_entries(catalog_rules(record.organ), genre=record.genre.code,
                           topic=record.topic.code if record.topic_id else "", title=record.title,
                           keywords=record.keywords)
    new = list(CatalogEntry.objects.filter(pk__in=ids).exclude(records=record))
    if new:
        record.catalog_entries.add(*new)
        audit_log(actor=actor, event_type=AuditEventType.CATALOG_CHANGED, obj=record, organ=record.organ,
                  changes={"catalog_entries": [None, [e.name for e in new]]}, note="按目录归档规则自动归档")
    return new


def records_file_published(record_ids) -> int:
    """On publication (``record_changed``): file the public records no editor has filed yet (one
    transaction and one audit row per organ when many are published at once, e.g. an import)."""
    unfiled = Record.objects.public().filter(pk__in=list(record_ids), catalog_entries__isnull=True)
    ids = list(unfiled.values_list("pk", flat=True))
    if not ids:
        return 0
    if len(ids) == 1:
        record = Record.objects.select_related("organ", "genre", "topic").get(pk=ids[0])
        return len(record_file_by_rules(record=record))
    return records_file_bulk(actor=None, records=Record.objects.filter(pk__in=ids))


@transaction.atomic
def records_file_bulk(*, actor: Actor, records) -> int:
    """File many records at once by the rules (adding, never removing), one audit row per organ:
    for filling a catalog after its rules change or after an import. Returns the links added."""
    through = Record.catalog_entries.through
    rules: dict[int, list[Rule]] = {}
    links, per_organ = [], {}
    have = set(through.objects.filter(record__in=records).values_list("record_id", "catalogentry_id"))
    for record in records.select_related("organ", "genre", "topic"):
        if record.organ_id not in rules:
            rules[record.organ_id] = catalog_rules(record.organ)
        for entry_id in matching_entries(rules[record.organ_id], genre=record.genre.code,
                                         topic=record.topic.code if record.topic_id else "",
                                         title=record.title, keywords=record.keywords):
            if (record.pk, entry_id) not in have:
                links.append(through(record_id=record.pk, catalogentry_id=entry_id))
                per_organ.setdefault(record.organ, 0)
                per_organ[record.organ] += 1
    through.objects.bulk_create(links, ignore_conflicts=True, batch_size=2000)
    for organ, n in per_organ.items():
        catalog = Catalog.objects.filter(organ=organ).first()
        if catalog is not None:
            audit_log(actor=actor, event_type=AuditEventType.CATALOG_CHANGED, obj=catalog, organ=organ,
                      changes={"filed": n}, note=f"按目录归档规则归档 {n} 条")
    return len(links)


# --- editing the filing rules and a record's entries (workspace) ---------------------------------


class FilingError(Exception):
    """A filing change cannot be made; the message says why, in Chinese."""


def catalog_may_edit(*, user, catalog: Catalog) -> bool:
    """An organ's catalog: its 公开办 (or one above it) or a platform admin; a standard catalog: admins."""
    if catalog.organ_id is None:
        return bool(getattr(user, "is_superuser", False) and user.is_active)
    return can(user, Perm.ORGAN_OVERSEE, catalog.organ)


def _rules_of(entry: CatalogEntry) -> dict[str, Any]:
    return {"rule_genres": sorted(g.name for g in entry.rule_genres.all()),
            "rule_topics": sorted(t.name for t in entry.rule_topics.all()),
            "rule_keywords": entry.rule_keywords}


@transaction.atomic
def catalog_entry_rules_save(
    *, actor: Actor, entry: CatalogEntry, genres, topics, keywords: str, refile: bool = True,
) -> int:
    """Set the genres, topics and keywords that file published records into ``entry``, with one audit
    row of what changed; then file the organ's public records by the new rules (adding, never removing
    what an editor chose). Returns the number of records newly filed."""
    entry = CatalogEntry.objects.select_related("catalog__organ").select_for_update(of=("self",)).get(pk=entry.pk)
    catalog = entry.catalog
    if not catalog_may_edit(user=actor, catalog=catalog):
        raise PermissionDenied("只有该机关的公开办或平台管理员可以修改目录归档规则。")
    keywords = " ".join(split_keywords(keywords or ""))
    if len(keywords) > CatalogEntry._meta.get_field("rule_keywords").max_length:
        raise FilingError("关键词过长，请精简到300字以内。")
    before = _rules_of(entry)
    entry.rule_keywords = keywords
    entry.save(update_fields=["rule_keywords"])
    entry.rule_genres.set(list(genres))
    entry.rule_topics.set(list(topics))
    changes = diff(before, _rules_of(entry))
    if changes:
        audit_log(actor=actor, event_type=AuditEventType.CATALOG_CHANGED, obj=entry, organ=catalog.organ,
                  changes=changes, note=f"修改栏目“{entry.name}”的归档规则")
    if not (refile and changes and catalog.organ_id):
        return 0
    links = Record.catalog_entries.through.objects.filter(catalogentry__catalog=catalog)
    before_links = set(links.values_list("record_id", "catalogentry_id"))
    added = records_file_bulk(actor=actor, records=Record.objects.public().filter(organ=catalog.organ))
    if added:
        from .services import _notify  # the page cache, search and feeds follow on commit

        _notify(sorted({r for r, _ in set(links.values_list("record_id", "catalogentry_id")) - before_links}))
    return added


@transaction.atomic
def record_catalog_entries_set(*, actor: Actor, record: Record, entries) -> list[CatalogEntry]:
    """An editor's choice of the catalog entries a record is filed under (only entries of the record's
    organ's catalog), with one audit row; the public column follows at once."""
    record = Record.objects.select_related("organ").select_for_update(of=("self",)).get(pk=record.pk)
    require(actor, Perm.RECORD_DRAFT, record.organ)
    chosen = list(entries)
    allowed = set(CatalogEntry.objects.filter(catalog__organ=record.organ).values_list("pk", flat=True))
    if any(e.pk not in allowed for e in chosen):
        raise FilingError("只能归入本机关公开目录中的栏目。")
    before = list(record.catalog_entries.order_by("order", "id"))
    if {e.pk for e in before} == {e.pk for e in chosen}:
        return before
    record.catalog_entries.set(chosen)
    after = list(record.catalog_entries.order_by("order", "id"))
    audit_log(actor=actor, event_type=AuditEventType.CATALOG_CHANGED, obj=record, organ=record.organ,
              changes={"catalog_entries": [[e.name for e in before], [e.name for e in after]]},
              note="编辑调整归档栏目")
    from .services import _notify

    _notify([record.pk])
    return after
