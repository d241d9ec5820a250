"""Reminders: e-mail handlers their due-soon and overdue applications."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .. import services
from ..models import Application, due_soon_until, due_soon_workdays
from .letters import send_safely

__all__ = ["due_soon_workdays", "remind_handlers"]


def remind_handlers(*, on: dt.date | None = None, send=None) -> int:
    """E-mail each handler (or the organ's handlers) their due-soon and overdue applications.

    ``send(subject, body, to, object_key)`` replaces the plain send: the job queue passes one that
    mails each handler once per day however often the job runs (gongkai/ops/mail.py)."""
    from gongkai.core.models import Membership, Role

    on = on or services.today()
    soon = due_soon_until(on)
    qs = Application.objects.overdue_or_due_soon(today=on).select_related("organ", "handler").order_by("due_date")
    by_user: dict[Any, list[Application]] = {}
    for app in qs:
        users = [app.handler] if app.handler_id else [
            m.user for m in Membership.objects.filter(organ=app.organ, role=Role.HANDLER).select_related("user")]
        for u in users:
            if u.email:
                by_user.setdefault(u, []).append(app)
    for user, apps in by_user.items():
        labels = {"overdue": "已逾期", "soon": "即将到期"}
        lines = [f"{labels[a.deadline_flag(today=on, soon=soon)]} {a.due_date.isoformat()} {a.tracking_code} {a.title}"
                 for a in apps]
        subject = f"依申请公开提醒：{len(apps)} 件申请即将到期或已逾期"
        if send is None:
            send_safely(subject, "\n".join(lines), [user.email])
        else:
            send(subject, "\n".join(lines), [user.email], f"user:{user.pk}")
    return sum(len(v) for v in by_user.values())
