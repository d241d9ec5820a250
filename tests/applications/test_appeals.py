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
