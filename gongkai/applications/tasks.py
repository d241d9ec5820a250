"""Queued tasks of the applications app (Django's tasks API, django-tasks backport; docs/adr/0007).

The daily work (recompute every due-date cache, remind handlers of due-soon and overdue
applications, delete the apply form's stale pending uploads) is the periodic job
``applications_daily`` of gongkai/ops/jobs.py, enqueued once a day by the scheduler (inside
``gongkai serve``, or ``gongkai scheduler``) — no cron. The task :func:`applications_daily` here
is for a manual run (``gongkai applications daily`` enqueues it). :func:`letter_render` renders a
deferred letter after its commit; :func:`applications_recompute_all` follows a calendar change.
A worker (``gongkai worker``) runs them from the database queue; a failed one is retried with
backoff and shown to platform admins (gongkai/ops/task_retries.py). ``GONGKAI_TASKS=immediate``
runs them in the calling process.
"""

from __future__ import annotations

from django_tasks import task


@task()
def applications_daily() -> dict[str, int]:
    from . import services

    counts = services.applications_recompute()
    counts["reminded"] = services.remind_handlers()
    counts["kept_files_purged"] = services.kept_files_purge()
    return counts


@task()
def applications_recompute_all() -> dict[str, int]:
    from . import services

    return services.applications_recompute()


@task()
def letter_render(letter_id: int) -> bool:
    """Render a letter stored without its Word file (the public receipt); True when it rendered now."""
    from . import services
    from .models import Letter

    letter = Letter.objects.filter(pk=letter_id).first()
    if letter is None or letter.docx:
        return False
    services.letter_ensure_rendered(letter)
    return True
