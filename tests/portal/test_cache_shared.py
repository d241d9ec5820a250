"""With Redis, a rendered page is shared by every process and server: rendered once per generation,
and never found again once a write has changed a generation it depends on."""

import pytest
from django.core.cache import caches
from django.urls import resolve, reverse
from django.utils import timezone

from gongkai.core.models import Role
from gongkai.portal import cache
from gongkai.records import services
from tests.factories import member
from tests.redis_server import redis_server  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared_cache(settings, redis_server):  # noqa: F811 - fixture
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": redis_server.url}}
    cache._STORE.clear()
    yield redis_server
    cache._STORE.clear()


def another_process() -> None:
    """What another gunicorn worker (or server) has in memory: nothing of ours."""
    cache._STORE.clear()


def test_a_page_rendered_by_one_process_is_served_to_the_others(client, site, shared_cache):
    url = site.new_policy.get_absolute_url()
    first = client.get(url)
    assert first["X-Page-Cache"] == "miss"
    another_process()
    second = client.get(url)
    assert second["X-Page-Cache"] == "shared" and second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert client.get(url)["X-Page-Cache"] == "hit"  # now in this process's memory too


def test_no_process_gets_a_shared_copy_of_a_withdrawn_record_or_its_lists(client, site, shared_cache,
                                                                         django_capture_on_commit_callbacks):
    record_url = site.new_policy.get_absolute_url()
    lists = [reverse("portal:home"), reverse("portal:policies"), site.gov.get_absolute_url()]
    for url in [record_url, *lists]:
        client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        services.record_withdraw(actor=member(site.gov, Role.REVIEWER), record=site.new_policy, reason="内容有误")
    another_process()
    assert client.get(record_url).status_code == 410
    for url in lists:
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss", url
        assert f'href="{record_url}"' not in response.content.decode(), url


def test_a_page_not_to_store_releases_its_render_lock(client, site, shared_cache):
    import redis

    response = client.get("/record/987654321/")
    assert response.status_code == 404
    keys = redis.Redis.from_url(shared_cache.url).keys("*pagelock*")
    assert keys == []  # the next process renders at once instead of waiting for a page that never comes


def test_a_process_waits_for_the_render_another_has_begun(client, site, shared_cache, monkeypatch):
    url = site.new_policy.get_absolute_url()
    page = client.get(url)
    another_process()
    calls = {"n": 0}
    real_get = cache._shared_get

    def late(skey):  # the other process's render lands on the third look
        calls["n"] += 1
        return real_get(skey) if calls["n"] >= 3 else None

    monkeypatch.setattr(cache, "_shared_get", late)
    gens = cache.generations(cache.page_keys(resolve(url)))
    key = ("http", "testserver", url, "")
    caches["default"].add(cache._shared_key(key, gens, timezone.localdate().isoformat(), "gk:pagelock:"), 1, 5)
    waited = client.get(url)
    assert waited["X-Page-Cache"] == "shared" and waited.content == page.content and calls["n"] >= 3


def _age(url) -> None:
    """This process's copy of the page outlives its time to live (generations unchanged)."""
    import dataclasses
    import time

    for k, entry in list(cache._STORE._data.items()):
        if k[2] == url:
            cache._STORE.put(k, dataclasses.replace(entry, expires=time.monotonic() - 1))


def _another_process_renders(url, gens) -> str:
    """Another process holds the render lock of this page under these generations."""
    key = ("http", "testserver", url, "")
    lock = cache._shared_key(key, gens, timezone.localdate().isoformat(), "gk:pagelock:")
    caches["default"].add(lock, 1, timeout=5)
    return lock


def test_an_aged_copy_is_served_while_another_process_renders_the_page(client, site, shared_cache):
    url = site.new_policy.get_absolute_url()
    first = client.get(url)
    assert first["X-Page-Cache"] == "miss"
    caches["default"].delete(cache._shared_key(("http", "testserver", url, ""),
                                               cache.generations(cache.page_keys(resolve(url))),
                                               timezone.localdate().isoformat()))  # aged out of Redis too
    _age(url)
    lock = _another_process_renders(url, cache.generations(cache.page_keys(resolve(url))))
    stale = client.get(url)
    assert stale["X-Page-Cache"] == "stale" and stale.content == first.content
    caches["default"].delete(lock)
    assert client.get(url)["X-Page-Cache"] == "miss"  # nobody renders it: this process does


def test_an_aged_copy_of_a_withdrawn_record_is_never_served_while_another_renders(
        client, site, shared_cache, django_capture_on_commit_callbacks):
    url = reverse("portal:home")
    assert f'href="{site.new_policy.get_absolute_url()}"' in client.get(url).content.decode()
    _age(url)
    with django_capture_on_commit_callbacks(execute=True):
        services.record_withdraw(actor=member(site.gov, Role.REVIEWER), record=site.new_policy, reason="内容有误")
    _another_process_renders(url, cache.generations(cache.page_keys(resolve(url))))
    response = client.get(url)
    assert response["X-Page-Cache"] != "stale"
    assert f'href="{site.new_policy.get_absolute_url()}"' not in response.content.decode()


def test_times_to_live_are_spread(client, site, shared_cache, settings):
    import time

    settings.GONGKAI_PAGE_CACHE_SECONDS = 100
    urls = [site.new_policy.get_absolute_url(), site.old_policy.get_absolute_url(), site.expired.get_absolute_url(),
            site.interp.get_absolute_url(), reverse("portal:home")]
    for url in urls:
        client.get(url)
    now = time.monotonic()
    left = [entry.expires - now for k, entry in cache._STORE._data.items() if k[2] in urls]
    assert len(left) == len(urls) and all(78 <= s <= 100 for s in left)
    assert len({round(s) for s in left}) > 1
