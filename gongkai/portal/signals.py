"""Drop the cached public pages that may show what changed (see cache.py for the keys).

Two sources: ``records.services.record_changed`` (sent on commit by every record
service) and model signals of everything the pages show (records, attachments,
organs, genres, topics, catalogs, gazettes, 专栏 texts), so that a change made
in the admin or by a script also reaches the cache. Model signals bump at once
and again on commit (see ``cache.bump_now_and_on_commit``). A record or an
attachment bumps the keys of its record (before and after the change); anything
else bumps ``site``, every page.
"""

from __future__ import annotations

import logging

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from . import cache

logger = logging.getLogger("gongkai.portal.cache")


def _keys_of(instance) -> set[str]:
    from gongkai.core.models import Organ
    from gongkai.records.models import Attachment, CatalogEntry, Record

    if isinstance(instance, Record) and instance.pk:
        return cache.record_keys([instance.pk], also=getattr(instance, "_portal_cache_old_keys", ()))
    if isinstance(instance, Attachment) and instance.record_id:
        return cache.record_keys([instance.record_id])
    if isinstance(instance, CatalogEntry | Organ):
        return {cache.SITE}
    return {cache.SITE}


def _on_record_pre_save(sender, instance, **kwargs) -> None:
    # The organ and genre a record had before this save (their pages list it until now).
    instance._portal_cache_old_keys = cache.record_keys([instance.pk]) if instance.pk else set()


def _on_model_change(sender, using=None, instance=None, **kwargs) -> None:
    cache.bump_now_and_on_commit(using, keys=_keys_of(instance) if instance is not None else {cache.SITE})


def _on_m2m_change(sender, instance, action, pk_set=None, model=None, using=None, **kwargs) -> None:
    from gongkai.core.models import Organ
    from gongkai.records.models import Record

    if not action.startswith("post_"):
        return
    if isinstance(instance, Record):
        keys = cache.record_keys([instance.pk])
        if model is Organ and pk_set:  # issuers removed: their pages listed it
            keys |= {f"organ:{code}" for code in Organ.objects.filter(pk__in=pk_set).values_list("code", flat=True)}
    elif model is Record:
        keys = cache.record_keys(pk_set or ())
    else:
        keys = {cache.SITE}
    cache.bump_now_and_on_commit(using, keys=keys)


def _on_record_changed(sender, record_ids=(), **kwargs) -> None:
    cache.bump(*cache.record_keys(record_ids))


def _on_search_index_changed(sender=None, index=None, **kwargs) -> None:
    # The participation items' index changed in this transaction: its result pages follow at once
    # and again on commit, after the index write is visible. A shared store that cannot be reached
    # never fails the index write: while it is down no page is served from it, and every generation
    # is fresh when it is back. The records' index is not followed here: a result page depends on
    # the keys of the records it shows (a record leaving the public drops it, see cache.page_keys)
    # and lives at most GONGKAI_PAGE_CACHE_QUERY_SECONDS (a new record appears within them).
    from gongkai.search.signals import RECORDS_INDEX

    if index == RECORDS_INDEX:
        return
    try:
        cache.bump_now_and_on_commit(keys={cache.SEARCH})
    except Exception:  # noqa: BLE001
        logger.exception("page cache: the search key could not be bumped")


def _on_search_terms_changed(sender, using=None, **kwargs) -> None:
    # The dictionary cuts queries into words: every result page may change.
    cache.bump_now_and_on_commit(using, keys={cache.SEARCH})


def _on_setting_changed(**kwargs) -> None:
    # Tests override settings around every test and roll the database back
    # without signals: start each one with an empty cache.
    cache._STORE.clear()


def connect() -> None:
    from django.test.signals import setting_changed

    from gongkai.core.models import Organ
    from gongkai.participation.models import (
        Answer,
        AnswerBasis,
        Consultation,
        ConsultationFeedback,
        DecisionCatalog,
        DecisionItem,
        Meeting,
    )
    from gongkai.records import services
    from gongkai.records.models import (
        Attachment,
        Catalog,
        CatalogEntry,
        Gazette,
        GazetteIssue,
        GazetteItem,
        Genre,
        Record,
        Topic,
    )
    from gongkai.search.models import SearchTerm
    from gongkai.search.signals import index_changed

    from .models import ColumnPage

    setting_changed.connect(_on_setting_changed, dispatch_uid="portal-cache-setting-changed")
    services.record_changed.connect(_on_record_changed, dispatch_uid="portal-cache-record-changed")
    index_changed.connect(_on_search_index_changed, dispatch_uid="portal-cache-search-index-changed")
    post_save.connect(_on_search_terms_changed, sender=SearchTerm, dispatch_uid="portal-cache-search-term-save")
    post_delete.connect(_on_search_terms_changed, sender=SearchTerm, dispatch_uid="portal-cache-search-term-delete")
    for model in (Record, Attachment, Organ, Genre, Topic, Catalog, CatalogEntry, Gazette, GazetteIssue,
                  GazetteItem, ColumnPage, Answer, AnswerBasis, Consultation, ConsultationFeedback, Meeting,
                  DecisionCatalog, DecisionItem):
        uid = f"portal-cache-{model._meta.label_lower}"
        post_save.connect(_on_model_change, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(_on_model_change, sender=model, dispatch_uid=uid + "-delete")
    pre_save.connect(_on_record_pre_save, sender=Record, dispatch_uid="portal-cache-record-pre-save")
    for through in (Record.issuers.through, Record.catalog_entries.through):
        m2m_changed.connect(_on_m2m_change, sender=through, dispatch_uid=f"portal-cache-{through._meta.label_lower}")
