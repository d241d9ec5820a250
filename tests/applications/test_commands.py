"""gongkai applications …, the daily task, reminders and the calendar signal."""

import datetime as dt
import json

from django.core.management import call_command

from gongkai.applications import services
from gongkai.applications.models import Application
from gongkai.core.calendar import get_work_calendar
from gongkai.core.models import CalendarOverride

from .conftest import VALID_ID, applicant_data


def test_recompute_command(application, capsys):
    Application.objects.filter(pk=application.pk).update(due_date=None)
    call_command("applications", "recompute")
    assert "已重算 1 件" in capsys.readouterr().out
    application.refresh_from_db()
    assert application.due_date is not None


def test_calendar_change_recomputes_due_dates(application, today, django_capture_on_commit_callbacks):
    before = application.due_date
    with django_capture_on_commit_callbacks(execute=True):
        CalendarOverride.objects.create(date=dt.date(2025, 10, 10), is_workday=False, note="地方假日")
    application.refresh_from_db()
    assert application.due_date == get_work_calendar().add_workdays(before, 1)


def test_export_and_erase_commands(application, handler, settings, capsys, today):
    call_command("applications", "export-applicant", VALID_ID)
    data = json.loads(capsys.readouterr().out)
    assert data["applications"][0]["tracking_code"] == application.tracking_code
    services.application_determine(actor=handler, application=application, on=today.day, outcome="r3_1")
    settings.GONGKAI_APPLICATION_RETENTION_DAYS = 0
    call_command("applications", "erase-applicant", "--dry-run")
    assert "将处理 1 件" in capsys.readouterr().out
    application.refresh_from_db()
    assert application.name == "张三"


def test_daily_task_reminds_handlers(organ, handler, today, mailoutbox):
    services.application_submit(organ=organ, data=applicant_data())
    today.set(dt.date(2025, 10, 20))  # due 10-24: within five working days
    sent = services.remind_handlers(on=today.day)
    assert sent == 1 and "即将到期" in mailoutbox[-1].body
