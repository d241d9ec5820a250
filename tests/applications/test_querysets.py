""""Overdue" and "due soon", defined once on the queryset; the row flag agrees with it."""

import datetime as dt

from gongkai.applications import services
from gongkai.applications.models import Application, due_soon_until
from gongkai.workdays import WorkCalendar

from .conftest import applicant_data

MONDAY = dt.date(2025, 9, 22)


def _apps(organ, states):
    """One application per (clock_state, due_date, closed_on), in order."""
    out = []
    for i, (state, due, closed) in enumerate(states):
        app = services.application_submit(organ=organ, data=applicant_data(title=f"信息{i}", description=f"内容{i}"))
        Application.objects.filter(pk=app.pk).update(clock_state=state, due_date=due, closed_on=closed)
        out.append(app.pk)
    return out


def test_overdue_and_due_soon(organ, today):
    soon = due_soon_until(MONDAY, workdays=5)
    assert soon == dt.date(2025, 9, 28)  # a Sunday worked in exchange for 国庆 (调休)
    late, due_today, due_in_5, due_in_6, paused, closed, no_date = _apps(organ, [
        ("running", MONDAY - dt.timedelta(days=1), None),
        ("running", MONDAY, None),
        ("running", soon, None),
        ("running", soon + dt.timedelta(days=1), None),
        ("paused", MONDAY - dt.timedelta(days=3), None),
        ("stopped", MONDAY - dt.timedelta(days=3), MONDAY - dt.timedelta(days=5)),
        ("running", None, None),
    ])
    qs = Application.objects.all()
    assert set(qs.overdue(today=MONDAY).values_list("pk", flat=True)) == {late}
    assert set(qs.due_soon(today=MONDAY, workdays=5).values_list("pk", flat=True)) == {due_today, due_in_5}
    assert set(qs.overdue_or_due_soon(today=MONDAY, workdays=5).values_list("pk", flat=True)) == {
        late, due_today, due_in_5}
    flags = {a.pk: a.deadline_flag(today=MONDAY, soon=soon) for a in qs}
    assert flags == {late: "overdue", due_today: "soon", due_in_5: "soon", due_in_6: "", paused: "", closed: "",
                     no_date: ""}


def test_due_soon_window_follows_the_setting_and_the_calendar(db, settings):
    settings.GONGKAI_APPLICATION_DUE_SOON_WORKDAYS = 2
    assert due_soon_until(MONDAY) == dt.date(2025, 9, 24)
    # 2025-09-30 (Tue) + 2 working days: 10-01 to 10-08 are 国庆 and 中秋, so 10-09 and 10-10.
    assert due_soon_until(dt.date(2025, 9, 30)) == dt.date(2025, 10, 10)


def test_due_soon_beyond_the_calendar_falls_back_to_calendar_days():
    cal = WorkCalendar.from_package()
    beyond = cal.last_date + dt.timedelta(days=1)
    assert due_soon_until(beyond, workdays=5, calendar=cal) == beyond + dt.timedelta(days=7)
