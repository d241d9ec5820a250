"""The fine-grained page cache: a write drops only the pages that may show it, on every server."""

import datetime as dt

import pytest
from django.urls import reverse

from gongkai.core.models import Role
from gongkai.portal import cache
from gongkai.records import services
from tests.factories import OrganFactory, member
from tests.redis_server import redis_server  # noqa: F401 - fixture

from .world import published

pytestmark = pytest.mark.django_db


@pytest.fixture
def elsewhere(site):
    """Another government, with a policy of its own: nothing of the first one touches its pages."""
    organ = OrganFactory(name="广安市人民政府", code="11511600000000001C", kind="government")
    record = published(organ=organ, genre=site.new_policy.genre, topic=site.new_policy.topic,
                       title="广安市政务公开办法", written_on=dt.date(2025, 1, 5),
                       published_at=site.new_policy.published_at)
    return organ, record


def warm(client, urls):
    for u in urls:
        client.get(u)
        response = client.get(u)
        assert response.get("X-Page-Cache") == "hit", (u, response.status_code)


def withdraw_and_check(client, site, elsewhere, capture):
    organ, other_record = elsewhere
    untouched = [other_record.get_absolute_url(), organ.get_absolute_url(),
                 site.repealed.get_absolute_url()]
    touched = [site.new_policy.get_absolute_url(), site.gov.get_absolute_url(), reverse("portal:home"),
               reverse("portal:policies"), reverse("portal:feed_rss"),
               site.old_policy.get_absolute_url(),  # it links to the new policy that replaced it
               site.interp.get_absolute_url()]  # it interprets the withdrawn policy
    warm(client, untouched + touched)
    reviewer = member(site.gov, Role.REVIEWER)
    with capture(execute=True):
        services.record_withdraw(actor=reviewer, record=site.new_policy, reason="内容有误")
    for u in touched:
        response = client.get(u)
        assert response.get("X-Page-Cache") != "hit", u
        if u != site.new_policy.get_absolute_url():
            assert f'href="{site.new_policy.get_absolute_url()}"' not in response.content.decode(), u
    assert client.get(site.new_policy.get_absolute_url()).status_code == 410
    for u in untouched:
        response = client.get(u)
        assert response.get("X-Page-Cache") == "hit", (u, response.status_code)


def test_a_withdrawal_drops_its_pages_and_lists_and_keeps_the_others(client, site, elsewhere,
                                                                      django_capture_on_commit_callbacks):
    withdraw_and_check(client, site, elsewhere, django_capture_on_commit_callbacks)


def test_page_keys_come_from_the_url():
    from django.urls import resolve

    assert cache.page_keys(resolve("/record/12/")) == ("site", "record:12")
    assert cache.page_keys(resolve("/organ/ABC/catalog/")) == ("site", "organ:ABC")
    assert cache.page_keys(resolve("/feeds/genre/normative/rss.xml")) == ("site", "genre:normative")
    assert cache.page_keys(resolve("/policies/")) == ("site", "lists")


def test_record_keys_cover_the_organs_above_and_the_linked_records(site):
    keys = cache.record_keys([site.news.pk])  # published by the office, below the government
    assert {f"record:{site.news.pk}", f"organ:{site.office.code}", f"organ:{site.gov.code}", "lists",
            f"genre:{site.news.genre.code}"} <= keys
    keys = cache.record_keys([site.new_policy.pk])
    assert {f"record:{site.old_policy.pk}", f"record:{site.interp.pk}"} <= keys


@pytest.fixture
def shared_cache(settings, redis_server):  # noqa: F811 - fixture
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": redis_server.url}}
    return redis_server


def test_with_redis_the_same_guarantees_hold(client, site, elsewhere, shared_cache,
                                             django_capture_on_commit_callbacks):
    assert cache._uses_shared_cache()
    withdraw_and_check(client, site, elsewhere, django_capture_on_commit_callbacks)


def test_a_bump_by_another_server_through_redis_is_seen(client, site, shared_cache):
    import pickle

    import redis

    url = site.new_policy.get_absolute_url()
    warm(client, [url])
    # Another app server bumps the record's generation; it cannot touch our memory.
    other = redis.Redis.from_url(shared_cache.url)
    keys = [k for k in other.keys("*") if b"record:" + str(site.new_policy.pk).encode() in k]
    assert len(keys) == 1
    other.set(keys[0], pickle.dumps("1-from-another-server"))  # Django's RedisCache pickles strings
    assert client.get(url)["X-Page-Cache"] == "miss"


def test_a_redis_restart_never_revives_a_stale_page(client, site, shared_cache):
    url = site.new_policy.get_absolute_url()
    warm(client, [url])
    shared_cache.stop()
    response = client.get(url)  # Redis down: rendered, not stored, no error
    assert response.status_code == 200 and response.get("X-Page-Cache") is None
    shared_cache.start()  # empty: every generation is created afresh
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"
