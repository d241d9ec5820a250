import logging

from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "gongkai.records"
    label = "records"
    verbose_name = "政府信息"

    def ready(self) -> None:
        from .reference import records_file_published
        from .services import record_changed

        def file_on_publication(sender, record_ids=(), **kwargs) -> None:
            try:
                records_file_published(record_ids)
            except Exception:  # noqa: BLE001 - the publication is committed; filing can be redone by hand
                logging.getLogger("gongkai.records").exception("按目录归档规则归档失败：%s", list(record_ids))

        # Connected before the search index and the page cache (INSTALLED_APPS order), so they see the filing.
        record_changed.connect(file_on_publication, dispatch_uid="records.file_on_publication", weak=False)
