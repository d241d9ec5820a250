import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from gongkai.participation.models import (
    Concern,
    ConcernStatus,
    DecisionCatalog,
    Meeting,
    MeetingStatus,
    Registration,
)
from gongkai.records.models import Genre
from tests import factories

pytestmark = pytest.mark.django_db


def test_meeting_from_draft_to_accepted_attendee(client, organ, editor, reviewer):
    client.force_login(editor)
    start = timezone.localtime() + dt.timedelta(days=7)
    response = client.post(reverse("participation_staff:meeting_create"), {
        "organ": organ.pk, "kind": "open_day", "title": "政务开放日", "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "place": "市民中心", "attendance_open": "on", "places": "2"})
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and meeting.status == MeetingStatus.DRAFT
    review = {"decision": "approved", "opinion": "经审查，同意公开。"}
    client.post(reverse("participation_staff:meeting_review", args=[meeting.pk]), review)
    assert Meeting.objects.get().status == MeetingStatus.DRAFT  # not submitted, and editors cannot approve
    client.post(reverse("participation_staff:meeting_submit", args=[meeting.pk]))
    assert Meeting.objects.get().status == MeetingStatus.SUBMITTED
    client.post(reverse("participation_staff:meeting_review", args=[meeting.pk]), review)
    assert Meeting.objects.get().status == MeetingStatus.SUBMITTED
    assert client.get(reverse("participation:meeting", args=[meeting.pk])).status_code == 404
    client.force_login(reviewer)
    listing = client.get(reverse("participation_staff:meetings")).content.decode()
    assert "待保密审查" in listing and reverse("participation_staff:meeting", args=[meeting.pk]) in listing
    page = client.get(reverse("participation_staff:meeting", args=[meeting.pk])).content.decode()
    assert "保密审查" in page and "通过即发布" in page
    client.post(reverse("participation_staff:meeting_review", args=[meeting.pk]), {"decision": "approved"})
    assert Meeting.objects.get().status == MeetingStatus.SUBMITTED  # an opinion is required
    client.post(reverse("participation_staff:meeting_review", args=[meeting.pk]), review)
    assert Meeting.objects.get().status == MeetingStatus.PUBLISHED
    client.logout()
    client.post(reverse("participation:meeting_apply", args=[meeting.pk]),
                {"name": "张三", "kind": "citizen", "phone": "13800001234"})
    registration = Registration.objects.get()
    client.force_login(editor)
    page = client.get(reverse("participation_staff:meeting", args=[meeting.pk])).content.decode()
    assert "13800001234" in page  # staff see the contact data
    client.post(reverse("participation_staff:registration_decide", args=[meeting.pk, registration.pk]), {"accept": "1"})
    assert Registration.objects.get().status == "accepted"


def test_other_organs_see_no_meeting(client, organ, other_editor):
    meeting = Meeting.objects.create(organ=organ, title="内部会议", starts_at=timezone.now(), place="x")
    client.force_login(other_editor)
    assert client.get(reverse("participation_staff:meeting", args=[meeting.pk])).status_code == 404
    assert "内部会议" not in client.get(reverse("participation_staff:meetings")).content.decode()


def test_concern_ledger_page(client, organ, editor):
    client.force_login(editor)
    today = timezone.localdate()
    client.post(reverse("participation_staff:concerns"), {
        "organ": organ.pk, "title": "网传学区调整", "source": "media", "received_on": (today - dt.timedelta(days=3)),
        "deadline": today - dt.timedelta(days=1)})
    concern = Concern.objects.get()
    body = client.get(reverse("participation_staff:concerns") + "?status=overdue").content.decode()
    assert "网传学区调整" in body and "已逾期" in body
    client.post(reverse("participation_staff:concern_respond", args=[concern.pk]),
                {"note": "经研判属于不实信息，已由网信部门处置。", "no_response": "on"})
    assert Concern.objects.get().status == ConcernStatus.CLOSED


def test_concern_ledger_offers_public_response_records_and_refuses_other_genres(client, organ, editor):
    client.force_login(editor)
    concern = Concern.objects.create(organ=organ, title="网传学区调整", deadline=timezone.localdate())
    genres = {g.code: g for g in Genre.objects.filter(code__in=["response", "press_conference", "notice"])}
    answer = factories.RecordFactory(organ=organ, published=True, genre=genres["response"], title="关于学区调整的说明")
    factories.RecordFactory(organ=organ, published=True, genre=genres["press_conference"], title="教育新闻发布会")
    factories.RecordFactory(organ=organ, genre=genres["response"], title="未发布的回应稿")
    notice = factories.RecordFactory(organ=organ, published=True, genre=genres["notice"], title="放假通知")
    page = client.get(reverse("participation_staff:concerns")).content.decode()
    picker = page[page.index('<datalist id="response-records">'):]
    picker = picker[:picker.index("</datalist>")]
    assert f'value="{answer.index_no}"' in picker and "回应关切：关于学区调整的说明" in picker
    assert "新闻发布会：教育新闻发布会" in picker
    assert "未发布的回应稿" not in picker and "放假通知" not in picker
    url = reverse("participation_staff:concern_respond", args=[concern.pk])
    refused = client.post(url, {"index_no": notice.index_no, "note": "已回应"}, follow=True).content.decode()
    assert "回应信息必须是回应关切、政策解读或新闻发布会类的信息" in refused
    assert Concern.objects.get().status == ConcernStatus.OPEN
    client.post(url, {"index_no": answer.index_no, "note": "已发布情况说明"})
    assert Concern.objects.get().response_record == answer


def test_catalog_pages(client, organ, editor, reviewer):
    client.force_login(editor)
    response = client.post(reverse("participation_staff:catalogs"), {"organ": organ.pk, "year": "2026", "title": "目录"})
    catalog = DecisionCatalog.objects.get()
    assert response.status_code == 302
    client.post(reverse("participation_staff:catalog", args=[catalog.pk]),
                {"order": "1", "title": "停车管理办法", "status": "planned"})
    assert [i.title for i in catalog.items.all()] == ["停车管理办法"]
    client.post(reverse("participation_staff:catalog_submit", args=[catalog.pk]))
    assert DecisionCatalog.objects.get().status == "submitted"
    assert client.get(reverse("participation:decision_catalog", args=[catalog.pk])).status_code == 404
    client.force_login(reviewer)
    page = client.get(reverse("participation_staff:catalog", args=[catalog.pk])).content.decode()
    assert "通过即公布" in page
    client.post(reverse("participation_staff:catalog_review", args=[catalog.pk]),
                {"decision": "approved", "opinion": "经审查，同意公开。"})
    assert DecisionCatalog.objects.public().get() == catalog
    assert "停车管理办法" in client.get(reverse("participation:decision_catalog", args=[catalog.pk])).content.decode()
