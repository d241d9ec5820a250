"""An organ's reply deadline per message type, set in the admin: audited, and open messages follow at once."""

import datetime as dt

import pytest
from django.urls import reverse

from gongkai.core.models import AuditEvent, AuditEventType
from gongkai.participation.models import MessageKind, ReplyDeadlineRule
from gongkai.participation.services import messages as svc

pytestmark = pytest.mark.django_db


def test_admin_rule_is_audited_and_moves_the_open_deadlines(admin_client, organ, monkeypatch,
                                                           django_capture_on_commit_callbacks):
    # 2025: received 9-30, 5 working days across the National Day holiday → 10-14; 2 working days → 10-10.
    monkeypatch.setattr(svc, "today", lambda: dt.date(2025, 9, 30))
    m = svc.message_submit(organ=organ, kind=MessageKind.CONSULT, subject="公积金", body="怎么提取？",
                           phone="13812345678")
    assert m.due_on == dt.date(2025, 10, 14)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("admin:participation_replydeadlinerule_add"),
                                     {"organ": organ.pk, "kind": MessageKind.CONSULT, "workdays": 2})
    assert response.status_code == 302
    rule = ReplyDeadlineRule.objects.get()
    m.refresh_from_db()
    assert m.due_on == dt.date(2025, 10, 10)
    event = AuditEvent.objects.for_object(rule).get()
    assert event.event_type == AuditEventType.MESSAGE_CHANGED and event.changes["workdays"] == [None, 2]
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("admin:participation_replydeadlinerule_delete", args=[rule.pk]), {"post": "yes"})
    assert not ReplyDeadlineRule.objects.exists()
    m.refresh_from_db()
    assert m.due_on == dt.date(2025, 10, 14)
    assert AuditEvent.objects.filter(object_type="participation.replydeadlinerule").count() == 2


def test_out_of_range_workdays_get_a_chinese_error(admin_client, organ):
    response = admin_client.post(reverse("admin:participation_replydeadlinerule_add"),
                                 {"organ": organ.pk, "kind": "", "workdays": 90})
    assert response.status_code == 200 and "答复期限应为1至60个工作日" in response.content.decode()
    assert not ReplyDeadlineRule.objects.exists()
