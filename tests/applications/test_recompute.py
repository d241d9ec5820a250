"""The due-date cache: the fast path when it supports the settings, the full replay otherwise."""

import dataclasses
import datetime as dt

import pytest

from gongkai.applications import services
from gongkai.applications.clock import DEFAULT_SETTINGS
from gongkai.applications.models import Application
from gongkai.applications.services import base, events, recompute

from .conftest import applicant_data


@pytest.fixture
def apps(organ, handler, today):
    """One running, one paused by a consultation, one answered; caches then wiped."""
    running = services.application_submit(organ=organ, data=applicant_data(title="甲", description="甲"))
    paused = services.application_submit(organ=organ, data=applicant_data(title="乙", description="乙"))
    answered = services.application_submit(organ=organ, data=applicant_data(title="丙", description="丙"))
    today.set(dt.date(2025, 9, 24))
    services.application_consult(actor=handler, application=paused, on=today.day, party="third_party",
                                 party_name="某公司", content="商业秘密")
    services.application_determine(actor=handler, application=answered, on=today.day, outcome="r3_1")
    today.set(dt.date(2025, 9, 26))
    return [running.pk, paused.pk, answered.pk]


def _cache(pks):
    return [Application.objects.values_list("clock_state", "due_date", "closed_on").get(pk=pk) for pk in pks]


def _expected(pks):
    out = []
    for pk in pks:
        clock = services.application_clock(Application.objects.get(pk=pk))
        closed = clock.stopped_on if clock.state in ("stopped", "abandoned") else None
        out.append((clock.state.value, clock.due_date or clock.projected_due_date, closed))
    return out


def test_fast_path_fills_the_cache_as_the_full_clock_would(apps):
    Application.objects.update(due_date=None, clock_state="running", closed_on=None)
    counts = services.applications_recompute()
    assert counts == {"total": 3, "changed": 3, "invalid": 0}
    assert _cache(apps) == _expected(apps)
    assert [state for state, *_ in _cache(apps)] == ["running", "paused", "stopped"]


def test_unsupported_settings_use_the_full_replay(apps, monkeypatch):
    unsupported = dataclasses.replace(DEFAULT_SETTINGS, count_trigger_day=True)
    for module in (base, events, recompute):
        monkeypatch.setattr(module, "CLOCK_SETTINGS", unsupported)
    monkeypatch.setattr(recompute, "fast_clock", None)  # would fail if called
    Application.objects.update(due_date=None, clock_state="running", closed_on=None)
    counts = services.applications_recompute()
    assert counts["total"] == 3 and counts["invalid"] == 0
    assert _cache(apps) == _expected(apps)
    # Counting the trigger day moves each running due date one working day earlier than the default.
    assert _cache(apps)[0][1] == dt.date(2025, 10, 23)
    with pytest.raises(services.ApplicationActionError, match="不支持快速计算"):
        services.due_dates_fast([], on=dt.date(2025, 9, 26))
