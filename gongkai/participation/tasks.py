"""Periodic work of the participation app: plain functions that the periodic jobs of
gongkai/ops/jobs.py run (the scheduler enqueues each once per period; no cron), and the
management commands for a manual run.

* :func:`close_due_consultations` — a consultation whose period has ended closes by
  itself (征求意见期限届满自动结束), audited with no actor (``gongkai consultations``; the job
  ``consultations_close`` calls the same service).
"""

from __future__ import annotations

import datetime as dt


def close_due_consultations(*, today: dt.date | None = None) -> int:
    from .services.consultations import consultation_close_due

    return consultation_close_due(today=today)


def messages_and_answers_daily() -> tuple[int, int]:
    """(open messages whose reply deadline changed, 口径库 entries flagged).

    The deadline cache follows calendar and rule changes; the sweep flags every entry whose
    basis record stopped being in force without a service call (a 有效期 that ran out).
    """
    from .services.answers import answers_flag_check
    from .services.messages import messages_refresh_due

    return messages_refresh_due(), answers_flag_check()


def messages_remind_daily() -> str:
    """Due-soon and overdue reminder mails to the staff handling messages (once per message, kind and deadline)."""
    from .services.message_reminders import messages_remind, reminders_summary

    return reminders_summary(messages_remind())
