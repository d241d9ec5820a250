"""Reads: which applications a user may see, the queue, clusters of similar applications."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from gongkai.core.models import Membership, Role
from gongkai.core.permissions import Perm, organs_where

from . import similarity
from .models import Application


def visible_applications(user) -> QuerySet[Application]:
    """Applications of the organs where the user handles applications (their 公开办 included)."""
    ids = list(organs_where(user, Perm.APPLICATION_HANDLE).values_list("pk", flat=True))
    return Application.objects.filter(organ_id__in=ids)


def handlers_for(organs) -> QuerySet:
    ids = Membership.objects.filter(organ__in=organs, role__in=[Role.HANDLER, Role.OFFICE, Role.OFFICE_HEAD]).values("user_id")
    return get_user_model().objects.filter(pk__in=ids).order_by("username")


def queue(user, *, state: str = "", handler: str = "", organ=None, q: str = "", today: dt.date) -> QuerySet[Application]:
    """The handler queue sorted by due date (nearest first; closed ones by closing date)."""
    qs = visible_applications(user)
    if state == "closed":
        qs = qs.filter(closed_on__isnull=False).order_by("-closed_on", "-pk")
    else:
        if state != "all":
            qs = qs.filter(closed_on__isnull=True)
        if state == "overdue":
            qs = qs.overdue(today=today)
        elif state == "soon":
            qs = qs.due_soon(today=today)
        elif state in ("paused", "waiting_correction"):
            qs = qs.filter(clock_state=state)
        qs = qs.order_by("due_date", "pk")
    if organ is not None:
        qs = qs.filter(organ=organ)
    if handler == "me":
        qs = qs.filter(handler=user)
    elif handler == "none":
        qs = qs.filter(handler__isnull=True)
    elif handler.isdigit():
        qs = qs.filter(handler_id=int(handler))
    if q:
        # What a handler has when a citizen phones: the code, a name, a phone number, an ID number.
        q = q.strip()
        match = Q(tracking_code__iexact=q) | Q(title__icontains=q) | Q(name__icontains=q)
        digits = q.replace("-", "").replace(" ", "")
        if len(digits) >= 4 and digits[:-1].isdigit():
            match |= Q(phone__contains=digits) | Q(id_number__iexact=digits.upper())
        qs = qs.filter(match)
    return qs


def desk(user, *, today: dt.date) -> dict[str, int] | None:
    """The handler's and the 公开办负责人's desk on the workspace home: what needs doing now.

    ``None`` when the user handles no applications.
    """
    from gongkai.core.permissions import can

    from .models import ApplicationMessage, ExtensionRequest, ThreadStatus

    organs = organs_where(user, Perm.APPLICATION_HANDLE)
    if not organs.exists():
        return None
    apps = visible_applications(user)
    open_apps = apps.filter(closed_on__isnull=True)
    approvable = [o.pk for o in organs if can(user, Perm.APPLICATION_APPROVE_EXTENSION, o)]
    return {
        "new": open_apps.filter(handler__isnull=True).count(),
        "due_soon": apps.due_soon(today=today).count(),
        "overdue": apps.overdue(today=today).count(),
        "waiting": open_apps.filter(clock_state__in=["waiting_correction", "paused"]).count(),
        "to_confirm": ApplicationMessage.objects.filter(application__in=open_apps, status=ThreadStatus.OPEN,
                                                        kind__in=["correction", "fee_proof"]).count(),
        "unanswered_messages": ApplicationMessage.objects.filter(
            application__in=apps, status=ThreadStatus.OPEN, kind="message").count(),
        # Not the ones the user asked for: the requester cannot approve their own (Art. 33 ¶2 guard).
        "extensions": ExtensionRequest.objects.filter(application__organ_id__in=approvable,
                                                      status=ExtensionRequest.Status.PENDING)
                                              .exclude(requested_by=user).count(),
    }


def similar_groups(user, *, days: int = 180, today: dt.date, limit: int = 2000) -> list[list[Application]]:
    """Groups of applications from **different** applicants asking for the same information
    (suggest 依申请转主动, Art. 44)."""
    qs = (visible_applications(user).filter(arrived_on__gte=today - dt.timedelta(days=days))
          .select_related("organ").order_by("-pk")[:limit])
    apps = {a.pk: a for a in qs}
    groups = similarity.clusters([(a.pk, f"{a.title} {a.doc_no} {a.description}") for a in apps.values()])
    out = []
    for keys in groups:
        # A group stays within one year (the annual report counts per year) and within
        # ``GROUP_WINDOW_DAYS`` from its first application: not the same title years apart.
        by_year: dict[int, list[Application]] = {}
        for a in sorted((apps[k] for k in keys), key=lambda a: (a.arrived_on, a.pk)):
            by_year.setdefault(a.arrived_on.year, []).append(a)
        for members in by_year.values():
            while members:
                start = members[0].arrived_on
                window = [a for a in members if (a.arrived_on - start).days <= GROUP_WINDOW_DAYS]
                members = members[len(window):]
                if len({(a.organ_id, a.id_number) for a in window}) > 1:
                    out.append(sorted(window, key=lambda a: a.pk))
    return out


#: How far apart (in days) applications of one 集中申请 group may arrive.
GROUP_WINDOW_DAYS = 60


def similar_to(user, app: Application, *, days: int = 180, limit: int = 500) -> list[Application]:
    """Recent applications of other applicants asking for information like ``app``'s (one pass)."""
    mine = similarity.bigrams(f"{app.title} {app.doc_no} {app.description}")
    qs = (visible_applications(user).filter(arrived_on__gte=app.arrived_on - dt.timedelta(days=days))
          .exclude(pk=app.pk).exclude(id_number=app.id_number)
          .only("pk", "tracking_code", "title", "doc_no", "description").order_by("-pk")[:limit])
    return [a for a in qs if similarity.similarity(mine, f"{a.title} {a.doc_no} {a.description}") >= similarity.SIMILAR]
