"""Due-soon and overdue reminder mails for messages: once per message, kind and deadline; the daily job."""

import contextlib
import datetime as dt

import pytest
from django.core import mail

from gongkai.core.models import Role
from gongkai.ops import jobs
from gongkai.participation.models import MessageKind, MessageReminder, ReminderKind
from gongkai.participation.services import message_reminders as rem
from gongkai.participation.services import messages as svc
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    """``with capture() as sent``: the mails sent inside the block (their on_commit callbacks run)."""

    @contextlib.contextmanager
    def block():
        start = len(mail.outbox)
        sent: list = []
        with django_capture_on_commit_callbacks(execute=True):
            yield sent
        sent.extend(mail.outbox[start:])

    return block


def send(organ, subject="公积金提取需要什么材料"):
    return svc.message_submit(organ=organ, kind=MessageKind.CONSULT, subject=subject, body="想问租房提取公积金的材料。",
                              name="张三", phone="13812345678", email="zhangsan@example.org")


@pytest.fixture
def received_sept_30(monkeypatch):
    # 2025: 10月1日至8日放假, 10月11日（周六）上班: received 9-30, due 10-14 (5 working days).
    monkeypatch.setattr(svc, "today", lambda: dt.date(2025, 9, 30))


def test_due_soon_then_overdue_each_mailed_once(organ, other_organ, received_sept_30, capture):
    handler = factories.member(organ, Role.EDITOR, "rem_handler")
    office = factories.member(organ, Role.OFFICE, "rem_office")
    factories.member(organ, Role.REVIEWER, "rem_reviewer")  # reviews replies, does not handle: not mailed
    factories.member(other_organ, Role.EDITOR, "rem_other")
    m = send(organ)
    assert m.due_on == dt.date(2025, 10, 14)
    # 10-9: two working days ahead is 10-11 (the make-up Saturday), not yet due soon.
    assert rem.messages_remind(today=dt.date(2025, 10, 9)) == []
    # 10-10: 10-14 is two working days ahead (10-11, 10-13... 10-14 is the third): still nothing.
    assert rem.due_soon_until(dt.date(2025, 10, 10)) == dt.date(2025, 10, 13)
    assert rem.messages_remind(today=dt.date(2025, 10, 10)) == []
    with capture() as sent:
        first = rem.messages_remind(today=dt.date(2025, 10, 13))
    assert [(r.kind, r.due_on) for r in first] == [(ReminderKind.DUE_SOON, dt.date(2025, 10, 14))]
    assert len(sent) == 1 and sorted(sent[0].to) == sorted([handler.email, office.email])  # unassigned: the organ
    assert m.receipt_code in sent[0].subject and "即将到期" in sent[0].subject
    assert f"/workspace/participation/messages/{m.pk}/" in sent[0].body
    with capture() as sent:  # a rerun the same day, and the next day before the deadline passes
        assert rem.messages_remind(today=dt.date(2025, 10, 13)) == []
        assert rem.messages_remind(today=dt.date(2025, 10, 14)) == []
    assert sent == []
    svc.message_assign(actor=office, message=m, handler=handler)
    with capture() as sent:
        late = rem.messages_remind(today=dt.date(2025, 10, 16))
        assert rem.messages_remind(today=dt.date(2025, 10, 17)) == []
    assert [r.kind for r in late] == [ReminderKind.OVERDUE]
    assert len(sent) == 1 and sent[0].to == [handler.email] and "逾期2天" in sent[0].subject  # assigned: the handler
    assert MessageReminder.objects.filter(message=m).count() == 2


def test_the_staff_page_lists_the_reminders_sent(client, organ, received_sept_30):
    handler = factories.member(organ, Role.EDITOR, "rem_page")
    m = send(organ)
    rem.messages_remind(today=dt.date(2025, 10, 13))
    client.force_login(handler)
    page = client.get(f"/workspace/participation/messages/{m.pk}/").content.decode()
    assert "到期提醒" in page and "2025-10-13 即将到期（期限 2025-10-14）已邮件提醒 rem_page@example.org" in page


def test_a_new_deadline_after_transfer_is_reminded_again_and_answered_messages_are_not(
        organ, other_organ, received_sept_30, monkeypatch, capture):
    office = factories.member(organ, Role.OFFICE, "rem_office2")
    factories.member(other_organ, Role.HANDLER, "rem_there")
    m = send(organ)
    quiet = send(organ, subject="已经答复的留言")
    author = factories.member(organ, Role.EDITOR, "rem_author")
    reviewer = factories.member(organ, Role.REVIEWER, "rem_rev")
    svc.message_reply_draft(actor=author, message=quiet, body="已答复。")
    svc.message_reply_submit(actor=author, message=quiet)
    svc.message_reply_review(actor=reviewer, message=quiet, approve=True)
    assert [r.message for r in rem.messages_remind(today=dt.date(2025, 10, 15))] == [m]
    monkeypatch.setattr(svc, "today", lambda: dt.date(2025, 10, 15))
    svc.message_transfer(actor=office, message=m, to_organ=other_organ, reason="属于该局职责")
    m.refresh_from_db()
    assert m.due_on == dt.date(2025, 10, 22)
    with capture() as sent:
        again = rem.messages_remind(today=dt.date(2025, 10, 21))
    assert [(r.kind, r.due_on) for r in again] == [(ReminderKind.DUE_SOON, dt.date(2025, 10, 22))]
    assert len(sent) == 1 and sent[0].to == ["rem_there@example.org"]  # the organ it was transferred to


def test_the_daily_job_is_registered_and_a_second_run_of_the_period_sends_nothing(organ, received_sept_30,
                                                                                   monkeypatch, capture):
    factories.member(organ, Role.EDITOR, "rem_job")
    send(organ)
    assert "messages_remind" in jobs.registry()
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: dt.date(2025, 10, 16))
    with capture() as sent:
        summary = jobs.registry()["messages_remind"].func()
        again = jobs.registry()["messages_remind"].func()
    assert summary == "提醒即将到期的留言0条、已逾期的留言1条" and again == "提醒即将到期的留言0条、已逾期的留言0条"
    assert len(sent) == 1


def test_a_refused_mail_leaves_no_row_and_the_next_run_sends_it(organ, received_sept_30, monkeypatch, capture):
    factories.member(organ, Role.EDITOR, "rem_retry")
    m = send(organ)

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(rem, "send_mail", refuse)
    assert rem.messages_remind(today=dt.date(2025, 10, 16)) == []
    assert not MessageReminder.objects.filter(message=m).exists()
    monkeypatch.undo()
    monkeypatch.setattr(svc, "today", lambda: dt.date(2025, 9, 30))
    with capture() as sent:
        assert [r.message for r in rem.messages_remind(today=dt.date(2025, 10, 16))] == [m]
    assert [s.to for s in sent] == [["rem_retry@example.org"]]
