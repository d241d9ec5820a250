"""Reminders: e-mail handlers their due-soon and overdue applications."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings

from gongkai.core.calendar import get_work_calendar

from .. import services
from ..models import Application
from .letters import send_safely


def due_soon_workdays() -> int:
    return int(getattr(settings, "GONGKAI_APPLICATION_DUE_SOON_WORKDAYS", 5))


def remind_handlers(*, on: dt.date | None = None) -> int:
    """E-mail each handler (or the organ's handlers) their due-soon and overdue applications."""
    from gongkai.core.models import Membership, Role

    on = on or services.today()
    cal = get_work_calendar()
    soon = cal.add_workdays(on, due_soon_workdays())
    qs = (Application.objects.open().filter(clock_state="running", due_date__lte=soon)
          .select_related("organ", "handler").order_by("due_date"))
    by_user: dict[Any, list[Application]] = {}
    for app in qs:
        users = [app.handler] if app.handler_id else [
            m.user for m in Membership.objects.filter(organ=app.organ, role=Role.HANDLER).select_related("user")]
        for u in users:
            if u.email:
                by_user.setdefault(u, []).append(app)
    for user, apps in by_user.items():
        lines = [f"{'已逾期' if a.due_date < on else '即将到期'} {a.due_date.isoformat()} {a.tracking_code} {a.title}"
                 for a in apps]
        send_safely(f"依申请公开提醒：{len(apps)} 件申请即将到期或已逾期", "\n".join(lines), [user.email])
    return sum(len(v) for v in by_user.values())
