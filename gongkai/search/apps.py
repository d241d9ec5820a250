import logging

from django.apps import AppConfig

logger = logging.getLogger("gongkai.search")


class SearchConfig(AppConfig):
    name = "gongkai.search"
    label = "search"
    verbose_name = "全文检索"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate, post_save

        from gongkai.core.models import Organ
        from gongkai.records.services import record_changed

        from . import signals

        record_changed.connect(signals.on_record_changed, dispatch_uid="search.record_changed")
        post_save.connect(signals.on_organ_saved, sender=Organ, dispatch_uid="search.organ_saved")
        post_migrate.connect(signals.on_migrated, sender=self, dispatch_uid="search.items_after_migrate")
