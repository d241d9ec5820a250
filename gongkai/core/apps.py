from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "gongkai.core"
    label = "core"
    verbose_name = "机构与权限"

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from .files import delete_owned_files

        post_delete.connect(delete_owned_files, dispatch_uid="gongkai.core.files.delete_owned_files")

        from django.db.models.signals import post_save

        from .calendar import calendar_changed
        from .models import CalendarOverride, CalendarYear

        for model in (CalendarOverride, CalendarYear):
            for signal in (post_save, post_delete):
                signal.connect(calendar_changed, sender=model, dispatch_uid=f"gongkai.core.calendar.{model.__name__}")
