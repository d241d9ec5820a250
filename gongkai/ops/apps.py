from django.apps import AppConfig


class OpsConfig(AppConfig):
    """What runs the installation rather than what it is: serve, demo data, benchmarks.

    The top layer: it may import every app, and no app imports it.
    """

    name = "gongkai.ops"
    label = "ops"
    verbose_name = "运行与运维"

    def ready(self) -> None:
        from django_tasks.signals import task_finished

        from . import faults  # noqa: F401  (its deploy check: no fault-injection pause in production)
        from .task_retries import task_finished_handler

        # Queued tasks other than the periodic jobs: retried with backoff, failures kept for the admins.
        task_finished.connect(task_finished_handler, dispatch_uid="gongkai.ops.task_retries")
