"""The application services: each action writes its event, audit row and letter in one go."""

import datetime as dt

import pytest

from gongkai.applications import services
from gongkai.applications.models import (
    Application,
    ApplicationEvent,
    Determination,
    ExtensionRequest,
    FeeNotice,
    Letter,
    LetterKind,
    Outcome,
)
from gongkai.applications.services import ApplicationActionError
from gongkai.core.models import AuditEvent, AuditEventType

from .conftest import VALID_USCC, applicant_data

D = dt.date


def kinds(app):
    return [e.kind for e in app.events.order_by("seq")]


def test_submit_online_sets_receipt_due_date_receipt_letter_and_audit(application, today):
    app = application
    assert app.channel == "online" and app.arrived_on == app.confirmed_on == D(2025, 9, 22)
    # 2025-09-22 + 20 working days: 09-28 (Sun) is a make-up day; 10-01…10-08 off → 10-24 (REFERENCE §4.5).
    assert app.due_date == D(2025, 10, 24)
    assert app.clock_state == "running"
    assert kinds(app) == ["received"]
    assert app.tracking_code.startswith("GK") and len(app.tracking_code) == 12
    letter = services.letter_ensure_rendered(app.letters.get())  # rendered by a job after the commit
    assert letter.kind == LetterKind.RECEIPT and letter.to_applicant and letter.docx.name.endswith(".docx")
    types = set(AuditEvent.objects.for_object(app).values_list("event_type", flat=True))
    assert {AuditEventType.APPLICATION_EVENT, AuditEventType.APPLICATION_RECEIVED, AuditEventType.APPLICATION_LETTER} <= types


