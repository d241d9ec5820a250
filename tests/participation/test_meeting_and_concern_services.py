import datetime as dt

import pytest
from django.core import mail
from django.test import TestCase
from django.utils import timezone

from gongkai.core.models import AuditEvent, AuditEventType, Role
from gongkai.participation.errors import ParticipationActionError
from gongkai.participation.models import (
    CatalogStatus,
    Concern,
    ConcernStatus,
    DecisionCatalog,
    DecisionItemStatus,
    Meeting,
    MeetingStatus,
    RegistrationStatus,
)
from gongkai.participation.services import concerns as concern_svc
from gongkai.participation.services import meetings as svc
from gongkai.records.models import Genre
from tests import factories

from .conftest import make_consultation

pytestmark = pytest.mark.django_db


def _meeting_data(**over):
    start = timezone.now() + dt.timedelta(days=10)
    data = {"kind": "open_day", "title": "政务开放日·走进政务服务中心", "starts_at": start, "place": "市政务服务中心",
            "topics": "参观\n座谈", "attendance_open": True, "places": 1}
    data.update(over)
    return data


OPINION = "经审查，不涉及国家秘密和个人隐私，同意公开。"


def publish(m, editor, reviewer):
    svc.meeting_submit(actor=editor, meeting=m)
    return svc.meeting_review(actor=reviewer, meeting=m, decision="approved", opinion=OPINION)


@pytest.fixture
def meeting(organ, editor, reviewer):
    return publish(svc.meeting_create(actor=editor, organ=organ, data=_meeting_data()), editor, reviewer)


def test_meeting_is_public_only_after_another_person_approves_it(organ, editor, reviewer, other_reviewer):
    m = svc.meeting_create(actor=editor, organ=organ, data=_meeting_data())
    assert not Meeting.objects.public().filter(pk=m.pk).exists()
    with pytest.raises(ParticipationActionError, match="待审核"):
        svc.meeting_review(actor=reviewer, meeting=m, decision="approved", opinion=OPINION)
    svc.meeting_submit(actor=editor, meeting=m)
    assert not Meeting.objects.public().filter(pk=m.pk).exists()
    for actor in (editor, other_reviewer):
        with pytest.raises(ParticipationActionError, match="权限"):
            svc.meeting_review(actor=actor, meeting=m, decision="approved", opinion=OPINION)
    with pytest.raises(ParticipationActionError, match="保密审查意见"):
        svc.meeting_review(actor=reviewer, meeting=m, decision="approved", opinion=" ")
    svc.meeting_review(actor=reviewer, meeting=m, decision="returned", opinion="议题第二项不宜公开，请删去。")
    m.refresh_from_db()
    assert m.status == MeetingStatus.RETURNED and not Meeting.objects.public().filter(pk=m.pk).exists()
    svc.meeting_update(actor=editor, meeting=m, data={"topics": "参观"})
    publish(m, editor, reviewer)
    m.refresh_from_db()
    assert m.status == MeetingStatus.PUBLISHED and m.reviewed_by == reviewer and m.review_opinion == OPINION
    assert Meeting.objects.public().filter(pk=m.pk).exists()
    types = list(AuditEvent.objects.for_object(m).order_by("pk").values_list("event_type", flat=True))
    assert types == [AuditEventType.MEETING_CREATED, AuditEventType.MEETING_SUBMITTED,
                     AuditEventType.MEETING_RETURNED, AuditEventType.MEETING_CHANGED,
                     AuditEventType.MEETING_SUBMITTED, AuditEventType.MEETING_PUBLISHED]


def test_the_author_of_a_meeting_cannot_approve_it(organ, editor, reviewer):
    """A reviewer who also edits (holds both roles) cannot approve what they wrote or changed."""
    factories.MembershipFactory(user=reviewer, organ=organ, role=Role.EDITOR)
    m = svc.meeting_create(actor=editor, organ=organ, data=_meeting_data())
    svc.meeting_update(actor=reviewer, meeting=m, data={"place": "市民中心二楼"})
    svc.meeting_submit(actor=editor, meeting=m)
    with pytest.raises(ParticipationActionError, match="不能审核"):
        svc.meeting_review(actor=reviewer, meeting=m, decision="approved", opinion=OPINION)
    assert not Meeting.objects.public().filter(pk=m.pk).exists()


def test_a_published_meeting_changes_only_by_someone_who_may_publish(organ, editor, reviewer, meeting):
    with pytest.raises(ParticipationActionError, match="发布权限"):
        svc.meeting_update(actor=editor, meeting=meeting, data={"decisions": "未经审核的内容"})
    svc.meeting_update(actor=reviewer, meeting=meeting, data={"replay_url": "https://live.example.org/replay/1"})
    assert Meeting.objects.get(pk=meeting.pk).replay_url == "https://live.example.org/replay/1"


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
    assert AuditEvent.objects.filter(event_type=AuditEventType.REGISTRATION_RECEIVED).count() == 2
    assert AuditEvent.objects.filter(event_type=AuditEventType.MEETING_REGISTRATION).count() == 2  # decided


def test_registration_after_the_deadline_is_refused(organ, editor, reviewer):
    m = svc.meeting_create(actor=editor, organ=organ, data=_meeting_data(
        starts_at=timezone.now() + dt.timedelta(hours=12)))
    publish(m, editor, reviewer)
    with pytest.raises(ParticipationActionError, match="截止"):
        svc.registration_submit(meeting=m, name="张三", phone="13800000001")


