"""Who may do what with work plans, composed from gongkai.core.permissions (the one place for checks)."""

from __future__ import annotations

from gongkai.core.models import Organ
from gongkai.core.permissions import Perm, can, organs_where

from .models import ProgressReport, Task, WorkPlan


def can_manage(user, plan: WorkPlan) -> bool:
    """The 公开办 of the plan's organ (or of an organ above it)."""
    return can(user, Perm.ORGAN_OVERSEE, plan.organ)


def reporting_organs(user):
    """Organs for which the user may report progress: where they draft records or oversee."""
    return organs_where(user, Perm.RECORD_DRAFT) | organs_where(user, Perm.ORGAN_OVERSEE)


def task_organs(task: Task):
    return Organ.objects.filter(pk__in=task.units.values("organs")).distinct()


def can_report(user, task: Task, organ: Organ) -> bool:
    if can_manage(user, task.plan):
        return True
    assigned = task_organs(task).filter(pk=organ.pk).exists()
    return assigned and (can(user, Perm.RECORD_DRAFT, organ) or can(user, Perm.ORGAN_OVERSEE, organ))


def can_view(user, plan: WorkPlan) -> bool:
    if can_manage(user, plan):
        return True
    return plan.tasks.filter(units__organs__in=reporting_organs(user)).exists()


def can_approve_publication(user, report: ProgressReport) -> bool:
    """先审查后公开: the 公开办 reviews; nobody approves their own report."""
    return can_manage(user, report.task.plan) and report.author_id != getattr(user, "pk", None)
