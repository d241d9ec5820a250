from django.apps import AppConfig


class ParticipationConfig(AppConfig):
    name = "gongkai.participation"
    label = "participation"
    verbose_name = "公众参与"

    def ready(self) -> None:
        from gongkai.records.services import record_changed

        from . import search_index, signals

        record_changed.connect(signals.on_record_changed, dispatch_uid="participation.answers_flag")
        search_index.connect()