def test_closed_meetings_take_no_registrations(organ, editor, reviewer):
    m = svc.meeting_create(actor=editor, organ=organ, data=_meeting_data(attendance_open=False, places=0))
    with pytest.raises(ParticipationActionError, match="不存在或尚未发布"):
        svc.registration_submit(meeting=m, name="张三", phone="1")
    publish(m, editor, reviewer)
    with pytest.raises(ParticipationActionError, match="不接受公众报名"):
        svc.registration_submit(meeting=m, name="张三", phone="1")


def test_cancel_tells_attendees(organ, editor, reviewer, meeting):
    r = svc.registration_submit(meeting=meeting, name="张三", phone="13800000001", email="a@example.org")
    with pytest.raises(ParticipationActionError, match="原因"):
        svc.meeting_cancel(actor=reviewer, meeting=meeting, reason="")
    with TestCase.captureOnCommitCallbacks(execute=True):
        svc.meeting_cancel(actor=reviewer, meeting=meeting, reason="天气原因。")
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.CANCELLED
    assert AuditEvent.objects.for_object(meeting).filter(event_type=AuditEventType.MEETING_CANCELLED).exists()
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
    notice = factories.RecordFactory(organ=organ, published=True, genre=Genre.objects.get(code="notice"))
    with pytest.raises(ParticipationActionError, match="回应关切、政策解读或新闻发布会.*通知公告"):
        concern_svc.concern_respond(actor=editor, concern=concern, note="已回应", record=notice)
    assert Concern.objects.get(pk=concern.pk).status == ConcernStatus.OPEN
    public = factories.RecordFactory(organ=organ, published=True, genre=Genre.objects.get(code="response"))
    concern_svc.concern_respond(actor=editor, concern=concern, note="已发布情况说明", record=public)
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.RESPONDED and concern.response_record == public
    assert not concern_svc.concerns_overdue(organs=[organ], today=today).exists()
    assert list(AuditEvent.objects.for_object(concern).order_by("pk").values_list("event_type", flat=True)) == [
        AuditEventType.CONCERN_REGISTERED, AuditEventType.CONCERN_RESPONDED]


@pytest.mark.parametrize("code", ["response", "interpretation", "press_conference"])
def test_a_concern_is_answered_by_a_record_of_a_response_genre(organ, editor, code):
    genre = Genre.objects.get(code=code)
    assert genre.name == {"response": "回应关切", "interpretation": "政策解读", "press_conference": "新闻发布会"}[code]
    concern = concern_svc.concern_create(actor=editor, organ=organ, data={
        "title": "网传公交线路停运", "deadline": timezone.localdate()})
    record = factories.RecordFactory(organ=organ, published=True, genre=genre)
    concern_svc.concern_respond(actor=editor, concern=concern, note="已回应", record=record)
    assert Concern.objects.get(pk=concern.pk).response_record == record


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
    with pytest.raises(ParticipationActionError, match="待审核"):
        concern_svc.decision_catalog_review(actor=reviewer, catalog=catalog, decision="approved", opinion=OPINION)
    concern_svc.decision_catalog_submit(actor=editor, catalog=catalog)
    assert not DecisionCatalog.objects.public().exists()
    with pytest.raises(ParticipationActionError, match="审核退回后"):
        concern_svc.decision_item_save(actor=editor, catalog=catalog, data={"title": "新事项", "status": "planned"})
    with pytest.raises(ParticipationActionError, match="权限"):
        concern_svc.decision_catalog_review(actor=editor, catalog=catalog, decision="approved", opinion=OPINION)
    concern_svc.decision_catalog_review(actor=reviewer, catalog=catalog, decision="returned", opinion="请补充决策依据。")
    assert DecisionCatalog.objects.get().status == CatalogStatus.RETURNED and not DecisionCatalog.objects.public().exists()
    concern_svc.decision_catalog_submit(actor=editor, catalog=catalog)
    concern_svc.decision_catalog_review(actor=reviewer, catalog=catalog, decision="approved", opinion=OPINION)
    assert DecisionCatalog.objects.public().get().status == CatalogStatus.PUBLISHED
    with pytest.raises(ParticipationActionError, match="发布权限"):
        concern_svc.decision_item_save(actor=editor, catalog=catalog, item=item, data={
            "title": "停车管理办法", "status": DecisionItemStatus.PLANNED})
    types = list(AuditEvent.objects.for_object(catalog).order_by("pk").values_list("event_type", flat=True))
    assert types == [AuditEventType.DECISION_CATALOG_CREATED, AuditEventType.DECISION_CATALOG_SUBMITTED,
                     AuditEventType.DECISION_CATALOG_RETURNED, AuditEventType.DECISION_CATALOG_SUBMITTED,
                     AuditEventType.DECISION_CATALOG_PUBLISHED]


def test_who_wrote_an_item_of_the_catalog_cannot_approve_it(organ, editor, reviewer):
    factories.MembershipFactory(user=reviewer, organ=organ, role=Role.EDITOR)
    catalog = concern_svc.decision_catalog_create(actor=editor, organ=organ, year=2026, title="目录")
    concern_svc.decision_item_save(actor=reviewer, catalog=catalog, data={"title": "供热价格调整", "status": "planned"})
    concern_svc.decision_catalog_submit(actor=editor, catalog=catalog)
    with pytest.raises(ParticipationActionError, match="不能审核"):
        concern_svc.decision_catalog_review(actor=reviewer, catalog=catalog, decision="approved", opinion=OPINION)
    assert not DecisionCatalog.objects.public().exists()
