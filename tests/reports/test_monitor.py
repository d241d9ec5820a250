"""The compliance monitor on the working-day calendar and the weekly digest."""

import datetime as dt

from django.core import mail
from django.core.management import call_command

from gongkai.core.calendar import get_work_calendar
from gongkai.records.models import Validity
from gongkai.reports import monitor

from .conftest import make_app, make_doc

TODAY = dt.date(2025, 10, 20)  # Monday


def codes(organ, code):
    return [r.title for r in monitor.indicator(organ, code, today=TODAY).rows]


def published(record, day):
    type(record).objects.filter(pk=record.pk).update(
        published_at=dt.datetime.combine(day, dt.time(2, 0), tzinfo=dt.UTC))


def test_late_publication_counts_working_days_across_the_national_day_holiday(government, organ):
    # Formed 2025-09-26 (Fri); National Day/Mid-Autumn 10-1..10-8 off, 9-28 and 10-11 make-up days.
    cal = get_work_calendar()
    limit = cal.add_workdays(dt.date(2025, 9, 26), 20)
    in_time = make_doc(organ, "notice", dt.date(2025, 9, 26), title="按时公开")
    late = make_doc(organ, "notice", dt.date(2025, 9, 26), title="超期公开")
    published(in_time, limit)
    published(late, limit + dt.timedelta(days=1) if cal.is_workday(limit + dt.timedelta(days=1)) else cal.add_workdays(limit, 1))
    found = codes(government, "late_publication")
    assert "超期公开" in found and "按时公开" not in found


def test_interpretations_missing_and_late(government, organ):
    doc = make_doc(organ, "normative", dt.date(2025, 9, 1), title="有解读的文件")
    published(doc, dt.date(2025, 9, 3))
    make_doc(organ, "normative", dt.date(2025, 9, 1), title="无解读的文件")
    interp = make_doc(organ, "interpretation", dt.date(2025, 9, 10), title="一图读懂", interprets=doc)
    published(interp, dt.date(2025, 9, 10))  # 5 working days after 9-3: late
    assert codes(government, "missing_interpretation") == ["无解读的文件"]
    assert codes(government, "late_interpretation") == ["一图读懂"]
    published(interp, dt.date(2025, 9, 8))  # 3 working days: in time
    assert codes(government, "late_interpretation") == []


def test_expiring_and_expired_undecided(government, organ):
    make_doc(organ, "normative", dt.date(2020, 1, 1), title="即将到期", valid_until=dt.date(2025, 11, 10))
    make_doc(organ, "normative", dt.date(2020, 1, 1), title="已过期未处理", valid_until=dt.date(2025, 9, 30))
    make_doc(organ, "normative", dt.date(2020, 1, 1), title="已废止", validity=Validity.REPEALED,
             valid_until=dt.date(2025, 9, 30))
    assert codes(government, "expiring") == ["即将到期"]
    assert codes(government, "expired_undecided") == ["已过期未处理"]


def test_applications_due_soon_overdue_and_answered_late(government, organ):
    soon = make_app(organ, received=dt.date(2025, 9, 22))
    over = make_app(organ, received=dt.date(2025, 8, 1))
    late = make_app(organ, received=dt.date(2025, 6, 2), decided=dt.date(2025, 7, 10), outcome="r3_1")
    type(soon).objects.filter(pk=soon.pk).update(due_date=dt.date(2025, 10, 22))
    type(over).objects.filter(pk=over.pk).update(due_date=dt.date(2025, 8, 29))
    type(late).objects.filter(pk=late.pk).update(due_date=dt.date(2025, 7, 1))
    assert [t.split()[0] for t in codes(government, "applications_due_soon")] == [soon.tracking_code]
    assert [t.split()[0] for t in codes(government, "applications_overdue")] == [over.tracking_code]
    rows = monitor.indicator(government, "applications_answered_late", today=TODAY).rows
    assert [r.title.split()[0] for r in rows] == [late.tracking_code] and "迟延 7 个工作日" in rows[0].detail


def test_reports_missing_after_the_deadline(government, organ, sibling):
    make_doc(organ, "annual_report", dt.date(2025, 1, 20), title="保定市测试局2024年政府信息公开工作年度报告")
    assert codes(government, "reports_missing") == ["保定市另一局2024年政府信息公开工作年度报告"]


def test_weekly_digest_mails_each_office(government, organ, gov_office, office):
    make_doc(organ, "normative", dt.date(2020, 1, 1), title="已过期未处理", valid_until=dt.date(2021, 9, 30))
    call_command("report", "digest", "--now")
    assert sorted(m.to[0] for m in mail.outbox) == ["govoffice@example.org", "office@example.org"]
    body = next(m for m in mail.outbox if m.to == ["govoffice@example.org"]).body
    assert "有效期已过但未作决定的规范性文件：1 项" in body and "已过期未处理" in body
