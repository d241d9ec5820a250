"""Message box services: lifecycle, deadlines in working days, transfer, review, masking, rating, access."""

import datetime as dt

import pytest
from django.core import mail
from django.db import IntegrityError

from gongkai.core.models import AuditEvent, AuditEventType, Role
from gongkai.participation.errors import ParticipationActionError
from gongkai.participation.models import (
    Message,
    MessageKind,
    MessageStatus,
    Rating,
    ReplyDeadlineRule,
    ReplyStatus,
)
from gongkai.participation.selectors import messages as sel
from gongkai.participation.services import answers as answer_svc
from gongkai.participation.services import messages as svc
from tests import factories


@pytest.fixture
def handler(organ):
    return factories.member(organ, Role.EDITOR, "msg_handler")


@pytest.fixture
def approver(organ):
    return factories.member(organ, Role.REVIEWER, "msg_reviewer")


@pytest.fixture
def stranger(other_organ):
    return factories.member(other_organ, Role.OFFICE_HEAD, "stranger")


def send(organ, **kw):
    data = {"kind": MessageKind.CONSULT, "subject": "公积金提取需要什么材料",
            "body": "我叫张三，电话13812345678，想问租房提取公积金要带什么材料？", "name": "张三",
            "phone": "13812345678", "email": "zhangsan@example.org", "may_publish": True}
    data.update(kw)
    return svc.message_submit(organ=organ, ip="203.0.113.9", **data)


def answered(message, handler, approver, body="张三您好：请携带身份证和租房合同办理。", publish=True):
    svc.message_reply_draft(actor=handler, message=message, body=body)
    svc.message_reply_submit(actor=handler, message=message)
    svc.message_reply_review(actor=approver, message=message, approve=True, publish=publish)
    message.refresh_from_db()
    return message


def events(message):
    return list(AuditEvent.objects.for_object(message).order_by("id").values_list("event_type", flat=True))


@pytest.mark.django_db
def test_submit_gives_receipt_deadline_audit_and_email(organ):
    m = send(organ)
    assert m.receipt_code.startswith("LY") and len(m.receipt_code) == 12
    assert m.status == MessageStatus.RECEIVED
    assert m.due_on == svc.message_deadline(m).date
    assert events(m) == [AuditEventType.MESSAGE_RECEIVED]
    assert not m.is_published and not Message.objects.public().exists()


@pytest.mark.django_db(transaction=True)
def test_submit_emails_the_sender(organ):
    m = send(organ)
    assert len(mail.outbox) == 1
    assert m.receipt_code in mail.outbox[0].subject and mail.outbox[0].to == ["zhangsan@example.org"]


@pytest.mark.django_db
@pytest.mark.parametrize(("field", "value", "error"), [
    ("subject", "", "标题"),
    ("subject", "字" * 101, "100字"),
    ("body", "字" * 2001, "2000字"),
    ("body", "  ", "留言内容"),
])
def test_submit_refuses_bad_input(organ, field, value, error):
    with pytest.raises(ParticipationActionError, match=error):
        send(organ, **{field: value})
    assert not Message.objects.exists()


@pytest.mark.django_db
def test_submit_needs_a_contact(organ):
    with pytest.raises(ParticipationActionError, match="联系电话或电子邮箱"):
        send(organ, phone="", email="")


@pytest.mark.django_db
def test_correction_carries_only_a_public_record(organ):
    public = factories.RecordFactory(organ=organ, published=True)
    draft = factories.RecordFactory(organ=organ)
    assert send(organ, kind=MessageKind.CORRECTION, record=public).record == public
    assert send(organ, kind=MessageKind.CORRECTION, record=draft).record is None


@pytest.mark.django_db
def test_deadline_in_working_days_across_national_day(organ, monkeypatch):
    # 2025: 10月1日至8日放假, 9月28日（周日）和10月11日（周六）上班.
    monkeypatch.setattr(svc, "today", lambda: dt.date(2025, 9, 30))
    m = send(organ)
    assert m.due_on == dt.date(2025, 10, 14)
    assert not m.due_provisional
    ReplyDeadlineRule.objects.create(organ=organ, kind=MessageKind.CONSULT, workdays=2)
    assert svc.message_deadline(m).date == dt.date(2025, 10, 10)
    assert svc.messages_refresh_due() == 1
    m.refresh_from_db()
    assert m.due_on == dt.date(2025, 10, 10)
    # A rule for all types applies to the other types.
    ReplyDeadlineRule.objects.create(organ=organ, kind="", workdays=10)
    assert svc.reply_workdays(organ=organ, kind=MessageKind.SUGGEST) == 10
    assert svc.reply_workdays(organ=organ, kind=MessageKind.CONSULT) == 2


