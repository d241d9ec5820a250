"""Sessions with Redis in front of the database: a Redis restart costs a database read, never a 500."""

import pytest

from gongkai.ops.sessions import SessionStore
from tests.redis_server import redis_server  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared_cache(settings, redis_server):  # noqa: F811 - fixture
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": redis_server.url}}
    settings.SESSION_ENGINE = "gongkai.ops.sessions"
    return redis_server


def test_a_session_is_created_and_read_while_redis_is_down(shared_cache):
    kept = SessionStore()
    kept["tracking_code"] = "GK-1"
    kept.save(must_create=True)
    shared_cache.stop()
    fresh = SessionStore()
    fresh["receipt"] = "GK-2"
    fresh.create()  # checks that its new key is free: the database answers
    fresh.save()
    assert SessionStore(fresh.session_key).load() == {"receipt": "GK-2"}
    assert SessionStore(kept.session_key).load() == {"tracking_code": "GK-1"}
    shared_cache.start()  # empty: the next read takes the database and fills the cache again
    assert SessionStore(kept.session_key).load() == {"tracking_code": "GK-1"}
    assert SessionStore(kept.session_key).exists(kept.session_key)
