"""Abuse protection of the public application form: an arithmetic challenge after a few
submissions from one address in a day, a hard limit per hour, and the submission log
both count (docs/applications.md, “防滥用”).

The log is a table rather than the cache so that the limit holds across restarts and
app servers; the challenge itself (a signed token) is the form's business.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from ..models import SubmissionLog

WINDOW_HOURS = 24


@dataclass(frozen=True)
class ApplyGate:
    """What the form must do for the next submission from one address."""

    limited: bool  # refuse (429): ``limit`` submissions in the last hour already
    limit: int  # submissions per hour
    challenge_seed: int | None  # ask the arithmetic question built from this seed; None: no question


def apply_limits() -> tuple[int, int]:
    """(challenge after N submissions per address in a day, hard limit per address per hour)."""
    return (int(getattr(settings, "GONGKAI_APPLY_CHALLENGE_AFTER", 3)),
            int(getattr(settings, "GONGKAI_APPLY_RATE_LIMIT", 20)))


def apply_gate(*, ip: str, now: dt.datetime | None = None) -> ApplyGate:
    """Read the submission log of ``ip`` (one query): is it limited, and must it answer a question?"""
    now = now or timezone.now()
    challenge_after, limit = apply_limits()
    hour_ago = now - dt.timedelta(hours=1)
    counts = (SubmissionLog.objects.filter(ip=ip, created_at__gte=now - dt.timedelta(hours=WINDOW_HOURS))
              .aggregate(day=Count("pk"), hour=Count("pk", filter=Q(created_at__gte=hour_ago))))
    last_hour, last_day = counts["hour"], counts["day"]
    return ApplyGate(limited=last_hour >= limit, limit=limit,
                     challenge_seed=last_day + len(ip) if last_day >= challenge_after else None)


def submission_log_add(*, ip: str) -> SubmissionLog:
    """One accepted public submission from ``ip`` (after the application is saved)."""
    return SubmissionLog.objects.create(ip=ip)
