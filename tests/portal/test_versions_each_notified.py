"""Every new version of a published record is pushed once to each matching subscriber: a third version
notifies again after the second, and collecting again owes nothing more (issue 22)."""

import pytest
from django.core import mail

from gongkai.core.models import Role
from gongkai.participation.models import Delivery, DeliveryEvent, Frequency, SubscriptionKind
from gongkai.participation.services import subscriptions as subs
from gongkai.records import versions

from ..factories import member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.GONGKAI_SITE_URL = "https://gk.example"


def _confirmed(**kwargs):
    return subs.subscription_confirm(subscription=subs.subscription_request(frequency=Frequency.DAILY, **kwargs))


def _publish_version(record, editor, reviewer, title):
    version = versions.record_version_open(actor=editor, record=record, reason="修订")
    versions.record_version_update(actor=editor, version=version, title=title, summary=record.summary,
                                   body=f"<p>{title}的正文。</p>")
    versions.record_version_submit(actor=editor, version=version)
    versions.record_version_review(actor=reviewer, version=version, approve=True)
    return version


def test_second_and_third_versions_each_notify_each_follower_once(site):
    record = site.new_policy
    editor, reviewer = member(site.gov, Role.EDITOR, "v-editor"), member(site.gov, Role.REVIEWER, "v-reviewer")
    followers = [_confirmed(email="organ@example.org", kind=SubscriptionKind.ORGAN, organ=site.gov),
                 _confirmed(email="doc@example.org", kind=SubscriptionKind.RECORD, record=record)]
    Delivery.objects.all().delete()  # what the original publication owed is not this test's subject

    second = _publish_version(record, editor, reviewer, "第二版标题")
    assert subs.deliveries_collect() == len(followers)
    mail.outbox.clear()
    subs.deliveries_send(frequencies=[Frequency.DAILY])
    assert sorted(m.to[0] for m in mail.outbox) == ["doc@example.org", "organ@example.org"]
    assert all("第二版标题" in m.body for m in mail.outbox)

    third = _publish_version(record, editor, reviewer, "第三版标题")
    assert (second.number, third.number) == (2, 3)
    assert subs.deliveries_collect() == len(followers)  # the third version notifies again
    assert subs.deliveries_collect() == 0  # and only once
    owed = Delivery.objects.filter(event=DeliveryEvent.UPDATED, record=record)
    for follower in followers:
        assert sorted(owed.filter(subscription=follower).values_list("version", flat=True)) == [2, 3]
    mail.outbox.clear()
    subs.deliveries_send(frequencies=[Frequency.DAILY])
    assert sorted(m.to[0] for m in mail.outbox) == ["doc@example.org", "organ@example.org"]
    assert all("第三版标题" in m.body and "【发布了新版本】" in m.body for m in mail.outbox)
    assert subs.deliveries_collect() == 0
