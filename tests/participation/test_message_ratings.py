"""The sender rates each reply; 不满意 reopens the message; the follow page and the staff page show every rating."""

import pytest
from django.urls import reverse

from gongkai.core.models import Role
from gongkai.participation.models import MessageKind, MessageStatus
from gongkai.participation.services import messages as svc
from tests import factories

pytestmark = pytest.mark.django_db


def test_dissatisfied_reopens_then_the_second_reply_is_rated_and_both_ratings_are_shown(client, organ):
    handler = factories.member(organ, Role.EDITOR, "rt_handler")
    approver = factories.member(organ, Role.REVIEWER, "rt_reviewer")
    m = svc.message_submit(organ=organ, kind=MessageKind.CONSULT, subject="公积金", body="怎么提取？",
                           phone="13812345678", may_publish=True)

    def reply(text):
        svc.message_reply_draft(actor=handler, message=m, body=text)
        svc.message_reply_submit(actor=handler, message=m)
        svc.message_reply_review(actor=approver, message=m, approve=True)

    reply("请携带身份证办理。")
    assert client.post(reverse("participation:message_track"), {"code": m.receipt_code, "check": "5678"}).status_code == 302
    track = reverse("participation:message_track_detail", args=[m.receipt_code])
    rate = reverse("participation:message_rate", args=[m.receipt_code])
    assert client.post(rate, {"rating": "dissatisfied", "reason": "没有说明办理地点"}).status_code == 302
    m.refresh_from_db()
    assert m.status == MessageStatus.REOPENED and m.due_on is not None
    page = client.get(track).content.decode()
    assert "没有说明办理地点" in page and "我们正在重新办理" in page and "提交评价" not in page
    reply("办理地点为市民服务中心二楼。")
    page = client.get(track).content.decode()
    assert "提交评价" in page and "不满意（没有说明办理地点）" in page  # the new reply can be rated
    assert client.post(rate, {"rating": "basically"}).status_code == 302
    again = client.post(rate, {"rating": "satisfied"})
    assert again.status_code == 400 and "您已经评价过这次答复" in again.content.decode()
    page = client.get(track).content.decode()
    assert page.count("data-rating") == 2 and "基本满意" in page and "提交评价" not in page
    client.force_login(handler)
    staff = client.get(reverse("participation_staff:message", args=[m.pk])).content.decode()
    assert "评价记录（以最近一次为准）" in staff and "不满意（没有说明办理地点）" in staff
    public = client.get(m.get_absolute_url()).content.decode()
    assert "基本满意" in public and "没有说明办理地点" not in public  # the reason stays private
