"""Periodic work of the participation app, run once a day by ``gongkai serve`` (or cron).

* :func:`close_due_consultations` — a consultation whose period has ended closes by
  itself (征求意见期限届满自动结束), audited with no actor.
"""

from __future__ import annotations

import datetime as dt


def close_due_consultations(*, today: dt.date | None = None) -> int:
    from .services.consultations import consultation_close_due

    return consultation_close_due(today=today)
