import datetime as dt

import pytest
from django.utils import timezone

from gongkai.core.models import Role
from gongkai.participation.models import Consultation, ConsultationStatus
from gongkai.participation.services import consultations as svc
from tests import factories


@pytest.fixture
def office(organ):
    return factories.member(organ, Role.OFFICE, "office")


def make_consultation(organ, *, status=ConsultationStatus.PUBLISHED, days_left=10, **fields):
    """A consultation written straight to the database in ``status`` (bypasses services)."""
    today = timezone.localdate()
    defaults = {
        "title": "关于《保定市测试管理办法（征求意见稿）》公开征求意见的公告",
        "purpose": "为规范测试管理，拟制定本办法，现公开征求意见。",
        "draft_text": "<p>第一条 为了规范测试管理，制定本办法。</p>",
        "starts_on": today - dt.timedelta(days=20),
        "ends_on": today + dt.timedelta(days=days_left),
        "allow_anonymous": True,
        "status": status,
    }
    if status in (ConsultationStatus.PUBLISHED, ConsultationStatus.CLOSED):
        defaults["published_at"] = timezone.now() - dt.timedelta(days=20)
    defaults.update(fields)
    return Consultation.objects.create(organ=organ, **defaults)


@pytest.fixture
def open_consultation(organ):
    return make_consultation(organ)


@pytest.fixture
def closed_with_comments(organ, reviewer):
    c = make_consultation(organ, days_left=5)
    comments = [svc.comment_submit(consultation=c, body=f"第{i}条意见：建议延长办理时限。", name="张三丰",
                                   email="zhang@example.org" if i == 0 else "") for i in range(3)]
    c.ends_on = timezone.localdate() - dt.timedelta(days=1)
    c.save()
    svc.consultation_close_due()
    c.refresh_from_db()
    return c, comments
