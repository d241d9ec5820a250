"""Messages, comments and registrations are submitted once per one-time token (gongkai.core.idempotency)."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from gongkai.participation.models import Comment, Message, MessageKind, Registration

from .test_public_door_meetings import world  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db
TOKEN_RE = re.compile(r'name="submission_token" value="([^"]+)"')


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def twice(client, url, data):
    page = client.get(url).content.decode()
    match = TOKEN_RE.search(page)
    assert match and "core/submit-once" in page
    data = {**data, "submission_token": match.group(1)}
    first, second = client.post(url, data), client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    return first


def test_a_message_sent_twice_is_one_message(client, organ):
    twice(client, reverse("participation:message_create"), {
        "organ": organ.pk, "kind": MessageKind.CONSULT, "subject": "公积金提取需要什么材料",
        "body": "想问租房提取公积金要带什么材料？", "name": "张三", "phone": "13812345678"})
    assert Message.objects.count() == 1


def test_a_comment_sent_twice_is_one_comment(client, open_consultation):
    twice(client, reverse("participation:comment_create", args=[open_consultation.pk]),
          {"body": "建议增加夜间开放时间。", "name": "李四"})
    assert Comment.objects.count() == 1


def test_a_registration_sent_twice_is_one_registration(client, world):  # noqa: F811
    twice(client, reverse("participation:meeting_apply", args=[world["public"].pk]),
          {"name": "赵六", "kind": "citizen", "phone": "13900001111"})
    assert Registration.objects.filter(name="赵六").count() == 1