@pytest.mark.django_db
def test_deadline_in_an_unpublished_year_is_provisional(organ, monkeypatch):
    monkeypatch.setattr(svc, "today", lambda: dt.date(2026, 12, 29))
    m = send(organ)
    assert m.due_provisional
    assert svc.message_deadline(m).reasons and "2027" in svc.message_deadline(m).reasons[0]


@pytest.mark.django_db
def test_overdue_and_due_soon_querysets(organ, monkeypatch):
    monkeypatch.setattr(svc, "today", lambda: dt.date(2025, 9, 30))
    m = send(organ)
    assert list(Message.objects.overdue(dt.date(2025, 10, 15))) == [m]
    assert not Message.objects.overdue(dt.date(2025, 10, 14)).exists()
    assert list(Message.objects.due_soon(dt.date(2025, 10, 13), dt.date(2025, 10, 14))) == [m]
    assert not Message.objects.due_soon(dt.date(2025, 10, 1), dt.date(2025, 10, 13)).exists()


@pytest.mark.django_db
def test_lifecycle_review_publication_and_masking(organ, handler, approver):
    m = send(organ)
    svc.message_assign(actor=handler, message=m, handler=handler)
    m.refresh_from_db()
    assert m.status == MessageStatus.HANDLING and m.handler == handler
    svc.message_reply_draft(actor=handler, message=m, body="张三您好：请携带身份证和租房合同，联系电话0312-1234567。")
    svc.message_reply_submit(actor=handler, message=m)
    m.refresh_from_db()
    assert m.status == MessageStatus.REPLY_SUBMITTED
    assert not Message.objects.public().exists()  # nothing public before the review
    # The author cannot approve their own reply, even holding the reviewer's role.
    factories.MembershipFactory(user=handler, organ=organ, role=Role.REVIEWER)
    with pytest.raises(ParticipationActionError, match="不能审核自己的答复"):
        svc.message_reply_review(actor=handler, message=m, approve=True)
    with pytest.raises(ParticipationActionError, match="写明"):
        svc.message_reply_review(actor=approver, message=m, approve=False)
    svc.message_reply_review(actor=approver, message=m, approve=False, comment="请补充办理地点。")
    m.refresh_from_db()
    assert m.status == MessageStatus.HANDLING and m.replies.get().status == ReplyStatus.RETURNED
    svc.message_reply_draft(actor=handler, message=m, body="张三您好：请携带身份证和租房合同到市民中心办理，电话0312-1234567。")
    svc.message_reply_submit(actor=handler, message=m)
    svc.message_reply_review(actor=approver, message=m, approve=True)
    m.refresh_from_db()
    assert m.status == MessageStatus.REPLIED and m.replied_on_time and m.reply_workdays == 0
    assert list(Message.objects.public()) == [m]
    assert "张三" not in m.public_body and "13812345678" not in m.public_body and "张某" in m.public_body
    reply = m.public_reply()
    assert "张三" not in reply.public_body and "1234567" not in reply.public_body
    assert "13812345678" not in m.search_text and "张三" not in m.search_text
    assert events(m) == [
        AuditEventType.MESSAGE_RECEIVED, AuditEventType.MESSAGE_ASSIGNED, AuditEventType.MESSAGE_REPLY_DRAFTED,
        AuditEventType.MESSAGE_REPLY_DRAFTED, AuditEventType.MESSAGE_REPLY_RETURNED,
        AuditEventType.MESSAGE_REPLY_DRAFTED, AuditEventType.MESSAGE_REPLY_DRAFTED,
        AuditEventType.MESSAGE_REPLY_APPROVED,
    ]


@pytest.mark.django_db
def test_not_published_without_consent_or_when_reviewer_declines(organ, handler, approver):
    private = answered(send(organ, may_publish=False), handler, approver)
    declined = answered(send(organ), handler, approver, publish=False)
    assert private.status == declined.status == MessageStatus.REPLIED
    assert not Message.objects.public().exists()
    with pytest.raises(IntegrityError):
        Message.objects.filter(pk=private.pk).update(is_published=True)


@pytest.mark.django_db
def test_hidden_message_leaves_the_public(organ, handler, approver):
    m = answered(send(organ), handler, approver)
    with pytest.raises(ParticipationActionError, match="原因"):
        svc.message_set_hidden(actor=approver, message=m, hidden=True)
    svc.message_set_hidden(actor=approver, message=m, hidden=True, reason="含不宜公开的内容")
    assert not Message.objects.public().exists()


