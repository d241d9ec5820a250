"""The read API's per-minute limit when its cache (Redis in production) cannot be reached: the
request is served, uncounted, with a warning, never a 500 (the cluster benchmark restarts Redis)."""

import logging

import pytest
from django.core.cache.backends.base import BaseCache

from tests.serving import free_port

pytestmark = pytest.mark.django_db


class DownCache(BaseCache):
    """A cache whose every call fails as a client does when its server is gone."""

    def __init__(self, location, params):
        super().__init__(params)

    def _down(self, *args, **kwargs):
        raise ConnectionError("connection refused")

    add = get = set = touch = delete = incr = has_key = get_many = set_many = delete_many = clear = _down


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.GONGKAI_PAGE_CACHE_FILE = str(tmp_path / "portal-generation")
    settings.GONGKAI_API_RATE = 2


def _down_throttle(settings):
    settings.CACHES = {**settings.CACHES, "throttle": {"BACKEND": f"{__name__}.DownCache"}}


def test_a_throttle_cache_that_raises_serves_every_request_uncounted(client, settings, caplog):
    _down_throttle(settings)
    with caplog.at_level(logging.WARNING, logger="gongkai.portal.api.http"):
        responses = [client.get("/api/v1/organs", REMOTE_ADDR="203.0.113.9") for _ in range(4)]
    assert [r.status_code for r in responses] == [200, 200, 200, 200]  # beyond the limit of 2: not counted
    assert all("X-RateLimit-Limit" not in r and "X-RateLimit-Remaining" not in r for r in responses)
    warnings = [r for r in caplog.records if "cache unavailable" in r.getMessage()]
    assert len(warnings) == 4 and all(r.levelno == logging.WARNING for r in warnings)
    assert "203.0.113.9" not in caplog.text  # the kind of client is named, not its address


def test_an_api_key_is_not_logged_when_the_cache_is_down(client, settings, caplog):
    _down_throttle(settings)
    settings.GONGKAI_API_KEYS = {"k-secret-7": "测试客户"}
    with caplog.at_level(logging.WARNING, logger="gongkai.portal.api.http"):
        assert client.get("/api/v1/organs", HTTP_X_API_KEY="k-secret-7").status_code == 200
    assert "cache unavailable" in caplog.text and "k-secret-7" not in caplog.text


def test_the_limit_counts_again_once_the_cache_is_back(client, settings):
    _down_throttle(settings)
    assert client.get("/api/v1/organs").status_code == 200
    settings.CACHES = {**settings.CACHES, "throttle": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                                       "LOCATION": "api-back"}}
    codes = [client.get("/api/v1/organs").status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_a_stopped_redis_serves_the_api(client, settings, caplog):
    """The production profile's caches on a Redis that is not running (a closed port): the API's
    lists and a record's page still answer, from the database."""
    from django.utils import timezone

    from gongkai.records.models import Status
    from tests.factories import RecordFactory

    record = RecordFactory(status=Status.PUBLISHED, published_at=timezone.now())
    redis = {"BACKEND": "django.core.cache.backends.redis.RedisCache",
             "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
             "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}}
    settings.CACHES = {"default": redis, "throttle": dict(redis)}
    with caplog.at_level(logging.WARNING):
        organs = client.get("/api/v1/organs")
        records = client.get("/api/v1/records")
        one = client.get(f"/api/v1/records/{record.pk}")
    assert (organs.status_code, records.status_code, one.status_code) == (200, 200, 200)
    assert record.pk in [r["id"] for r in records.json()["results"]]
    assert "api rate limit: cache unavailable (ConnectionError" in caplog.text
