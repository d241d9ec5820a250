from django.apps import AppConfig


class OpsConfig(AppConfig):
    """What runs the installation rather than what it is: serve, demo data, benchmarks.

    The top layer: it may import every app, and no app imports it.
    """

    name = "gongkai.ops"
    label = "ops"
    verbose_name = "运行与运维"