def test_submit_sends_the_receipt_by_email(organ, today, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        app = services.application_submit(organ=organ, data=applicant_data(), ip="10.0.0.1")
    assert len(mailoutbox) == 1 and app.tracking_code in mailoutbox[0].subject


@pytest.mark.parametrize(("changes", "message"), [
    ({"id_number": "110105194912310021"}, "校验位"),
    ({"id_number": "1101051949"}, "18位"),
    ({"applicant_kind": "business", "id_type": "resident_id"}, "统一社会信用代码"),
    ({"applicant_kind": "business", "id_type": "credit_code", "id_number": "91330100716105852A"}, "校验位"),
    ({"title": "  "}, "必须填写"),
])
def test_bad_input_is_refused_and_nothing_is_saved(organ, today, changes, message):
    with pytest.raises(ApplicationActionError, match=message):
        services.application_submit(organ=organ, data=applicant_data(**changes))
    assert not Application.objects.exists() and not ApplicationEvent.objects.exists() and not Letter.objects.exists()


def test_organisation_with_valid_credit_code(organ, today):
    app = services.application_submit(organ=organ, data=applicant_data(
        applicant_kind="legal_service", name="某某律师事务所", id_type="credit_code", id_number=VALID_USCC.lower()))
    assert app.id_number == VALID_USCC and app.is_organisation


def test_register_by_post_with_confirmation_date(organ, handler, today):
    app = services.application_register(actor=handler, organ=organ, data=applicant_data(), channel="post_ordinary",
                                        arrived_on=D(2025, 9, 19), confirmed_on=D(2025, 9, 19))
    assert app.receipt_date == D(2025, 9, 19) and app.created_by == handler
    with pytest.raises(ApplicationActionError, match="无需确认"):
        services.application_register(actor=handler, organ=organ, data=applicant_data(), channel="in_person",
                                      arrived_on=D(2025, 9, 19), confirmed_on=D(2025, 9, 20))


def test_register_refused_for_another_organs_handler(organ, outsider, today):
    with pytest.raises(ApplicationActionError, match="权限"):
        services.application_register(actor=outsider, organ=organ, data=applicant_data(), channel="in_person",
                                      arrived_on=D(2025, 9, 19))


def test_full_flow_correction_consultation_extension_partial(application, handler, head, today):
    app = application
    today.set(D(2025, 9, 23))
    services.application_request_correction(actor=handler, application=app, on=D(2025, 9, 23),
                                            deadline=D(2025, 10, 13), items="请写明项目名称。")
    app.refresh_from_db()
    assert app.clock_state == "waiting_correction"
    today.set(D(2025, 9, 26))
    services.application_record_correction(actor=handler, application=app, on=D(2025, 9, 26), text="某路改造项目")
    app.refresh_from_db()
    # Restarts from 09-26 (Fri): 09-28 make-up Sunday counts → 10-30 (docs/clock.md example).
    assert app.due_date == D(2025, 10, 30) and app.clock_state == "running"
    today.set(D(2025, 10, 9))
    services.application_consult(actor=handler, application=app, on=D(2025, 10, 9), party="third_party",
                                 party_name="某建设公司", content="涉及该公司的合同金额", delivered=D(2025, 10, 10))
    app.refresh_from_db()
    assert app.clock_state == "paused"
    today.set(D(2025, 10, 17))
    ref = services.open_consultations(app)[0].ref
    services.application_consultation_answered(actor=handler, application=app, on=D(2025, 10, 17), ref=ref,
                                               answer="不同意公开合同金额")
    app.refresh_from_db()
    assert app.due_date == D(2025, 11, 11)
    today.set(D(2025, 10, 20))
    req = services.application_request_extension(actor=handler, application=app, workdays=10, reason="需要汇总多个项目资料")
    with pytest.raises(ApplicationActionError, match="负责人"):
        services.application_decide_extension(actor=handler, request=req, approve=True)
    services.application_decide_extension(actor=head, request=req, approve=True)
    app.refresh_from_db()
    assert app.due_date == D(2025, 11, 25)
    today.set(D(2025, 11, 3))
    det = services.application_determine(actor=handler, application=app, on=D(2025, 11, 3), outcome=Outcome.PARTIAL,
                                         reasons="合同金额涉及商业秘密，第三方不同意公开。", provided="资金拨付情况表（附件）")
    app.refresh_from_db()
    assert app.clock_state == "stopped" and app.closed_on == D(2025, 11, 3)
    assert det.reply_type == "partial" and "第三十七条" in det.legal_basis
    assert kinds(app) == ["received", "correction_requested", "corrected", "consultation_sent",
                          "consultation_answered", "extended", "determined"]
    letters = list(app.letters.values_list("kind", flat=True))
    assert letters == ["receipt", "correction", "consultation", "extension", "reply"]
    reply = app.letters.get(kind="reply")
    assert reply.context["due_cn"] == "2025年11月25日"
    assert reply.context["reconsideration_body"] == "保定市人民政府"
    assert not app.letters.get(kind="consultation").to_applicant
    # Nothing after the determination.
    with pytest.raises(ApplicationActionError, match="已有答复|作出答复"):
        services.application_determine(actor=handler, application=app, on=D(2025, 11, 3), outcome=Outcome.DISCLOSED)
    assert Determination.objects.count() == 1


def test_extension_refused_after_the_due_date(application, handler, today):
    today.set(D(2025, 10, 27))
    assert "届满" in services.extension_failure_reason(application, 10)
    with pytest.raises(ApplicationActionError, match="届满"):
        services.application_request_extension(actor=handler, application=application, workdays=10, reason="资料多")
    assert not ExtensionRequest.objects.exists()


def test_extension_refused_by_head_writes_no_event(application, handler, head, today):
    req = services.application_request_extension(actor=handler, application=application, workdays=5, reason="资料多")
    services.application_decide_extension(actor=head, request=req, approve=False, comment="不符合延期条件")
    req.refresh_from_db()
    assert req.status == ExtensionRequest.Status.REFUSED
    assert kinds(application) == ["received"]


def test_fee_notice_and_payment_pause_the_clock(organ, handler, today):
    # The applicant's 11th application this month costs 100 元 (按件计收).
    apps = [services.application_submit(organ=organ, data=applicant_data(title=f"信息{i}", description=f"第{i}项不同的内容{i}"))
            for i in range(11)]
    app = apps[-1]
    assert services.prior_in_month(app) == 10
    services.application_fee_notice(actor=handler, application=app, on=D(2025, 9, 22), standard="per_application")
    notice = FeeNotice.objects.get(application=app)
    assert notice.amount == 100 and "第11件" in " ".join(notice.breakdown)
    app.refresh_from_db()
    assert app.clock_state == "paused"
    with pytest.raises(ApplicationActionError, match="无需收费"):
        services.application_fee_notice(actor=handler, application=apps[0], on=D(2025, 9, 22), standard="per_application")
    today.set(D(2025, 9, 25))
    services.application_fee_paid(actor=handler, application=app, on=D(2025, 9, 25))
    app.refresh_from_db()
    assert app.clock_state == "running" and app.due_date > D(2025, 10, 24)


def test_correction_expired_closes_as_other_processing(application, handler, today):
    services.application_request_correction(actor=handler, application=application, on=D(2025, 9, 22),
                                            deadline=D(2025, 9, 26), items="请补充说明")
    today.set(D(2025, 9, 29))
    services.application_correction_expired(actor=handler, application=application, on=D(2025, 9, 29))
    application.refresh_from_db()
    assert application.clock_state == "abandoned" and application.determination.outcome == Outcome.OTHER_NO_CORRECTION


def test_transfer_names_the_organ(application, handler):
    det = services.application_transfer(actor=handler, application=application, on=D(2025, 9, 22),
                                        organ_name="保定市住房和城乡建设局", contact="0312-0000000")
    assert det.outcome == Outcome.UNABLE_NOT_HELD and det.reply_type == "not_ours"
    assert "第（五）项" in det.legal_basis
    assert application.letters.get(kind="reply").context["transfer_organ_name"] == "保定市住房和城乡建设局"


def test_determination_needs_reasons_and_consistent_reply_type(application, handler):
    with pytest.raises(ApplicationActionError, match="理由"):
        services.application_determine(actor=handler, application=application, on=D(2025, 9, 22),
                                       outcome=Outcome.WITHHELD_STATE_SECRET)
    with pytest.raises(ApplicationActionError, match="不一致"):
        services.application_determine(actor=handler, application=application, on=D(2025, 9, 22),
                                       outcome=Outcome.PARTIAL, reply_type="refuse", reasons="x")
    with pytest.raises(ApplicationActionError, match="逾期"):
        services.application_determine(actor=handler, application=application, on=D(2025, 9, 22),
                                       outcome=Outcome.OTHER_NO_FEE, reasons="x")
    assert not Determination.objects.exists() and kinds(application) == ["received"]


def test_outsider_cannot_act(application, outsider):
    with pytest.raises(ApplicationActionError, match="权限"):
        services.application_determine(actor=outsider, application=application, on=D(2025, 9, 22),
                                       outcome=Outcome.DISCLOSED)


def test_future_date_refused(application, handler):
    with pytest.raises(ApplicationActionError, match="晚于今天"):
        services.application_request_correction(actor=handler, application=application, on=D(2025, 9, 30),
                                                deadline=D(2025, 10, 30), items="x")


def test_repeat_application_is_flagged(organ, handler, today):
    first = services.application_submit(organ=organ, data=applicant_data())
    services.application_determine(actor=handler, application=first, on=D(2025, 9, 22), outcome=Outcome.DISCLOSED)
    again = services.application_submit(organ=organ, data=applicant_data(description="请公开2024年本市城市道路建设项目的资金拨付和使用情况"))
    assert again.repeat_of == first
    other = services.application_submit(organ=organ, data=applicant_data(title="食品抽检结果", description="2025年食品安全抽检结果"))
    assert other.repeat_of is None


def test_reconsideration_and_litigation(application, handler, today):
    rec = services.reconsideration_add(actor=handler, application=application, filed_on=D(2025, 9, 22), body="保定市人民政府")
    with pytest.raises(ApplicationActionError, match="日期"):
        services.appeal_set_result(actor=handler, appeal=rec, result="upheld", decided_on=None)
    services.appeal_set_result(actor=handler, appeal=rec, result="upheld", decided_on=D(2025, 9, 22))
    lit = services.litigation_add(actor=handler, application=application, filed_on=D(2025, 9, 22), court="竞秀区人民法院",
                                  after_reconsideration=True)
    assert lit.result == "pending" and rec.get_result_display() == "结果维持"


def test_convert_to_proactive_creates_a_draft(application, handler):
    from gongkai.records.models import Status
    from tests.factories import GenreFactory

    GenreFactory(code="other", name="其他文件")
    det = services.application_determine(actor=handler, application=application, on=D(2025, 9, 22),
                                         outcome=Outcome.DISCLOSED, provided="资金使用情况表", general_interest=True)
    record = services.application_convert_to_record(actor=handler, determination=det)
    assert record.status == Status.DRAFT and record.attribute == "proactive" and record.organ == application.organ
    with pytest.raises(ApplicationActionError, match="已转"):
        services.application_convert_to_record(actor=handler, determination=det)


def test_recompute_matches_the_cache(application, handler, today):
    services.application_consult(actor=handler, application=application, on=D(2025, 9, 22), party="agency",
                                 party_name="市财政局", content="涉及财政数据")
    Application.objects.filter(pk=application.pk).update(due_date=None, clock_state="running")
    result = services.applications_recompute(on=D(2025, 9, 24))
    application.refresh_from_db()
    assert result == {"total": 1, "changed": 1, "invalid": 0}
    full = services.application_clock(application, on=D(2025, 9, 24))
    assert application.clock_state == "paused" and application.due_date == full.projected_due_date


def test_erase_after_retention(application, handler, settings, today):
    settings.GONGKAI_APPLICATION_RETENTION_DAYS = 30
    with pytest.raises(ApplicationActionError, match="尚未办结"):
        services.applicant_erase(actor=None, application=application)
    services.application_determine(actor=handler, application=application, on=D(2025, 9, 22), outcome=Outcome.DISCLOSED)
    with pytest.raises(ApplicationActionError, match="保存期限"):
        services.applicant_erase(actor=None, application=application, on=D(2025, 10, 1))
    exported = services.applicant_export(actor=None, id_number=application.id_number)
    assert exported["applications"][0]["name"] == "张三"
    app = services.applicant_erase(actor=None, application=application, on=D(2025, 10, 30))
    assert app.name == "（已删除）" and app.phone == "" and not app.id_number.startswith("1101")
    assert AuditEvent.objects.for_object(app).filter(event_type=AuditEventType.APPLICANT_DATA_ERASED).exists()


def test_erase_deletes_what_the_applicant_uploaded(application, handler, settings, today):
    from django.core.files.base import ContentFile

    from gongkai.applications.models import ApplicationFile

    upload = ApplicationFile(application=application, source=ApplicationFile.Source.APPLICANT, name="身份证复印件.pdf", size=3)
    upload.file.save("id.pdf", ContentFile(b"pdf"), save=True)
    path = upload.file.path
    settings.GONGKAI_APPLICATION_RETENTION_DAYS = 30
    services.application_determine(actor=handler, application=application, on=D(2025, 9, 22), outcome=Outcome.DISCLOSED)
    services.applicant_erase(actor=None, application=application, on=D(2025, 10, 30))
    assert not ApplicationFile.objects.filter(application=application, source=ApplicationFile.Source.APPLICANT).exists()
    import os

    assert not os.path.exists(path)
