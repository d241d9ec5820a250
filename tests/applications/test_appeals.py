"""Appeals: the reconsideration organ prefilled, case numbers, date checks, flags on direct suits."""

import datetime as dt

import pytest
from django.urls import reverse

from gongkai.applications import services

D = dt.date


def test_reconsideration_organ_is_prefilled_by_the_rule(client, handler, application, today):
    services.application_determine(actor=handler, application=application, on=today.day, outcome="r3_3_4",
                                   reasons="涉及商业秘密")
    client.force_login(handler)
    page = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert 'value="保定市人民政府"' in page


def test_dates_are_checked(handler, application, today):
    with pytest.raises(services.ApplicationActionError, match="不能早于收到申请之日"):
        services.reconsideration_add(actor=handler, application=application, filed_on=D(2025, 9, 1), body="某政府")
    rec = services.reconsideration_add(actor=handler, application=application, filed_on=today.day, body="某政府",
                                       case_no="保政复〔2025〕12号")
    with pytest.raises(services.ApplicationActionError, match="不能早于"):
        services.appeal_set_result(actor=handler, appeal=rec, result="upheld", decided_on=D(2025, 9, 20))
    today.set(D(2025, 11, 20))
    services.appeal_set_result(actor=handler, appeal=rec, result="upheld", decided_on=D(2025, 11, 19),
                               decision_no="保政复决〔2025〕12号")
    rec.refresh_from_db()
    assert rec.case_no == "保政复〔2025〕12号" and rec.decision_no == "保政复决〔2025〕12号"


def test_a_direct_suit_against_a_refusal_or_during_reconsideration_is_flagged(handler, application, today):
    services.application_determine(actor=handler, application=application, on=today.day, outcome="r3_3_4",
                                   reasons="涉及商业秘密")
    lit = services.litigation_add(actor=handler, application=application, filed_on=today.day, court="竞秀区人民法院")
    assert "应先申请行政复议" in lit.note
    services.reconsideration_add(actor=handler, application=application, filed_on=today.day, body="保定市人民政府")
    lit2 = services.litigation_add(actor=handler, application=application, filed_on=today.day, court="竞秀区人民法院",
                                   after_reconsideration=True)
    assert "复议尚未审结" in lit2.note and "应先申请" not in lit2.note


def test_the_converted_draft_carries_the_disclosed_files(handler, application, today):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import GenreFactory

    GenreFactory(code="other", name="其他文件")
    det = services.application_determine(
        actor=handler, application=application, on=today.day, outcome="r3_1", provided="见附件",
        files=[SimpleUploadedFile("资金使用情况表.pdf", b"%PDF-1.4 data", content_type="application/pdf")])
    record = services.application_convert_to_record(actor=handler, determination=det)
    assert [a.name for a in record.attachments.all()] == ["资金使用情况表.pdf"]
    assert "资金使用情况表.pdf" in record.body and "见附件" not in record.body


def _corrected_reconsideration(handler, application, today, outcome="r3_3_4"):
    services.application_determine(actor=handler, application=application, on=today.day, outcome=outcome,
                                   reasons="涉及商业秘密")
    rec = services.reconsideration_add(actor=handler, application=application, filed_on=today.day, body="保定市人民政府")
    today.set(D(2025, 11, 20))
    services.appeal_set_result(actor=handler, appeal=rec, result="corrected", decided_on=D(2025, 11, 18),
                               decision_no="保政复决〔2025〕3号")
    return rec


def test_a_corrected_result_reopens_the_application_and_restarts_the_clock(handler, application, today):
    from gongkai.applications.models import Determination
    from gongkai.core.models import AuditEvent

    rec = _corrected_reconsideration(handler, application, today)
    app = services.appeal_reopen(actor=handler, appeal=rec, on=D(2025, 11, 19))
    app.refresh_from_db()
    assert app.closed_on is None and app.clock_state == "running"
    # 20 working days counted from the day after the decision arrived (2025-11-19, Wed).
    assert app.due_date == D(2025, 12, 17)
    assert not Determination.objects.filter(application=app).exists()
    event = app.events.get(kind="reopened")
    assert "保政复决〔2025〕3号" in event.note and "不予公开" in event.details["annulled"]
    assert AuditEvent.objects.filter(object_id=str(app.pk), note__contains="原答复被").exists()
    clock = services.application_clock(app)
    assert any("重新办理" in step for step in clock.explanation)
    # Once only per decision, and the new answer is recorded as usual.
    with pytest.raises(services.ApplicationActionError, match="重新办理中"):
        services.appeal_reopen(actor=handler, appeal=rec, on=D(2025, 11, 20))
    services.application_determine(actor=handler, application=app, on=D(2025, 11, 20), outcome="r3_1")
    app.refresh_from_db()
    assert app.closed_on == D(2025, 11, 20) and app.determination.outcome == "r3_1"
    with pytest.raises(services.ApplicationActionError, match="已依据该决定"):
        services.appeal_reopen(actor=handler, appeal=rec, on=D(2025, 11, 20))


