"""Consultations in the compliance monitor and the annual report's participation figures."""

import datetime as dt

import pytest

from gongkai.core.calendar import get_work_calendar
from gongkai.participation.models import (
    Comment,
    CommentModeration,
    ConsultationFeedback,
    ConsultationStatus,
    Disposition,
    FeedbackStatus,
)
from gongkai.participation.selectors.consultations import participation_figures
from gongkai.reports import monitor

from .conftest import make_consultation

pytestmark = pytest.mark.django_db
TODAY = dt.date(2025, 10, 20)


def test_feedback_missing_after_20_working_days(organ):
    cal = get_work_calendar()
    limit = cal.add_workdays(dt.date(2025, 9, 1), 20)
    late = make_consultation(organ, title="期满未反馈", status=ConsultationStatus.CLOSED,
                             starts_on=dt.date(2025, 8, 1), ends_on=dt.date(2025, 9, 1))
    recent = make_consultation(organ, title="刚结束", status=ConsultationStatus.CLOSED,
                               starts_on=dt.date(2025, 9, 20), ends_on=TODAY - dt.timedelta(days=2))
    answered = make_consultation(organ, title="已反馈", status=ConsultationStatus.CLOSED,
                                 starts_on=dt.date(2025, 8, 1), ends_on=dt.date(2025, 9, 1))
    ConsultationFeedback.objects.create(consultation=answered, status=FeedbackStatus.PUBLISHED)
    rows = monitor.indicator(organ, "consultation_feedback_missing", today=TODAY).rows
    assert [r.title for r in rows] == [late.title] and limit < TODAY
    assert recent.title not in [r.title for r in rows]
    assert "consultation_feedback_missing" in [i.code for i in monitor.indicators(organ, today=TODAY)]


def test_participation_figures_count_public_consultations_of_the_year(organ, other_organ):
    held = make_consultation(organ, starts_on=dt.date(2025, 3, 1), ends_on=dt.date(2025, 3, 31),
                             status=ConsultationStatus.CLOSED)
    make_consultation(organ, starts_on=dt.date(2024, 3, 1), ends_on=dt.date(2024, 3, 31))  # other year
    make_consultation(organ, starts_on=dt.date(2025, 5, 1), ends_on=dt.date(2025, 5, 31),
                      status=ConsultationStatus.DRAFT)  # never public
    make_consultation(other_organ, starts_on=dt.date(2025, 5, 1), ends_on=dt.date(2025, 5, 31))
    for i, (disposition, moderation) in enumerate([
        (Disposition.ADOPTED, CommentModeration.SHOWN), (Disposition.ADOPTED, CommentModeration.NOT_SHOWN),
        (Disposition.PARTLY, CommentModeration.SHOWN), (Disposition.NOT_ADOPTED, CommentModeration.SHOWN),
        ("", CommentModeration.REJECTED),
    ]):
        Comment.objects.create(consultation=held, receipt_code=f"CODE{i}", body="意见", name="甲",
                               disposition=disposition, disposition_reason="理由" if disposition else "",
                               moderation=moderation)
    ConsultationFeedback.objects.create(consultation=held, status=FeedbackStatus.PUBLISHED)
    figures = participation_figures(organs=[organ], year=2025)
    assert (figures.consultations, figures.comments, figures.adopted, figures.partly_adopted,
            figures.feedback_published) == (1, 4, 2, 1, 1)
    assert figures.sentence() == "全年公开征求意见1次，收到意见4条，采纳2条、部分采纳1条，发布意见采纳情况反馈1篇。"


def test_overdue_concerns_in_the_monitor(organ):
    from gongkai.participation.models import Concern

    Concern.objects.create(organ=organ, title="逾期关切", received_on=dt.date(2025, 10, 1),
                           deadline=dt.date(2025, 10, 10))
    Concern.objects.create(organ=organ, title="未到期关切", received_on=dt.date(2025, 10, 1),
                           deadline=dt.date(2025, 10, 30))
    rows = monitor.indicator(organ, "concerns_overdue", today=TODAY).rows
    assert [r.title for r in rows] == ["逾期关切"] and "已逾期 10 天" in rows[0].detail


def test_annual_report_edit_page_offers_the_participation_sentence(client, organ):
    from django.urls import reverse

    from gongkai.core.models import Role
    from tests import factories

    office = factories.member(organ, Role.OFFICE, "office_report")
    held = make_consultation(organ, starts_on=dt.date(2024, 3, 1), ends_on=dt.date(2024, 3, 31),
                             status=ConsultationStatus.CLOSED)
    Comment.objects.create(consultation=held, receipt_code="R1", body="意见", name="甲",
                           disposition=Disposition.ADOPTED, disposition_reason="理由")
    client.force_login(office)
    page = client.get(reverse("reports:edit", kwargs={"slug": f"{organ.code}-2024"})).content.decode()
    assert "全年公开征求意见1次，收到意见1条，采纳1条、部分采纳0条，发布意见采纳情况反馈0篇。" in page


def test_overdue_concerns_and_missing_feedback_reach_the_weekly_digest(organ, settings):
    from django.core import mail
    from django.utils import timezone

    from gongkai.core.models import Role
    from gongkai.participation.models import Concern
    from gongkai.reports.tasks import send_weekly_digests
    from tests import factories

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    today = timezone.localdate()
    factories.member(organ, Role.OFFICE, "office_digest")
    Concern.objects.create(organ=organ, title="网传学区调整", received_on=today - dt.timedelta(days=20),
                           deadline=today - dt.timedelta(days=3))
    make_consultation(organ, starts_on=today - dt.timedelta(days=90), ends_on=today - dt.timedelta(days=60),
                      status=ConsultationStatus.CLOSED, title="关于停车管理办法公开征求意见的公告")
    assert send_weekly_digests() == 1
    body = mail.outbox[0].body
    assert "逾期未回应的社会关切（回应关切台账）：1 项" in body and "网传学区调整" in body
    assert "仍未发布意见采纳情况反馈的意见征集：1 项" in body and "停车管理办法" in body
