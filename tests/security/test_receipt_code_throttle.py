"""Finding 4 (participation): guesses of a receipt code's check stop per code, from any address."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse

from gongkai.participation.models import Message

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def test_message_tracking_guesses_from_many_addresses_stop(client, organ):
    Message.objects.create(organ=organ, subject="咨询", body="内容", receipt_code="LYTEST0001",
                           received_on=dt.date(2025, 3, 3), phone="13812345678")
    url = reverse("participation:message_track")
    for i in range(20):
        client.post(url, {"code": "LYTEST0001", "check": f"{i:04d}"}, REMOTE_ADDR=f"198.51.100.{i + 1}")
    response = client.post(url, {"code": "LYTEST0001", "check": "5678"}, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 429


def test_the_right_check_still_opens_the_message(client, organ):
    Message.objects.create(organ=organ, subject="咨询", body="内容", receipt_code="LYTEST0002",
                           received_on=dt.date(2025, 3, 3), phone="13812345678")
    url = reverse("participation:message_track")
    client.post(url, {"code": "LYTEST0002", "check": "0000"})
    response = client.post(url, {"code": "LYTEST0002", "check": "5678"})
    assert response.status_code == 302
