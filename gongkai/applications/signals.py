"""When the working-day calendar changes, every cached due date is recomputed (on commit)."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from gongkai.core.models import CalendarOverride, CalendarYear


@receiver([post_save, post_delete], sender=CalendarOverride)
@receiver([post_save, post_delete], sender=CalendarYear)
def calendar_changed(sender, **kwargs) -> None:
    from .tasks import applications_recompute_all

    transaction.on_commit(applications_recompute_all.enqueue)
