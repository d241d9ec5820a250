"""Index maintenance hooks: the index follows every change that can move a record in or out of the public."""

from __future__ import annotations

import logging

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger("gongkai.search")

# Sent in the writing transaction whenever what a search can find changes, with ``index``: "records"
# (``index.bump_generation``) or "items" (the participation items' index, ``items.item_sync`` and its
# kin). A cache of result pages listens (portal.cache's ``search`` key; search sits below portal).
index_changed = Signal()
RECORDS_INDEX = "records"
ITEMS_INDEX = "items"


def send_index_changed(index: str) -> None:
    index_changed.send(sender=None, index=index)


def on_record_changed(sender, record_ids=(), **kwargs) -> None:
    """``record_changed`` is sent on commit by every records service that may change what is public."""
    from .index import index_sync

    try:
        index_sync(record_ids)
    except Exception:  # a failed index update must not undo a committed publish; reindex repairs it
        logger.exception("检索索引更新失败：%s；请运行 gongkai reindex", list(record_ids))


def on_organ_saved(sender, instance, **kwargs) -> None:
    """An organ deactivated (or activated again) takes its records out of (or back into) the index."""
    from .index import index_sync_organ

    pk = instance.pk
    transaction.on_commit(lambda: _sync_organ(pk, index_sync_organ))


def _sync_organ(pk, fn) -> None:
    try:
        fn(pk)
    except Exception:
        logger.exception("检索索引更新失败：机关 %s；请运行 gongkai reindex", pk)


def on_migrated(sender, using="default", **kwargs) -> None:
    """An installation that has participation items but no index of them yet (just migrated) gets one."""
    from .items import items_rebuild
    from .models import SearchItem

    if using != "default":
        return
    try:
        if not SearchItem.objects.exists():
            items_rebuild()
    except Exception:
        logger.exception("公众参与内容的检索索引未能建立；请运行 gongkai reindex")
