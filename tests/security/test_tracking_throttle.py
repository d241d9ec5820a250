"""Finding 4: guessing the four check characters of an application's tracking look-up stops,
per client address and per tracking code."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from .. import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def app(organ):
    return factories.ApplicationFactory(organ=organ, phone="13812345678", received=True)


def _try(client, app, check, **meta):
    return client.post(reverse("applications:track"), {"code": app.tracking_code, "check": check}, **meta)


def test_forty_wrong_checks_then_the_right_one_is_refused(client, app):
    statuses = [_try(client, app, f"{i:04d}").status_code for i in range(40)]
    assert statuses[0] == 400 and 429 in statuses
    response = _try(client, app, "5678")
    assert response.status_code == 429
    assert "查询失败次数过多" in response.content.decode()


def test_guesses_from_many_addresses_stop_at_the_code(client, app):
    for i in range(40):
        _try(client, app, f"{i:04d}", REMOTE_ADDR=f"198.51.100.{i + 1}")
    response = _try(client, app, "5678", REMOTE_ADDR="203.0.113.50")
    assert response.status_code == 429


def test_a_spoofed_forwarded_for_does_not_reset_the_count(client, app, settings):
    settings.GONGKAI_TRUSTED_PROXIES = []
    settings.GONGKAI_TRACK_CODE_FAILURE_LIMIT = 1000  # only the per-address limit counts here
    for i in range(40):
        _try(client, app, f"{i:04d}", HTTP_X_FORWARDED_FOR=f"198.51.100.{i + 1}")
    assert _try(client, app, "5678", HTTP_X_FORWARDED_FOR="203.0.113.50").status_code == 429


def test_the_right_check_still_works_before_any_limit(client, app):
    for i in range(3):
        _try(client, app, f"{i:04d}")
    response = _try(client, app, "5678")
    assert response.status_code == 302
