"""Reads for work plans: what a user may see, the ledger, the overview figures."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Prefetch, Q

from gongkai.core.models import Organ
from gongkai.core.permissions import Perm, organs_where
from gongkai.records.models import Record

from . import rules
from .models import PlanStatus, ProgressReport, Publication, Task, TaskStatus, TaskUnit, WorkPlan


def plans_for(user):
    managed = WorkPlan.objects.filter(organ__in=organs_where(user, Perm.ORGAN_OVERSEE))
    assigned = WorkPlan.objects.filter(tasks__units__organs__in=rules.reporting_organs(user))
    return (managed | assigned).distinct().select_related("organ")


def tasks_for(user):
    """Tracked tasks of active plans assigned to an organ the user reports for."""
    return (Task.objects.running().filter(units__organs__in=rules.reporting_organs(user))
            .distinct().select_related("plan"))


def ledger(plan: WorkPlan):
    return (plan.tasks.select_related("parent", "plan")
            .prefetch_related(Prefetch("units", queryset=TaskUnit.objects.prefetch_related("organs")), "reports")
            .order_by("path"))


def public_plans():
    return WorkPlan.objects.filter(is_public=True).exclude(status=PlanStatus.DRAFT).select_related("organ")


def public_reports(task_ids):
    """Approved reports only; evidence records only through the one public door."""
    return (ProgressReport.objects.filter(task_id__in=task_ids, publication=Publication.APPROVED)
            .select_related("organ")
            .prefetch_related(Prefetch("records", queryset=Record.objects.public(), to_attr="public_records")))


def plan_stats(plan: WorkPlan, today: dt.date) -> dict[str, int]:
    tasks = list(plan.tasks.filter(is_tracked=True).select_related("plan"))
    stats = {"total": len(tasks), "done": 0, "in_progress": 0, "not_started": 0, "overdue": 0}
    for task in tasks:
        code = task.status_code(today)
        stats[code] = stats.get(code, 0) + 1
    stats["percent"] = round(100 * stats["done"] / stats["total"]) if stats["total"] else 0
    return stats


def by_unit(plan: WorkPlan, today: dt.date) -> list[dict]:
    """Completion by organ: every organ a tracked task is assigned to (as lead, responsible or cooperating)."""
    rows: dict[int, dict] = {}
    tasks = plan.tasks.filter(is_tracked=True).select_related("plan").prefetch_related("units__organs")
    for task in tasks:
        organs = {o.pk: o for u in task.units.all() for o in u.organs.all()}
        code = task.status_code(today)
        for organ in organs.values():
            row = rows.setdefault(organ.pk, {"organ": organ, "total": 0, "done": 0, "in_progress": 0,
                                             "not_started": 0, "overdue": 0})
            row["total"] += 1
            row[code] += 1
    out = sorted(rows.values(), key=lambda r: (-r["overdue"], r["organ"].path))
    for row in out:
        row["percent"] = round(100 * row["done"] / row["total"]) if row["total"] else 0
        row["heat"] = min(5, row["percent"] // 20)
    return out


def heatmap(plan: WorkPlan, today: dt.date) -> tuple[list[Task], list[dict]]:
    """Sections (top-level items) × organs: share of tasks done, 0–5 for the colour class."""
    sections = list(plan.tasks.filter(parent__isnull=True).order_by("path"))
    cells: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0, 0])
    organs: dict[int, Organ] = {}
    for task in plan.tasks.filter(is_tracked=True).select_related("plan").prefetch_related("units__organs"):
        section_path = task.path.split(".")[0]
        section = next((s for s in sections if s.path == section_path), None)
        if section is None:
            continue
        code = task.status_code(today)
        for organ in {o.pk: o for u in task.units.all() for o in u.organs.all()}.values():
            organs[organ.pk] = organ
            cell = cells[(organ.pk, section.pk)]
            cell[0] += 1
            cell[1] += code == TaskStatus.DONE
            cell[2] += code == "overdue"
    rows = []
    for organ in sorted(organs.values(), key=lambda o: o.path):
        row = {"organ": organ, "cells": []}
        for section in sections:
            total, done, overdue = cells.get((organ.pk, section.pk), [0, 0, 0])
            row["cells"].append({"section": section, "total": total, "done": done, "overdue": overdue,
                                 "heat": (min(5, (100 * done // total) // 20) if total else None)})
        rows.append(row)
    return sections, rows


def upcoming(tasks, today: dt.date, days: int = 14):
    soon = today + dt.timedelta(days=days)
    return tasks.running().exclude(status=TaskStatus.DONE).filter(Q(due_date__lte=soon)).order_by("due_date")


def overdue_tasks(tasks, today: dt.date):
    """Overdue tasks of a queryset (a plan's, a user's), by the one rule of :meth:`TaskQuerySet.overdue`."""
    return tasks.overdue(today=today).select_related("plan").order_by("due_date", "plan", "path")
