"""What the sender sees when following a message: a transfer and its reason (page and e-mail), a 暂定 deadline."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from gongkai.core.models import Role
from gongkai.participation.models import MessageKind
from gongkai.participation.services import messages as svc
from tests import factories

pytestmark = pytest.mark.django_db


def _follow(client, m):
    assert client.post(reverse("participation:message_track"),
                       {"code": m.receipt_code, "check": "zs@example.org"}).status_code == 302
    return client.get(reverse("participation:message_track_detail", args=[m.receipt_code])).content.decode()


def test_the_sender_sees_the_transfer_and_its_reason_and_is_mailed(client, organ, other_organ,
                                                                   django_capture_on_commit_callbacks):
    office = factories.member(organ, Role.OFFICE, "tr_office")
    m = svc.message_submit(organ=organ, kind=MessageKind.CONSULT, subject="供暖不热", body="小区供暖不达标。",
                           email="zs@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        svc.message_transfer(actor=office, message=m, to_organ=other_organ, reason="供暖由属地供热主管部门负责")
    page = _follow(client, m)
    assert f"由{organ.name}转至{other_organ.name}办理" in page and "理由：供暖由属地供热主管部门负责" in page
    assert other_organ.name in page and "答复期限" in page
    sent = [e for e in mail.outbox if e.to == ["zs@example.org"] and "转办" in e.subject]
    assert len(sent) == 1 and "供暖由属地供热主管部门负责" in sent[0].body


def test_a_deadline_in_a_year_without_a_published_schedule_is_marked_provisional(client, organ, monkeypatch):
    monkeypatch.setattr(svc, "today", lambda: dt.date(2026, 12, 29))
    m = svc.message_submit(organ=organ, kind=MessageKind.CONSULT, subject="年底咨询", body="请问……",
                           email="zs@example.org")
    assert m.due_provisional
    page = _follow(client, m)
    assert "暂定" in page and "2027年" in page
