"""The site search's result pages in the page cache: the same guarantees as the portal's pages.

A result page depends on ``site`` and ``search`` and, once rendered, on the key of each record it
shows: a record's withdrawal drops the pages that show it (and no other), an item leaving the public
(the items' index) and a dictionary change (``search``) drop every stored result page, and a
withdrawn record or item is never served from a stored page once its change commits — with the
per-process store and with the shared one (Redis). A publication drops no result page: a new record
appears within GONGKAI_PAGE_CACHE_QUERY_SECONDS.
"""

import datetime as dt

import pytest
from django.urls import resolve, reverse
from django.utils import timezone

from gongkai.core.models import Role
from gongkai.participation.models import Consultation, ConsultationStatus
from gongkai.participation.services.messages import message_set_hidden
from gongkai.portal import cache
from gongkai.records import services
from gongkai.search import index
from gongkai.search.models import SearchTerm
from tests.factories import member
from tests.redis_server import redis_server  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

QUERY = "政务公开办法"


def results_url(**params) -> str:
    from urllib.parse import urlencode

    return reverse("search:results") + "?" + urlencode({"q": QUERY, **params})


def api_url() -> str:
    from urllib.parse import urlencode

    return reverse("search:api") + "?" + urlencode({"q": QUERY})


def stored(client, url):
    """GET until the page is served from the store (the day's first search may sweep the index and so
    bump the search key while it renders: the next GET renders again, the one after is stored)."""
    for _ in range(3):
        response = client.get(url)
        if response.get("X-Page-Cache") == "hit":
            return response
    raise AssertionError(f"{url} is not stored")


@pytest.fixture
def policy(site):
    """The world's new policy, renamed so that the query finds it, and indexed."""
    record = site.new_policy
    record.title = "保定市政务公开办法"
    record.save()
    index.index_sync([record.pk])
    return record


def consultation(organ, title):
    today = timezone.localdate()
    return Consultation.objects.create(
        organ=organ, title=title, purpose="公开征求意见。", draft_text="<p>第一条 为了规范管理，制定本办法。</p>",
        starts_on=today - dt.timedelta(days=3), ends_on=today + dt.timedelta(days=27),
        status=ConsultationStatus.PUBLISHED, published_at=timezone.now() - dt.timedelta(days=3))


def test_search_pages_depend_on_site_and_search_and_wait_for_the_replica_to_replay_lists():
    for path in ("/search/", "/search/api/"):
        assert cache.page_keys(resolve(path)) == ("site", "search")
        assert cache.freshness_keys(resolve(path)) == ("lists",)
    assert cache.freshness_keys(resolve("/")) == ()


def test_an_anonymous_result_page_is_stored_and_served(client, policy):
    for url in (results_url(), api_url()):
        first = client.get(url)
        assert first.status_code == 200 and first["X-Page-Cache"] == "miss"
        again = stored(client, url)
        assert again.content == first.content
        assert policy.get_absolute_url() in again.content.decode()
        assert client.get(url, HTTP_IF_NONE_MATCH=again["ETag"]).status_code == 304


def test_a_signed_in_visitor_is_never_served_a_stored_result_page(client, policy, organ):
    url = results_url()
    stored(client, url)
    client.force_login(member(organ, Role.EDITOR))
    assert "X-Page-Cache" not in client.get(url)


def withdraw_and_check(client, site, policy, capture):
    urls = [results_url(), api_url(), results_url(kind="record"), results_url(organ=policy.organ_id)]
    for url in urls:
        response = stored(client, url)
        assert policy.get_absolute_url() in response.content.decode(), url
    with capture(execute=True):  # the record_changed hooks: the index and the page cache follow
        services.record_withdraw(actor=member(site.gov, Role.REVIEWER), record=policy, reason="内容有误")
    for url in urls:
        response = client.get(url)
        assert response["X-Page-Cache"] != "hit", url
        assert policy.get_absolute_url() not in response.content.decode(), url
        assert client.get(url)["X-Page-Cache"] == "hit", url  # stored again, without it


def test_a_withdrawn_record_is_never_in_a_stored_result_page(client, site, policy, django_capture_on_commit_callbacks):
    withdraw_and_check(client, site, policy, django_capture_on_commit_callbacks)


@pytest.fixture
def shared_cache(settings, redis_server):  # noqa: F811 - fixture
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": redis_server.url}}
    return redis_server


def test_with_redis_a_withdrawn_record_is_never_in_a_stored_result_page(client, site, policy, shared_cache,
                                                                        django_capture_on_commit_callbacks):
    assert cache._uses_shared_cache()
    withdraw_and_check(client, site, policy, django_capture_on_commit_callbacks)


