"""A regression guard on the queries of one public submission (docs/applications.md, bench apply)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongkai.applications.models import Application

from .test_submit_once import token_from
from .test_views import apply_url, form_data  # noqa: F401 - the fixture is used by name


@pytest.fixture
def calendar_by_generation(settings, tmp_path, monkeypatch):
    """A server process with no uncommitted calendar change of its own (the usual case)."""
    from gongkai.core import calendar

    settings.GONGKAI_CALENDAR_GENERATION_FILE = str(tmp_path / "calendar-generation")
    monkeypatch.setattr(calendar, "_pending", {"changes": 0})
    calendar.clear_work_calendar_cache()
    calendar.get_work_calendar()
    yield
    calendar.clear_work_calendar_cache()


def test_one_submission_stays_within_its_queries(client, apply_url, today, calendar_by_generation):  # noqa: F811
    token = token_from(client.get(apply_url).content.decode())
    with CaptureQueriesContext(connection) as ctx:
        r = client.post(apply_url, form_data(submission_token=token), REMOTE_ADDR="10.1.1.1")
    assert r.status_code == 302 and Application.objects.count() == 1
    # 39 before the cuts (savepoints included); the counter row of the year is created here
    assert len(ctx.captured_queries) <= 29
    # A later submission of the year increments the existing counter row: 36 before the cuts.
    token = token_from(client.get(apply_url).content.decode())
    with CaptureQueriesContext(connection) as ctx:
        r = client.post(apply_url, form_data(submission_token=token), REMOTE_ADDR="10.1.1.2")
    assert r.status_code == 302 and Application.objects.count() == 2
    assert len(ctx.captured_queries) <= 26
    numbers = sorted(Application.objects.values_list("letters__number", flat=True))
    assert len(set(numbers)) == 2 and numbers[0].endswith("第1号") and numbers[1].endswith("第2号")


def test_letter_numbers_without_returning(organ, monkeypatch):
    """SQLite before 3.35 has no RETURNING: an update and a read give the same numbers."""
    from django.db import connection

    from gongkai.applications.services.letters import _take_sequence

    if connection.vendor != "sqlite":  # the fallback is SQLite's; PostgreSQL's inserts need the feature
        pytest.skip("SQLite only")
    monkeypatch.setattr(connection.features, "can_return_columns_from_insert", False)
    assert [_take_sequence(organ, 2025) for _ in range(3)] == [1, 2, 3]
    assert _take_sequence(organ, 2026) == 1
