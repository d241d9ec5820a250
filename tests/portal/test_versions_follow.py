"""A new version of a published record is followed at once by the page cache, search and feeds, and is
pushed once to the subscribers of its organ, genre, topic and to its own watchers (issue 22)."""

import pytest
from django.core import mail
from django.urls import reverse

from gongkai.core.models import Role
from gongkai.participation.models import Delivery, DeliveryEvent, Frequency, SubscriptionKind
from gongkai.participation.services import subscriptions as subs
from gongkai.records import versions
from gongkai.search import index
from gongkai.search.query import search

from ..factories import OrganFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.GONGKAI_SITE_URL = "https://gk.example"


def _confirmed(**kwargs):
    return subs.subscription_confirm(subscription=subs.subscription_request(frequency=Frequency.DAILY, **kwargs))


def test_subscribers_search_feeds_and_cache_follow_a_new_version(client, site, django_capture_on_commit_callbacks):
    record = site.new_policy
    editor, reviewer = member(site.gov, Role.EDITOR, "f-editor"), member(site.gov, Role.REVIEWER, "f-reviewer")
    index.index_sync([record.pk])
    elsewhere = OrganFactory(name="别的机关", code="11130600000000008Y")
    followers = [
        _confirmed(email="organ@example.org", kind=SubscriptionKind.ORGAN, organ=site.gov),
        _confirmed(email="genre@example.org", kind=SubscriptionKind.GENRE, genre=record.genre),
        _confirmed(email="topic@example.org", kind=SubscriptionKind.TOPIC, topic=record.topic),
        _confirmed(email="doc@example.org", kind=SubscriptionKind.RECORD, record=record),
    ]
    stranger = _confirmed(email="other@example.org", kind=SubscriptionKind.ORGAN, organ=elsewhere)
    Delivery.objects.all().delete()  # what the original publication owed is not this test's subject

    page_url, feed_url = record.get_absolute_url(), reverse("portal:feed_rss")
    assert client.get(page_url)["X-Page-Cache"] == "miss" and client.get(page_url)["X-Page-Cache"] == "hit"
    client.get(feed_url)
    version = versions.record_version_open(actor=editor, record=record, reason="修订第三条")
    versions.record_version_update(actor=editor, version=version, title="保定市政府信息公开规定（2025年第二次修订）",
                                   summary=record.summary, body="<p>新规定正文。增设网上申请渠道。</p>")
    versions.record_version_submit(actor=editor, version=version)
    assert subs.deliveries_collect() == 0  # not published yet: nothing is owed
    with django_capture_on_commit_callbacks(execute=True):
        versions.record_version_review(actor=reviewer, version=version, approve=True)

    page = client.get(page_url)
    assert page["X-Page-Cache"] == "miss" and "增设网上申请渠道" in page.content.decode()  # the cache followed
    assert search("增设网上申请渠道").hits[0].record == record  # search followed
    assert search("第二次修订").hits[0].record == record
    assert "2025年第二次修订" in client.get(feed_url).content.decode()  # the feed shows the new title

    assert subs.deliveries_collect() == len(followers)
    assert subs.deliveries_collect() == 0  # once
    owed = Delivery.objects.filter(event=DeliveryEvent.UPDATED, record=record)
    assert set(owed.values_list("subscription_id", flat=True)) == {s.pk for s in followers}
    assert not Delivery.objects.filter(subscription=stranger).exists()
    mail.outbox.clear()
    subs.deliveries_send(frequencies=[Frequency.DAILY])
    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert set(bodies) == {"organ@example.org", "genre@example.org", "topic@example.org", "doc@example.org"}
    assert all("2025年第二次修订" in b and "【发布了新版本】" in b for b in bodies.values())
