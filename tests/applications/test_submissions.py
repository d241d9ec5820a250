"""The public form's gate: a question after N submissions a day, a limit per hour."""

import datetime as dt

from django.utils import timezone

from gongkai.applications import services
from gongkai.applications.models import SubmissionLog


def test_gate_open_then_challenge_then_limited(db, settings):
    settings.GONGKAI_APPLY_CHALLENGE_AFTER = 2
    settings.GONGKAI_APPLY_RATE_LIMIT = 3
    ip = "10.2.3.4"
    gate = services.apply_gate(ip=ip)
    assert gate == services.ApplyGate(limited=False, limit=3, challenge_seed=None)
    services.submission_log_add(ip=ip)
    assert services.apply_gate(ip=ip).challenge_seed is None
    services.submission_log_add(ip=ip)
    gate = services.apply_gate(ip=ip)
    assert gate.challenge_seed == 2 + len(ip) and not gate.limited
    services.submission_log_add(ip=ip)
    assert services.apply_gate(ip=ip).limited
    assert services.apply_gate(ip="10.2.3.5") == services.ApplyGate(limited=False, limit=3, challenge_seed=None)


def test_gate_counts_an_hour_for_the_limit_and_a_day_for_the_question(db, settings):
    settings.GONGKAI_APPLY_CHALLENGE_AFTER = 2
    settings.GONGKAI_APPLY_RATE_LIMIT = 2
    ip = "10.2.3.4"
    for _ in range(2):
        services.submission_log_add(ip=ip)
    now = timezone.now()
    SubmissionLog.objects.update(created_at=now - dt.timedelta(hours=2))
    gate = services.apply_gate(ip=ip, now=now)
    assert not gate.limited and gate.challenge_seed is not None
    assert services.apply_gate(ip=ip, now=now + dt.timedelta(hours=23)) == services.ApplyGate(
        limited=False, limit=2, challenge_seed=None)