def test_the_decision_may_set_the_period_and_the_dates_are_checked(handler, application, today):
    rec = _corrected_reconsideration(handler, application, today)
    with pytest.raises(services.ApplicationActionError, match="不能早于决定"):
        services.appeal_reopen(actor=handler, appeal=rec, on=D(2025, 11, 17))
    app = services.appeal_reopen(actor=handler, appeal=rec, on=D(2025, 11, 19), deadline=D(2025, 12, 3))
    app.refresh_from_db()
    assert app.due_date == D(2025, 12, 3) and app.events.get(kind="reopened").workdays == 10
    # The fast path of the nightly recompute agrees with the full clock.
    from gongkai.applications.models import Application
    from gongkai.applications.services.recompute import applications_recompute

    Application.objects.filter(pk=app.pk).update(due_date=None, closed_on=D(2025, 9, 22), clock_state="stopped")
    applications_recompute(on=D(2025, 11, 20))
    app.refresh_from_db()
    assert (app.due_date, app.closed_on, app.clock_state) == (D(2025, 12, 3), None, "running")


def test_only_a_corrected_result_reopens(handler, application, today):
    services.application_determine(actor=handler, application=application, on=today.day, outcome="r3_3_4",
                                   reasons="涉及商业秘密")
    rec = services.reconsideration_add(actor=handler, application=application, filed_on=today.day, body="保定市人民政府")
    with pytest.raises(services.ApplicationActionError, match="结果纠正"):
        services.appeal_reopen(actor=handler, appeal=rec, on=today.day)


def test_the_appeal_page_offers_the_reopening(client, handler, application, today):
    rec = _corrected_reconsideration(handler, application, today)
    client.force_login(handler)
    detail = reverse("applications:detail", args=[application.pk])
    url = reverse("applications:appeal_reopen", args=["reconsideration", rec.pk])
    page = client.get(detail).content.decode()
    assert url in page and "原答复被纠正：重新办理" in page
    assert client.get(url).url == detail  # a GET returns to the page
    response = client.post(url, {"on": "2025-11-19"}, follow=True)
    page = response.content.decode()
    assert "申请重新办理" in page and "复议或诉讼纠正后重新办理" in page
    assert "该申请已在重新办理中" in page  # the appeal stays listed, with why it cannot reopen again


def test_the_clock_reopens_only_an_ended_application():
    from gongkai.applications.clock import Channel, ClockError, ClockEvent, EventKind, compute_clock

    received = ClockEvent(EventKind.RECEIVED, D(2025, 9, 22), channel=Channel.IN_PERSON)
    reopened = ClockEvent(EventKind.REOPENED, D(2025, 11, 19))
    with pytest.raises(ClockError, match="才能因复议、诉讼纠正而重新办理"):
        compute_clock([received, reopened])
    withdrawn = ClockEvent(EventKind.WITHDRAWN, D(2025, 9, 23))
    with pytest.raises(ClockError, match="非申请人撤回"):
        compute_clock([received, withdrawn, reopened])
    determined = ClockEvent(EventKind.DETERMINED, D(2025, 9, 30))
    result = compute_clock([received, determined, reopened], today=D(2025, 11, 20))
    assert result.state.value == "running" and result.due_date == D(2025, 12, 17)
    extension = ClockEvent(EventKind.EXTENDED, D(2025, 11, 20), workdays=5)
    with pytest.raises(ClockError, match="不适用第三十三条第二款的延期"):
        compute_clock([received, determined, reopened, extension], today=D(2025, 11, 20))
