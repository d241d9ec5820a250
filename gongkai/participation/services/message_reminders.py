"""Due-soon and overdue reminder mails to the staff handling a message (the daily job).

A message is reminded once per kind (即将到期, 已逾期) and deadline: the
:class:`~gongkai.participation.models.MessageReminder` row is written with the mail, and a
rerun of the job on the same or a later day finds the row and sends nothing. A new
deadline (after a transfer or a 不满意 reopening) is a new deadline and is reminded again.
The mail is sent inside the transaction that writes the row: if the mail server refuses it,
the row is rolled back and the next run tries again.

The mail goes to the message's handler, or, while it has none, to everyone who holds a role
that handles messages in the organ itself (oversight from a parent organ is not mailed).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from gongkai.core.calendar import get_work_calendar
from gongkai.core.models import Membership
from gongkai.core.permissions import ROLE_PERMS, Perm
from gongkai.workdays import CalendarError

from ..models import Message, MessageReminder, ReminderKind
from ..models.messages import DUE_SOON_WORKDAYS

logger = logging.getLogger("gongkai.participation.reminders")
_HANDLING_ROLES = [role for role, perms in ROLE_PERMS.items() if Perm.MESSAGE_HANDLE in perms]


def due_soon_until(today: dt.date) -> dt.date:
    """The last deadline that counts as 即将到期 on ``today`` (``DUE_SOON_WORKDAYS`` working days ahead)."""
    try:
        return get_work_calendar().add_workdays(today, DUE_SOON_WORKDAYS)
    except CalendarError:  # beyond the calendar's years: the same span in calendar days
        return today + dt.timedelta(days=DUE_SOON_WORKDAYS + 2)


def recipients(message: Message) -> list[str]:
    """The addresses a reminder of ``message`` goes to (sorted, no duplicates)."""
    if message.handler_id:
        users = [message.handler]
    else:
        users = [m.user for m in Membership.objects.filter(organ_id=message.organ_id, role__in=_HANDLING_ROLES)
                 .select_related("user")]
    return sorted({u.email for u in users if u.is_active and u.email})


def _mail(message: Message, kind: ReminderKind, to: list[str], today: dt.date) -> None:
    url = settings.GONGKAI_SITE_URL.rstrip("/") + reverse("participation_staff:message", kwargs={"pk": message.pk})
    if kind == ReminderKind.OVERDUE:
        late = (today - message.due_on).days
        head = f"留言已逾期{late}天未答复"
    else:
        head = "留言即将到期"
    subject = f"{head}：{message.receipt_code}"
    body = "\n".join([
        f"{message.organ.name}的留言{head}，请及时办理。",
        "",
        f"查询码：{message.receipt_code}",
        f"标题：{message.subject}",
        f"状态：{message.get_status_display()}",
        f"答复期限：{message.due_on.year}年{message.due_on.month}月{message.due_on.day}日" + ("（暂定）" if message.due_provisional else ""),
        f"办理页面：{url}",
        "",
        "每条留言的同一答复期限只提醒一次。",
    ])
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)  # a refusal raises: the row is rolled back


def messages_remind(*, today: dt.date | None = None) -> list[MessageReminder]:
    """Write and mail today's reminders; returns the reminders created by this run (none on a rerun)."""
    today = today or timezone.localdate()
    soon = due_soon_until(today)
    created: list[MessageReminder] = []
    qs = (Message.objects.open().filter(due_on__isnull=False, due_on__lte=soon)
          .select_related("organ", "handler").order_by("due_on", "pk"))
    for message in qs:
        kind = ReminderKind.OVERDUE if message.due_on < today else ReminderKind.DUE_SOON
        if MessageReminder.objects.filter(message=message, kind=kind, due_on=message.due_on).exists():
            continue
        to = recipients(message)
        try:
            with transaction.atomic():
                reminder = MessageReminder.objects.create(message=message, kind=kind, due_on=message.due_on,
                                                          sent_on=today, recipients="、".join(to))
                if to:
                    _mail(message, kind, to, today)
        except IntegrityError:
            continue  # another run wrote this reminder meanwhile: it sent the mail
        except Exception:  # noqa: BLE001 - the mail server refused: no row, so the next run tries again
            logger.exception("留言 %s 的到期提醒发送失败", message.receipt_code)
            continue
        created.append(reminder)
    return created


def reminders_summary(reminders: list[MessageReminder]) -> str:
    overdue = sum(1 for r in reminders if r.kind == ReminderKind.OVERDUE)
    return f"提醒即将到期的留言{len(reminders) - overdue}条、已逾期的留言{overdue}条"