@pytest.mark.django_db
def test_transfer_restarts_deadline_and_tells_the_sender(organ, other_organ, handler, monkeypatch):
    monkeypatch.setattr(svc, "today", lambda: dt.date(2025, 9, 30))
    m = send(organ)
    svc.message_reply_draft(actor=handler, message=m, body="草稿")
    with pytest.raises(ParticipationActionError, match="理由"):
        svc.message_transfer(actor=handler, message=m, to_organ=other_organ, reason=" ")
    with pytest.raises(ParticipationActionError, match="本机关"):
        svc.message_transfer(actor=handler, message=m, to_organ=organ, reason="x")
    monkeypatch.setattr(svc, "today", lambda: dt.date(2025, 10, 9))
    svc.message_transfer(actor=handler, message=m, to_organ=other_organ, reason="属于广安市测试局职责")
    m.refresh_from_db()
    assert m.organ == other_organ and m.status == MessageStatus.RECEIVED and m.handler is None
    assert m.received_on == dt.date(2025, 10, 9) and m.due_on == dt.date(2025, 10, 15)  # 10月11日（周六）调休上班
    assert not m.replies.exists()
    assert m.transfers.get().reason == "属于广安市测试局职责"
    # The first organ's staff no longer see it, nor can they act.
    assert not sel.visible_messages(handler).filter(pk=m.pk).exists()
    with pytest.raises(Exception, match="权限"):
        svc.message_assign(actor=handler, message=m, handler=handler)


@pytest.mark.django_db
def test_permissions_per_organ(organ, other_organ, handler, stranger):
    m = send(organ)
    assert list(sel.visible_messages(handler)) == [m]
    assert not sel.visible_messages(stranger).exists()
    with pytest.raises(Exception, match="权限"):
        svc.message_reply_draft(actor=stranger, message=m, body="答复")
    with pytest.raises(ParticipationActionError, match="办理权限"):
        svc.message_assign(actor=handler, message=m, handler=stranger)


@pytest.mark.django_db
def test_rating_and_dissatisfied_reopens(organ, handler, approver):
    m = answered(send(organ), handler, approver)
    with pytest.raises(ParticipationActionError, match="理由"):
        svc.message_rate(message=m, rating=Rating.DISSATISFIED)
    svc.message_rate(message=m, rating=Rating.DISSATISFIED, reason="没有说明办理地点")
    m.refresh_from_db()
    assert m.status == MessageStatus.REOPENED and m.reopened_count == 1
    assert not Message.objects.public().exists()
    assert AuditEventType.MESSAGE_REOPENED in events(m)
    with pytest.raises(ParticipationActionError):
        svc.message_rate(message=m, rating=Rating.SATISFIED)
    m = answered(m, handler, approver, body="补充：办理地点为市民服务中心。")
    # Until the sender rates the second reply, the latest rating given (不满意) is the one that counts.
    assert m.rating == Rating.DISSATISFIED and m.rating_due() and Message.objects.public().filter(pk=m.pk).exists()
    assert sel.message_stats(organ=organ).dissatisfied == 1
    svc.message_rate(message=m, rating=Rating.SATISFIED)
    with pytest.raises(ParticipationActionError, match="已经评价"):
        svc.message_rate(message=m, rating=Rating.BASICALLY)
    m.refresh_from_db()
    history = list(m.ratings.values_list("rating", "reason", "reply__body"))
    assert history == [(Rating.DISSATISFIED, "没有说明办理地点", m.replies.order_by("id")[0].body),
                       (Rating.SATISFIED, "", "补充：办理地点为市民服务中心。")]
    assert m.rating == Rating.SATISFIED and not m.rating_due()
    assert [e for e in events(m) if e == AuditEventType.MESSAGE_RATED] == [AuditEventType.MESSAGE_RATED] * 2
    stats = sel.message_stats(organ=organ)
    assert (stats.received, stats.replied, stats.on_time, stats.satisfied, stats.dissatisfied, stats.rated) == (
        1, 1, 1, 1, 0, 1)
    assert stats.satisfaction_rate == 1.0


