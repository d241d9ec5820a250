"""The participation demo loads through the services, in every state, and a second run adds nothing."""

import datetime as dt

import pytest

from gongkai.core.models import Role
from gongkai.ops.demo import participation_consultations as demo
from gongkai.participation.models import (
    Concern,
    ConcernStatus,
    Consultation,
    ConsultationStatus,
    DecisionCatalog,
    FeedbackStatus,
    Meeting,
    MeetingStatus,
)
from gongkai.records.models import Genre, Record
from tests import factories

pytestmark = pytest.mark.django_db


def test_demo_is_complete_and_idempotent():
    gov = factories.OrganFactory(name="保定市人民政府", code="11130600000000001X", kind="government")
    office = factories.OrganFactory(name="保定市人民政府办公室", code="11130600000000002X", parent=gov)
    editor = factories.member(office, Role.EDITOR, "bd_editor")
    reviewer = factories.member(office, Role.REVIEWER, "bd_reviewer")
    for user, role in ((editor, Role.EDITOR), (reviewer, Role.REVIEWER)):
        factories.MembershipFactory(user=user, organ=gov, role=role)
    answer = factories.RecordFactory(organ=office, published=True, title="关于停车收费标准的情况说明",
                                     genre=Genre.objects.get(code="response"))
    factories.RecordFactory(organ=office, published=True, title="关于放假安排的通知", genre=Genre.objects.get(code="notice"),
                            published_at=answer.published_at + dt.timedelta(days=1))  # newer, but no response genre
    organs, users = {"bd_office": office, "bd_gov": gov}, {"bd_editor": editor, "bd_reviewer": reviewer}
    demo.load(organs=organs, users=users)
    statuses = sorted(Consultation.objects.values_list("status", flat=True))
    assert statuses == sorted([ConsultationStatus.PUBLISHED, ConsultationStatus.CLOSED, ConsultationStatus.CLOSED])
    published = Consultation.objects.get(feedback__status=FeedbackStatus.PUBLISHED)
    assert Record.objects.public().filter(pk=published.feedback.record_id).exists()
    assert Consultation.objects.public().count() == 3
    assert DecisionCatalog.objects.public().get().items.count() == 4
    assert Meeting.objects.public().count() == 2 and Concern.objects.overdue().count() == 1
    assert Concern.objects.get(status=ConcernStatus.RESPONDED).response_record == answer  # a 回应关切 record
    waiting = Meeting.objects.get(status=MeetingStatus.SUBMITTED)  # the 座谈会 waits for its review
    assert waiting.consultation.status == ConsultationStatus.PUBLISHED
    counts = (Consultation.objects.count(), Meeting.objects.count(), Concern.objects.count())
    demo.load(organs=organs, users=users)
    assert (Consultation.objects.count(), Meeting.objects.count(), Concern.objects.count()) == counts