def test_with_redis_a_result_page_stored_by_another_process_is_dropped_by_a_withdrawal(
        client, site, policy, shared_cache, django_capture_on_commit_callbacks):
    url = results_url()
    stored(client, url)
    cache._STORE.clear()  # this process forgets it: the page now comes from the shared store
    assert client.get(url)["X-Page-Cache"] == "shared"
    with django_capture_on_commit_callbacks(execute=True):
        services.record_withdraw(actor=member(site.gov, Role.REVIEWER), record=policy, reason="内容有误")
    cache._STORE.clear()
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert policy.get_absolute_url() not in response.content.decode()


def test_a_result_page_follows_the_records_it_shows_and_no_other(client, policy, site):
    url = results_url()
    stored(client, url)
    index.bump_generation()  # the records' index alone: every record it shows is as it was
    cache.bump(f"record:{site.old_policy.pk}", "lists", "organ:other")
    assert client.get(url)["X-Page-Cache"] == "hit"
    cache.bump(f"record:{policy.pk}")
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert policy.get_absolute_url() in response.content.decode()


def test_a_publication_drops_no_result_page_and_appears_within_the_query_seconds(client, site, policy, settings,
                                                                                 django_capture_on_commit_callbacks):
    import time

    from tests.portal.world import published

    settings.GONGKAI_PAGE_CACHE_QUERY_SECONDS = 2
    url = results_url()
    stored(client, url)
    with django_capture_on_commit_callbacks(execute=True):  # saved (bumps its organ, genre, lists) and indexed
        new = published(organ=site.office, genre=policy.genre, title="保定市政务公开办法实施细则")
        index.index_sync([new.pk])
    first = client.get(url)
    assert first["X-Page-Cache"] == "hit"
    assert new.get_absolute_url() not in first.content.decode()
    time.sleep(2.1)
    later = client.get(url)
    assert later["X-Page-Cache"] == "miss"
    assert new.get_absolute_url() in later.content.decode()


def test_a_result_page_whose_record_left_the_public_while_it_rendered_is_not_stored(client, policy, site,
                                                                                       monkeypatch):
    """The race the door on the primary closes: the page was rendered (e.g. from a replica that had not
    replayed the withdrawal yet) showing a record that is no longer public when it is about to be stored."""
    from gongkai.records.models import Record, Status
    from gongkai.search import views

    gone = site.old_policy
    Record.objects.filter(pk=gone.pk).update(status=Status.WITHDRAWN, withdrawal_reason="内容有误")
    real = views.records_shown
    renders = []
    monkeypatch.setattr(views, "records_shown", lambda result: renders.append(1) or [*real(result), gone.pk])
    url = results_url()
    first = client.get(url)
    assert first.status_code == 200 and "X-Page-Cache" not in first
    assert len(renders) == 2  # rendered again, from the primary
    assert client.get(url).get("X-Page-Cache") != "hit"
    assert cache.shown_generations([policy.pk]) is not None
    assert cache.shown_generations([policy.pk, gone.pk]) is None


def test_a_participation_item_leaving_the_public_drops_the_stored_pages(client, site,
                                                                        django_capture_on_commit_callbacks):
    item = consultation(site.gov, "关于《政务公开办法（征求意见稿）》公开征求意见的公告")
    url = results_url()
    response = stored(client, url)
    assert item.get_absolute_url() in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        item.status = ConsultationStatus.WITHDRAWN
        item.withdrawal_reason = "撤回"
        item.save()  # the model's own save re-syncs its index row: the search key is bumped
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert item.get_absolute_url() not in response.content.decode()


def test_a_hidden_message_is_never_in_a_stored_result_page(client, site, django_capture_on_commit_callbacks):
    """A 留言 is none of the portal's models: only the items' index tells the cache it left the public."""
    from tests.search.test_items import message

    people = (member(site.gov, Role.EDITOR, "msg_handler"), member(site.gov, Role.REVIEWER, "msg_reviewer"))
    with django_capture_on_commit_callbacks(execute=True):
        shown = message(site.gov, people, "政务公开办法")
    url = results_url()
    response = stored(client, url)
    assert shown.get_absolute_url() in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        message_set_hidden(actor=people[1], message=shown, hidden=True, reason="不宜公开")
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert shown.get_absolute_url() not in response.content.decode()


