"""``gongkai.core.calendar.get_work_calendar``: the admin's rows reach the calendar and the clock."""

from __future__ import annotations

from datetime import date

import pytest

from gongkai.applications.clock import Channel, ClockEvent, EventKind, compute_clock
from gongkai.core.calendar import clear_work_calendar_cache, get_work_calendar
from gongkai.core.models import CalendarOverride, CalendarYear

pytestmark = pytest.mark.django_db


def due(cal):
    log = [ClockEvent(EventKind.RECEIVED, date(2026, 12, 14), channel=Channel.IN_PERSON)]
    return compute_clock(log, calendar=cal)


def test_without_rows_it_is_the_package_calendar():
    clear_work_calendar_cache()
    cal = get_work_calendar()
    assert cal.overrides == () and not cal.is_covered(2027)
    assert get_work_calendar() is cal  # cached while the rows do not change
    result = due(cal)
    assert result.due_date == date(2027, 1, 12) and result.provisional  # 元旦 estimated off


def test_rows_change_the_calendar_and_every_due_date():
    before = get_work_calendar()
    CalendarOverride.objects.create(date=date(2027, 1, 1), is_workday=False, note="元旦")
    with_override = get_work_calendar()
    assert with_override is not before
    assert not with_override.is_workday(date(2027, 1, 1))
    result = due(with_override)
    assert result.due_date == date(2027, 1, 12) and result.provisional  # 2027 not declared yet

    CalendarYear.objects.create(year=2027, note="国办发明电〔2026〕×号")
    covered = get_work_calendar()
    result = due(covered)
    assert result.due_date == date(2027, 1, 12) and not result.provisional

    # Editing a row (not only adding one) is seen too.
    CalendarOverride.objects.filter(date=date(2027, 1, 1)).update(is_workday=True)
    assert get_work_calendar().is_workday(date(2027, 1, 1))


def test_local_holiday_in_a_covered_year():
    CalendarOverride.objects.create(date=date(2025, 3, 10), is_workday=False, note="地方性假日")
    log = [ClockEvent(EventKind.RECEIVED, date(2025, 3, 3), channel=Channel.IN_PERSON)]
    assert compute_clock(log, calendar=get_work_calendar()).due_date == date(2025, 4, 1)


# -- the reminder to enter next year's schedule ---------------------------------------------


def test_next_year_notice_from_november_while_the_year_is_not_covered():
    from gongkai.core.calendar import calendar_next_year_notice

    clear_work_calendar_cache()
    assert calendar_next_year_notice(today=date(2026, 10, 31)) is None
    notice = calendar_next_year_notice(today=date(2026, 11, 1))
    assert notice and "2027年的节假日安排尚未录入" in notice and "暂定" in notice
    assert calendar_next_year_notice(today=date(2025, 12, 1)) is None  # 2026 is in the package
    CalendarYear.objects.create(year=2027, note="国办发明电〔2026〕")
    assert calendar_next_year_notice(today=date(2026, 12, 4)) is None


def test_platform_admin_sees_the_banner_on_the_workspace_home_and_the_calendar_admin(
    client, django_user_model, editor, monkeypatch
):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: date(2026, 11, 20))
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "pw-12345-long")
    client.force_login(admin)
    page = client.get("/workspace/").content.decode()
    assert "2027年的节假日安排尚未录入" in page and "core/calendaroverride" in page
    page = client.get("/admin/core/calendaroverride/").content.decode()
    assert "2027年的节假日安排尚未录入" in page
    client.force_login(editor)  # an office's clerk is not asked
    assert "节假日安排尚未录入" not in client.get("/workspace/").content.decode()


# -- the calendar cached under a generation -------------------------------------------------


@pytest.fixture
def generation_mode(settings, tmp_path, monkeypatch):
    """A process with no uncommitted calendar change of its own, its generation file in tmp."""
    from gongkai.core import calendar

    settings.GONGKAI_CALENDAR_GENERATION_FILE = str(tmp_path / "calendar-generation")
    monkeypatch.setattr(calendar, "_pending", {"changes": 0})
    clear_work_calendar_cache()
    yield calendar
    clear_work_calendar_cache()


def test_an_unchanged_calendar_costs_no_query(generation_mode, django_assert_num_queries):
    with django_assert_num_queries(2):
        cal = get_work_calendar()
    with django_assert_num_queries(0):
        assert get_work_calendar() is cal


def test_a_committed_change_is_seen_through_a_new_generation(
        generation_mode, django_assert_num_queries, django_capture_on_commit_callbacks):
    before = get_work_calendar()
    with django_capture_on_commit_callbacks(execute=True):
        CalendarOverride.objects.create(date=date(2027, 1, 4), is_workday=False, note="调休")
        # Until the commit this process compares the rows: its own change is seen at once.
        assert not get_work_calendar().is_workday(date(2027, 1, 4))
    assert generation_mode._pending["changes"] == 0
    # (The recompute job queued by the same commit may already have rebuilt it.)
    after = get_work_calendar()
    assert after is not before and not after.is_workday(date(2027, 1, 4))
    assert generation_mode._cache["calendar"][0] == generation_mode._generation() != "file:0"
    with django_assert_num_queries(0):
        assert get_work_calendar() is after


def test_another_process_change_is_seen_after_its_bump(generation_mode):
    get_work_calendar()
    # Another process: its rows (no signal here) and its bump after the commit.
    CalendarOverride.objects.bulk_create([CalendarOverride(date=date(2027, 1, 5), is_workday=False, note="调休")])
    generation_mode._bump()
    assert not get_work_calendar().is_workday(date(2027, 1, 5))
