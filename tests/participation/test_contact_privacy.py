"""Contact data of commenters and applicants is for the staff of the organ that handles the item only;
the comment export is audited."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gongkai.core.models import AuditEvent, AuditEventType, Role
from gongkai.participation.exports import HIDDEN
from gongkai.participation.models import Meeting, MeetingStatus
from gongkai.participation.services import consultations as svc
from gongkai.participation.services import meetings as meeting_svc
from tests import factories

from .conftest import make_consultation

pytestmark = pytest.mark.django_db

PHONE, EMAIL = "13912345678", "liming@example.org"


@pytest.fixture
def office_above(organ):
    """The 公开办 of the government above: it oversees the organ (and may view its work), but does not handle it."""
    parent = factories.OrganFactory(name="保定市人民政府", code="11130600MA9999993X")
    organ.parent = parent
    organ.save()
    return factories.member(parent, Role.OFFICE, "office_above")


@pytest.fixture
def commented(organ):
    c = make_consultation(organ)
    svc.comment_submit(consultation=c, body=f"我叫李明，电话{PHONE}，建议延长办理时限。", name="李明", email=EMAIL,
                       phone=PHONE, attachment=SimpleUploadedFile("意见.txt", "李明的意见".encode()))
    return c


def _rows(response) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content if response.streaming else
                                               [response.content]))).active
    return [tuple(r) for r in sheet.iter_rows(min_row=2, values_only=True)]


def test_the_office_above_sees_the_comment_but_not_who_sent_it(client, office_above, commented):
    client.force_login(office_above)
    page = client.get(reverse("participation_staff:consultation", args=[commented.pk]))
    body = page.content.decode()
    assert page.status_code == 200 and "建议延长办理时限" in body
    assert PHONE not in body and EMAIL not in body and "李明" not in body and "李某" in body
    assert "联系方式仅承办机关可见" in body
    comment = commented.comments.get()
    url = reverse("participation_staff:comment_attachment", args=[commented.pk, comment.pk])
    assert client.get(url).status_code == 403


def test_the_handling_organ_sees_the_contact_data(client, editor, commented):
    client.force_login(editor)
    body = client.get(reverse("participation_staff:consultation", args=[commented.pk])).content.decode()
    assert PHONE in body and EMAIL in body and "李明" in body
    comment = commented.comments.get()
    url = reverse("participation_staff:comment_attachment", args=[commented.pk, comment.pk])
    assert client.get(url).status_code == 200


def test_export_is_audited_and_hides_contact_data_from_the_office_above(client, editor, office_above, commented):
    client.force_login(office_above)
    rows = _rows(client.get(reverse("participation_staff:consultations_export")))
    assert len(rows) == 1 and PHONE not in str(rows) and EMAIL not in str(rows) and "李明" not in str(rows)
    assert HIDDEN in rows[0]
    event = AuditEvent.objects.get(event_type=AuditEventType.COMMENTS_EXPORTED)
    assert event.actor == office_above and event.object_id == str(commented.pk) and event.note == "联系方式已隐去"
    assert event.changes["comments"][1] == 1

    client.force_login(editor)
    rows = _rows(client.get(reverse("participation_staff:consultation_export", args=[commented.pk])))
    assert PHONE in rows[0] and EMAIL in rows[0] and "李明" in rows[0]
    events = AuditEvent.objects.filter(event_type=AuditEventType.COMMENTS_EXPORTED).order_by("pk")
    assert [(e.actor, e.note) for e in events] == [(office_above, "联系方式已隐去"), (editor, "含联系方式")]


def test_applicants_to_attend_are_masked_for_the_office_above(client, organ, editor, reviewer, office_above):
    meeting = meeting_svc.meeting_create(actor=editor, organ=organ, data={
        "kind": "open_day", "title": "政务开放日", "starts_at": timezone.now() + dt.timedelta(days=9),
        "place": "市民中心", "attendance_open": True, "places": 5})
    meeting_svc.meeting_submit(actor=editor, meeting=meeting)
    meeting_svc.meeting_review(actor=reviewer, meeting=meeting, decision="approved", opinion="同意公开。")
    assert Meeting.objects.get().status == MeetingStatus.PUBLISHED
    meeting_svc.registration_submit(meeting=meeting, name="王小红", phone=PHONE, email=EMAIL,
                                    reason=f"联系我：{PHONE}")
    url = reverse("participation_staff:meeting", args=[meeting.pk])
    client.force_login(office_above)
    body = client.get(url).content.decode()
    assert PHONE not in body and EMAIL not in body and "王小红" not in body and "王某" in body
    client.force_login(editor)
    body = client.get(url).content.decode()
    assert PHONE in body and EMAIL in body and "王小红" in body
