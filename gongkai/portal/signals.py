"""Drop every cached public page whenever anything a public page shows may have changed.

Two sources: ``records.services.record_changed`` (sent on commit by every record
service) and model signals of everything the pages show (records, attachments,
organs, genres, topics, catalogs, gazettes, 专栏 texts), so that a change made
in the admin or by a script also reaches the cache. Model signals bump at once
and again on commit (see ``cache.bump_now_and_on_commit``).
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save

from . import cache


def _on_model_change(sender, using=None, **kwargs) -> None:
    cache.bump_now_and_on_commit(using)


def _on_record_changed(sender, **kwargs) -> None:
    cache.bump()


def _on_setting_changed(**kwargs) -> None:
    # Tests override settings around every test and roll the database back
    # without signals: start each one with an empty cache.
    cache._STORE.clear()


def connect() -> None:
    from django.test.signals import setting_changed

    from gongkai.core.models import Organ
    from gongkai.participation.models import Answer, AnswerBasis
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

    from .models import ColumnPage

    setting_changed.connect(_on_setting_changed, dispatch_uid="portal-cache-setting-changed")
    services.record_changed.connect(_on_record_changed, dispatch_uid="portal-cache-record-changed")
    for model in (Record, Attachment, Organ, Genre, Topic, Catalog, CatalogEntry, Gazette, GazetteIssue,
                  GazetteItem, ColumnPage, Answer, AnswerBasis):
        uid = f"portal-cache-{model._meta.label_lower}"
        post_save.connect(_on_model_change, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(_on_model_change, sender=model, dispatch_uid=uid + "-delete")
    for through in (Record.issuers.through, Record.catalog_entries.through):
        m2m_changed.connect(_on_model_change, sender=through, dispatch_uid=f"portal-cache-{through._meta.label_lower}")
