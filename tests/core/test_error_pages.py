"""Error answers Django gives in English are Chinese pages in the site frame (audit findings 2 and 4)."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import RecordFactory
from tests.participation.conftest import make_consultation

pytestmark = pytest.mark.django_db


def test_an_unknown_host_gets_the_chinese_400_page():
    response = Client().get("/", HTTP_HOST="evil.example.com")
    body = response.content.decode()
    assert response.status_code == 400
    assert "请求无法处理" in body and "Bad Request" not in body and 'lang="zh-Hans"' in body


def test_a_post_without_its_csrf_token_gets_the_page_expired_page(organ):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("participation:message_create"), {"subject": "问题"},
                           HTTP_REFERER="http://testserver/messages/new/")
    body = response.content.decode()
    assert response.status_code == 403
    assert "页面已过期" in body and "后退" in body and "CSRF" not in body
    assert 'href="http://testserver/messages/new/"' in body


def test_the_page_expired_page_links_back_only_within_the_site(organ):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("participation:message_create"), {}, HTTP_REFERER="https://evil.example.com/")
    assert response.status_code == 403 and "evil.example.com" not in response.content.decode()


def test_a_get_on_a_staff_action_goes_back_to_its_page(client, organ, editor):
    client.force_login(editor)
    record = RecordFactory(organ=organ)
    consultation = make_consultation(organ)
    for action, page in [
        (reverse("workspace:record_submit", args=[record.pk]), f"/workspace/records/{record.pk}/"),
        (reverse("participation_staff:consultation_close", args=[consultation.pk]),
         reverse("participation_staff:consultation", args=[consultation.pk])),
        (reverse("participation_staff:consultation_submit", args=[consultation.pk]),
         reverse("participation_staff:consultation", args=[consultation.pk])),
        (reverse("participation_staff:message_act", args=[1, "assign"]), reverse("participation_staff:message", args=[1])),
        (reverse("participation_staff:answer_act", args=[1, "approve"]), reverse("participation_staff:answer", args=[1])),
    ]:
        response = client.get(action)
        assert (response.status_code, response["Location"]) == (302, page), action


def test_a_get_on_the_public_rating_action_goes_back_to_the_tracking_page(client):
    response = client.get(reverse("participation:message_rate", args=["ABCD1234"]))
    assert response.status_code == 302
    assert response["Location"] == reverse("participation:message_track_detail", args=["ABCD1234"])


def test_a_post_to_an_action_is_not_touched(client, organ, editor):
    client.force_login(editor)
    record = RecordFactory(organ=organ)
    response = client.post(reverse("workspace:record_submit", args=[record.pk]))
    assert response.status_code != 405 and "/workspace/records/" in response.get("Location", "/workspace/records/")


def test_a_405_without_a_parent_page_is_a_chinese_page(client, rf):
    from django.http import HttpResponseNotAllowed

    from gongkai.core.middleware import ActionGetMiddleware

    request = rf.get("/nowhere-at-all/")
    response = ActionGetMiddleware(lambda r: HttpResponseNotAllowed(["POST"]))(request)
    assert response.status_code == 405 and response["Allow"] == "POST"
    assert "无法直接打开此地址" in response.content.decode()
