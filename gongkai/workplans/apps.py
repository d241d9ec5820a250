from django.apps import AppConfig


class WorkplansConfig(AppConfig):
    name = "gongkai.workplans"
    label = "workplans"
    verbose_name = "工作要点与台账"