@pytest.mark.django_db
def test_reject_and_statistics(organ, handler, approver):
    spam = send(organ, subject="广告")
    svc.message_reject(actor=handler, message=spam, reason="与政务无关的广告")
    spam.refresh_from_db()
    assert spam.status == MessageStatus.REJECTED
    with pytest.raises(ParticipationActionError, match="不能再办理"):
        svc.message_reply_draft(actor=handler, message=spam, body="x")
    answered(send(organ), handler, approver)
    send(organ)
    stats = sel.message_stats(organ=organ)
    assert (stats.received, stats.replied, stats.on_time) == (2, 1, 1)
    assert stats.avg_workdays == 0
    year = sel.message_year_figures(organ=organ, year=dt.date.today().year)
    assert year.received == 2
    assert [r.organ for r in sel.message_stats_by_organ()] == [organ]


@pytest.mark.django_db
def test_reply_may_cite_only_usable_answers(organ, handler, approver):
    entry = answer_svc.answer_create(actor=handler, organ=organ,
                                     data={"question": "公积金怎么提取", "answer": "携带身份证办理。"})
    m = send(organ)
    with pytest.raises(ParticipationActionError, match="未审核"):
        svc.message_reply_draft(actor=handler, message=m, body="携带身份证办理。", answers=[entry])
    answer_svc.answer_submit(actor=handler, answer=entry)
    answer_svc.answer_review(actor=approver, answer=entry, approve=True)
    reply = svc.message_reply_draft(actor=handler, message=m, body="携带身份证办理。", answers=[entry])
    assert list(reply.answers_used.all()) == [entry]


@pytest.mark.django_db
def test_public_search_and_filters(organ, other_organ, handler, approver):
    m = answered(send(organ, subject="公积金提取", kind=MessageKind.CONSULT), handler, approver)
    assert list(sel.public_messages(q="公积金")) == [m]
    assert list(sel.public_messages(q="公积金 提取")) == [m]
    assert not sel.public_messages(q="13812345678").exists()
    assert not sel.public_messages(q="张三").exists()
    assert not sel.public_messages(organ=other_organ).exists()
    assert not sel.public_messages(kind=MessageKind.SUGGEST).exists()
    assert sel.suggest_messages("怎么提取公积金") == [m]


@pytest.mark.django_db
def test_daily_job_refreshes_deadlines_and_flags_entries(organ, handler, monkeypatch):
    from gongkai.ops import jobs
    from gongkai.participation.tasks import messages_and_answers_daily

    monkeypatch.setattr(svc, "today", lambda: dt.date(2025, 9, 30))
    m = send(organ)
    Message.objects.filter(pk=m.pk).update(due_on=dt.date(2025, 10, 1))  # stale after a calendar change
    assert messages_and_answers_daily() == (1, 0)
    m.refresh_from_db()
    assert m.due_on == dt.date(2025, 10, 14)
    assert "participation_daily" in jobs.registry()


@pytest.mark.django_db
def test_compliance_monitor_lists_overdue_messages_and_flagged_entries(organ, handler, approver, monkeypatch):
    from gongkai.participation.models import Answer, AnswerStatus
    from gongkai.reports import monitor

    monkeypatch.setattr(svc, "today", lambda: dt.date(2025, 9, 30))
    m = send(organ)
    entry = answer_svc.answer_create(actor=handler, organ=organ, data={"question": "问", "answer": "答"})
    Answer.objects.filter(pk=entry.pk).update(status=AnswerStatus.FLAGGED, flag_reason="依据文件《办法》已废止")
    overdue = monitor.indicator(organ, "messages_overdue", today=dt.date(2025, 10, 16))
    assert [r.title for r in overdue.rows] == [f"{m.receipt_code} {m.subject}"]
    assert "已逾期 2 个工作日" in overdue.rows[0].detail
    assert monitor.indicator(organ, "messages_overdue", today=dt.date(2025, 10, 14)).count == 0
    flagged = monitor.indicator(organ, "answers_flagged", today=dt.date(2025, 10, 16))
    assert [r.detail for r in flagged.rows] == ["依据文件《办法》已废止"]


@pytest.mark.django_db(transaction=True)
def test_sender_is_emailed_when_replied_or_rejected(organ, handler, approver):
    m = send(organ)
    svc.message_reply_draft(actor=handler, message=m, body="答复")
    svc.message_reply_submit(actor=handler, message=m)
    svc.message_reply_review(actor=approver, message=m, approve=True)
    spam = send(organ, subject="广告")
    svc.message_reject(actor=handler, message=spam, reason="与政务无关的广告")
    subjects = [e.subject for e in mail.outbox]
    assert f"您的留言已答复（查询码 {m.receipt_code}）" in subjects
    rejected = next(e for e in mail.outbox if "不予受理" in e.subject)
    assert "与政务无关的广告" in rejected.body