def test_an_item_hidden_behind_every_signal_is_never_served_from_a_stored_page(client, site,
                                                                               django_capture_on_commit_callbacks):
    """A queryset update sends no signal and bumps nothing: the stored page asks the doors again."""
    from gongkai.participation.models import Message
    from tests.search.test_items import message

    people = (member(site.gov, Role.EDITOR, "msg_handler"), member(site.gov, Role.REVIEWER, "msg_reviewer"))
    with django_capture_on_commit_callbacks(execute=True):
        shown = message(site.gov, people, "政务公开办法")
    urls = [results_url(), results_url(kind="message"), api_url()]
    for url in urls:
        stored(client, url)
    Message.objects.filter(pk=shown.pk).update(hidden=True, hidden_reason="不宜公开")
    for url in urls:
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss", url
        assert shown.get_absolute_url() not in response.content.decode(), url


def test_a_record_withdrawn_behind_every_signal_beside_an_item_is_never_served_from_a_stored_page(client, site, policy):
    from gongkai.records.models import Record, Status

    consultation(site.gov, "关于《政务公开办法（征求意见稿）》公开征求意见的公告")  # the page lists an item: checked
    urls = [results_url(), api_url()]
    for url in urls:
        stored(client, url)
    Record.objects.filter(pk=policy.pk).update(status=Status.WITHDRAWN, withdrawal_reason="内容有误")
    for url in urls:
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss", url
        assert policy.get_absolute_url() not in response.content.decode(), url


def test_a_stored_page_without_items_is_served_without_a_query(client, policy, django_assert_num_queries):
    url = results_url()
    stored(client, url)
    with django_assert_num_queries(0):
        assert client.get(url)["X-Page-Cache"] == "hit"


def test_with_redis_a_shared_page_is_checked_too(client, site, policy, shared_cache):
    from gongkai.records.models import Record, Status

    consultation(site.gov, "关于《政务公开办法（征求意见稿）》公开征求意见的公告")
    url = results_url()
    stored(client, url)
    cache._STORE.clear()
    assert client.get(url)["X-Page-Cache"] == "shared"
    Record.objects.filter(pk=policy.pk).update(status=Status.WITHDRAWN, withdrawal_reason="内容有误")
    cache._STORE.clear()
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert policy.get_absolute_url() not in response.content.decode()


def test_still_public_reads_the_doors(policy):
    assert cache.still_public(None) and cache.still_public({"records": [], "items": {}})
    assert cache.still_public({"records": [policy.pk]})
    assert not cache.still_public({"records": [policy.pk, 10**9]})
    assert not cache.still_public({"items": {"no-such-kind": [1]}})
    assert not cache.still_public({"items": {"consultation": [10**9]}})


def test_an_item_neither_public_before_nor_after_changes_no_search_key(site):
    from gongkai.search import items
    from gongkai.search.signals import index_changed

    draft = consultation(site.gov, "政务公开办法草稿")
    Consultation.objects.filter(pk=draft.pk).update(status=ConsultationStatus.DRAFT, published_at=None)
    items.item_sync("consultation", [draft.pk])  # the row of its public days goes: a change
    sent = []

    def receiver(**kwargs):
        sent.append(kwargs)

    index_changed.connect(receiver)
    try:
        items.item_sync("consultation", [draft.pk])  # still private: nothing the search finds changed
        assert sent == []
        Consultation.objects.filter(pk=draft.pk).update(status=ConsultationStatus.PUBLISHED,
                                                        published_at=timezone.now())
        items.item_sync("consultation", [draft.pk])
        assert len(sent) == 1
    finally:
        index_changed.disconnect(receiver)


def test_a_dictionary_change_drops_the_stored_pages(client, policy):
    url = results_url()
    stored(client, url)
    SearchTerm.objects.create(word="政务公开办法", freq=100)
    assert client.get(url)["X-Page-Cache"] == "miss"


def test_with_redis_down_the_index_is_still_written(policy, shared_cache, site):
    from gongkai.search.models import SearchDoc

    shared_cache.stop()
    try:
        Record = type(policy)
        Record.objects.filter(pk=policy.pk).update(title="保定市政务公开规定")
        index.index_sync([policy.pk])  # bumps the search key: cannot, logs, and the index is written anyway
        assert SearchDoc.objects.filter(record_id=policy.pk).exists()
    finally:
        shared_cache.start()


def test_a_stored_result_page_reads_its_keys_and_its_records_generations_at_once(client, policy, monkeypatch):
    url = results_url()
    stored(client, url)
    calls = []
    real = cache.generations

    def counted(keys):
        keys = list(keys)
        calls.append(keys)
        return real(keys)

    monkeypatch.setattr(cache, "generations", counted)
    assert client.get(url)["X-Page-Cache"] == "hit"
    assert len(calls) == 1 and f"record:{policy.pk}" in calls[0]
