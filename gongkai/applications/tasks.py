"""Background jobs (Django's tasks API, django-tasks backport).

``applications_daily`` recomputes every due-date cache, e-mails handlers
their due-soon and overdue applications and deletes the apply form's stale pending uploads; schedule it once a day
(``gongkai applications daily`` from cron or a systemd timer enqueues it).
Without a ``TASKS`` setting the backport runs tasks immediately; production
sets a database backend and runs a worker (docs/applications.md).
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
