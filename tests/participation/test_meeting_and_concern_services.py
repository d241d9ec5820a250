import datetime as dt

import pytest
from django.core import mail
from django.test import TestCase
from django.utils import timezone

from gongkai.core.models import AuditEvent, AuditEventType, Role
from gongkai.participation.errors import ParticipationActionError
from gongkai.participation.models import (
    CatalogStatus,
    ConcernStatus,
    DecisionCatalog,
    DecisionItemStatus,
    Meeting,
    MeetingStatus,
    RegistrationStatus,
)
from gongkai.participation.services import concerns as concern_svc
from gongkai.participation.services import meetings as svc
from tests import factories

from .conftest import make_consultation

pytestmark = pytest.mark.django_db


def _meeting_data(**over):
    start = timezone.now() + dt.timedelta(days=10)
    data = {"kind": "open_day", "title": "政务开放日·走进政务服务中心", "starts_at": start, "place": "市政务服务中心",
            "topics": "参观\n座谈", "attendance_open": True, "places": 1}
    data.update(over)
    return data


@pytest.fixture
def meeting(organ, editor, reviewer):
    m = svc.meeting_create(actor=editor, organ=organ, data=_meeting_data())
    return svc.meeting_publish(actor=reviewer, meeting=m)


def test_meeting_publish_needs_the_publish_permission(organ, editor, other_reviewer):
    m = svc.meeting_create(actor=editor, organ=organ, data=_meeting_data())
    assert not Meeting.objects.public().filter(pk=m.pk).exists()
    for actor in (editor, other_reviewer):
        with pytest.raises(Exception, match="权限"):
            svc.meeting_publish(actor=actor, meeting=m)


def test_apply_accept_within_places_and_notice(organ, editor, meeting):
    first = svc.registration_submit(meeting=meeting, name="张三", phone="13800000001", email="a@example.org")
    second = svc.registration_submit(meeting=meeting, name="李四", phone="13800000002", email="b@example.org")
    with pytest.raises(ParticipationActionError, match="已经报过名"):
        svc.registration_submit(meeting=meeting, name="张三", phone="13800000001")
    with TestCase.captureOnCommitCallbacks(execute=True):
        svc.registration_decide(actor=editor, registration=first, accept=True)
    assert [m.subject for m in mail.outbox] == [f"参加通知：{meeting.title}"]
    assert first.receipt_code in mail.outbox[0].body and "市政务服务中心" in mail.outbox[0].body
    with pytest.raises(ParticipationActionError, match="名额"):
        svc.registration_decide(actor=editor, registration=second, accept=True)
    with pytest.raises(ParticipationActionError, match="原因"):
        svc.registration_decide(actor=editor, registration=second, accept=False)
    svc.registration_decide(actor=editor, registration=second, accept=False, note="名额已满。")
    second.refresh_from_db()
    assert second.status == RegistrationStatus.DECLINED
    events = AuditEvent.objects.filter(event_type=AuditEventType.MEETING_REGISTRATION)
    assert events.count() == 4  # two received, two decided


def test_registration_after_the_deadline_is_refused(organ, editor, reviewer):
    m = svc.meeting_create(actor=editor, organ=organ, data=_meeting_data(
        starts_at=timezone.now() + dt.timedelta(hours=12)))
    svc.meeting_publish(actor=reviewer, meeting=m)
    with pytest.raises(ParticipationActionError, match="截止"):
        svc.registration_submit(meeting=m, name="张三", phone="13800000001")


def test_closed_meetings_take_no_registrations(organ, editor, reviewer):
    m = svc.meeting_create(actor=editor, organ=organ, data=_meeting_data(attendance_open=False, places=0))
    with pytest.raises(ParticipationActionError, match="不存在或尚未发布"):
        svc.registration_submit(meeting=m, name="张三", phone="1")
    svc.meeting_publish(actor=reviewer, meeting=m)
    with pytest.raises(ParticipationActionError, match="不接受公众报名"):
        svc.registration_submit(meeting=m, name="张三", phone="1")


def test_cancel_tells_attendees(organ, editor, reviewer, meeting):
    r = svc.registration_submit(meeting=meeting, name="张三", phone="13800000001", email="a@example.org")
    with pytest.raises(ParticipationActionError, match="原因"):
        svc.meeting_cancel(actor=reviewer, meeting=meeting, reason="")
    with TestCase.captureOnCommitCallbacks(execute=True):
        svc.meeting_cancel(actor=reviewer, meeting=meeting, reason="天气原因。")
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.CANCELLED
    assert [m.to for m in mail.outbox] == [["a@example.org"]] and "天气原因" in mail.outbox[0].body
    with pytest.raises(ParticipationActionError):
        svc.registration_decide(actor=editor, registration=r, accept=True)


def test_concern_ledger_overdue_and_response(organ, other_organ, editor, other_editor):
    today = timezone.localdate()
    concern = concern_svc.concern_create(actor=editor, organ=organ, data={
        "title": "网传自来水涨价", "source": "media", "received_on": today - dt.timedelta(days=5),
        "deadline": today - dt.timedelta(days=1)})
    assert list(concern_svc.concerns_overdue(organs=[organ], today=today)) == [concern]
    with pytest.raises(ParticipationActionError, match="权限"):
        concern_svc.concern_respond(actor=other_editor, concern=concern, note="x", close_without_response=True)
    draft = factories.RecordFactory(organ=organ)
    with pytest.raises(ParticipationActionError, match="已公开发布"):
        concern_svc.concern_respond(actor=editor, concern=concern, note="已回应", record=draft)
    public = factories.RecordFactory(organ=organ, published=True)
    concern_svc.concern_respond(actor=editor, concern=concern, note="已发布情况说明", record=public)
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.RESPONDED and concern.response_record == public
    assert not concern_svc.concerns_overdue(organs=[organ], today=today).exists()
    assert AuditEvent.objects.for_object(concern).count() == 2


def test_office_manages_concerns_of_the_organs_below(organ):
    parent = factories.OrganFactory(name="上级政府", code="11130600MA9999993X")
    organ.parent = parent
    organ.save()
    office = factories.member(parent, Role.OFFICE, "office_up")
    concern = concern_svc.concern_create(actor=office, organ=organ, data={
        "title": "关切", "deadline": timezone.localdate()})
    assert concern.created_by == office


def test_decision_catalog(organ, editor, reviewer):
    catalog = concern_svc.decision_catalog_create(actor=editor, organ=organ, year=2026, title="2026年度重大行政决策事项目录")
    with pytest.raises(ParticipationActionError, match="关联意见征集"):
        concern_svc.decision_item_save(actor=editor, catalog=catalog,
                                       data={"title": "停车管理办法", "status": DecisionItemStatus.CONSULTING})
    consultation = make_consultation(organ)
    item = concern_svc.decision_item_save(actor=editor, catalog=catalog, data={
        "title": "停车管理办法", "status": DecisionItemStatus.CONSULTING, "consultation": consultation})
    with pytest.raises(ParticipationActionError, match="决策文件"):
        concern_svc.decision_item_save(actor=editor, catalog=catalog, item=item, data={
            "title": "停车管理办法", "status": DecisionItemStatus.DECIDED, "consultation": consultation})
    assert not DecisionCatalog.objects.public().exists()
    with pytest.raises(Exception, match="权限"):
        concern_svc.decision_catalog_publish(actor=editor, catalog=catalog)
    concern_svc.decision_catalog_publish(actor=reviewer, catalog=catalog)
    assert DecisionCatalog.objects.public().get().status == CatalogStatus.PUBLISHED
