"""The applicant's two-way tracking page: messages, online 补正, payment proof, withdrawal."""

import datetime as dt

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.applications import services
from gongkai.applications.clock import EventKind
from gongkai.applications.fastclock import KIND_CODES
from gongkai.applications.models import WITHDRAWN_OUTCOME, ApplicationMessage, Outcome

from .conftest import applicant_data

D = dt.date


@pytest.fixture
def tracked(client, application):
    r = client.post(reverse("applications:track"), {"code": application.tracking_code, "check": "5678"})
    assert r.status_code == 302
    return client


def act(client, app, action, **data):
    return client.post(reverse("applications:track_act", args=[app.tracking_code, action]), data)


def test_a_message_both_ways_with_a_file_and_mail(tracked, client, handler, application, today,
                                                  django_capture_on_commit_callbacks):
    application.handler = handler
    application.save()
    r = act(tracked, application, "message", body="请问能否电子邮件答复？",
            file=SimpleUploadedFile("说明.pdf", b"%PDF-1.4 x", content_type="application/pdf"))
    assert r.status_code == 302
    m = ApplicationMessage.objects.get()
    assert m.from_applicant and m.file_name == "说明.pdf"
    staff = client.__class__()
    staff.force_login(handler)
    page = staff.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert "请问能否电子邮件答复？" in page
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(reverse("applications:thread_reply", args=[application.pk]), {"body": "可以，请留意邮箱。"})
    assert ApplicationMessage.objects.filter(from_applicant=False).count() == 1
    assert any("新留言" in e.subject for e in mail.outbox)
    page = tracked.get(reverse("applications:track_detail", args=[application.tracking_code])).content.decode()
    assert "可以，请留意邮箱。" in page and "说明.pdf" in page


def test_an_online_correction_restarts_the_clock_when_staff_accept(tracked, client, handler, application, today):
    page = tracked.get(reverse("applications:track_detail", args=[application.tracking_code])).content.decode()
    assert 'id="correction"' not in page  # nothing to correct yet
    services.application_request_correction(actor=handler, application=application, on=D(2025, 9, 22),
                                            deadline=D(2025, 10, 10), items="请写明文件名称")
    page = tracked.get(reverse("applications:track_detail", args=[application.tracking_code])).content.decode()
    assert 'id="correction"' in page
    today.set(D(2025, 9, 25))
    act(tracked, application, "correction", body="文件名称为《2024年城市道路建设资金使用情况》")
    again = act(tracked, application, "correction", body="再补一次")
    assert again.status_code == 302 and ApplicationMessage.objects.count() == 1  # one pending at a time
    application.refresh_from_db()
    assert application.clock_state == "waiting_correction"
    staff = client.__class__()
    staff.force_login(handler)
    msg = ApplicationMessage.objects.get()
    staff.post(reverse("applications:thread_accept", args=[application.pk, msg.pk]))
    application.refresh_from_db()
    assert application.clock_state == "running"
    assert application.events.last().kind == "corrected" and application.events.last().date == D(2025, 9, 25)
    assert application.due_date == D(2025, 10, 29)  # 20 working days from 09-25 (国庆 off, 09-28 and 10-11 on)


def test_a_fee_proof_resumes_the_clock(tracked, client, organ, handler, today):
    apps = [services.application_submit(organ=organ, data=applicant_data(title=f"信息{i}", description=f"内容{i}"))
            for i in range(11)]
    app = apps[-1]
    services.application_fee_notice(actor=handler, application=app, on=D(2025, 9, 22), standard="per_application")
    tracked.post(reverse("applications:track"), {"code": app.tracking_code, "check": "5678"})
    page = tracked.get(reverse("applications:track_detail", args=[app.tracking_code])).content.decode()
    assert 'id="fee_proof"' in page and "100.00 元" in page
    act(tracked, app, "fee_proof", body="已于9月22日通过银行转账缴纳",
        file=SimpleUploadedFile("回单.png", b"\x89PNG\r\n\x1a\n" + bytes(24), content_type="image/png"))
    msg = ApplicationMessage.objects.get(kind="fee_proof")
    services.application_thread_accept(actor=handler, message=msg)
    app.refresh_from_db()
    assert app.clock_state == "running" and app.fee_notice.paid_on == D(2025, 9, 22)


def test_a_fee_proof_needs_a_file(handler, application, today):
    with pytest.raises(services.ApplicationActionError):
        services.application_thread_post(application=application, body="已缴费", kind="fee_proof")


def test_withdrawal_closes_the_clock_and_counts_as_other(tracked, application, today):
    r = act(tracked, application, "withdraw", reason="已从其他渠道获得")
    assert r.status_code == 302 and not application.events.filter(kind="withdrawn").exists()  # not confirmed
    act(tracked, application, "withdraw", reason="已从其他渠道获得", confirm="on")
    application.refresh_from_db()
    assert application.clock_state == "abandoned" and application.closed_on == D(2025, 9, 22)
    det = application.determination
    assert det.outcome == WITHDRAWN_OUTCOME == Outcome.OTHER and det.reply_type == "withdrawn"
    assert "申请人撤回" in det.reasons
    page = tracked.get(reverse("applications:track_detail", args=[application.tracking_code])).content.decode()
    assert "申请人撤回申请" in page and 'id="withdraw"' not in page
    with pytest.raises(services.ApplicationActionError, match="已办结"):
        services.application_withdraw(application=application, reason="再撤一次")


def test_the_fast_clock_knows_a_withdrawal():
    from gongkai.applications.clock import Channel, ClockEvent, compute_clock
    from gongkai.applications.fastclock import fast_clock
    from gongkai.workdays import default_calendar, workday_table

    assert EventKind.WITHDRAWN in KIND_CODES
    events = [ClockEvent(EventKind.RECEIVED, D(2025, 9, 22), channel=Channel.ONLINE),
              ClockEvent(EventKind.WITHDRAWN, D(2025, 9, 24))]
    slow = compute_clock(events, today=D(2025, 9, 30))
    cal = default_calendar()
    fast = fast_clock([(KIND_CODES[e.kind], e.date.toordinal(), 0) for e in events], table=workday_table(cal),
                      today=D(2025, 9, 30).toordinal())
    assert slow.state.value == fast[0] == "abandoned" and slow.due_date is None and fast[1] is None


def test_a_get_on_an_action_url_returns_to_the_page(tracked, application):
    r = tracked.get(reverse("applications:track_act", args=[application.tracking_code, "withdraw"]))
    assert r.status_code == 302 and r.url == reverse("applications:track_detail", args=[application.tracking_code])
